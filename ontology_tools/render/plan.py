"""The plan as JSON (SPEC 5.4, schemas/plan.schema.json), text, markdown and GitHub annotations."""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

from ontology_tools.model import Bump, Change, Plan
from ontology_tools.records import json_text, plan_document
from ontology_tools.render import worddiff
from ontology_tools.render.worddiff import is_prose, word_diff


def as_json(plan: Plan) -> str:
    """Stable, indented JSON."""
    return json_text(plan_document(plan))


def as_text(plan: Plan, *, color: bool = False, next_release: bool = False) -> str:
    """A terminal report; prose differences are marked word by word ([-old-]{+new+})."""
    return "".join(_text_lines(plan, color, next_release))


def _text_lines(plan: Plan, color: bool, next_release: bool) -> Iterator[str]:
    head = "Next release" if next_release else f"{plan.from_ref} → {plan.to_ref}"
    if plan.is_empty:
        yield f"{head}: no changes since {plan.from_ref}.\n"
        return
    yield (f"{head}: ontology {plan.version or '(unreleased)'} → {plan.next_version} "
           f"({plan.bump.label})\n")
    for change in plan.ontology_changes:
        yield f"  ontology.yaml: {change.message} [{change.rule}, {_level(change)}]\n"
    for kpi in plan.kpis:
        yield (f"\n{kpi.rogue_id} ({kpi.status}): {kpi.version or '-'} → "
               f"{kpi.next_version or '-'} ({kpi.bump.label})\n")
        for change in kpi.changes:
            yield f"  {change.message} [{change.rule}, {_level(change)}]\n"
            yield from _text_values(change, color)
            if change.waived_by:
                yield f"    waived: {change.waived_by.justification}\n"
        for note in kpi.notes:
            dispute = f" ({note.dispute})" if note.dispute else ""
            yield f"  note {note.file}{dispute}: {note.summary}\n"
    for blocker in plan.blocking:
        yield f"\nBLOCKING: {blocker.message}\n"
    for note in plan.unused_notes:
        yield f"\nnote {note.file} names no changed KPI\n"
    if any(_escaped(change) for kpi in plan.kpis for change in kpi.changes):
        yield f"\nnote: {worddiff.INLINE_LEGEND}\n"


def _escaped(change: Change) -> bool:
    """True when the text report escaped a mark character of this change's prose."""
    return (is_prose(change.old) and is_prose(change.new)
            and (worddiff.has_mark_characters(change.old)
                 or worddiff.has_mark_characters(change.new)))


def _level(change: Change) -> str:
    return change.level


def _text_values(change: Change, color: bool) -> Iterator[str]:
    if change.old is None and change.new is None:
        return
    if is_prose(change.old) and is_prose(change.new):
        marks = {"delete": ("\x1b[31m[-", "-]\x1b[0m") if color else ("[-", "-]"),
                 "insert": ("\x1b[32m{+", "+}\x1b[0m") if color else ("{+", "+}")}
        literal = worddiff.inline_literal
        text = "".join(literal(piece.text) if piece.op == "equal"
                       else marks[piece.op][0] + literal(piece.text) + marks[piece.op][1]
                       for piece in word_diff(change.old, change.new))
        yield f"    {text}\n"
        return
    yield f"    {_show(change.old)} → {_show(change.new)}\n"


def _show(value: Any) -> str:
    return "(none)" if value is None else json.dumps(value, ensure_ascii=False)


def as_markdown(plan: Plan, *, next_release: bool = False) -> str:
    """A pull-request comment: a summary table, then each KPI's changes (all text escaped)."""
    from ontology_tools.render.templating import render

    return render("plan/plan.md.j2", plan=plan, next_release=next_release, level=_level,
                  values=_md_values)


def _md_values(change: Change) -> str:
    """`: ` and the change's values: prose word by word (~~old~~ **new**), others as JSON."""
    from ontology_tools.render.markdown import md

    if change.old is None and change.new is None:
        return ""
    if is_prose(change.old) and is_prose(change.new):
        marks = {"delete": "~~{}~~ ", "insert": "**{}** "}
        text = "".join(md(p.text) if p.op == "equal" else
                       marks[p.op].format(md(p.text.strip())) if p.text.strip() else ""
                       for p in word_diff(change.old, change.new))
        return f": {text}"
    return f": {md(_show(change.old))} → {md(_show(change.new))}"


def as_github(plan: Plan) -> str:
    """Annotations on the KPI files of the worktree."""
    from ontology_tools.model import kpi_path_for
    from ontology_tools.render.github import annotation

    lines = []
    for kpi in plan.kpis:
        level = "error" if any(c.blocking for c in kpi.changes) else (
            "warning" if kpi.bump is Bump.MAJOR else "notice")
        rules = ", ".join(dict.fromkeys(c.rule for c in kpi.changes))
        lines.append(annotation(level, f"{kpi.rogue_id} {kpi.status}: {kpi.version or '-'} → "
                                f"{kpi.next_version or '-'} ({rules})",
                                file=kpi_path_for(kpi.rogue_id), title=f"{kpi.bump.label} bump"))
    return "".join(lines)
