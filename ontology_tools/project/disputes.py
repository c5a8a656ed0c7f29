"""Disputes (SPEC 7.3): the one home of the dispute record, read by every command that shows one.

A dispute is `changelog/disputes/<id>.yaml`. This module reads the files into frozen `Dispute`
values and turns a dispute into its JSON record (the bundle's `disputes/<id>.json` and the
`--format json` of `dispute list/show`); `edit.dispute` is what a reviewer writes.
"""

from __future__ import annotations

import enum
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ontology_tools import layout, yamlio
from ontology_tools.errors import OntologyError

if TYPE_CHECKING:
    from ontology_tools.model import Plan
    from ontology_tools.project.releases import DamagedRecord, ReleaseIndex

DISPUTES_DIR = layout.DISPUTES_DIR
DISPUTE_ID = layout.DISPUTE_ID


class DisputeStatus(enum.StrEnum):
    """Where a dispute stands: open until decided, then upheld, rejected or withdrawn."""

    OPEN = "open"
    UPHELD = "upheld"
    REJECTED = "rejected"
    WITHDRAWN = "withdrawn"

    @property
    def decided(self) -> bool:
        """True once a decision is on the record."""
        return self is not DisputeStatus.OPEN


class DisputeValueError(OntologyError):
    """A value typed on the command line is malformed or names nothing: a usage error (exit 2)."""


@dataclass(frozen=True)
class Evidence:
    """A document the claim rests on."""

    title: str
    url: str


@dataclass(frozen=True)
class Resolution:
    """The decision: when, why, and for an upheld dispute the release that changed the KPI."""

    decided_at: str
    summary: str
    release: str | None = None


@dataclass(frozen=True)
class Dispute:
    """One challenge to one or more KPI definitions, kept whether or not it changed anything."""

    id: str
    file: str
    kpis: tuple[str, ...]
    raised_at: str
    raised_by: str
    claim: str
    status: DisputeStatus
    against: str | None = None
    evidence: tuple[Evidence, ...] = ()
    resolution: Resolution | None = None

    @property
    def is_open(self) -> bool:
        """True until a decision is recorded."""
        return self.status is DisputeStatus.OPEN

    def record(self) -> dict[str, Any]:
        """The JSON record: the file's keys in the file's order, dates as YYYY-MM-DD."""
        resolution = None
        if self.resolution is not None:
            resolution = {"decidedAt": self.resolution.decided_at,
                          "summary": self.resolution.summary,
                          "release": self.resolution.release}
        return {"id": self.id, "kpis": list(self.kpis), "raisedAt": self.raised_at,
                "raisedBy": self.raised_by, "against": self.against, "claim": self.claim,
                "evidence": [{"title": e.title, "url": e.url} for e in self.evidence],
                "status": self.status.value, "resolution": resolution}


def dispute_path(dispute_id: str) -> str:
    """`changelog/disputes/<id>.yaml`."""
    return f"{DISPUTES_DIR}/{dispute_id}.yaml"


def id_number(dispute_id: str) -> tuple[int, int] | None:
    """`D-2026-007` → (2026, 7); None for anything that is not a dispute id."""
    match = DISPUTE_ID.match(dispute_id)
    return (int(match.group(1)), int(match.group(2))) if match else None


def dispute_files(root: Path) -> list[str]:
    """Every `changelog/disputes/*.yaml`, relative to `root`, sorted.

    Listed and checked by `layout`: a link or a folder there (or a disputes folder that leads
    outside the repository) is refused, so no command reads through it.
    """
    return [entry.path for entry in layout.dispute_file_entries(root)]


def read_disputes(root: Path) -> tuple[Dispute, ...]:
    """Every dispute file of the worktree, sorted by id; a broken file is an error naming it.

    Commands that only show disputes run after validation would have said what is wrong; this
    refuses rather than show half a record. Only regular files inside the repository are read.
    """
    disputes = [read_dispute(entry.path, layout.read_entry(root, entry))
                for entry in layout.dispute_file_entries(root)]
    return tuple(sorted(disputes, key=lambda d: (id_number(d.id) or (0, 0), d.id, d.file)))


def read_dispute(rel: str, data: bytes) -> Dispute:
    """One dispute file → Dispute (its shape is checked here; `validate` says where it is wrong)."""
    return dispute_from_mapping(rel, yamlio.load_or_refuse(data, rel))


def dispute_from_mapping(rel: str, raw: Any) -> Dispute:
    """A parsed dispute document → Dispute; an OntologyError naming the file when it is not one."""
    from ontology_tools.schemas import schema_errors

    errors = list(schema_errors("dispute", raw))
    if errors:
        raise OntologyError(f"{rel}: {errors[0].message} (run `ontology validate`)")
    resolution = raw.get("resolution")
    return Dispute(
        id=raw["id"], file=rel, kpis=tuple(raw["kpis"]), raised_at=raw["raisedAt"],
        raised_by=raw["raisedBy"], claim=raw["claim"].strip(),
        status=DisputeStatus(raw["status"]), against=_text(raw.get("against")),
        evidence=tuple(Evidence(e["title"], e["url"]) for e in raw.get("evidence") or ()),
        resolution=Resolution(resolution["decidedAt"], resolution["summary"].strip(),
                              _text(resolution.get("release"))) if resolution else None)


