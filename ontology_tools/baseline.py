"""The last release (SPEC 6.3): the baseline of `plan`, `diff`, `release` and stamp checks."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ontology_tools import snapshots
from ontology_tools.errors import OntologyError
from ontology_tools.gitrepo import GitRepo
from ontology_tools.model import Snapshot
from ontology_tools.validation import Baseline
from ontology_tools.validation.context import Stamp

TRAILER = "Ontology-Release"


@dataclass(frozen=True)
class LastRelease:
    """Where the last release was found, and the ontology as it was released."""

    version: str | None
    ref: str
    snapshot: Snapshot


def last_release(root: Path, config: Mapping[str, Any], repo: GitRepo | None) -> LastRelease:
    """The tag of `version`, else the commit with its trailer, else never released."""
    version = config.get("version")
    if not version:
        return LastRelease(None, snapshots.EMPTY, snapshots.empty(str(config.get("name", ""))))
    version = str(version)
    tag = f"{config.get('tagPrefix', 'v') or ''}{version}"
    if repo is not None and repo.has_commits():
        if repo.tag_exists(tag):
            return LastRelease(version, tag, snapshots.at_ref(repo, tag, tag))
        commit = repo.commit_with_trailer(f"{TRAILER}: {version}")
        if commit is not None:
            return LastRelease(version, commit[:12], snapshots.at_ref(repo, commit, commit[:12]))
    where = "the repository" if repo is not None else f"{root} (not a git repository)"
    raise OntologyError(f"ontology.yaml says version {version} was released, but {where} has "
                        f"neither a tag {tag!r} nor a commit with the trailer "
                        f"'{TRAILER}: {version}'; pass --from REF")


def release_baseline(root: Path) -> Baseline | None:
    """Stamps and past ids of the last release, for validation; None without release history."""
    try:
        config = snapshots.load_yaml((root / "ontology" / "ontology.yaml").read_bytes(),
                                     "ontology/ontology.yaml")
        if not isinstance(config, dict):
            return None
        found = last_release(root, config, GitRepo.open(root))
    except OntologyError:
        return None
    snapshot = found.snapshot
    return Baseline(ReleasedStamps(snapshot), frozenset(snapshot.sources) | _released_ids(root),
                    digests={rogue_id: source.digest
                             for rogue_id, source in snapshot.sources.items()})


class ReleasedStamps(Mapping[str, Stamp]):
    """The stamps of a released snapshot, each file parsed only when its stamp is asked for.

    A file of the release that cannot be read has no stamp, as if it were not there.
    """

    def __init__(self, snapshot: Snapshot) -> None:
        self._snapshot = snapshot
        self._read: dict[str, Stamp | None] = {}

    def _stamp(self, rogue_id: str) -> Stamp | None:
        if rogue_id not in self._snapshot.sources:
            return None
        if rogue_id not in self._read:
            try:
                document = self._snapshot.document(rogue_id)
            except OntologyError:
                self._read[rogue_id] = None
            else:
                self._read[rogue_id] = Stamp(document.version, document.released_at)
        return self._read[rogue_id]

    @property
    def parsed(self) -> frozenset[str]:
        """The ids whose released file had to be read so far."""
        return frozenset(self._read)

    def __getitem__(self, rogue_id: str) -> Stamp:
        stamp = self._stamp(rogue_id)
        if stamp is None:
            raise KeyError(rogue_id)
        return stamp

    def __iter__(self) -> Iterator[str]:
        return (rogue_id for rogue_id in self._snapshot.ids() if self._stamp(rogue_id))

    def __len__(self) -> int:
        return sum(1 for _ in self)


def _released_ids(root: Path) -> frozenset[str]:
    """Every KPI id named in a past release's changelog/<version>.json."""
    import json

    ids: set[str] = set()
    for path in (root / "changelog").glob("*.json"):
        try:
            plan = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            continue
        for kpi in plan.get("kpis", []) if isinstance(plan, dict) else []:
            if isinstance(kpi, dict) and isinstance(kpi.get("rogueId"), str):
                ids.add(kpi["rogueId"])
    return frozenset(ids)
