"""SPEC 6.2: each refusal is one clear line, exit 1, and nothing written."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from ontology_tools.release.lock import LOCK_NAME
from tests.conftest import git, run_cli
from tests.release import scenario


def _refused(root: Path, *args: str) -> str:
    before = scenario.state(root)
    result = run_cli(root, "release", "--tag", *args)
    assert result.exit_code == 1, result.output
    assert scenario.state(root) == before
    lines = result.output.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("ontology: error: ")
    return lines[0]


@pytest.fixture
def ready(mini_repo: Path) -> Path:
    """A repository with a committed change waiting for release 2.0.0."""
    scenario.second_release_ready(mini_repo)
    return mini_repo


def test_uncommitted_changes(ready: Path) -> None:
    (ready / scenario.ARR).write_text((ready / scenario.ARR).read_text("utf-8") + "# edit\n",
                                      encoding="utf-8")
    assert "uncommitted changes" in _refused(ready, "--date", scenario.SECOND_DATE)


def test_untracked_note(ready: Path) -> None:
    (ready / "changelog/unreleased/extra.yaml").write_text("kpis: [sales.arr]\nsummary: x\n",
                                                           encoding="utf-8")
    assert "--allow-dirty" in _refused(ready, "--date", scenario.SECOND_DATE)


def test_an_uncommitted_file_is_named_as_it_is_spelled(ready: Path) -> None:
    """git quotes names with spaces, quotes and non-ASCII letters; the refusal must not."""
    name = 'changelog/unreleased/Ünïcode "quoted" note.yaml'
    (ready / name).write_text("kpis: [sales.arr]\nsummary: x\n", encoding="utf-8")
    assert f"({name})" in _refused(ready, "--date", scenario.SECOND_DATE)


def test_existing_tag(ready: Path) -> None:
    git(ready, "tag", "v2.0.0")
    assert "tag v2.0.0 already exists" in _refused(ready, "--date", scenario.SECOND_DATE)


def test_date_before_the_last_release(ready: Path) -> None:
    assert "earlier than the last release" in _refused(ready, "--date", "2026-05-19")


def test_bad_date(ready: Path) -> None:
    """A malformed --date is a usage error (SPEC 8: exit 2), and nothing is written."""
    before = scenario.state(ready)
    result = run_cli(ready, "release", "--tag", "--date", "20260601")
    assert result.exit_code == 2, result.output
    assert "'20260601' is not a YYYY-MM-DD date" in result.stderr
    assert scenario.state(ready) == before


def test_existing_bundle_folder(ready: Path) -> None:
    other = ready / "dist/ontology-2.0.0"
    other.mkdir(parents=True)
    (other / "something.txt").write_text("not ours\n", encoding="utf-8")
    assert "bundle for 2.0.0 already exists" in _refused(ready, "--date", scenario.SECOND_DATE)


def test_release_running(ready: Path) -> None:
    (ready / LOCK_NAME).write_text(f"{os.getpid()}\n", encoding="ascii")
    assert "another release is running" in _refused(ready, "--date", scenario.SECOND_DATE)


def test_stale_lock_is_taken_over(ready: Path) -> None:
    (ready / LOCK_NAME).write_text("999999999\n", encoding="ascii")
    result = run_cli(ready, "release", "--date", scenario.SECOND_DATE, "--tag")
    assert result.exit_code == 0, result.output
    assert not (ready / LOCK_NAME).exists()


def test_blocking_change(mini_repo: Path) -> None:
    scenario.first_release(mini_repo)
    scenario.change_formula(mini_repo)
    (mini_repo / scenario.FORMULA_NOTE).unlink()
    config = mini_repo / "ontology/ontology.yaml"
    config.write_text(config.read_text("utf-8").replace(
        "policy: {}", "policy:\n  formula-changed: blocking"), encoding="utf-8")
    scenario.commit_all(mini_repo, "Change the formula without a waiver")
    assert "blocked" in _refused(mini_repo, "--date", scenario.SECOND_DATE)


def test_invalid_ontology(mini_repo: Path) -> None:
    path = mini_repo / scenario.ARR
    path.write_text(path.read_text("utf-8").replace("fieldType: currency", "fieldType: nope"),
                    encoding="utf-8")
    scenario.commit_all(mini_repo, "Break a KPI")
    assert "validation found" in _refused(mini_repo, "--date", scenario.FIRST_DATE)


def test_nothing_to_release(mini_repo: Path) -> None:
    scenario.first_release(mini_repo)
    before = scenario.state(mini_repo)
    result = run_cli(mini_repo, "release", "--date", scenario.SECOND_DATE, "--tag")
    assert result.exit_code == 0 and "nothing to release" in result.output
    assert scenario.state(mini_repo) == before
