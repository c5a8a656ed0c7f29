"""`fmt`, `new` and the command line around `validate`: root discovery, paths, help."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from click.testing import CliRunner

from ontology_tools import __version__, yamlio
from ontology_tools.canonical import KPI_KEYS
from ontology_tools.cli import main
from tests.conftest import run_cli

KPI = "ontology/sales/arr.yaml"
COMMENTS = ("# ARR, as the board reads it.", "# the file name", "# The prose below is one long",
            "# always dollars", "# too early to matter", "# short on purpose", "# The end.")
SCRAMBLED = """\
# ARR, as the board reads it.
kpi:
  slug: arr  # the file name
  rogueId: sales.arr
  metricBasis:
    production: primary
    timeBasis: point_in_time
  domain: sales
  defaultLabel: ARR
  # The prose below is one long line on purpose.
  description: Annual recurring revenue from active subscriptions, normalised to twelve months \
and counted on the reporting date, excluding one-off services and usage overages.
  fieldType: currency
  unit: USD  # always dollars
  maturity: general
  stageRelevance:
    seed: recommended
    preSeed: optional  # too early to matter
    seriesA: core
    seriesB: core
    seriesC: core
    public: core
  suggestedForStages:
    - seed
    - seriesA
    - seriesB
    - seriesC
    - public
  defaultOwningFunctions: [Finance]
  definitionSource: {tier: editorial, sourceName: imboard Editorial, sourceUrl: null, \
sectionRef: null, publicationDate: 2026-04-01, attributionNotice: null}
  formula: >-
    Sum of annualised recurring subscription revenue on the reporting date.
  whyItMatters: Boards read it every quarter.  # short on purpose
  interpretationGuidance: Compare with the company's own trailing trend.
  relatedKpiIds: [customers.total_customers, customers.top_customer_concentration]
