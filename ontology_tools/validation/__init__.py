"""`ontology validate`: the findings of the files of an ontology.

A run whose every input is as it was at the last run replays that run's findings
(`validation.replay`) and imports none of the checks; any other run does every check
(`validation.checks`). This module stays light for that reason: it holds the report and the
entry points, and imports the checks only inside them.
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ontology_tools.model import Finding, Severity, ValidationBaseline

if TYPE_CHECKING:
    from ontology_tools.project import Project


@dataclass(frozen=True)
class Report:
    """The findings of one run, sorted by file and position, and how many files were read."""

    findings: tuple[Finding, ...]
    files: int

    @property
    def errors(self) -> int:
        """How many findings are errors."""
        return sum(1 for f in self.findings if f.severity is Severity.ERROR)

    @property
    def warnings(self) -> int:
        """How many findings are warnings."""
        return sum(1 for f in self.findings if f.severity is Severity.WARNING)

    def only(self, paths: Collection[str]) -> Report:
        """The findings at these paths or under them (a folder holds its entries' findings, and
        its own: a stray file, a link); the whole ontology was still read."""
        wanted = set(paths)
        return Report(tuple(f for f in self.findings if _under(f.path, wanted)), self.files)


def _under(path: str, wanted: set[str]) -> bool:
    if path in wanted:
        return True
    parts = path.split("/")
    return any("/".join(parts[:end]) in wanted for end in range(1, len(parts)))


def validate_project(project: Project, only: Collection[str] | None = None, *,
                     use_cache: bool = True) -> Report:
    """The findings of `project` (of `only` these files when given), with the last release as
    its baseline: the last run's, when nothing that run read has changed since, else computed.

    With `use_cache` False nothing is replayed or remembered (the per-file caches are off too).
    A run is remembered only when its baseline was found: the diagnosis of a missing one looks
    further than the fingerprint does (see `PastFacts.save`, which keeps the same rule).
    """
    from ontology_tools.validation import replay

    stamp: list[Any] = []
    key = replay.fingerprint(project.root, stamp=stamp) if use_cache else None
    report = replay.recall(project.root, key) if key is not None else None
    if report is None:
        from ontology_tools.project.baseline import validation_baseline

        baseline = validation_baseline(project, use_cache)
        report = validate(project.root, baseline=baseline, use_cache=use_cache, project=project)
        # remembered only when nothing changed while the run read the files: else these
        # findings belong to neither the fingerprint taken before nor one taken now
        if key is not None and baseline is not None and baseline.missing is None \
                and replay.unchanged_since(project.root, stamp):
            replay.remember(project.root, key, report)
    return report if only is None else report.only(only)


def validate(root: Path, only: Collection[str] | None = None,
             baseline: ValidationBaseline | None = None, *, use_cache: bool = True,
             project: Project | None = None) -> Report:
    """Every check over the ontology under `root` (`validation.checks.validate`, imported only
    when a run is not replayed); findings of `only` these files when given."""
    from ontology_tools.validation.checks import validate as check_all

    return check_all(root, only, baseline, use_cache=use_cache, project=project)
