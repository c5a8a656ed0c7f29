"""The stamp check reads from the last release only the files that changed since."""

from __future__ import annotations

from pathlib import Path

from ontology_tools.project import Project
from ontology_tools.project.baseline import ReleasedStamps, validation_baseline
from ontology_tools.validation import validate
from tests.classify.conftest import stamp_all
from tests.conftest import git

ARR = "ontology/sales/arr.yaml"


def release(root: Path) -> None:
    """Stamp every file as 1.0.0, commit with the release trailer, tag v1.0.0."""
    stamp_all(root, "1.0.0", "2026-01-05")
    git(root, "add", "-A")
    git(root, "commit", "-q", "-m", "Release ontology 1.0.0\n\nOntology-Release: 1.0.0")
    git(root, "tag", "-a", "v1.0.0", "-m", "Ontology 1.0.0")


def stamps_of(root: Path) -> tuple[ReleasedStamps, list[str]]:
    """Validate against the release; the lazy stamps and the rules that fired."""
    baseline = validation_baseline(Project(root))
    assert baseline is not None
    assert isinstance(baseline.stamps, ReleasedStamps)
    report = validate(root, baseline=baseline, use_cache=False)
    return baseline.stamps, [finding.rule for finding in report.findings]


def test_an_unchanged_release_parses_no_released_file(mini_repo: Path) -> None:
    release(mini_repo)
    stamps, rules = stamps_of(mini_repo)
    assert rules == []
    assert stamps.parsed == frozenset()


def test_an_edited_stamp_is_found_reading_only_that_file(mini_repo: Path) -> None:
    release(mini_repo)
    path = mini_repo / ARR
    path.write_text(path.read_text().replace("version: 1.0.0", "version: 1.0.1"))
    stamps, rules = stamps_of(mini_repo)
    assert rules == ["stamp-edited"]
    assert stamps.parsed == {"sales.arr"}


def test_the_lazy_stamps_are_a_whole_mapping(mini_repo: Path) -> None:
    release(mini_repo)
    stamps, _ = stamps_of(mini_repo)
    assert len(stamps) == 7
    assert stamps["sales.arr"].version == "1.0.0"
    assert "sales.nothing" not in stamps
