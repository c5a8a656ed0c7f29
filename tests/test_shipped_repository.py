"""This repository's own ontology: released with the tool, nothing pending, history real."""

from __future__ import annotations

import json

import keepachangelog
import pytest

from tests.conftest import REPO, git, run_cli


@pytest.fixture(autouse=True)
def _needs_git_history() -> None:
    if not (REPO / ".git").exists():
        pytest.skip("not a git checkout")


def test_plan_on_a_clean_checkout_reports_no_pending_change() -> None:
    if git(REPO, "status", "--porcelain", "--", "ontology", "changelog"):
        pytest.skip("the ontology has uncommitted edits")
    result = run_cli(REPO, "plan", "--format", "json")
    assert result.exit_code == 0, result.stderr
    plan = json.loads(result.stdout)
    assert plan["kpis"] == [] and plan["ontology"]["bump"] == "none"


def test_release_dry_run_runs() -> None:
    result = run_cli(REPO, "release", "--dry-run", "--allow-dirty")
    assert result.exit_code == 0, result.stderr


def test_the_changelog_is_the_history_of_real_releases() -> None:
    changes = keepachangelog.to_dict(str(REPO / "changelog" / "CHANGELOG.md"))
    config = (REPO / "ontology" / "ontology.yaml").read_text(encoding="utf-8")
    versions = list(changes)
    assert versions, "no release in the changelog"
    assert f"version: {versions[0]}" in config
    for version in versions:
        assert (REPO / "changelog" / f"{version}.json").is_file()
        assert git(REPO, "log", "--format=%H", f"--grep=Ontology-Release: {version}")
