"""`ontology history ID`: every release that changed a KPI, newest first, across renames."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING, Any

from ontology_tools.errors import OntologyError
from ontology_tools.gitrepo import CommitInfo
from ontology_tools.model import Change, KpiPlan, Note, kpi_path_for
from ontology_tools.project.disputes import Dispute
from ontology_tools.project.releases import Release

if TYPE_CHECKING:
    from ontology_tools.project import Project

SHALLOW_NOTE = ("this clone is shallow: releases and edits before its first commit are missing "
                "(deepen it with `git fetch --unshallow --tags`)")


@dataclass(frozen=True)
class Editor:
    """A commit that changed a KPI's file between two releases: who, when, which."""

    author: str
    email: str
    date: str
    commit: str


@dataclass(frozen=True)
class HistoryEntry:
    """One release of one KPI: versions, date, bump, changes, notes, editors, release manager."""

    rogue_id: str
    ontology_version: str
    kpi_version: str | None
    previous_version: str | None
    released_at: str
    status: str
    bump: str
    changes: tuple[Change, ...]
    notes: tuple[Note, ...]
    author: str
    email: str
    commit: str
    committed_at: str
    editors: tuple[Editor, ...] = ()
    renamed_to: str | None = None  # set on the old id's entry of the release that renamed it
    renamed_from: tuple[str, ...] = ()

    @property
    def disputes(self) -> tuple[str, ...]:
        """The dispute references of this release's notes."""
        return tuple(note.dispute for note in self.notes if note.dispute)


@dataclass(frozen=True)
class History:
    """A KPI's releases, newest first, and what the reader should know about the clone."""

    rogue_id: str
    entries: tuple[HistoryEntry, ...]
    shallow: bool = False
    ids: frozenset[str] = frozenset()  # the id and every id it supersedes, however far back
    disputes: tuple[Dispute, ...] = ()  # raised against any of `ids`, in id order
    recomputed: tuple[tuple[str, bool], ...] = ()  # (version, damaged): releases without a
    # readable record, whose changes were recomputed from their trees

    @property
    def notes(self) -> tuple[str, ...]:
        """What the reader should know before trusting the entries, one clause each."""
        return ((SHALLOW_NOTE,) if self.shallow else ()) + recomputed_notes(self.recomputed)


def recomputed_notes(recomputed: tuple[tuple[str, bool], ...]) -> tuple[str, ...]:
    """Say which releases were recomputed from their trees, and why: a damaged record (which
    `validate` names) or none at all (a release tagged by hand)."""
    damaged = [version for version, broken in recomputed if broken]
    absent = [version for version, broken in recomputed if not broken]
    notes = []
    if damaged:
        notes.append(f"the changelog record of {_releases(damaged)} is damaged (see "
                     "`ontology validate`): its changes were recomputed from the release "
                     "trees, without the change notes")
    if absent:
        notes.append(f"{_releases(absent)} has no changelog record (tagged by hand): its "
                     "changes were recomputed from the release trees, without the change notes")
    return tuple(notes)


def _releases(versions: list[str]) -> str:
    return ("release " if len(versions) == 1 else "releases ") + ", ".join(versions)


def kpi_history(project: Project, rogue_id: str, *, disputes: bool = False) -> History:
    """The releases in which `rogue_id` changed version, following renames both ways.

    With `disputes`, the disputes raised against the KPI or an id it supersedes come too (read
    from `changelog/disputes/`; a broken dispute file is an error naming it).
    """
    repo = project.repo
    if repo is None:
        raise OntologyError(f"{project.root} is not a git repository: history is read from "
                            "its releases")
    tracked = {rogue_id}
    entries = []
    for release in reversed(project.releases.releases):
        for kpi in _released_kpis(project, release, tracked):
            entry = _entry(project, kpi, release)
            renamed_from = set(entry.renamed_from)
            if entry.rogue_id not in tracked:  # one of ours was renamed into it
                entry = replace(entry, renamed_to=entry.rogue_id)
            entries.append(entry)
            tracked.update(renamed_from)
    if not entries and rogue_id not in project.worktree.sources:
        raise OntologyError(f"no KPI {rogue_id!r} in the worktree or any release")
    ids = frozenset(tracked)
    return History(rogue_id, tuple(entries), repo.is_shallow(), ids,
                   disputes_of(project, ids) if disputes else (), _recomputed(project))


def _recomputed(project: Project) -> tuple[tuple[str, bool], ...]:
    """(version, damaged) of every release read from its tree for want of a readable record."""
    from ontology_tools.project.releases import RecordState

    states = ((release.version, project.releases.read_record(release).state)
              for release in reversed(project.releases.releases))
    return tuple((version, state is RecordState.DAMAGED) for version, state in states
                 if state is not RecordState.READ)


def disputes_of(project: Project, ids: frozenset[str]) -> tuple[Dispute, ...]:
    """The disputes that name any of `ids` (a dispute of an old id belongs to its successor's
    history: it was raised against the same definition)."""
    from ontology_tools.project.disputes import read_disputes

    return tuple(d for d in read_disputes(project.root) if ids.intersection(d.kpis))


def _released_kpis(project: Project, release: Release, tracked: set[str]) -> Iterator[KpiPlan]:
    """The plan entries of `release` that concern a tracked id (as itself or as a rename)."""
    record = project.releases.record(release)
    kpis = record.kpis if record is not None else _recomputed_kpis(project, release)
    for kpi in kpis:
        if kpi.rogue_id in tracked or tracked.intersection(kpi.renamed_from):
            yield kpi


