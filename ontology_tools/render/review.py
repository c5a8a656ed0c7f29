"""The dispute reviewer's page: one KPI, old and new side by side, marked word by word."""

from __future__ import annotations

import json
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from ontology_tools.model import Change, KpiPlan, Plan, Snapshot
from ontology_tools.render.worddiff import Piece, word_diff

if TYPE_CHECKING:
    from ontology_tools.review.history import History


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


@dataclass(frozen=True)
class DefinitionRow:
    """One field of a whole definition, on the side (or sides) that hold the KPI."""

    field: str
    old: Side | None
    new: Side | None


# Shown where a side lacks a value: a change to or from nothing, never Python's `None`.
ABSENT = "—"
NULL = "(none)"


def _render(value: Any) -> str:
    if value is None:
        return ABSENT
    return value if isinstance(value, str) else json.dumps(value, ensure_ascii=False, indent=1)


def field_text(value: Any) -> str:
    """A field's value as a reader sees it: text as is, lists joined, null as `(none)`."""
    if value is None:
        return NULL
    if isinstance(value, str):
        return value
    if isinstance(value, list) and all(isinstance(item, str) for item in value):
        return ", ".join(value) if value else NULL
    return json.dumps(value, ensure_ascii=False)


def definition_fields(kpi: Mapping[str, Any]) -> Iterator[tuple[str, str]]:
    """Every field of a KPI in its order; mappings such as definitionSource one key per row."""
    for key, value in kpi.items():
        if isinstance(value, Mapping) and value:
            for inner, item in value.items():
                yield f"{key}.{inner}", field_text(item)
        else:
            yield str(key), field_text(value)


def definition_rows(old: Mapping[str, Any] | None,
                    new: Mapping[str, Any] | None) -> tuple[DefinitionRow, ...]:
    """The whole definition: of the side that has it (added, removed), or old against new."""
    before, after = dict(definition_fields(old or {})), dict(definition_fields(new or {}))
    rows = []
    for field in dict.fromkeys([*before, *after]):
        if old is not None and new is not None:
            pieces = word_diff(before.get(field, ABSENT), after.get(field, ABSENT))
            rows.append(DefinitionRow(field, Side(tuple(p for p in pieces if p.op != "insert")),
                                      Side(tuple(p for p in pieces if p.op != "delete"))))
        else:
            rows.append(DefinitionRow(
                field, _whole(before.get(field), "delete") if old is not None else None,
                _whole(after.get(field), "insert") if new is not None else None))
    return tuple(rows)


def _whole(text: str | None, op: str) -> Side:
    return Side((Piece(op, text if text is not None else ABSENT),))


def review_row(change: Change) -> ReviewRow:
    """Split a word diff into the old column (deletions) and the new column (insertions).

    A change of the whole KPI (added, removed) has no values: its definition rows show them.
    """
    if change.old is None and change.new is None:
        return ReviewRow(change, Side(()), Side(()))
    pieces = word_diff(_render(change.old), _render(change.new))
    old = tuple(p for p in pieces if p.op != "insert")
    new = tuple(p for p in pieces if p.op != "delete")
    return ReviewRow(change, Side(old), Side(new))


WHOLE_DEFINITION_STATUSES = ("added", "removed", "renamed", "restored")
Definitions = Mapping[str, tuple[Mapping[str, Any] | None, Mapping[str, Any] | None]]


def plan_definitions(plan: Plan, old: Snapshot, new: Snapshot) -> Definitions:
    """The old and new content of each KPI of `plan` shown whole (a renamed one: its old id's)."""
    found = {}
    for kpi in plan.kpis:
        if kpi.status not in WHOLE_DEFINITION_STATUSES:
            continue
        old_id = kpi.renamed_from[0] if kpi.renamed_from else kpi.rogue_id
        found[kpi.rogue_id] = (
            old.document(old_id).content if old_id in old.sources else None,
            new.document(kpi.rogue_id).content if kpi.rogue_id in new.sources else None)
    return found


def review_page(plan: Plan, history: Sequence[Any] = (),
                definitions: Definitions | None = None) -> str:
    """A self-contained HTML page for the KPIs of `plan` (usually one, from `diff --kpi`).

    `definitions` maps a KPI's id to its old and new `kpi` content (None on the side that lacks
    it): an added, removed or renamed KPI shows its whole definition (SPEC 7.1).
    """
    definitions = definitions or {}
    kpis: list[tuple[KpiPlan, list[ReviewRow], tuple[DefinitionRow, ...]]] = [
        (kpi, [review_row(change) for change in kpi.changes],
         definition_rows(*definitions[kpi.rogue_id])
         if kpi.status in WHOLE_DEFINITION_STATUSES and kpi.rogue_id in definitions else ())
        for kpi in plan.kpis]
    from ontology_tools.render.templating import render

    return render("review/review.html", plan=plan, kpis=kpis, history=history)


def history_page(history: History) -> str:
    """A self-contained HTML page of a KPI's release history, each release's changes marked
    word by word as the review pages mark them (`review_row`)."""
    from ontology_tools.render.templating import render
    from ontology_tools.review.history import decision_phrase, editor_names, what_happened

    entries = [(entry, [review_row(change) for change in entry.changes])
               for entry in history.entries]
    return render("review/history.html", rogue_id=history.rogue_id, entries=entries,
                  notes=history.notes,
                  what_happened=what_happened, editor_names=editor_names,
                  disputes=history.disputes, decision_phrase=decision_phrase)
