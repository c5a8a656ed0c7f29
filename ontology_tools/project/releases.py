"""The release index (SPEC 6.3): every release the repository holds, by tag or by trailer.

One list serves every command that asks "which releases exist": the baseline, `history`, the
lifecycle rules of `validate`, ref resolution (`--from 1.0.0`) and version continuity.
"""

from __future__ import annotations

import enum
import json
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from functools import cached_property
from typing import Any

from ontology_tools import yamlio
from ontology_tools.gitrepo import GitRepo
from ontology_tools.model import (
    ONTOLOGY_FILE,
    Bump,
    KpiPlan,
    Plan,
    ReleasedKpi,
    Snapshot,
    Status,
    rogue_id_for,
)

TRAILER = "Ontology-Release"
FIRST_VERSION = "1.0.0"  # an added KPI's version, as `classify.versioning` gives it


@dataclass(frozen=True)
class Release:
    """One release: its version, date, commit and tag (when there is one)."""

    version: str
    released_at: str
    commit: str
    tag: str | None

    @property
    def label(self) -> str:
        """How output names a release: the version, then the short commit."""
        return f"{self.version} ({self.commit[:7]})"

    @property
    def ref(self) -> str:
        """The name a reader recognises: the tag when there is one, else the version."""
        return self.tag or self.version


def sort_key(version: str) -> Any:
    """Order versions as semver does (1.10.0 after 1.9.0)."""
    import semver

    return semver.Version.parse(version)


def is_release_version(text: str) -> bool:
    """True for a plain MAJOR.MINOR.PATCH, the only versions a release carries."""
    import semver

    try:
        version = semver.Version.parse(text)
    except (ValueError, TypeError):
        return False
    return version.prerelease is None and version.build is None


class ReleaseIndex:
    """Every release in the repository, oldest first; tags and trailers merged by version."""

    def __init__(self, repo: GitRepo | None, tag_prefix: str) -> None:
        self.repo = repo
        self._prefix = tag_prefix
        self._records: dict[str, ReleaseRecord] = {}
        self._ids: dict[str, frozenset[str]] = {}

    @cached_property
    def releases(self) -> tuple[Release, ...]:
        """Every release, oldest first."""
        if self.repo is None or not self.repo.has_commits():
            return ()
        commits: dict[str, tuple[str, str | None]] = {}
        for info, version in self.repo.commits_with_trailer(TRAILER):
            if is_release_version(version) and version not in commits:
                commits[version] = (info.sha, None)
        for name, commit in self.repo.tags().items():
            version = name[len(self._prefix):] if name.startswith(self._prefix) else ""
            if is_release_version(version):
                commits[version] = (commit, name)  # the tag names the release
        found = [Release(version, self._released_at(commit, version), commit, tag)
                 for version, (commit, tag) in commits.items()]
        return tuple(sorted(found, key=lambda release: sort_key(release.version)))

    def _released_at(self, commit: str, version: str) -> str:
        assert self.repo is not None
        data = self.repo.read(commit, ONTOLOGY_FILE)
        try:
            config = yamlio.load_fast(data) if data is not None else None
        except yamlio.YamlProblem:
            config = None
        if isinstance(config, dict) and str(config.get("version")) == version \
                and config.get("releasedAt"):
            return str(config["releasedAt"])
        return self.repo.info(commit).date[:10]

    def get(self, version: str) -> Release | None:
        """The release of `version`, if the repository holds it."""
        return next((r for r in self.releases if r.version == version), None)

    def named(self, spec: str) -> Release | None:
        """The release a user means by `1.4.0` or `<prefix>1.4.0`."""
        found = self.get(spec)
        if found is None and self._prefix and spec.startswith(self._prefix):
            found = self.get(spec[len(self._prefix):])
        return found

    def latest(self) -> Release | None:
        """The newest release by version."""
        return self.releases[-1] if self.releases else None

    def in_force_on(self, date: str) -> Release | None:
        """The newest release dated on or before `date` (ISO dates compare as text)."""
        dated = [r for r in self.releases if r.released_at <= date]
        return max(dated, key=lambda r: (r.released_at, sort_key(r.version)), default=None)

    def before(self, release: Release) -> Release | None:
        """The release just before `release` in version order."""
        index = self.releases.index(release)
        return self.releases[index - 1] if index > 0 else None

    @cached_property
    def shallow(self) -> bool:
        """True in a shallow clone: releases before its first commit may be missing here."""
        return self.repo is not None and self.repo.has_commits() and self.repo.is_shallow()

    def record(self, release: Release) -> Plan | None:
        """The plan `changelog/<version>.json` records, as that release committed it.

        None when the release has no record (tagged by hand) or one the encoder could not have
        written (edited): readers then learn the release from its tree instead.
        """
        return self.read_record(release).plan

    def read_record(self, release: Release) -> ReleaseRecord:
        """The record of `release` as read from its commit: the plan, or why there is none."""
        if release.version not in self._records:
            assert self.repo is not None
            path = record_path(release.version)
            record = _decoded(release, path, self.repo.read(release.commit, path))
            problem = self._unheld_id(release, record.plan) if record.plan is not None else None
            if problem is not None:
                record = ReleaseRecord(RecordState.DAMAGED, problem=problem)
            self._records[release.version] = record
        return self._records[release.version]

    def _unheld_id(self, release: Release, plan: Plan) -> str | None:
        """Why the record names a KPI its release could not have: one the release's tree does
        not hold, or (removed) one the release before did not hold. Paths only, nothing parsed."""
        previous = self.before(release)
        for kpi in plan.kpis:
            removed = kpi.status is Status.REMOVED
            held = (self.kpi_ids(previous) if previous is not None else frozenset()) if removed \
                else self.kpi_ids(release)
            if kpi.rogue_id not in held:
                if removed and previous is None:
                    return f"it says {kpi.rogue_id} was removed, but no release came before it"
                holder = f"release {previous.version}" if removed and previous else "the release"
                return f"it names {kpi.rogue_id}, which {holder}'s tree does not hold"
        return None

    def kpi_ids(self, release: Release) -> frozenset[str]:
        """The KPI ids a release's tree holds (by path, without parsing a file)."""
        if release.version not in self._ids:
            assert self.repo is not None
            self._ids[release.version] = frozenset(
                rogue_id for path in self.repo.blobs(release.commit, "ontology")
                if (rogue_id := rogue_id_for(path)) is not None)
        return self._ids[release.version]

    @cached_property
    def past_ids(self) -> frozenset[str]:
        """Every KPI id that any release held or named."""
        ids: set[str] = set()
        for release in self.releases:
            ids |= self.kpi_ids(release)
            ids.update(_record_ids(self.record(release)))
        return frozenset(ids)


