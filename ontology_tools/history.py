"""`ontology history ID`: every release that changed a KPI, newest first, across renames."""

from __future__ import annotations

import json
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ontology_tools.baseline import TRAILER
from ontology_tools.errors import OntologyError
from ontology_tools.gitrepo import CommitInfo, GitRepo


@dataclass(frozen=True)
class HistoryEntry:
    """One release of one KPI: versions, date, bump, changes, notes and who committed it."""

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

    @property
    def disputes(self) -> tuple[str, ...]:
        """The dispute references of this release's notes."""
        return tuple(str(n["dispute"]) for n in self.notes if n.get("dispute"))


def kpi_history(root: Path, rogue_id: str) -> tuple[HistoryEntry, ...]:
    """The releases in which `rogue_id` (or a KPI it superseded) changed version."""
    repo = GitRepo.open(root)
    if repo is None:
        raise OntologyError(f"{root} is not a git repository: history is read from release commits")
    tracked = {rogue_id}
    entries = []
    for commit, version in repo.commits_with_trailer(TRAILER):
        plan = _release_plan(repo, commit, version)
        for kpi in plan.get("kpis", []):
            if kpi.get("rogueId") in tracked:
                entries.append(_entry(kpi, plan, version, commit))
                tracked.update(kpi.get("renamedFrom") or [])
    if not entries and not _exists(root, rogue_id):
        raise OntologyError(f"no KPI {rogue_id!r} in the worktree or any release")
    return tuple(entries)


def releases_between(root: Path, rogue_id: str, after: str | None,
                     upto: str | None) -> tuple[HistoryEntry, ...]:
    """The KPI's releases in (after, upto]: the notes and disputes behind a diff of releases."""
    from ontology_tools.versioning import compare

    if upto is None or GitRepo.open(root) is None:
        return ()
    try:
        entries = kpi_history(root, rogue_id)
    except OntologyError:
        return ()
    return tuple(e for e in entries if compare(e.ontology_version, upto) <= 0
                 and (after is None or compare(e.ontology_version, after) > 0))


def _release_plan(repo: GitRepo, commit: CommitInfo, version: str) -> Mapping[str, Any]:
    data = repo.read(commit.sha, f"changelog/{version}.json")
    if data is None:
        return {}
    try:
        plan = json.loads(data)
    except ValueError:
        return {}
    return plan if isinstance(plan, dict) else {}


def _entry(kpi: Mapping[str, Any], plan: Mapping[str, Any], version: str,
           commit: CommitInfo) -> HistoryEntry:
    return HistoryEntry(
        rogue_id=str(kpi["rogueId"]), ontology_version=version,
        kpi_version=kpi.get("nextVersion"), previous_version=kpi.get("version"),
        released_at=str(plan.get("releasedAt", commit.date[:10])), status=str(kpi["status"]),
        bump=str(kpi.get("bump")), changes=tuple(kpi.get("changes") or ()),
        notes=tuple(kpi.get("notes") or ()), author=commit.author, email=commit.email,
        commit=commit.sha, committed_at=commit.date)


def _exists(root: Path, rogue_id: str) -> bool:
    from ontology_tools.model import kpi_path_for

    return (root / kpi_path_for(rogue_id)).is_file()


def history_document(rogue_id: str, entries: tuple[HistoryEntry, ...]) -> dict[str, Any]:
    """The JSON of `history --format json`."""
    return {"rogueId": rogue_id, "releases": [{
        "rogueId": e.rogue_id, "ontologyVersion": e.ontology_version,
        "kpiVersion": e.kpi_version, "previousVersion": e.previous_version,
        "releasedAt": e.released_at, "status": e.status, "bump": e.bump,
        "changes": list(e.changes), "notes": list(e.notes), "disputes": list(e.disputes),
        "author": e.author, "email": e.email, "commit": e.commit, "committedAt": e.committed_at,
    } for e in entries]}


def history_text(rogue_id: str, entries: tuple[HistoryEntry, ...]) -> Iterator[str]:
    """Lines for the terminal."""
    if not entries:
        yield f"{rogue_id} has not been released yet.\n"
        return
    for e in entries:
        renamed = f" (as {e.rogue_id})" if e.rogue_id != rogue_id else ""
        yield (f"{e.ontology_version}  {e.released_at}  {e.previous_version or '-'} → "
               f"{e.kpi_version or '-'}  {e.bump}  {e.status}{renamed}  by {e.author}\n")
        for change in e.changes:
            waived = change.get("waived")
            suffix = f" — waived: {waived['justification']}" if waived else ""
            yield f"    {change.get('message')} [{change.get('rule')}]{suffix}\n"
        for note in e.notes:
            dispute = f" ({note['dispute']})" if note.get("dispute") else ""
            yield f"    note{dispute}: {note.get('summary')}\n"


def history_markdown(rogue_id: str, entries: tuple[HistoryEntry, ...]) -> Iterator[str]:
    """A markdown table for a dispute file or PR; every value escaped (a `|` stays in its cell)."""
    from ontology_tools.render.markdown import render

    yield render("history/history.md.j2", rogue_id=rogue_id, entries=entries)
