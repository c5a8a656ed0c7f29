"""A dispute's review (SPEC 7.3 `dispute show`): the definition as it stood, and what changed since.

Everything here reads the release index and the dispute records it is handed; rendering lives
in `render.disputes`.
"""

from __future__ import annotations

from collections.abc import Collection, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from ontology_tools.model import KpiPlan
from ontology_tools.project.disputes import Dispute, DisputeStatus, KpiReleases
from ontology_tools.review.history import SHALLOW_NOTE, HistoryEntry

if TYPE_CHECKING:
    from ontology_tools.kpi import Kpi
    from ontology_tools.project import Project
    from ontology_tools.project.releases import ReleaseIndex


def version_in_force(rogue_id: str, date: str, index: ReleaseIndex,
                     releases: KpiReleases) -> tuple[str, str] | None:
    """(KPI version, release version) of the KPI as released on `date`, or None."""
    in_force = index.in_force_on(date)
    if in_force is None:
        return None
    order = [r.version for r in index.releases]
    cutoff = order.index(in_force.version)
    held = [(order.index(release), version, release)
            for version, release in releases.held(rogue_id).items()
            if release in order and order.index(release) <= cutoff]
    if not held:
        return None
    _, version, release = max(held)
    return version, release


def default_against(kpis: Sequence[str], date: str, index: ReleaseIndex,
                    releases: KpiReleases) -> str | None:
    """The KPI version in force on `date`, when every disputed KPI was at that same version."""
    found = {version_in_force(rogue_id, date, index, releases) for rogue_id in kpis}
    versions = {item[0] for item in found if item is not None}
    return versions.pop() if len(versions) == 1 and None not in found else None


@dataclass(frozen=True)
class KpiUnderReview:
    """One disputed KPI: its definition at the disputed version and every change since."""

    rogue_id: str
    kpi_version: str | None
    release: str | None
    release_label: str | None
    definition: Kpi | None  # as the release that published the disputed version held it
    since: tuple[HistoryEntry, ...]
    pending: KpiPlan | None
    upto: str


@dataclass(frozen=True)
class DisputeReview:
    """The dispute and its KPIs under review."""

    dispute: Dispute
    kpis: tuple[KpiUnderReview, ...]
    notes: tuple[str, ...] = ()  # what the reader must know to trust it (a shallow clone)


def disputed_release(dispute: Dispute, rogue_id: str, index: ReleaseIndex,
                     releases: KpiReleases) -> tuple[str | None, str | None]:
    """(KPI version, release) the dispute is against: `against`, else the one in force."""
    held = releases.held(rogue_id)
    if dispute.against is not None and dispute.against in held:
        return dispute.against, held[dispute.against]
    found = version_in_force(rogue_id, dispute.raised_at, index, releases)
    return found if found is not None else (None, None)


def entries_since(entries: Sequence[HistoryEntry], after: str | None,
                  upto: str | None) -> tuple[HistoryEntry, ...]:
    """History entries of releases in (after, upto] (no bound is open), oldest first."""
    from ontology_tools.project.releases import sort_key

    chosen = [e for e in entries
              if (after is None or sort_key(e.ontology_version) > sort_key(after))
              and (upto is None or sort_key(e.ontology_version) <= sort_key(upto))]
    return tuple(sorted(chosen, key=lambda e: sort_key(e.ontology_version)))


def resolving_release(dispute: Dispute) -> str | None:
    """The release an upheld dispute was resolved by, if any."""
    if dispute.status is DisputeStatus.UPHELD and dispute.resolution is not None:
        return dispute.resolution.release
    return None


def only_kpis(disputes: Sequence[Dispute], kpi: str | None,
              status: str | None) -> tuple[Dispute, ...]:
    """The disputes of `dispute list` after its filters."""
    return tuple(d for d in disputes
                 if (kpi is None or kpi in d.kpis) and (status is None or d.status.value == status))


def known_kpis(worktree_ids: Collection[str], past_ids: Collection[str]) -> frozenset[str]:
    """The ids a dispute may name: every KPI that exists or existed."""
    return frozenset(worktree_ids) | frozenset(past_ids)


def review_dispute(project: Project, dispute: Dispute, releases: KpiReleases) -> DisputeReview:
    """The review of one dispute: per KPI, the disputed definition and what changed since.

    Changes run up to the resolving release of an upheld dispute, to the release in force when
    a rejected or withdrawn one was decided, and to the worktree while the dispute is open or
    upheld with its change not yet released (the change that answers it is in the worktree).
    """
    from ontology_tools.classify.comparison import compare
    from ontology_tools.review.history import kpi_history

    index = project.releases
    upto = resolving_release(dispute)
    to_worktree = dispute.is_open or (dispute.status is DisputeStatus.UPHELD and upto is None)
    if upto is None and dispute.resolution is not None and not to_worktree:
        decided = index.in_force_on(dispute.resolution.decided_at)
        upto = decided.version if decided is not None else None
    pending: dict[str, KpiPlan] = {}
    if to_worktree:
        plan = compare(project, only=set(dispute.kpis)).plan
        pending = {kpi.rogue_id: kpi for kpi in plan.kpis}
    kpis = []
    for rogue_id in dispute.kpis:
        version, release = disputed_release(dispute, rogue_id, index, releases)
        found = index.get(release) if release else None
        history = kpi_history(project, rogue_id).entries if found is not None else ()
        kpis.append(KpiUnderReview(
            rogue_id=rogue_id, kpi_version=version, release=release,
            release_label=found.label if found is not None else None,
            definition=_definition_at(project, found, rogue_id),
            since=entries_since(history, release, upto) if release else (),
            pending=pending.get(rogue_id),
            upto="WORKTREE" if to_worktree else (upto or "")))
    notes = (SHALLOW_NOTE,) if index.shallow else ()
    return DisputeReview(dispute, tuple(kpis), notes)


def _definition_at(project: Project, release: Any, rogue_id: str) -> Kpi | None:
    from ontology_tools.errors import OntologyError

    if release is None:
        return None
    snapshot = project.snapshot(release.version)
    if rogue_id not in snapshot.sources:
        return None
    try:
        return snapshot.document(rogue_id).kpi
    except OntologyError:
        return None


def released_note_of(dispute_id: str, index: ReleaseIndex) -> str | None:
    """The oldest release whose notes name the dispute (its note was released before the
    decision was recorded)."""
    for release in index.releases:
        record = index.record(release)
        for kpi in record.kpis if record is not None else ():
            if any(note.dispute == dispute_id for note in kpi.notes):
                return str(release.version)
    return None
