"""A dispute reviewer reads a KPI's history: three releases, one of them a rename."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from tests.classify.conftest import edit_kpi
from tests.conftest import git, run_cli
from tests.disputes.records import record_dispute
from tests.support.renames import rename_churned_files

OLD, NEW = "customers.customers_churned", "customers.churned_customers"


def _release(root: Path, date: str) -> None:
    if git(root, "status", "--porcelain"):
        git(root, "add", "-A")
        git(root, "commit", "-q", "-m", "Edit the ontology")
    result = run_cli(root, "release", "--commit", "--tag", "--date", date)
    assert result.exit_code == 0, result.stdout + result.stderr


def _note(root: Path, kpi: str, summary: str, *extra: str) -> None:
    result = run_cli(root, "note", "--kpi", kpi, "-m", summary, *extra)
    assert result.exit_code == 0, result.stderr


def _rename(root: Path) -> None:
    rename_churned_files(root)


@pytest.fixture
def three_releases(mini_repo: Path) -> Path:
    _release(mini_repo, "2026-05-01")
    edit_kpi(mini_repo, OLD, lambda kpi: kpi.__setitem__(
        "formula", "Logos active at period start and not active at period end, excluding "
                   "downgrades to a free plan."))
    record_dispute(mini_repo, "D-2026-007", OLD)
    _note(mini_repo, OLD, "Free-plan downgrades are not churn.", "--dispute", "D-2026-007")
    _release(mini_repo, "2026-06-01")
    _rename(mini_repo)
    _note(mini_repo, NEW, "Renamed for consistency with the board pack.")
    for rogue_id in ("customers.total_customers", "customers.logo_churn_rate"):
        _note(mini_repo, rogue_id, "Follow the rename of churned customers.")
    _release(mini_repo, "2026-07-01")
    return mini_repo


def _history(root: Path, rogue_id: str) -> list[dict[str, Any]]:
    result = run_cli(root, "history", rogue_id, "--format", "json")
    assert result.exit_code == 0, result.stderr
    releases: list[dict[str, Any]] = json.loads(result.stdout)["releases"]
    return releases


def test_history_lists_every_release_newest_first_across_the_rename(
        three_releases: Path) -> None:
    releases = _history(three_releases, NEW)
    assert [(r["ontologyVersion"], r["rogueId"], r["previousVersion"], r["kpiVersion"],
             r["status"], r["bump"]) for r in releases] == [
        ("3.0.0", NEW, "2.0.0", "3.0.0", "renamed", "major"),
        ("2.0.0", OLD, "1.0.0", "2.0.0", "changed", "major"),
        ("1.0.0", OLD, None, "1.0.0", "added", "minor"),
    ]
    assert releases[0]["changes"][0]["rule"] == "kpi-renamed"
    assert [c["rule"] for c in releases[1]["changes"]] == ["formula-changed"]
    assert releases[1]["disputes"] == ["D-2026-007"]
    assert releases[1]["notes"][0]["summary"] == "Free-plan downgrades are not churn."
    assert releases[0]["notes"][0]["summary"].startswith("Renamed for consistency")
    assert {r["author"] for r in releases} == {"Ada Editor"}
    assert [r["releasedAt"] for r in releases] == ["2026-07-01", "2026-06-01", "2026-05-01"]


def test_history_text_markdown_and_html(three_releases: Path) -> None:
    text = run_cli(three_releases, "history", NEW).stdout
    # the header says once how word changes are marked; the newest release comes first
    assert text.splitlines()[0].startswith("note: word changes are marked [-removed-]{+added+}")
    assert text.splitlines()[1].startswith("3.0.0  2026-07-01  2.0.0 → 3.0.0  major  renamed")
    assert "note (D-2026-007): Free-plan downgrades are not churn." in text
    markdown = run_cli(three_releases, "history", NEW, "--format", "markdown").stdout
    assert "| 2.0.0 | 2026-06-01 | 1.0.0 → 2.0.0 | major |" in markdown
    page = run_cli(three_releases, "history", NEW, "--format", "html").stdout
    assert page.startswith("<!doctype html>") and "<script" not in page
    assert "D-2026-007" in page and "formula-changed" in page


def test_the_review_page_between_two_releases(three_releases: Path) -> None:
    page = run_cli(three_releases, "diff", "--kpi", OLD, "--from", "v1.0.0", "--to", "v2.0.0",
                   "--format", "html").stdout
    assert "<ins>excluding" in page or "<ins> excluding" in page or "<ins>" in page
    assert "formula-changed" in page and "D-2026-007" in page


def test_history_of_an_unknown_kpi_is_an_error(three_releases: Path) -> None:
    result = run_cli(three_releases, "history", "customers.nope")
    assert result.exit_code == 1
    assert "no KPI 'customers.nope'" in result.stderr


def test_history_of_a_never_released_kpi(mini_repo: Path) -> None:
    assert "has not been released yet" in run_cli(mini_repo, "history", OLD).stdout