def _text(value: Any) -> str | None:
    return None if value is None else str(value)


def find_dispute(disputes: Iterable[Dispute], dispute_id: str) -> Dispute:
    """The dispute of that id, else a usage error that says where disputes live."""
    for dispute in disputes:
        if dispute.id == dispute_id:
            return dispute
    raise DisputeValueError(f"no dispute {dispute_id!r} in {DISPUTES_DIR}/ "
                            "(see `ontology dispute list`)")


@dataclass(frozen=True)
class KpiReleases:
    """What the releases say about each KPI: the versions it was published at, and where.

    Built from each release's record (`changelog/<version>.json`). `complete` is False when the
    history cannot be told (ontology.yaml names a release the repository does not hold, or the
    clone is shallow): rules that need the past then stay silent rather than report what would
    be false. A release whose record is absent (tagged by hand) or damaged is `unknown`: what it
    changed cannot be told, so nothing is concluded from it; it maps to the ids its tree held
    (it can only have published a version of those), or None when they are not known.
    """

    releases: tuple[str, ...] = ()
    versions: Mapping[str, Mapping[str, str]] = field(default_factory=dict)
    changed: Mapping[str, frozenset[str]] = field(default_factory=dict)
    complete: bool = True
    unknown: Mapping[str, frozenset[str] | None] = field(default_factory=dict)
    damaged: tuple[DamagedRecord, ...] = ()

    @classmethod
    def from_records(cls, records: Iterable[tuple[str, Plan | None]], *,
                     complete: bool = True,
                     held_ids: Mapping[str, frozenset[str]] | None = None,
                     damaged: Iterable[DamagedRecord] = ()) -> KpiReleases:
        """`(release version, the plan its changelog record holds)` pairs, oldest first.

        A release without a plan (None) is unknown, never "changed nothing"; `held_ids` names
        the KPIs the tree of such a release held.
        """
        releases: list[str] = []
        versions: dict[str, dict[str, str]] = {}
        changed: dict[str, frozenset[str]] = {}
        unknown: dict[str, frozenset[str] | None] = {}
        for release, record in records:
            releases.append(release)
            if record is None:
                unknown[release] = (held_ids or {}).get(release)
                continue
            touched: set[str] = set()
            for kpi in record.kpis:
                touched.add(kpi.rogue_id)
                touched.update(kpi.renamed_from)
                if kpi.next_version:
                    versions.setdefault(kpi.rogue_id, {}).setdefault(kpi.next_version, release)
            changed[release] = frozenset(touched)
        return cls(tuple(releases), versions, changed, complete, unknown, tuple(damaged))

    def held(self, rogue_id: str) -> Mapping[str, str]:
        """The versions a KPI was released at → the release that published each (as far as
        the records tell: see `uncertain`)."""
        return self.versions.get(rogue_id, {})

    def uncertain(self, rogue_id: str) -> bool:
        """True when an unknown release may have published a version of `rogue_id`."""
        return any(ids is None or rogue_id in ids for ids in self.unknown.values())

    def is_known(self, release: str) -> bool:
        """True when what `release` changed can be told from its record."""
        return release in self.changed


def closed_dispute_problems(disputes: Iterable[Dispute], notes: Iterable[Any]) -> Iterator[str]:
    """`check`: a change note may answer an open or upheld dispute, never a closed one."""
    status = {dispute.id: dispute.status for dispute in disputes}
    for note in notes:
        found = status.get(note.dispute) if note.dispute else None
        if found in (DisputeStatus.REJECTED, DisputeStatus.WITHDRAWN):
            yield (f"{note.file} names dispute {note.dispute}, which was {found.value}: a change "
                   "cannot answer a closed dispute (open a new one with `ontology dispute open`)")


def kpi_releases(index: ReleaseIndex, claimed_version: str | None) -> KpiReleases:
    """What each release published; incomplete when ontology.yaml names a release not held or
    the clone is shallow."""
    from ontology_tools.project.releases import RecordState

    complete = (claimed_version is None or index.get(claimed_version) is not None) \
        and not index.shallow
    records = [(release, index.read_record(release)) for release in index.releases]
    return KpiReleases.from_records(
        ((release.version, record.plan) for release, record in records), complete=complete,
        held_ids={release.version: index.kpi_ids(release) for release, record in records
                  if record.plan is None},
        damaged=(record.damage(release) for release, record in records
                 if record.state is RecordState.DAMAGED))