def _record_ids(record: Plan | None) -> Iterator[str]:
    for kpi in record.kpis if record is not None else ():
        yield kpi.rogue_id


def record_path(version: str) -> str:
    """`changelog/<version>.json`, where a release keeps the plan it released."""
    return f"changelog/{version}.json"


class RecordState(enum.Enum):
    """What a release's commit holds at `changelog/<version>.json`."""

    READ = "read"
    ABSENT = "absent"  # a release tagged by hand: nothing to read, nothing wrong
    DAMAGED = "damaged"  # there, but not a record `ontology release` could have written


@dataclass(frozen=True)
class ReleaseRecord:
    """One release's record: the plan it holds, or why it holds none."""

    state: RecordState
    plan: Plan | None = None
    problem: str | None = None  # DAMAGED: what is wrong, in a clause
    line: int = 1  # where in the file, when the JSON itself is broken
    col: int = 1

    def damage(self, release: Release) -> DamagedRecord:
        """What validation reports of this (damaged) record of `release`."""
        return DamagedRecord(release.version, release.commit, self.problem or "it is damaged",
                             self.line, self.col)


@dataclass(frozen=True)
class DamagedRecord:
    """A release whose committed record cannot be read: which, where, and why."""

    version: str
    commit: str
    problem: str
    line: int = 1
    col: int = 1

    @property
    def path(self) -> str:
        """The record's file, `changelog/<version>.json`."""
        return record_path(self.version)

    @property
    def message(self) -> str:
        """One sentence: the release, its commit, what is wrong, and what was done instead."""
        return (f"the record of release {self.version} ({self.commit[:7]}) is damaged: "
                f"{self.problem}; the dispute checks that need it were skipped, and `history` "
                "recomputes that release from its tree")


