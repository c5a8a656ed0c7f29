"""What a `--from`, `--to` or `--at` value names: a release, the worktree, a bundle or a git ref."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING

from ontology_tools import snapshots
from ontology_tools.errors import OntologyError
from ontology_tools.model import Snapshot

if TYPE_CHECKING:
    from ontology_tools.project import Project


def resolve(project: Project, spec: str) -> Snapshot:
    """`WORKTREE`, a release's version (`1.4.0`, `v1.4.0`), a bundle path, or any git ref.

    A release is named by its version even without a tag; its snapshot is labelled with the
    tag when there is one, else the version, never a bare commit hash. A snapshot that is a
    release (its commit, however named, or its bundle) says so in `release`: a plan to it
    reads the versions that release stamped instead of computing new ones.
    """
    if spec == snapshots.WORKTREE:
        return project.worktree
    if spec == snapshots.EMPTY:
        return snapshots.empty(project.settings.name)
    release = project.releases.named(spec)
    if release is not None:
        assert project.repo is not None
        return _released(snapshots.at_ref(project.repo, release.commit, release.ref),
                         release.version)
    candidate = Path(spec)
    if candidate.exists() and (candidate.is_dir() or candidate.name.endswith((".tar.gz", ".tgz"))):
        shipped = snapshots.bundle(candidate)
        return _released(shipped, shipped.version)
    if project.repo is None:
        raise OntologyError(f"{spec!r} is neither a release nor a bundle, and {project.root} is "
                         "not a git repository")
    commit = project.repo.resolve(spec)
    release = next((r for r in project.releases.releases if r.commit == commit), None)
    if release is None:
        return snapshots.at_ref(project.repo, commit, spec)
    return _released(snapshots.at_ref(project.repo, commit, release.ref), release.version)


def _released(snapshot: Snapshot, version: str | None) -> Snapshot:
    """`snapshot`, known to be the release of `version` (a bundle names its own)."""
    return replace(snapshot, release=version) if version else snapshot
