"""Reporters: every kind of result, the formats it is shown in, and the function of each.

As check-jsonschema's `REPORTER_BY_NAME`, a command picks `REPORTERS[kind][fmt]` and prints
what it returns; no command chooses a format with an if-chain. A reporter is registered by its
dotted path and imported on first use, so that `ontology --help` imports no template engine.

Every reporter of a kind takes the result as its one positional argument. The keyword options
a command has (`next_release`, `color` …) are passed on only to the reporters that name them in
`takes`, so a command hands every option over and each reporter reads what it needs.
"""

from __future__ import annotations

import importlib
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class Reporter:
    """One format of one kind of result: `module:function`, and the options it reads."""

    target: str
    takes: tuple[str, ...] = ()
    document: bool = False  # the function gives a JSON document, written by `records`

    def __call__(self, result: Any, **options: Any) -> str | bytes:
        """The report of `result`, text (or the bytes of a file shown as it is)."""
        module, name = self.target.split(":")
        function = getattr(importlib.import_module(module), name)
        report = function(result, **{k: options[k] for k in self.takes if k in options})
        if self.document:
            from ontology_tools.records import json_text

            return json_text(report)
        text: str | bytes = report
        return text


def json_document(target: str) -> Reporter:
    """The `--format json` reporter of a kind whose document `target` builds."""
    return Reporter(target, document=True)


def _reporters(module: str, **functions: str | tuple[str, tuple[str, ...]] | Reporter
               ) -> dict[str, Reporter]:
    """The formats of a kind: `fmt="function"`, or `fmt=("function", options it takes)`, or a
    Reporter; a function of another module is named `module:function`."""
    found = {}
    for fmt, entry in functions.items():
        if isinstance(entry, Reporter):
            found[fmt] = entry
            continue
        name, takes = (entry, ()) if isinstance(entry, str) else entry
        found[fmt] = Reporter(name if ":" in name else f"{module}:{name}", takes)
    return found


_PLAN = "ontology_tools.render.plan"
_DISPUTES = "ontology_tools.render.disputes"

REPORTERS: Mapping[str, Mapping[str, Reporter]] = {
    # validate, fmt --check and check: a list of findings (`files`: how many files were read)
    "findings": _reporters("ontology_tools.render.findings", text="as_text",
                           json=("as_json", ("files",)), github="as_github"),
    # diff, plan, check: a Plan (html is the review page of its KPIs)
    "plan": _reporters(_PLAN, text=("as_text", ("color", "next_release")),
                       markdown=("as_markdown", ("next_release",)), json="as_json",
                       github="as_github",
                       html=("ontology_tools.render.review:review_page",
                             ("history", "definitions"))),
    # history ID: a History
    "history": _reporters("ontology_tools.render.history", text="history_text",
                          json=json_document("ontology_tools.review.history:history_document"),
                          markdown="history_markdown",
                          html="ontology_tools.render.review:history_page"),
    # dispute list: a sequence of Disputes
    "disputes": _reporters(_DISPUTES, text="list_text", json="list_json",
                           markdown="list_markdown"),
    # dispute show: a DisputeReview
    "dispute": _reporters(_DISPUTES, text="review_text",
                          json=json_document(f"{_DISPUTES}:review_document"),
                          html="review_page"),
    # rules: the policy overrides the catalog is shown with
    "rules": _reporters("ontology_tools.render.catalog", text="catalog_text",
                        json="catalog_json"),
    # show ID: a ShownKpi (json and yaml are the released files' own bytes)
    "show": _reporters("ontology_tools.render.show", text="show_text", yaml="show_yaml",
                       json="show_json", html=("show_page", ("project",))),
}


def formats(kind: str) -> list[str]:
    """The format names of a kind, in the registry's order (the choices of `--format`)."""
    return list(REPORTERS[kind])
