"""`ontology dispute open | resolve`: what a dispute reviewer writes (SPEC 7.3).

Files are written with the round-trip YAML writer, so a comment a reviewer adds to a dispute
file survives `resolve` and the release that records the resolving version.
"""

from __future__ import annotations

import os
import re
import tempfile
from collections.abc import Collection, Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ontology_tools import layout, yamlio
from ontology_tools.errors import OntologyError
from ontology_tools.model import Note
from ontology_tools.project.disputes import (
    DISPUTES_DIR,
    Dispute,
    DisputeStatus,
    DisputeValueError,
    Evidence,
    dispute_files,
    dispute_path,
    id_number,
    read_dispute,
)
from ontology_tools.runtime.atomic import write_atomic

EVIDENCE = re.compile(r"^(?P<title>[^=]*?\S[^=]*?)\s*=\s*(?P<url>https?://\S+)$")
MAX_ATTEMPTS = 1000


@dataclass(frozen=True)
class Claim:
    """What `dispute open` is told: the KPIs, the claim, who raised it, when, and the evidence."""

    kpis: tuple[str, ...]
    claim: str
    raised_by: str
    raised_at: str
    against: str | None = None
    evidence: tuple[Evidence, ...] = ()


def parse_evidence(items: Iterable[str]) -> tuple[Evidence, ...]:
    """`TITLE=URL` options → Evidence; a malformed one is a usage error quoting it."""
    parsed = []
    for item in items:
        match = EVIDENCE.match(item.strip())
        if match is None:
            raise DisputeValueError(f"--evidence {item!r} is not TITLE=URL with an http(s) URL")
        parsed.append(Evidence(match.group("title").strip(), match.group("url")))
    return tuple(parsed)


def check_claim(claim: Claim, known: Collection[str]) -> None:
    """Refuse unknown KPIs and empty text before anything is written."""
    if not claim.kpis:
        raise DisputeValueError("name at least one disputed KPI")
    for rogue_id in claim.kpis:
        if rogue_id not in known:
            raise DisputeValueError(f"no KPI {rogue_id!r} in the worktree or any release")
    if len(set(claim.kpis)) != len(claim.kpis):
        raise DisputeValueError("a KPI is named twice")
    for what, text in (("--claim", claim.claim), ("--by", claim.raised_by)):
        if not text.strip():
            raise DisputeValueError(f"{what} must not be empty")


def open_dispute(root: Path, claim: Claim, known: Collection[str]) -> Dispute:
    """Write `changelog/disputes/D-<year>-<n>.yaml` with the next free number of that year.

    The file is created exclusively (a hard link of a complete temporary file, which fails if
    the name exists), so two concurrent opens never share a number and nobody ever sees half a
    file; the loser moves on to the next number.
    """
    check_claim(claim, known)
    year = int(claim.raised_at[:4])
    number = next_number(root, year)  # refuses a link or a folder in the disputes folder
    if not layout.is_inside(root, root / DISPUTES_DIR):
        # the folder is absent but a folder above it leads outside: nothing is written there
        raise layout.PathRefused(DISPUTES_DIR, layout.PROBLEMS[layout.EntryKind.LINK_OUTSIDE])
    for _ in range(MAX_ATTEMPTS):
        dispute_id = f"D-{year}-{number:03d}"
        text = yamlio.dump_round_trip(_document(dispute_id, claim))
        if _create_exclusively(root / dispute_path(dispute_id), text):
            return read_dispute(dispute_path(dispute_id), text.encode("utf-8"))
        number += 1
    raise OntologyError(f"no free dispute number in {DISPUTES_DIR}/ after {MAX_ATTEMPTS} tries")


def next_number(root: Path, year: int) -> int:
    """One more than the highest number of `year` among the dispute files' names."""
    numbers = [found[1] for rel in dispute_files(root)
               if (found := id_number(layout.dispute_file_id(rel)))
               and found[0] == year]
    return max(numbers, default=0) + 1


def _create_exclusively(target: Path, text: str) -> bool:
    target.parent.mkdir(parents=True, exist_ok=True)
    fd, temporary = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(text.encode("utf-8"))
            handle.flush()
            os.fsync(handle.fileno())
        os.chmod(temporary, 0o644)
        try:
            os.link(temporary, target)
        except FileExistsError:
            return False
        return True
    finally:
        Path(temporary).unlink(missing_ok=True)


def _document(dispute_id: str, claim: Claim) -> Any:
    pairs: list[tuple[str, Any]] = [
        ("id", dispute_id), ("kpis", _flow(claim.kpis)),
        ("raisedAt", yamlio.plain_date(claim.raised_at)), ("raisedBy", claim.raised_by.strip())]
    if claim.against is not None:
        pairs.append(("against", claim.against))
    pairs.append(("claim", _folded(claim.claim)))
    if claim.evidence:
        pairs.append(("evidence", yamlio.new_sequence(
            yamlio.new_mapping([("title", e.title), ("url", e.url)]) for e in claim.evidence)))
    pairs.append(("status", DisputeStatus.OPEN.value))
    return yamlio.new_mapping(pairs)


def _flow(items: Sequence[str]) -> Any:
    sequence = yamlio.new_sequence(items)
    yamlio.set_flow(sequence, True)
    return sequence


def _folded(text: str) -> Any:
    return yamlio.fold(text.strip(), indent=2)


@dataclass(frozen=True)
class Decision:
    """What `dispute resolve` is told."""

    status: DisputeStatus
    summary: str
    decided_at: str


def resolve_dispute(root: Path, dispute: Dispute, decision: Decision,
                    notes: Sequence[Note], released_in: str | None = None) -> Dispute:
    """Record the decision in the dispute's file, keeping its comments.

    Upheld needs a change note naming the dispute: unreleased (the release that consumes it
    writes `resolution.release`), or already released (`released_in`, written now).
    """
    if not decision.status.decided:
        raise DisputeValueError("a decision is upheld, rejected or withdrawn")
    if dispute.status.decided:
        raise OntologyError(f"{dispute.file}: {dispute.id} was already decided "
                            f"({dispute.status.value}); a decision is not rewritten")
    if not decision.summary.strip():
        raise DisputeValueError("--summary must not be empty")
    if decision.decided_at < dispute.raised_at:
        raise DisputeValueError(f"--date {decision.decided_at} is before the dispute was raised "
                                f"({dispute.raised_at})")
    if decision.status is DisputeStatus.UPHELD and released_in is None and \
            not any(note.dispute == dispute.id for note in notes):
        kpi = dispute.kpis[0]
        raise OntologyError(
            f"{dispute.id} cannot be upheld: no change note names it; change the definition, "
            f"then run `ontology note --kpi {kpi} -m \"…\" --dispute {dispute.id}`")
    path = root / dispute.file
    document = yamlio.load_round_trip(layout.read_file(root, dispute.file).decode("utf-8"))
    document["status"] = decision.status.value
    resolution = [("decidedAt", yamlio.plain_date(decision.decided_at)),
                  ("summary", _folded(decision.summary))]
    if decision.status is DisputeStatus.UPHELD and released_in is not None:
        resolution.append(("release", released_in))
    document["resolution"] = yamlio.new_mapping(resolution)
    text = yamlio.dump_round_trip(document)
    write_atomic(path, text)
    return read_dispute(dispute.file, text.encode("utf-8"))


def with_release(text: str, version: str) -> str:
    """A dispute file's text with `resolution.release` set to `version` (comments kept)."""
    document = yamlio.load_round_trip(text)
    document["resolution"]["release"] = version
    return str(yamlio.dump_round_trip(document))
