"""Every release the repository holds (SPEC 6.3): `<prefix>V` tags and `Ontology-Release` commits.

A stand-in with the shape of the project's release index, so that dispute and `show` code can
be written against it; the project context replaces it.
"""

from __future__ import annotations

import functools
import json
from collections.abc import Mapping
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path
from typing import Any

from ontology_tools.gitrepo import GitRepo

TRAILER = "Ontology-Release"


@dataclass(frozen=True)
class Release:
    """One release: its version, date, commit and tag."""

    version: str
    released_at: str
    commit: str
    tag: str | None

    @property
    def label(self) -> str:
        """How output names a release: `1.0.0 (3f2a9c1)`."""
        return f"{self.version} ({self.commit[:7]})"


class ReleaseIndex:
    """The releases of one repository, oldest first."""

    def __init__(self, repo: GitRepo | None, tag_prefix: str = "v") -> None:
        self._repo = repo
        self._prefix = tag_prefix

    @classmethod
    def open(cls, root: Path, tag_prefix: str = "v") -> ReleaseIndex:
        """The index of the repository at `root` (empty outside git)."""
        return cls(GitRepo.open(root), tag_prefix)

    @cached_property
    def releases(self) -> tuple[Release, ...]:
        """Every release, oldest first."""
        repo = self._repo
        if repo is None or not repo.has_commits():
            return ()
        found: dict[str, Release] = {}
        tags = repo.tags()
        for commit, version in repo.commits_with_trailer(TRAILER):
            found.setdefault(version, self._release(version, commit.sha, tags))
        for name, sha in tags.items():
            version = name.removeprefix(self._prefix)
            if name.startswith(self._prefix) and version not in found and \
                    repo.read(sha, f"changelog/{version}.json") is not None:
                found[version] = self._release(version, sha, tags)
        return tuple(sorted(found.values(), key=functools.cmp_to_key(_by_version)))

    def _release(self, version: str, sha: str, tags: Mapping[str, str]) -> Release:
        tag = f"{self._prefix}{version}"
        record = self._record_at(sha, version)
        released_at = str(record.get("releasedAt") or "")
        return Release(version, released_at, sha, tag if tags.get(tag) == sha else None)

    def _record_at(self, sha: str, version: str) -> Mapping[str, Any]:
        assert self._repo is not None
        data = self._repo.read(sha, f"changelog/{version}.json")
        try:
            record = json.loads(data) if data is not None else {}
        except ValueError:
            return {}
        return record if isinstance(record, dict) else {}

    def get(self, version: str) -> Release | None:
        """The release of that version."""
        return next((r for r in self.releases if r.version == version), None)

    def latest(self) -> Release | None:
        """The newest release."""
        return self.releases[-1] if self.releases else None

    def in_force_on(self, date: str) -> Release | None:
        """The newest release with releasedAt on or before `date`."""
        candidates = [r for r in self.releases if r.released_at <= date]
        return candidates[-1] if candidates else None

    def record(self, release: Release) -> Mapping[str, Any]:
        """changelog/<version>.json at the release's commit ({} if none)."""
        if self._repo is None:
            return {}
        return self._record_at(release.commit, release.version)

    def past_ids(self) -> frozenset[str]:
        """Every rogueId any release held."""
        return frozenset(str(k.get("rogueId")) for r in self.releases
                         for k in self.record(r).get("kpis", []) if isinstance(k, dict))


def _by_version(left: Release, right: Release) -> int:
    from ontology_tools.versioning import compare

    return compare(left.version, right.version)
