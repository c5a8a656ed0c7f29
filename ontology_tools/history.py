"""`ontology history ID`: every release that changed a KPI, newest first, across renames."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING, Any

from ontology_tools.errors import OntologyError
from ontology_tools.gitrepo import CommitInfo
from ontology_tools.model import kpi_path_for
from ontology_tools.releases import Release

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
    changes: tuple[Mapping[str, Any], ...]
    notes: tuple[Mapping[str, Any], ...]
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
        return tuple(str(n["dispute"]) for n in self.notes if n.get("dispute"))


@dataclass(frozen=True)
class History:
    """A KPI's releases, newest first, and what the reader should know about the clone."""

    rogue_id: str
    entries: tuple[HistoryEntry, ...]
    shallow: bool = False


def kpi_history(project: Project, rogue_id: str) -> History:
    """The releases in which `rogue_id` changed version, following renames both ways."""
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
    return History(rogue_id, tuple(entries), repo.is_shallow())


def _released_kpis(project: Project, release: Release,
                   tracked: set[str]) -> Iterator[Mapping[str, Any]]:
    """The plan entries of `release` that concern a tracked id (as itself or as a rename)."""
    record = project.releases.record(release)
    kpis = record.get("kpis") if record else None
    if not isinstance(kpis, list):
        kpis = _recomputed_kpis(project, release, tracked)
    for kpi in kpis:
        if not isinstance(kpi, dict):
            continue
        olds = set(kpi.get("renamedFrom") or [])
        if kpi.get("rogueId") in tracked or olds & tracked:
            yield kpi


def _recomputed_kpis(project: Project, release: Release,
                     tracked: set[str]) -> list[Mapping[str, Any]]:
    """A release without its changelog record (made by hand): diff it against the one before."""
    from ontology_tools import snapshots
    from ontology_tools.classify.plan import assemble_plan
    from ontology_tools.render.plan import plan_document

    assert project.repo is not None
    previous = project.releases.before(release)
    old = (snapshots.at_ref(project.repo, previous.commit, previous.ref) if previous
           else snapshots.empty(project.settings.name))
    new = snapshots.at_ref(project.repo, release.commit, release.ref)
    try:
        plan = assemble_plan(old, new)
    except OntologyError:
        return []
    kpis: list[Mapping[str, Any]] = plan_document(plan)["kpis"]
    return kpis


def _entry(project: Project, kpi: Mapping[str, Any], release: Release) -> HistoryEntry:
    assert project.repo is not None
    manager = project.repo.info(release.commit)
    renamed_from = tuple(str(old) for old in kpi.get("renamedFrom") or [])
    return HistoryEntry(
        rogue_id=str(kpi["rogueId"]), ontology_version=release.version,
        kpi_version=kpi.get("nextVersion"), previous_version=kpi.get("version"),
        released_at=release.released_at, status=str(kpi["status"]),
        bump=str(kpi.get("bump")), changes=tuple(kpi.get("changes") or ()),
        notes=tuple(kpi.get("notes") or ()), author=manager.author, email=manager.email,
        commit=manager.sha, committed_at=manager.date,
        editors=_editors(project, release, (str(kpi["rogueId"]), *renamed_from)),
        renamed_from=renamed_from)


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
    from ontology_tools.releases import sort_key

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
    if history.shallow:
        document["note"] = SHALLOW_NOTE
    return document


def _entry_document(e: HistoryEntry) -> dict[str, Any]:
    return {
        "rogueId": e.rogue_id, "ontologyVersion": e.ontology_version,
        "kpiVersion": e.kpi_version, "previousVersion": e.previous_version,
        "releasedAt": e.released_at, "status": e.status, "bump": e.bump,
        "renamedFrom": list(e.renamed_from), "renamedTo": e.renamed_to,
        "changes": list(e.changes), "notes": list(e.notes), "disputes": list(e.disputes),
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


def history_text(history: History) -> Iterator[str]:
    """Lines for the terminal."""
    rogue_id = history.rogue_id
    if history.shallow:
        yield f"note: {SHALLOW_NOTE}\n"
    if not history.entries:
        yield f"{rogue_id} has not been released yet.\n"
        return
    for e in history.entries:
        yield (f"{e.ontology_version}  {e.released_at}  {e.previous_version or '-'} → "
               f"{e.kpi_version or '-'}  {e.bump}  {what_happened(e, rogue_id)}\n")
        yield f"    edited by {editor_names(e)}; released by {e.author} ({e.committed_at})\n"
        for change in e.changes:
            waived = change.get("waived")
            suffix = f" — waived: {waived['justification']}" if waived else ""
            yield f"    {change.get('message')} [{change.get('rule')}]{suffix}\n"
        for note in e.notes:
            dispute = f" ({note['dispute']})" if note.get("dispute") else ""
            yield f"    note{dispute}: {note.get('summary')}\n"


def history_markdown(history: History) -> Iterator[str]:
    """A markdown table for a dispute file or PR; every value escaped (a `|` stays in its cell)."""
    from ontology_tools.render.markdown import render

    yield render("history/history.md.j2", history=history, shallow_note=SHALLOW_NOTE,
                 what_happened=what_happened, editor_names=editor_names)
