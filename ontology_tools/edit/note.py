"""Change notes: `ontology note` writes one into changelog/unreleased/."""

from __future__ import annotations

import hashlib
import re
from collections.abc import Sequence
from pathlib import Path

from ontology_tools import layout, yamlio
from ontology_tools.classify.catalog import CHANGE_RULES
from ontology_tools.errors import OntologyError, UsageError
from ontology_tools.model import Bump, Waiver
from ontology_tools.runtime.atomic import write_atomic

DISPUTE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._/#-]*$")
MIN_JUSTIFICATION = 10  # characters: enough to say why, not just "ok"


def write_note(root: Path, kpis: Sequence[str], summary: str, *, known: set[str],
               dispute: str | None = None, bump: Bump | None = None,
               waive: Sequence[Waiver] = (), name: str | None = None) -> Path:
    """Write a note naming `kpis`; refuse unknown KPIs, rules, empty text and a `name` that is
    not a plain file stem (layout.note_name_problem)."""
    if not kpis:
        raise OntologyError("name at least one KPI with --kpi")
    unknown = [rogue_id for rogue_id in kpis if rogue_id not in known]
    if unknown:
        raise UsageError(f"no KPI {unknown[0]!r} in the worktree or the last release")
    if not summary.strip():
        raise UsageError("the summary (-m) must not be empty")
    if dispute is not None and not DISPUTE.match(dispute):
        raise UsageError(f"dispute reference {dispute!r} must be a single word such as "
                            "D-2026-007")
    for waiver in waive:
        _check_waiver(waiver)
    # a name with a separator or `..` would write outside the notes folder, where nothing reads
    path = layout.note_path(root, name if name is not None else _note_name(kpis, summary))
    if path.exists():
        raise OntologyError(f"{path.relative_to(root).as_posix()} already exists")
    write_atomic(path, yamlio.dump_round_trip(_note_document(kpis, summary, dispute, bump, waive)))
    return path


def _check_waiver(waiver: Waiver) -> None:
    if waiver.rule not in CHANGE_RULES:
        raise UsageError(f"--waive names unknown rule {waiver.rule!r} "
                            "(see `ontology rules`)")
    if len(waiver.justification.strip()) < MIN_JUSTIFICATION:
        raise OntologyError(f"the waiver of {waiver.rule} needs a justification of at least "
                            f"{MIN_JUSTIFICATION} characters")


def _note_name(kpis: Sequence[str], summary: str) -> str:
    digest = hashlib.sha256(("\n".join(kpis) + summary).encode()).hexdigest()[:8]
    return f"{kpis[0].replace('.', '-')}-{digest}"


def _note_document(kpis: Sequence[str], summary: str, dispute: str | None, bump: Bump | None,
                   waive: Sequence[Waiver]) -> object:
    pairs: list[tuple[str, object]] = [("kpis", yamlio.new_sequence(kpis)),
                                       ("summary", summary.strip())]
    if dispute:
        pairs.append(("dispute", dispute))
    if bump is not None:
        pairs.append(("bump", bump.label))
    if waive:
        pairs.append(("waive", yamlio.new_sequence(
            yamlio.new_mapping([("rule", w.rule), ("justification", w.justification),
                                ("bump", w.bump.label)]) for w in waive)))
    return yamlio.new_mapping(pairs)
