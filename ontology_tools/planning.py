"""One entry point from a repository to a Plan, shared by diff, plan, check and release."""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass
from pathlib import Path

from ontology_tools import snapshots
from ontology_tools.baseline import LastRelease, last_release
from ontology_tools.classify.plan import assemble_plan
from ontology_tools.gitrepo import GitRepo
from ontology_tools.model import Plan, Snapshot


@dataclass(frozen=True)
class Comparison:
    """The two snapshots compared and the plan between them."""

    old: Snapshot
    new: Snapshot
    plan: Plan
    last: LastRelease | None


def compare(root: Path, from_spec: str | None = None, to_spec: str = snapshots.WORKTREE,
            only: Collection[str] | None = None) -> Comparison:
    """Diff `from_spec` (default: the last release, SPEC 6.3) against `to_spec`."""
    repo = GitRepo.open(root)
    new = snapshots.open_snapshot(root, to_spec, repo)
    last = None
    if from_spec is None:
        last = last_release(root, new.ontology, repo)
        old = last.snapshot
    else:
        old = snapshots.open_snapshot(root, from_spec, repo)
    return Comparison(old, new, assemble_plan(old, new, only=only), last)
