"""The pull-request gate: notes, declared bumps and waivers."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.classify.conftest import edit_kpi
from tests.conftest import run_cli
from tests.disputes.records import record_dispute

TC = "customers.total_customers"


def _change_formula(root: Path) -> None:
    edit_kpi(root, TC, lambda kpi: kpi.__setitem__("formula", "Every logo with a paid contract."))


def test_check_fails_without_a_note_and_says_how_to_write_one(released: Path) -> None:
    _change_formula(released)
    result = run_cli(released, "check")
    assert result.exit_code == 1
    assert f"{TC} changed (major) but no change note names it" in result.stderr
    assert f"ontology note --kpi {TC}" in result.stderr


def test_check_passes_with_a_proper_note(released: Path) -> None:
    _change_formula(released)
    record_dispute(released, "D-2026-007", TC)
    note = run_cli(released, "note", "--kpi", TC, "-m", "Count paid contracts only.",
                   "--dispute", "D-2026-007")
    assert note.exit_code == 0, note.stderr
    written = next((released / "changelog/unreleased").glob("*.yaml"))
    assert "dispute: D-2026-007" in written.read_text()
    result = run_cli(released, "check")
    assert result.exit_code == 0, result.stderr
    assert "Count paid contracts only." in result.stdout


def test_check_fails_on_a_note_that_under_declares(released: Path) -> None:
    _change_formula(released)
    run_cli(released, "note", "--kpi", TC, "-m", "Small wording fix.", "--bump", "patch")
    result = run_cli(released, "check")
    assert result.exit_code == 1
    assert "declares a patch bump" in result.stderr and "major" in result.stderr


def test_a_declared_bump_raises_the_level(released: Path) -> None:
    edit_kpi(released, TC, lambda kpi: kpi.__setitem__("defaultLabel", "Customers"))
    run_cli(released, "note", "--kpi", TC, "-m", "Relabel on request.", "--bump", "minor")
    plan = json.loads(run_cli(released, "plan", "--format", "json").stdout)
    assert (plan["kpis"][0]["bump"], plan["kpis"][0]["nextVersion"]) == ("minor", "1.3.0")
    assert run_cli(released, "check").exit_code == 0


def test_a_waiver_lowers_a_level_only_with_a_justification(released: Path) -> None:
    _change_formula(released)
    refused = run_cli(released, "note", "--kpi", TC, "-m", "Clarify.",
                      "--waive", "formula-changed=ok")
    assert refused.exit_code == 1
    assert "justification of at least 10 characters" in refused.stderr
    assert not list((released / "changelog/unreleased").glob("*.yaml"))
    accepted = run_cli(released, "note", "--kpi", TC, "-m", "Clarify.", "--waive",
                       "formula-changed=Same count: only the wording of the exclusions moved.")
    assert accepted.exit_code == 0, accepted.stderr
    plan = json.loads(run_cli(released, "plan", "--format", "json").stdout)
    [change] = plan["kpis"][0]["changes"]
    assert change["waived"]["justification"].startswith("Same count")
    assert (plan["kpis"][0]["bump"], plan["kpis"][0]["nextVersion"]) == ("patch", "1.2.1")
    assert "waived: Same count" in run_cli(released, "plan").stdout
    assert run_cli(released, "check").exit_code == 0


def test_an_unclassified_change_blocks_until_waived(released: Path) -> None:
    edit_kpi(released, TC, lambda kpi: kpi.__setitem__("footnote", "x"))
    blocked = json.loads(run_cli(released, "diff", "--format", "json").stdout)
    assert blocked["blocking"][0]["rule"] == "unclassified"
    assert run_cli(released, "diff").exit_code == 1
    assert "validation found 1 error" in run_cli(released, "check").stderr
    run_cli(released, "note", "--kpi", TC, "-m", "Add a footnote.", "--waive",
            "unclassified=A footnote is presentation only, reviewed by the editors.")
    waived = json.loads(run_cli(released, "diff", "--format", "json").stdout)
    assert waived["blocking"] == []
    assert waived["kpis"][0]["bump"] == "patch"


def test_note_refuses_an_unknown_kpi(released: Path) -> None:
    """SPEC 8: an id given to --kpi that no snapshot holds is a usage error (exit 2)."""
    result = run_cli(released, "note", "--kpi", "customers.nope", "-m", "x")
    assert result.exit_code == 2
    assert "no KPI 'customers.nope'" in result.stderr
    assert not (released / "changelog" / "unreleased").exists() or not any(
        (released / "changelog" / "unreleased").iterdir())


@pytest.mark.parametrize("args", [("--dispute", "D 2026 1"), ("--dispute", "D-2026-001;x")])
def test_note_refuses_a_malformed_value_as_a_usage_error(released: Path,
                                                         args: tuple[str, str]) -> None:
    result = run_cli(released, "note", "--kpi", TC, "-m", "A change.", *args)
    assert result.exit_code == 2, result.output
    assert len(result.stderr.strip().splitlines()) == 1


def test_promote_back_attributes_in_place_keeping_comments(released: Path) -> None:
    path = released / "ontology/customers/total_customers.yaml"
    path.write_text(path.read_text().replace("  formula:", "  # reviewed by finance\n  formula:"))
    result = run_cli(released, "promote", TC, "--source-name", "Example Standard",
                     "--source-url", "https://example.org/customers",
                     "--publication-date", "2025-03-01", "--attribution", "Adapted.")
    assert result.exit_code == 0, result.stderr
    text = path.read_text()
    assert "# reviewed by finance" in text
    assert "tier: published" in text and "publicationDate: 2025-03-01" in text
    plan = json.loads(run_cli(released, "plan", "--format", "json").stdout)
    assert "tier-promoted" in {c["rule"] for c in plan["kpis"][0]["changes"]}
    assert plan["kpis"][0]["bump"] == "minor"
    assert run_cli(released, "validate").exit_code == 0


def test_promote_refuses_bad_input_and_writes_nothing(released: Path) -> None:
    path = released / "ontology/customers/total_customers.yaml"
    before = path.read_bytes()
    for args in (["--publication-date", "2025-02-01"],
                 ["--publication-date", "2025-02-01", "--source-url", "ftp://x"]):
        result = run_cli(released, "promote", TC, "--source-name", "Std", *args)
        assert result.exit_code == 1 and result.stderr.startswith("ontology: error:")
    # a date that is not a date is a malformed option value: a usage error (SPEC 8)
    result = run_cli(released, "promote", TC, "--source-name", "Std",
                     "--publication-date", "2025-02-30", "--source-url", "https://x.org")
    assert result.exit_code == 2 and "'2025-02-30' is not a real calendar date" in result.stderr
    assert path.read_bytes() == before
