"""`ontology check`, the pull-request gate: validate + diff + notes."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

from ontology_tools.classify.comparison import compare
from ontology_tools.model import Plan
from ontology_tools.project import Project, Settings
from ontology_tools.project.baseline import validation_baseline
from ontology_tools.project.disputes import closed_dispute_problems, read_disputes
from ontology_tools.validation import Report, validate


@dataclass(frozen=True)
class GateResult:
    """Validation findings, the plan, and every reason the gate fails."""

    report: Report
    plan: Plan | None
    problems: tuple[str, ...]

    @property
    def passed(self) -> bool:
        """True when the change may be merged."""
        return not self.problems


def run_gate(project: Project, from_spec: str | None, advice: str = "") -> GateResult:
    """Fail on validation errors, blocking changes, missing or under-declaring notes, and notes
    naming a dispute that was rejected or withdrawn."""
    report = validate(project.root, baseline=validation_baseline(project), project=project)
    if report.errors:
        return GateResult(report, None, (f"validation found {report.errors} error(s)",))
    comparison = compare(project, from_spec, advice=advice)
    settings = Settings.from_config(comparison.new.ontology)
    problems = (*_problems(comparison.plan, settings.require_notes),
                *closed_dispute_problems(read_disputes(project.root), comparison.new.notes))
    return GateResult(report, comparison.plan, problems)


def _problems(plan: Plan, require_notes: bool) -> Iterator[str]:
    for blocker in plan.blocking:
        yield f"blocking: {blocker.message}"
    for kpi in plan.kpis:
        if require_notes and not kpi.notes:
            yield (f"{kpi.rogue_id} changed ({kpi.bump.label}) but no change note names it: "
                   f"run `ontology note --kpi {kpi.rogue_id} -m \"why\"`")
        for note in kpi.notes:
            if note.bump is not None and note.bump < kpi.computed_bump:
                yield (f"{note.file} declares a {note.bump.label} bump for {kpi.rogue_id}, "
                       f"but its changes are {kpi.computed_bump.label}: raise `bump` or waive "
                       "the rule with a justification")
