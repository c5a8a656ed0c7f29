"""`ontology history ID` as text, JSON and markdown (HTML: `render.review.history_page`).

Text and markdown show each change's values word by word in one inline notation
(`render.worddiff.inline_diff`), explained once in the header; JSON carries the values as they
are, in its change documents.
"""

from __future__ import annotations

from collections.abc import Iterator

from ontology_tools.model import Change
from ontology_tools.render.plain import joined, one_line
from ontology_tools.render.review import field_text
from ontology_tools.render.templating import render
from ontology_tools.render.worddiff import INLINE_LEGEND, inline_diff
from ontology_tools.review.history import (
    History,
    decision_phrase,
    editor_names,
    what_happened,
)


@joined
def history_text(history: History) -> Iterator[str]:
    """Lines for the terminal."""
    rogue_id = history.rogue_id
    for caveat in history.notes:
        yield f"note: {caveat}\n"
    if has_word_changes(history):
        yield f"note: {INLINE_LEGEND}\n"
    if not history.entries:
        yield f"{rogue_id} has not been released yet.\n"
    for e in history.entries:
        yield (f"{e.ontology_version}  {e.released_at}  {e.previous_version or '-'} → "
               f"{e.kpi_version or '-'}  {e.bump}  {what_happened(e, rogue_id)}\n")
        yield f"    edited by {editor_names(e)}; released by {e.author} ({e.committed_at})\n"
        for change in e.changes:
            waiver = change.waived_by
            suffix = f" — waived: {waiver.justification}" if waiver is not None else ""
            where = f" ({change.path})" if change.path else ""
            yield f"    {change.message}{where} [{change.rule}]{suffix}\n"
            words = word_changes(change)
            if words is not None:
                yield f"      {words}\n"
        for note in e.notes:
            dispute = f" ({note.dispute})" if note.dispute else ""
            yield f"    note{dispute}: {note.summary}\n"
    yield from _disputes_text(history)


def word_changes(change: Change) -> str | None:
    """The change's old value against its new one, word by word (see INLINE_LEGEND); None for
    a change of the whole KPI (added, removed), which has no values."""
    if change.old is None and change.new is None:
        return None
    return inline_diff(field_text(change.old), field_text(change.new))


def has_word_changes(history: History) -> bool:
    """True when some change of the history has values to show word by word."""
    return any(change.old is not None or change.new is not None
               for entry in history.entries for change in entry.changes)


def _disputes_text(history: History) -> Iterator[str]:
    if not history.disputes:
        return
    yield "\ndisputes:\n"
    for d in history.disputes:
        against = f" against {d.against}" if d.against else ""
        about = "" if d.kpis == (history.rogue_id,) else f" ({', '.join(d.kpis)})"
        yield f"{d.id}  {d.status.value}{about}\n"
        yield f"    raised {d.raised_at} by {one_line(d.raised_by)}{against}: " \
              f"{one_line(d.claim)}\n"
        if d.resolution is not None:
            yield f"    {decision_phrase(d)}: {one_line(d.resolution.summary)}\n"


def history_markdown(history: History) -> str:
    """A markdown table for a dispute file or PR, the KPI's disputes listed below it; every value
    escaped (a `|` stays in its cell)."""
    return render("history/history.md.j2", history=history,
                  what_happened=what_happened, editor_names=editor_names,
                  words=word_changes, legend=INLINE_LEGEND if has_word_changes(history) else None)
