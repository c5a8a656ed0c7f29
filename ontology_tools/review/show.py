"""`ontology show ID --at POINT` (SPEC 7.4): a KPI as it stood at a release, a date or a ref.

The point is resolved through the release index (a release's version, the release in force on a
date, a git ref or the worktree); the KPI is read from that point's snapshot. When the id is not
there, the reason is told from the KPI's history: renamed (and to what), removed (and what
replaces it), or not added yet (and when it was).
"""

from __future__ import annotations

import enum
import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from ontology_tools.errors import OntologyError, UsageError
from ontology_tools.model import KpiDocument, Snapshot

if TYPE_CHECKING:
    from ontology_tools.project import Project
    from ontology_tools.project.releases import Release
    from ontology_tools.review.history import HistoryEntry

WORKTREE = "WORKTREE"
DATE_LIKE = re.compile(r"^[0-9]{4}-[0-9]{1,2}-[0-9]{1,2}$")  # parsed (strictly) by dates.py
VERSION_LIKE = re.compile(r"^[0-9]+\.[0-9]+\.[0-9]+$")


class ShowValueError(UsageError):
    """`--at` or the id names nothing, or is malformed: a usage error (exit 2)."""


class PointKind(enum.StrEnum):
    """How `--at` was read."""

    LATEST = "latest"  # no --at: the last release
    RELEASE = "release"  # a release's version
    DATE = "date"  # the release in force on a date
    REF = "ref"  # a git ref (a release commit counts as that release)
    WORKTREE = "worktree"  # the files on disk


@dataclass(frozen=True)
class Point:
    """What `--at` resolved to: the snapshot, and the release it is, when it is one."""

    kind: PointKind
    asked: str | None
    snapshot: Snapshot
    release: Release | None

    @property
    def description(self) -> str:
        """One phrase naming the point for the reader: a release by its version, never a hash."""
        release = self.release
        if release is not None:
            named = f"release {release.label}, released {release.released_at}"
            if self.kind is PointKind.DATE:
                return f"{named} (in force on {self.asked})"
            if self.kind is PointKind.LATEST:
                return f"{named} (the last release)"
            return named
        if self.kind is PointKind.WORKTREE:
            return "the worktree (files on disk, not a release)"
        commit = (self.snapshot.commit or "")[:7]
        return f"git ref {self.asked} (commit {commit}, not a release)"


@dataclass(frozen=True)
class ShownKpi:
    """One KPI at one point: its source file's bytes and its parsed document."""

    rogue_id: str
    point: Point
    source: bytes
    document: KpiDocument
    stages: tuple[str, ...]

    @property
    def resolved(self) -> str:
        """The sentence that says what was shown."""
        return f"{self.rogue_id} {self.document.version or '(unreleased)'} as of " \
               f"{self.point.description}"

    def release_bytes(self) -> bytes:
        """The bytes of the bundle file `kpis/<domain>/<slug>.json` at this point.

        Built with the bundle's own encoder from the stamped source the release committed, so
        they are the bundle's bytes; a file with no stamps was never released and has none.
        """
        from ontology_tools.records import kpi_release_bytes

        document = self.document
        if not document.version or not document.released_at:
            raise OntologyError(f"{document.path} at {self.point.description} has no release "
                                "stamps: no bundle holds it (use --format yaml or text)")
        return kpi_release_bytes(document.content, document.version, document.released_at,
                                 self.stages)


def resolve_point(project: Project, at: str | None) -> Point:
    """`--at` → Point; no release, a date before the first release → OntologyError (exit 1);
    a malformed date, an unknown version or ref → ShowValueError (exit 2)."""
    index = project.releases
    if at is None:
        latest = index.latest()
        if latest is None:
            raise OntologyError("the ontology has not been released yet: there is no release to "
                                "show (use --at WORKTREE for the files on disk)")
        return _release_point(project, PointKind.LATEST, None, latest)
    if at == WORKTREE:
        return Point(PointKind.WORKTREE, at, project.worktree, None)
    release = index.named(at)
    if release is not None:
        return _release_point(project, PointKind.RELEASE, at, release)
    if DATE_LIKE.match(at):
        return _date_point(project, at)
    if VERSION_LIKE.match(at.removeprefix(project.settings.tag_prefix)):
        raise ShowValueError(f"--at {at!r}: no such release ({_known_releases(project)})")
    if project.repo is None:
        raise ShowValueError(f"--at {at!r} is neither a release nor a date, and "
                             f"{project.root} is not a git repository")
    try:
        commit = project.repo.resolve(at)
    except OntologyError:
        raise ShowValueError(f"--at {at!r} is not a release, a YYYY-MM-DD date, WORKTREE or a "
                             f"git ref ({_known_releases(project)})") from None
    release = next((r for r in index.releases if r.commit == commit), None)
    if release is not None:
        return _release_point(project, PointKind.REF, at, release)
    return Point(PointKind.REF, at, project.snapshot(commit), None)


def _release_point(project: Project, kind: PointKind, asked: str | None,
                   release: Release) -> Point:
    return Point(kind, asked, project.snapshot(release.version), release)