def _decoded(release: Release, path: str, data: bytes | None) -> ReleaseRecord:
    from ontology_tools.records import RecordError, plan_from_document

    if data is None:
        return ReleaseRecord(RecordState.ABSENT)
    try:
        document = json.loads(data)
    except json.JSONDecodeError as error:
        return ReleaseRecord(RecordState.DAMAGED, problem=f"it is not JSON ({error.msg})",
                             line=error.lineno, col=error.colno)
    except ValueError:  # not UTF-8
        return ReleaseRecord(RecordState.DAMAGED, problem="it is not UTF-8 text")
    except RecursionError:  # thousands of nested brackets: no record is shaped so
        return ReleaseRecord(RecordState.DAMAGED, problem="it nests too deep to be a record")
    try:
        plan = plan_from_document(document)
    except RecordError as error:
        return ReleaseRecord(RecordState.DAMAGED, problem=f"{error}")
    problem = inconsistency(plan, release.version)
    if problem is not None:
        return ReleaseRecord(RecordState.DAMAGED, problem=problem)
    return ReleaseRecord(RecordState.READ, plan)


def inconsistency(plan: Plan, version: str) -> str | None:
    """Why a decoded record cannot be what release `version` wrote, if it cannot.

    `ontology release` stamps the versions its plan computed: the ontology's next version is the
    release's own, and each KPI's next version follows from its version and bump. Checked on the
    record alone (no release tree is read), so it catches an edited version, not a forgery that
    keeps the arithmetic right.
    """
    if plan.next_version != version:
        return f"it records release {plan.next_version or 'none'}, not {version}"
    for kpi in plan.kpis:
        expected = expected_version(kpi)
        if kpi.next_version != expected:
            return (f"it says {kpi.rogue_id} went from {kpi.version or 'nothing'} to "
                    f"{kpi.next_version or 'nothing'} with a {kpi.bump.label} bump, where "
                    f"{expected or 'no version'} follows")
    return None


def expected_version(kpi: KpiPlan) -> str | None:
    """The next version a plan entry's status, version and bump imply (SPEC 6.3).

    The arithmetic of `classify.versioning.next_version`, which this layer may not import (a
    test holds the two to the same answers).
    """
    import semver

    if kpi.status is Status.ADDED:
        return FIRST_VERSION
    if not kpi.status.continues_version:  # removed: it has no next version
        return None
    if kpi.bump is Bump.NONE:
        return kpi.version
    if kpi.version is None:
        return FIRST_VERSION
    if not is_release_version(kpi.version):
        return None  # no version follows a malformed one: the record cannot be right
    return str(semver.Version.parse(kpi.version).next_version(kpi.bump.label))


class ReleasedPast(Mapping[str, ReleasedKpi]):
    """What the releases up to `upto` remember of ids a baseline no longer holds (SPEC 6.3).

    Read lazily: only an id that comes back costs a look into the releases that held it.
    """

    def __init__(self, index: ReleaseIndex, baseline: Snapshot, upto: str | None) -> None:
        self._index = index
        self._baseline = baseline
        self._upto = sort_key(upto) if upto and is_release_version(upto) else None
        self._found: dict[str, ReleasedKpi | None] = {}

    def _releases(self) -> list[Release]:
        if self._upto is None:
            return []
        return [r for r in self._index.releases if sort_key(r.version) <= self._upto]

    def _lookup(self, rogue_id: str) -> ReleasedKpi | None:
        if rogue_id in self._baseline.sources:
            return None
        if rogue_id not in self._found:
            self._found[rogue_id] = self._last_released(rogue_id)
        return self._found[rogue_id]

    def _last_released(self, rogue_id: str) -> ReleasedKpi | None:
        from ontology_tools import snapshots

        for release in reversed(self._releases()):
            if rogue_id in self._index.kpi_ids(release):
                assert self._index.repo is not None
                snapshot = snapshots.at_ref(self._index.repo, release.commit, release.ref)
                document = snapshot.document(rogue_id)
                if document.version:
                    return ReleasedKpi(document.version, document.content)
        return None

    def __getitem__(self, rogue_id: str) -> ReleasedKpi:
        found = self._lookup(rogue_id)
        if found is None:
            raise KeyError(rogue_id)
        return found

    def __contains__(self, rogue_id: object) -> bool:
        return isinstance(rogue_id, str) and self._lookup(rogue_id) is not None

    def __iter__(self) -> Iterator[str]:
        ids = set().union(*(self._index.kpi_ids(r) for r in self._releases()))
        return (rogue_id for rogue_id in sorted(ids) if rogue_id in self)

    def __len__(self) -> int:
        return sum(1 for _ in self)
