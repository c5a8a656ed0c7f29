"""SPEC 8: a malformed value a user types is a usage error: exit 2, nothing written."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.conftest import run_cli
from tests.release import scenario

TC = "customers.total_customers"


@pytest.fixture
def released(mini_repo: Path) -> Path:
    """Released as 1.0.0, then a major change to one KPI and a minor one to another."""
    scenario.second_release_ready(mini_repo)
    return mini_repo


def _usage_error(root: Path, *args: str, env: dict[str, str] | None = None) -> str:
    """Run a command that must be refused as a usage error; return the last line of stderr."""
    before = scenario.state(root)
    result = run_cli(root, *args, env=env)
    assert result.exit_code == 2, result.output
    assert "internal error" not in result.output
    assert "Traceback" not in result.output
    assert scenario.state(root) == before, "a usage error writes nothing"
    return result.stderr.strip().splitlines()[-1]


@pytest.mark.parametrize(("value", "says"), [
    ("2026-13-01", "'2026-13-01' is not a real calendar date"),
    ("2026-02-30", "'2026-02-30' is not a real calendar date"),
    ("2026/12/12", "'2026/12/12' is not a YYYY-MM-DD date"),
    ("20261212", "'20261212' is not a YYYY-MM-DD date"),  # fromisoformat alone accepts it
    ("2026-W50-6", "is not a YYYY-MM-DD date"),  # and this ISO week date
    (" 2026-12-12", "is not a YYYY-MM-DD date"),
])
def test_release_date_must_be_a_calendar_date(released: Path, value: str, says: str) -> None:
    for args in (("release", "--date", value), ("release", "--dry-run", "--date", value)):
        line = _usage_error(released, *args)
        assert "--date" in line and says in line


def test_publication_date_uses_the_same_parser(released: Path) -> None:
    line = _usage_error(released, "promote", TC, "--source-name", "Std", "--source-url",
                        "https://example.org", "--publication-date", "2026-02-30")
    assert "--publication-date" in line and "'2026-02-30' is not a real calendar date" in line


@pytest.mark.parametrize(("domain", "slug", "says"), [
    ("sales", "café", "slug 'café' must be lower-case"),
    ("sales", "Net", "slug 'Net' must be lower-case"),
    ("sales", "a-b", "slug 'a-b' must be lower-case"),
    ("sales", "", "slug '' must be lower-case"),
    ("Sales", "net", "domain 'Sales' must be lower-case"),
    ("galaxy", "net", "unknown domain 'galaxy'"),
])
def test_new_names_are_checked_before_anything_is_written(released: Path, domain: str,
                                                          slug: str, says: str) -> None:
    assert says in _usage_error(released, "new", domain, slug)


@pytest.mark.parametrize("message", ["", "   ", "\n"])
def test_a_note_must_say_something(released: Path, message: str) -> None:
    line = _usage_error(released, "note", "--kpi", TC, "-m", message)
    assert "--message" in line and "must not be empty" in line


@pytest.mark.parametrize(("waiver", "says"), [
    ("nosuchrule=because the board agreed", "unknown rule 'nosuchrule'"),
    ("formula-changed", "expected RULE=JUSTIFICATION"),
    ("=because the board agreed", "unknown rule ''"),
])
def test_a_waiver_names_a_rule_of_the_catalog(released: Path, waiver: str, says: str) -> None:
    line = _usage_error(released, "note", "--kpi", TC, "-m", "Clarify.", "--waive", waiver)
    assert "--waive" in line and says in line


def test_a_known_rule_is_accepted(released: Path) -> None:
    result = run_cli(released, "note", "--kpi", "customers.logo_churn_rate", "-m", "Clarify.",
                     "--waive", "formula-changed=the board agreed it is a clarification",
                     "--name", "waived")
    assert result.exit_code == 0, result.output
    text = (released / "changelog/unreleased/waived.yaml").read_text(encoding="utf-8")
    assert "rule: formula-changed" in text


@pytest.mark.parametrize("epoch", ["9" * 20, "-1", "1e9", "12abc", "9" * 12])
def test_source_date_epoch_that_names_no_date(released: Path, epoch: str) -> None:
    line = _usage_error(released, "release", "--dry-run", env={"SOURCE_DATE_EPOCH": epoch})
    assert line.startswith("ontology: error: SOURCE_DATE_EPOCH")


def test_source_date_epoch_names_the_release_date(released: Path) -> None:
    result = run_cli(released, "release", "--dry-run", env={"SOURCE_DATE_EPOCH": "1780000000"})
    assert result.exit_code == 0, result.output
    assert "## [2.0.0] - 2026-05-28" in result.stdout


@pytest.mark.parametrize("command", ["diff", "plan"])
def test_an_id_no_snapshot_holds_is_a_usage_error(released: Path, command: str) -> None:
    line = _usage_error(released, command, "--kpi", "nope.nope")
    assert "'nope.nope'" in line and "--kpi" in line
    line = _usage_error(released, command, "--kpi", "sales.arr", "--kpi", "sales.nope")
    assert "'sales.nope'" in line


def test_an_id_only_the_old_snapshot_holds_is_known(released: Path) -> None:
    (released / "ontology/sales/arr.yaml").unlink()
    result = run_cli(released, "diff", "--kpi", "sales.arr", "--format", "json")
    assert result.exit_code == 0, result.output
    assert '"status": "removed"' in result.stdout


def test_the_threshold_applies_to_the_kpis_asked_for(released: Path) -> None:
    # logo_churn_rate has a major change; arr only a minor one
    assert run_cli(released, "diff", "--fail-on", "major").exit_code == 1
    assert run_cli(released, "diff", "--fail-on", "major", "--kpi", "sales.arr").exit_code == 0
    assert run_cli(released, "diff", "--fail-on", "minor", "--kpi", "sales.arr").exit_code == 1
    assert run_cli(released, "diff", "--fail-on", "major",
                   "--kpi", "customers.logo_churn_rate").exit_code == 1
    assert run_cli(released, "plan", "--fail-on", "major", "--kpi", "sales.arr").exit_code == 0
    assert run_cli(released, "plan", "--fail-on", "major").exit_code == 1


def test_an_unchanged_kpi_reaches_no_threshold(released: Path) -> None:
    result = run_cli(released, "diff", "--fail-on", "patch", "--kpi", TC)
    assert result.exit_code == 0, result.output


@pytest.mark.parametrize("value", ["2026-02-30", "2026/06/02", "20260602"])
def test_dispute_dates_use_the_same_parser(released: Path, value: str) -> None:
    line = _usage_error(released, "dispute", "open", TC, "--claim", "Too broad.", "--by",
                        "Audit committee", "--date", value)
    assert "--date" in line and f"'{value}' is not a" in line