def _recomputed_kpis(project: Project, release: Release) -> tuple[KpiPlan, ...]:
    """A release without its changelog record (made by hand): diff it against the one before."""
    from ontology_tools import snapshots
    from ontology_tools.classify.plan import assemble_plan

    assert project.repo is not None
    previous = project.releases.before(release)
    old = (snapshots.at_ref(project.repo, previous.commit, previous.ref) if previous
           else snapshots.empty(project.settings.name))
    # the release's own stamps are its versions, whatever `previous` would compute
    new = replace(snapshots.at_ref(project.repo, release.commit, release.ref),
                  release=release.version)
    try:
        return assemble_plan(old, new).kpis
    except OntologyError:
        return ()


def _entry(project: Project, kpi: KpiPlan, release: Release) -> HistoryEntry:
    assert project.repo is not None
    manager = project.repo.info(release.commit)
    return HistoryEntry(
        rogue_id=kpi.rogue_id, ontology_version=release.version,
        kpi_version=kpi.next_version, previous_version=kpi.version,
        released_at=release.released_at, status=kpi.status.value, bump=kpi.bump.label,
        changes=kpi.changes, notes=kpi.notes, author=manager.author,
        email=manager.email, commit=manager.sha, committed_at=manager.date,
        editors=_editors(project, release, (kpi.rogue_id, *kpi.renamed_from)),
        renamed_from=kpi.renamed_from)


def _editors(project: Project, release: Release, rogue_ids: tuple[str, ...]) -> tuple[Editor, ...]:
    """Authors of the commits that changed these KPI files since the previous release."""
    assert project.repo is not None
    previous = project.releases.before(release)
    paths = [kpi_path_for(rogue_id) for rogue_id in rogue_ids]
    commits = project.repo.log(paths, upto=release.commit,
                               after=previous.commit if previous else None)
    return tuple(_editor(info) for info in commits if info.sha != release.commit)


def _editor(info: CommitInfo) -> Editor:
    return Editor(info.author, info.email, info.date, info.sha)


def releases_between(project: Project, rogue_id: str, after: str | None,
                     upto: str | None) -> tuple[HistoryEntry, ...]:
    """The KPI's releases in (after, upto]: the notes and disputes behind a diff of releases."""
    from ontology_tools.project.releases import sort_key

    if upto is None or project.repo is None:
        return ()
    try:
        entries = kpi_history(project, rogue_id).entries
    except OntologyError:
        return ()
    return tuple(e for e in entries if sort_key(e.ontology_version) <= sort_key(upto)
                 and (after is None or sort_key(e.ontology_version) > sort_key(after)))


def history_document(history: History) -> dict[str, Any]:
    """The JSON of `history --format json`."""
    document: dict[str, Any] = {"rogueId": history.rogue_id, "shallow": history.shallow,
                                "releases": [_entry_document(e) for e in history.entries]}
    document["disputes"] = [dispute_document(d) for d in history.disputes]
    if history.notes:
        document["note"] = "; ".join(history.notes)
    return document


def dispute_document(dispute: Dispute) -> dict[str, Any]:
    """A dispute in a history: its record (as the bundle ships it) and when it was raised and
    decided, for a reader who lines it up with the releases."""
    resolution = dispute.resolution
    return {**dispute.record(),
            "raised": {"date": dispute.raised_at, "by": dispute.raised_by,
                       "claim": dispute.claim, "status": dispute.status.value},
            "decided": None if resolution is None else {
                "date": resolution.decided_at, "decision": dispute.status.value,
                "summary": resolution.summary, "release": resolution.release}}


def decision_phrase(dispute: Dispute) -> str:
    """`upheld on 2026-06-15, resolved by release 1.1.0` / `open`: where a dispute stands."""
    resolution = dispute.resolution
    if resolution is None:
        return "open, not decided yet"
    release = f", resolved by release {resolution.release}" if resolution.release else ""
    return f"{dispute.status.value} on {resolution.decided_at}{release}"


def _entry_document(e: HistoryEntry) -> dict[str, Any]:
    from ontology_tools.records import change_document, note_document

    return {
        "rogueId": e.rogue_id, "ontologyVersion": e.ontology_version,
        "kpiVersion": e.kpi_version, "previousVersion": e.previous_version,
        "releasedAt": e.released_at, "status": e.status, "bump": e.bump,
        "renamedFrom": list(e.renamed_from), "renamedTo": e.renamed_to,
        "changes": [change_document(c) for c in e.changes],
        "notes": [note_document(n) for n in e.notes], "disputes": list(e.disputes),
        "editors": [{"author": ed.author, "email": ed.email, "date": ed.date,
                     "commit": ed.commit} for ed in e.editors],
        "releaseManager": {"author": e.author, "email": e.email, "date": e.committed_at,
                           "commit": e.commit},
        "author": e.author, "email": e.email, "commit": e.commit, "committedAt": e.committed_at,
    }


def what_happened(e: HistoryEntry, rogue_id: str) -> str:
    """The status of one entry as the reader of `rogue_id`'s history needs it."""
    if e.renamed_to is not None:
        return f"renamed to {e.renamed_to} in {e.ontology_version}"
    if e.rogue_id != rogue_id:
        return f"{e.status} (as {e.rogue_id})"
    if e.renamed_from:
        return f"{e.status} from {', '.join(e.renamed_from)}"
    return e.status


def editor_names(e: HistoryEntry) -> str:
    """The editors of one release of a KPI, each once, in commit order (oldest first)."""
    seen: dict[str, str] = {}
    for editor in reversed(e.editors):
        seen.setdefault(editor.author, editor.date[:10])
    return ", ".join(f"{name} ({date})" for name, date in seen.items()) or "—"
