"""The dispute reviewer's page: one KPI, old and new side by side, marked word by word."""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from ontology_tools.model import Change, KpiPlan, Plan
from ontology_tools.worddiff import Piece, word_diff

if TYPE_CHECKING:
    from ontology_tools.history import History


@dataclass(frozen=True)
class Side:
    """One column of a change: the pieces to show (equal text plus the marked edits)."""

    pieces: tuple[Piece, ...]


@dataclass(frozen=True)
class ReviewRow:
    """A changed field: its rule and bump, and the old and new columns."""

    change: Change
    old: Side
    new: Side


def _render(value: Any) -> str:
    if value is None:
        return "—"
    return value if isinstance(value, str) else json.dumps(value, ensure_ascii=False, indent=1)


def review_row(change: Change) -> ReviewRow:
    """Split a word diff into the old column (deletions) and the new column (insertions)."""
    pieces = word_diff(_render(change.old), _render(change.new))
    old = tuple(p for p in pieces if p.op != "insert")
    new = tuple(p for p in pieces if p.op != "delete")
    return ReviewRow(change, Side(old), Side(new))


def _environment() -> Any:
    from jinja2 import Environment, PackageLoader, StrictUndefined, select_autoescape

    return Environment(loader=PackageLoader("ontology_tools", "templates"),
                       autoescape=select_autoescape(["html", "j2"]), undefined=StrictUndefined,
                       trim_blocks=True, lstrip_blocks=True)


def template(name: str) -> Any:
    """A template of the review pages (`review/<name>`), with the pages' escaping rules."""
    return _environment().get_template(name)


def review_page(plan: Plan, history: Sequence[Any] = ()) -> str:
    """A self-contained HTML page for the KPIs of `plan` (usually one, from `diff --kpi`)."""
    kpis: list[tuple[KpiPlan, list[ReviewRow]]] = [
        (kpi, [review_row(change) for change in kpi.changes]) for kpi in plan.kpis]
    template = _environment().get_template("review/review.html.j2")
    return str(template.render(plan=plan, kpis=kpis, history=history))


def history_page(history: History) -> str:
    """A self-contained HTML page of a KPI's release history."""
    from ontology_tools.history import SHALLOW_NOTE, editor_names, what_happened

    template = _environment().get_template("review/history.html.j2")
    return str(template.render(rogue_id=history.rogue_id, entries=history.entries,
                               shallow=history.shallow, shallow_note=SHALLOW_NOTE,
                               what_happened=what_happened, editor_names=editor_names))
