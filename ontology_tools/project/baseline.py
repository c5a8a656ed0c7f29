"""The last release (SPEC 6.3): the baseline of `plan`, `diff`, `release` and stamp checks."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from collections.abc import Set as AbstractSet
from dataclasses import dataclass
from typing import TYPE_CHECKING

from ontology_tools.errors import OntologyError
from ontology_tools.model import Snapshot, Stamp, ValidationBaseline
from ontology_tools.project.releases import TRAILER, Release

if TYPE_CHECKING:
    from ontology_tools.project import Project
    from ontology_tools.project.past import PastFacts


SHALLOW_HISTORY = ("this clone is shallow: the last release is here, but releases before the "
                   "clone's first commit may be missing, so the checks that need them (the "
                   "versions and releases disputes name, ids that once existed) were skipped; "
                   "fetch the history with `git fetch --unshallow --tags`")


@dataclass(frozen=True)
class Baseline:
    """The release `ontology.yaml` names, its snapshot, or why it cannot be found."""

    release: Release | None
    snapshot: Snapshot
    missing: str | None = None  # the diagnosis when ontology.yaml names an unknown release
    version_edited: bool = False  # the diagnosis found ontology.yaml's version edited by hand

    @property
    def version(self) -> str | None:
        """The released version the baseline stands for."""
        return self.release.version if self.release else None

    def require(self, advice: str = "") -> Snapshot:
        """The snapshot, or an error that says why the last release cannot be found."""
        if self.missing is not None:
            raise OntologyError(self.missing + advice)
        return self.snapshot


def find_baseline(project: Project) -> Baseline:
    """The release of ontology.yaml's `version`, else the empty snapshot of a first release."""
    from ontology_tools import snapshots  # not at the top: a warm `validate` never needs it

    version = project.config.get("version")
    if not version:
        return Baseline(None, snapshots.empty(project.settings.name))
    version = str(version)
    release = project.releases.get(version)
    if release is None:
        reason, edited = diagnose(project, version)
        return Baseline(None, snapshots.empty(project.settings.name), reason, edited)
    assert project.repo is not None
    return Baseline(release, snapshots.at_ref(project.repo, release.commit, release.ref))


def diagnose(project: Project, version: str) -> tuple[str, bool]:
    """Why ontology.yaml names a version the release index does not hold, as far as it can tell.

    The flag is True when the cause is a hand-edited `version`.
    """
    tag = f"{project.settings.tag_prefix}{version}"
    repo = project.repo
    if repo is None:
        return (f"ontology.yaml says version {version} was released, but {project.root} is not "
                "a git repository, so the release cannot be read"), False
    head = (f"ontology.yaml says version {version} was released, but the repository has neither "
            f"a tag {tag!r} nor a commit with the trailer '{TRAILER}: {version}'")
    if repo.is_shallow():
        return (f"{head}: this clone is shallow; fetch the history with "
                "`git fetch --unshallow --tags`"), False
    record = f"changelog/{version}.json"
    committed = next(iter(repo.log([record])), None) if repo.tracked(record) else None
    if committed is not None:
        return (f"{head}: its changelog record was committed in {committed.sha[:7]} without "
                f"the trailer; name that commit the release with `git tag -a {tag} "
                f"{committed.sha[:7]} -m \"Ontology {version}\"`"), False
    if (project.root / record).is_file():
        return (f"{head}: release {version} was written without --commit; record it with "
                f"`git add ontology changelog && git commit -m \"Release ontology {version}\" "
                f"-m \"{TRAILER}: {version}\"`"), False
    latest = project.releases.latest()
    was = (f"the last release is {latest.label}" if latest is not None
           else "the repository holds no release")
    return (f"{head}: the version looks edited by hand ({was}); only `ontology release` "
            "writes it"), True


def validation_baseline(project: Project, use_cache: bool = True) -> ValidationBaseline | None:
    """What validation needs of the past: the last release's stamps and every id that existed.

    Read through `project.past_facts`: a warm run takes them from `.ontology-cache/` without
    opening the repository. None when ontology.yaml itself does not parse (validation reports
    that first).
    """
    if project.loaded_config[1] is not None:
        return None
    past = project.past_facts(use_cache)
    if not past.found:
        baseline = project.baseline
        return ValidationBaseline({}, PastIds(past), missing=baseline.missing,
                                  version_edited=baseline.version_edited)
    gap = SHALLOW_HISTORY if project.config.get("version") and past.shallow() else None
    return ValidationBaseline(ReleasedStamps(past), PastIds(past), digests=past.digests(),
                              history_gap=gap)


class PastIds(AbstractSet[str]):
    """Every id the baseline or any release held; the releases are read only if asked."""

    def __init__(self, past: PastFacts) -> None:
        self._past = past

    def _held(self) -> Mapping[str, str]:
        return self._past.digests() if self._past.found else {}

    def __contains__(self, rogue_id: object) -> bool:
        return rogue_id in self._held() or rogue_id in self._past.past_ids()

    def _all(self) -> frozenset[str]:
        return frozenset(self._held()) | self._past.past_ids()

    def __iter__(self) -> Iterator[str]:
        return iter(sorted(self._all()))

    def __len__(self) -> int:
        return len(self._all())


class ReleasedStamps(Mapping[str, Stamp]):
    """The stamps of the last release, each file parsed only when its stamp is asked for.

    A file of the release that cannot be read has no stamp, as if it were not there.
    """

    def __init__(self, past: PastFacts) -> None:
        self._past = past

    def _stamp(self, rogue_id: str) -> Stamp | None:
        if rogue_id not in self._past.digests():
            return None
        return self._past.stamp(rogue_id)

    @property
    def parsed(self) -> frozenset[str]:
        """The ids whose released file had to be read so far."""
        return frozenset(self._past.parsed)

    def __getitem__(self, rogue_id: str) -> Stamp:
        stamp = self._stamp(rogue_id)
        if stamp is None:
            raise KeyError(rogue_id)
        return stamp

    def __iter__(self) -> Iterator[str]:
        return (rogue_id for rogue_id in sorted(self._past.digests()) if self._stamp(rogue_id))

    def __len__(self) -> int:
        return sum(1 for _ in self)