def _date_point(project: Project, at: str) -> Point:
    from ontology_tools.dates import parse_date

    date = parse_date(at, "--at").isoformat()  # a malformed date is a usage error (exit 2)
    index = project.releases
    release = index.in_force_on(date)
    if release is None:
        first = min(index.releases, key=lambda r: r.released_at, default=None)
        if first is None:
            raise OntologyError(f"no release was in force on {date}: the ontology has not been "
                                "released yet")
        raise OntologyError(f"no release was in force on {date}: the first release, "
                            f"{first.version}, is dated {first.released_at}")
    return _release_point(project, PointKind.DATE, date, release)


def _known_releases(project: Project) -> str:
    versions = [r.version for r in project.releases.releases]
    return f"releases: {', '.join(versions)}" if versions else "the ontology has no release yet"


def show_kpi(project: Project, rogue_id: str, point: Point) -> ShownKpi:
    """The KPI at `point`, or an OntologyError saying why it is not there."""
    snapshot = point.snapshot
    source = snapshot.sources.get(rogue_id)
    if source is None:
        raise absent(project, rogue_id, point)
    stages = tuple(_stages(snapshot.ontology))
    return ShownKpi(rogue_id, point, source.read(), snapshot.document(rogue_id), stages)


def _stages(config: Mapping[str, Any]) -> Iterator[str]:
    vocabularies = config.get("vocabularies")
    stages = vocabularies.get("stages") if isinstance(vocabularies, dict) else None
    return (str(stage) for stage in stages) if isinstance(stages, dict) else iter(())


def absent(project: Project, rogue_id: str, point: Point) -> OntologyError:
    """Why `rogue_id` is not at `point`: renamed, removed, not added yet — or never heard of."""
    known = set(project.worktree.sources) | project.releases.past_ids
    if rogue_id not in known:
        return ShowValueError(f"no KPI {rogue_id!r} in the worktree or any release")
    if point.kind is PointKind.WORKTREE:
        return _absent_from_worktree(project, rogue_id)
    from ontology_tools.project.releases import sort_key
    from ontology_tools.review.history import kpi_history

    entries = kpi_history(project, rogue_id).entries  # newest first
    upto = point.release.version if point.release is not None else None
    until = [e for e in entries if upto is None or sort_key(e.ontology_version) <= sort_key(upto)]
    where = point.description
    last = next((e for e in until if e.rogue_id == rogue_id or e.renamed_to), None)
    if last is not None and last.renamed_to is not None:
        return OntologyError(f"{rogue_id} was renamed to {last.renamed_to} in release "
                             f"{last.ontology_version}, so {where} has no {rogue_id}: "
                             f"see `ontology show {last.renamed_to}`")
    if last is not None and last.status == "removed":
        successor = _successor(project, rogue_id)
        then = f"; its successor is {successor} (see `ontology show {successor}`)" \
            if successor else "; no KPI replaces it"
        return OntologyError(f"{rogue_id} was removed in release {last.ontology_version}, so "
                             f"{where} has no {rogue_id}{then}")
    added = _added(entries, rogue_id)
    if added is not None and (upto is None or sort_key(added.ontology_version) > sort_key(upto)):
        how = ""
        if added.renamed_from:
            at = f" --at {point.release.version}" if point.release is not None else ""
            how = (f" as the rename of {', '.join(added.renamed_from)} (see `ontology show "
                   f"{added.renamed_from[0]}{at}`)")
        return OntologyError(f"{rogue_id} did not exist yet at {where}: it was added in release "
                             f"{added.ontology_version} ({added.released_at}){how}")
    return OntologyError(f"{where} holds no {rogue_id}")


def _added(entries: tuple[HistoryEntry, ...], rogue_id: str) -> HistoryEntry | None:
    """The first release that held `rogue_id` under this id (added, restored or renamed to it)."""
    own = [e for e in entries if e.rogue_id == rogue_id and e.renamed_to is None
           and e.status != "removed"]
    return own[-1] if own else None


def _successor(project: Project, rogue_id: str) -> str | None:
    """What replaces a removed KPI: its last definition's `replacedBy`, else a KPI that
    supersedes it in the worktree."""
    last = _last_holding(project, rogue_id)
    if last is not None:
        deprecation = project.snapshot(last.version).document(rogue_id).kpi.deprecation
        if deprecation is not None and deprecation.replaced_by:
            return deprecation.replaced_by
    return _superseding(project.worktree, rogue_id)


def _last_holding(project: Project, rogue_id: str) -> Release | None:
    """The newest release whose tree holds `rogue_id`."""
    index = project.releases
    return next((r for r in reversed(index.releases) if rogue_id in index.kpi_ids(r)), None)


def _superseding(snapshot: Snapshot, rogue_id: str) -> str | None:
    for other in snapshot.ids():
        try:
            supersedes = snapshot.document(other).kpi.supersedes
        except OntologyError:
            continue
        if rogue_id in supersedes:
            return other
    return None


def _absent_from_worktree(project: Project, rogue_id: str) -> OntologyError:
    successor = _superseding(project.worktree, rogue_id)
    if successor is not None:
        return OntologyError(f"{rogue_id} is renamed to {successor} in the worktree (not "
                             f"released yet): see `ontology show {successor} --at WORKTREE`")
    last = _last_holding(project, rogue_id)
    since = f"; its last release is {last.version}" if last is not None else ""
    return OntologyError(f"{rogue_id} is not in the worktree (removed or renamed away){since}")
