"""What the docs tests share: a visible-text reader, a stand-in rule catalog, a hostile KPI."""

from __future__ import annotations

import copy
import re
from collections.abc import Mapping
from dataclasses import dataclass
from html.parser import HTMLParser
from typing import Any

from ontology_tools.model import Bump, level_label
from tests.support.pages import parsed

SEGMENTS_PAGE = "kpis/customers/customer_segments.html"
HOSTILE = ('<script>alert(1)</script> "><img src=x onerror=alert(1)> {{ 7*7 }} '
           "{% raw %}x{% endraw %} `<b>code</b>`")
HOSTILE_ID = "customers.hostile"
HOSTILE_PAGE = "kpis/customers/hostile.html"

_BLOCKS = {"address", "article", "aside", "blockquote", "br", "div", "dl", "dd", "dt", "footer",
           "h1", "h2", "h3", "h4", "h5", "h6", "header", "hr", "li", "main", "nav", "ol", "p",
           "section", "table", "tbody", "thead", "tr", "ul"}
_CELLS = {"td", "th"}
_HIDDEN = {"head", "script", "style", "template", "title"}


class VisibleText(HTMLParser):
    """Collects the text a reader sees, one line per block element, cells separated by a space."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.lines: list[str] = []
        self.current: list[str] = []
        self.hidden = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in _HIDDEN:
            self.hidden += 1
        elif tag in _BLOCKS:
            self.flush()
        elif tag in _CELLS:
            self.current.append(" ")

    def handle_endtag(self, tag: str) -> None:
        if tag in _HIDDEN:
            self.hidden -= 1
        elif tag in _BLOCKS:
            self.flush()

    def handle_data(self, data: str) -> None:
        if not self.hidden:
            self.current.append(data)

    def flush(self) -> None:
        line = normalise("".join(self.current))
        if line:
            self.lines.append(line)
        self.current = []


def normalise(text: str) -> str:
    """Collapse runs of whitespace to one space and trim."""
    return " ".join(text.split())


def visible_lines(html: str) -> list[str]:
    """The visible text of a page, one normalised line per block."""
    reader = parsed(VisibleText(), html)
    reader.flush()
    return reader.lines


def squash(text: str) -> str:
    """Text without any whitespace, for comparisons that ignore how blocks were joined."""
    return re.sub(r"\s+", "", text)


@dataclass(frozen=True)
class StandInRule:
    """A change rule shaped like the catalog's, for tests that pass their own catalog."""

    id: str
    bump: Bump
    message: str
    rationale: str
    blocking: bool = False

    @property
    def level(self) -> str:
        """`blocking`, else the bump's label, as the catalog's rules say it."""
        return level_label(self.blocking, self.bump)


STAND_IN_RULES = (
    StandInRule("formula-changed", Bump.MAJOR, "formula changed", "Numbers stop comparing."),
    StandInRule("tier-promoted", Bump.MINOR, "tier promoted", "Back-attribution."),
    StandInRule("label-changed", Bump.PATCH, "label changed", "Display only."),
    StandInRule("unclassified", Bump.MAJOR, "unclassified change to {field}", "No rule.",
                blocking=True),
)


def hostile_kpi(base: Mapping[str, Any]) -> dict[str, Any]:
    """A copy of `base` whose every free-text field carries markup and template syntax."""
    kpi = copy.deepcopy(dict(base))
    kpi.update(rogueId=HOSTILE_ID, slug="hostile", defaultLabel=f"Label {HOSTILE}",
               description=f"Description {HOSTILE}", formula=f"Formula {HOSTILE}",
               whyItMatters=f"Why {HOSTILE}", interpretationGuidance=f"Read {HOSTILE}",
               fieldType=f"type {HOSTILE}", unit=f"unit {HOSTILE}",
               relatedKpiIds=["sales.arr", f"related {HOSTILE}"],
               supersedes=[f"old {HOSTILE}"],
               defaultOwningFunctions=[f"Owner {HOSTILE}"],
               suggestedForStages=["seriesA", f"stage {HOSTILE}"],
               stageRelevance={"seriesA": f"level {HOSTILE}", f"stage {HOSTILE}": "core"},
               deprecation={"date": f"date {HOSTILE}", "reason": f"Reason {HOSTILE}",
                            "replacedBy": f"replacement {HOSTILE}"},
               definitionSource={"tier": "published", "sourceName": f"Source {HOSTILE}",
                                 "sourceUrl": "javascript:alert(1)",
                                 "sectionRef": f"Section {HOSTILE}",
                                 "publicationDate": f"date {HOSTILE}",
                                 "attributionNotice": f"Notice {HOSTILE}"})
    return kpi
