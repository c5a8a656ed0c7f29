"""One entry point from a project to a Plan, shared by diff, plan, check and release."""

from __future__ import annotations

from collections.abc import Set as AbstractSet
from dataclasses import dataclass
from typing import TYPE_CHECKING

from ontology_tools import snapshots
from ontology_tools.classify.plan import assemble_plan
from ontology_tools.model import Plan, Snapshot

if TYPE_CHECKING:
    from ontology_tools.project import Project


@dataclass(frozen=True)
class Comparison:
    """The two snapshots compared and the plan between them."""

    old: Snapshot
    new: Snapshot
    plan: Plan


def compare(project: Project, from_spec: str | None = None,
            to_spec: str = snapshots.WORKTREE, only: AbstractSet[str] | None = None,
            advice: str = "") -> Comparison:
    """Diff `from_spec` (default: the last release, SPEC 6.3) against `to_spec`.

    `advice` is added to the error when the last release cannot be found (what the calling
    command offers instead, such as its `--from`).
    """
    from ontology_tools.project.releases import ReleasedPast

    new = project.snapshot(to_spec)
    old = project.baseline.require(advice) if from_spec is None else project.snapshot(from_spec)
    past = ReleasedPast(project.releases, old, old.version)
    return Comparison(old, new, assemble_plan(old, new, only=only, past=past))