# The end.
"""


def files_of(root: Path) -> dict[str, bytes]:
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in root.rglob("*") if p.is_file()}


def kpi_keys(text: str) -> list[str]:
    return re.findall(r"^  ([A-Za-z]+):", text, flags=re.MULTILINE)


# --- fmt ----------------------------------------------------------------------------------------

def test_fmt_check_on_mini_is_clean(mini: Path) -> None:
    result = run_cli(mini, "fmt", "--check")
    assert result.exit_code == 0, result.output
    assert result.stdout == ""


@pytest.fixture
def scrambled(mini: Path) -> Path:
    (mini / KPI).write_text(SCRAMBLED, encoding="utf-8")
    return mini


def test_fmt_rewrites_into_canonical_form(scrambled: Path) -> None:
    result = run_cli(scrambled, "fmt")
    assert result.exit_code == 0, result.output
    assert result.stdout == f"reformatted {KPI}\n"
    text = (scrambled / KPI).read_text(encoding="utf-8")
    assert kpi_keys(text) == [key for key in KPI_KEYS if key in kpi_keys(SCRAMBLED)]
    assert "  suggestedForStages: [seed, seriesA, seriesB, seriesC, public]\n" in text
    assert "  metricBasis: {timeBasis: point_in_time, production: primary}\n" in text
    assert "  definitionSource:\n    tier: editorial\n" in text
    assert "  relatedKpiIds:\n    - customers.total_customers\n" in text
    assert "  description: >-\n    Annual recurring revenue" in text
    assert "  interpretationGuidance: >-\n    Compare with" in text
    assert max(len(line) for line in text.splitlines()) <= yamlio.TEXT_WIDTH
    stages = text.index("preSeed: optional"), text.index("seed: recommended")
    assert stages[0] < stages[1]


def test_fmt_keeps_every_comment(scrambled: Path) -> None:
    run_cli(scrambled, "fmt")
    text = (scrambled / KPI).read_text(encoding="utf-8")
    for comment in COMMENTS:
        assert text.count(comment) == 1, comment
    assert "# too early to matter\n," not in text  # never a comment inside a flow collection


def test_fmt_never_changes_content(scrambled: Path) -> None:
    before = yamlio.load_fast((scrambled / KPI).read_bytes())
    run_cli(scrambled, "fmt")
    assert yamlio.load_fast((scrambled / KPI).read_bytes()) == before


def test_fmt_is_idempotent(scrambled: Path) -> None:
    run_cli(scrambled, "fmt")
    once = (scrambled / KPI).read_bytes()
    result = run_cli(scrambled, "fmt")
    assert result.exit_code == 0
    assert result.stdout == ""
    assert (scrambled / KPI).read_bytes() == once
    assert run_cli(scrambled, "fmt", "--check").exit_code == 0
    validated = run_cli(scrambled, "validate")
    assert validated.exit_code == 0 and validated.stdout == ""


def test_fmt_check_names_the_file_and_writes_nothing(scrambled: Path) -> None:
    before = files_of(scrambled)
    result = run_cli(scrambled, "fmt", "--check")
    assert result.exit_code == 1
    assert result.stdout == f"would reformat {KPI}\n"
    assert files_of(scrambled) == before


def test_fmt_reports_a_broken_file_without_a_traceback(mini: Path) -> None:
    (mini / KPI).write_text("kpi:\n  slug: [arr\n", encoding="utf-8")
    result = run_cli(mini, "fmt")
    assert result.exit_code == 1
    assert KPI in result.stderr
    assert "Traceback" not in result.output


# --- new ----------------------------------------------------------------------------------------

def test_new_writes_a_valid_skeleton(mini: Path) -> None:
    result = run_cli(mini, "new", "customers", "net_new_logos")
    assert result.exit_code == 0, result.output
    assert result.stdout == "wrote ontology/customers/net_new_logos.yaml\n"
    written = yamlio.load_fast((mini / "ontology/customers/net_new_logos.yaml").read_bytes())
    assert written["kpi"]["rogueId"] == "customers.net_new_logos"
    assert written["kpi"]["relatedKpiIds"] == []
    validated = run_cli(mini, "validate")
    assert validated.exit_code == 0, validated.stdout
    assert validated.stdout == ""
    assert run_cli(mini, "fmt", "--check").exit_code == 0


def test_new_refuses_an_existing_file(mini: Path) -> None:
    before = files_of(mini)
    result = run_cli(mini, "new", "customers", "total_customers")
    assert result.exit_code == 1
    assert result.stdout == ""
    lines = result.stderr.splitlines()
    assert len(lines) == 1 and lines[0].startswith("ontology: error: ")
    assert "already exists" in lines[0]
    assert files_of(mini) == before


@pytest.mark.parametrize(("domain", "slug", "says"), [
    ("customers", "../../etc/passwd", "slug"),
    ("customers", "NetNewLogos", "slug"),
    ("../customers", "net_new_logos", "domain"),
    ("galaxy", "net_new_logos", "unknown domain"),
])
def test_new_refuses_a_malformed_name_as_a_usage_error(mini: Path, domain: str, slug: str,
                                                       says: str) -> None:
    """SPEC 8: a slug that is not [a-z0-9_]+ (or a domain not in the vocabulary) exits 2."""
    before = files_of(mini)
    result = run_cli(mini, "new", domain, slug)
    assert result.exit_code == 2
    assert result.stdout == ""
    assert says in result.stderr.splitlines()[-1]
    assert files_of(mini) == before


# --- the command line ---------------------------------------------------------------------------

def test_version() -> None:
    result = CliRunner().invoke(main, ["--version"])
    assert result.exit_code == 0
    assert __version__ in result.output


@pytest.mark.parametrize("args", [["--help"], ["-h"], ["validate", "--help"], ["new", "-h"]])
def test_help(args: list[str], mini: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(mini)
    result = CliRunner().invoke(main, args)
    assert result.exit_code == 0, result.output
    assert "Usage:" in result.output


def test_help_outside_a_repository(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    result = CliRunner().invoke(main, ["--help"])
    assert result.exit_code == 0, result.output
    assert "validate" in result.output


def test_subcommand_help_outside_a_repository(tmp_path: Path,
                                              monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    result = CliRunner().invoke(main, ["validate", "--help"])
    assert result.exit_code == 0, result.output


def test_shell_completion_script(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    result = CliRunner().invoke(main, [], prog_name="ontology",
                                env={"_ONTOLOGY_COMPLETE": "bash_source"})
    assert result.exit_code == 0
    assert "_ontology_completion" in result.output
    assert "complete -o" in result.output


def test_validate_from_a_sub_folder(mini: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(mini / "ontology" / "customers")
    result = CliRunner().invoke(main, ["validate"])
    assert result.exit_code == 0, result.output
    assert "files valid" in result.stderr


def test_validate_outside_a_repository(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    result = CliRunner().invoke(main, ["validate"])
    assert result.exit_code != 0
    assert "ontology/ontology.yaml" in result.stderr
    assert "Traceback" not in result.output


def test_validate_limits_findings_to_the_given_file(mini: Path,
                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    (mini / KPI).write_text((mini / KPI).read_text(encoding="utf-8").replace(
        "fieldType: currency", "fieldType: money"), encoding="utf-8")
    total = "ontology/customers/total_customers.yaml"
    (mini / total).write_text((mini / total).read_text(encoding="utf-8").replace(
        "maturity: general", "maturity: mythical"), encoding="utf-8")
    monkeypatch.chdir(mini)
    result = CliRunner().invoke(main, ["validate", total])
    assert result.exit_code == 1
    lines = result.stdout.splitlines()
    assert lines and all(line.startswith(total + ":") for line in lines)
    assert CliRunner().invoke(main, ["validate", "ontology/customers/logo_churn_rate.yaml"]
                              ).exit_code == 0


def test_validate_with_root_from_anywhere(mini: Path, tmp_path: Path,
                                          monkeypatch: pytest.MonkeyPatch) -> None:
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    monkeypatch.chdir(elsewhere)
    result = CliRunner().invoke(main, ["--root", str(mini), "validate"])
    assert result.exit_code == 0, result.output


def test_validate_a_missing_path_is_a_usage_error(mini: Path,
                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(mini)
    result = CliRunner().invoke(main, ["validate", "ontology/customers/no_such_kpi.yaml"])
    assert result.exit_code == 2
    assert "no_such_kpi.yaml" in result.stderr
    assert "Traceback" not in result.output
