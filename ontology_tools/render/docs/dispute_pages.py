"""The docs site's dispute pages: one per dispute, an index, and each KPI's list of disputes."""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence, Set
from dataclasses import dataclass
from typing import Any

from ontology_tools.project.disputes import Dispute, id_number

DISPUTES_FOLDER = "disputes"
DISPUTES_INDEX = f"{DISPUTES_FOLDER}/index.html"


@dataclass(frozen=True)
class DisputeLine:
    """A dispute as a KPI page or the index lists it."""

    dispute: Dispute
    page: str

    @property
    def is_open(self) -> bool:
        """True until decided."""
        return self.dispute.is_open


def dispute_page_path(dispute: Dispute) -> str:
    """`disputes/<id>.html`, relative to the site root."""
    return f"{DISPUTES_FOLDER}/{dispute.id}.html"


def disputes_of(disputes: Sequence[Dispute], rogue_id: str) -> tuple[DisputeLine, ...]:
    """The disputes naming a KPI, newest first (open ones are flagged by the page)."""
    found = [d for d in disputes if rogue_id in d.kpis]
    found.sort(key=lambda d: id_number(d.id) or (0, 0), reverse=True)
    return tuple(DisputeLine(d, dispute_page_path(d)) for d in found)


def dispute_pages(disputes: Sequence[Dispute], site: Mapping[str, Any],
                  known: Set[str]) -> Iterator[tuple[str, str]]:
    """Each dispute's page, then the index, in path order; nothing when there are none."""
    from ontology_tools.render.docs.views import page_for
    from ontology_tools.render.templating import render

    if not disputes:
        return
    for dispute in sorted(disputes, key=lambda d: d.id):
        links = [(rogue_id, page_for(rogue_id) if rogue_id in known else None)
                 for rogue_id in dispute.kpis]
        yield dispute_page_path(dispute), render(
            "docs/dispute.html", site=site, root="../", current="dispute", dispute=dispute,
            kpis=links)
    lines = [DisputeLine(d, dispute_page_path(d)) for d in
             sorted(disputes, key=lambda d: id_number(d.id) or (0, 0), reverse=True)]
    yield DISPUTES_INDEX, render(
        "docs/disputes.html", site=site, root="../", current="disputes", lines=lines)
