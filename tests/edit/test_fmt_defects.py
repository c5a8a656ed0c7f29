"""The defects `fmt` had (issue 12), each as a user met it: a KPI file in the mini ontology."""

from __future__ import annotations

import re
import time
from pathlib import Path

import pytest

from ontology_tools import yamlio
from ontology_tools.validation.registry import RULES
from tests.conftest import run_cli

KPI = "ontology/sales/arr.yaml"
FINDING = re.compile(r"^(?P<path>[^:]+):(?P<line>\d+):(?P<col>\d+): error (?P<rule>[a-z0-9-]+) .+$")


def write(root: Path, text: str) -> None:
    (root / KPI).write_text(text, encoding="utf-8")


def read(root: Path) -> str:
    return (root / KPI).read_text(encoding="utf-8")


def arr(mini: Path) -> str:
    return (mini / KPI).read_text(encoding="utf-8")


def test_comment_after_a_key_that_holds_a_block_list(mini: Path) -> None:
    write(mini, arr(mini).replace("  defaultOwningFunctions: [Finance]\n",
                                  "  defaultOwningFunctions:  # c1\n    - Finance\n"))
    assert run_cli(mini, "validate").exit_code == 0
    result = run_cli(mini, "fmt")
    assert result.exit_code == 0, result.output
    text = read(mini)
    assert "  defaultOwningFunctions: [Finance]  # c1\n" in text
    assert run_cli(mini, "validate").exit_code == 0


def test_comments_inside_a_flow_mapping_are_kept_on_their_items(mini: Path) -> None:
    write(mini, arr(mini).replace(
        "  metricBasis: {timeBasis: point_in_time, production: primary}\n",
        "  metricBasis: {timeBasis: point_in_time,  # how it is measured\n"
        "    production: primary  # first hand\n  }\n"))
    result = run_cli(mini, "fmt")
    assert result.exit_code == 0, result.output
    text = read(mini)
    assert "    timeBasis: point_in_time  # how it is measured\n" in text
    assert "    production: primary  # first hand\n" in text


def test_a_comment_above_a_key_stays_above_that_key(mini: Path) -> None:
    text = arr(mini)
    moved = text.replace("  unit: USD\n", "").replace(
        "  relatedKpiIds:\n", "  # why dollars\n  unit: USD\n  relatedKpiIds:\n")
    write(mini, moved)
    assert run_cli(mini, "fmt").exit_code == 0
    assert "  # why dollars\n  unit: USD\n" in read(mini)


def test_end_of_file_comments_stay_at_the_end(mini: Path) -> None:
    basis = "  metricBasis: {timeBasis: point_in_time, production: primary}\n"
    text = arr(mini).replace(basis, "").replace("  relatedKpiIds:\n", basis + "  relatedKpiIds:\n")
    write(mini, text + "# the end\n# really\n")
    assert run_cli(mini, "fmt").exit_code == 0
    assert read(mini).endswith("  metricBasis: {timeBasis: point_in_time, production: primary}\n"
                               "# the end\n# really\n")


@pytest.mark.parametrize("layout", [
    "  relatedKpiIds:\n  - customers.total_customers\n  - customers.top_customer_concentration\n",
    "  relatedKpiIds: [customers.total_customers,\n    customers.top_customer_concentration]\n",
    "  relatedKpiIds:\n    -   customers.total_customers\n"
    "    -\n      customers.top_customer_concentration\n",
])
def test_every_list_layout_settles_in_one_run(mini: Path, layout: str) -> None:
    write(mini, re.sub(r"  relatedKpiIds:\n(    - .*\n)+", layout, arr(mini)))
    assert run_cli(mini, "fmt").exit_code == 0
    once = read(mini)
    assert once == arr_canonical(mini)
    assert run_cli(mini, "fmt", "--check").exit_code == 0


def arr_canonical(mini: Path) -> str:
    from tests.conftest import FIXTURES

    return (FIXTURES / "mini" / KPI).read_text(encoding="utf-8")


def test_a_json_style_file_that_validate_accepts(mini: Path) -> None:
    import json

    data = yamlio.load_fast((mini / KPI).read_bytes())
    write(mini, json.dumps(data, indent=2, default=str))
    assert run_cli(mini, "validate").exit_code == 0
    result = run_cli(mini, "fmt")
    assert result.exit_code == 0, result.output
    assert read(mini) == arr_canonical(mini)


@pytest.mark.parametrize(("text", "rule"), [
    ("kpi: &a {slug: arr}\nother: *a\n", "yaml-alias"),
    ("kpi:\n  ? [a, b]\n  : c\n", "yaml-complex-key"),
    ("kpi:\n  slug: arr\n  slug: arr\n", "yaml-duplicate-key"),
    ("kpi: {}\n---\nkpi: {}\n", "yaml-multiple-documents"),
    ("kpi: !!python/object:os.system {}\n", "yaml-tag"),
    ("kpi:\n  slug: [arr\n", "yaml-syntax"),
])
def test_refusals_are_located_findings_with_a_rule(mini: Path, text: str, rule: str) -> None:
    write(mini, text)
    result = run_cli(mini, "fmt")
    assert result.exit_code == 1
    assert read(mini) == text
    lines = result.stderr.splitlines()
    match = FINDING.match(lines[0])
    assert match, lines[0]
    assert match["path"] == KPI and match["rule"] == rule and match["rule"] in RULES
    assert "object has no attribute" not in result.stderr and "unhashable" not in result.stderr


def test_suggested_stages_are_put_in_stage_order(mini: Path) -> None:
    write(mini, arr(mini).replace("[seed, seriesA, seriesB, seriesC, public]",
                                  "[public, seriesA, seed, seriesC, seriesB]"))
    assert run_cli(mini, "fmt").exit_code == 0
    assert read(mini) == arr_canonical(mini)


def test_fmt_is_linear_in_the_file_size(mini: Path) -> None:
    """Twenty times the lines take far less than four hundred times as long."""
    base = arr(mini)

    def timed(entries: int) -> float:
        items = "".join(f"    - customers.k{i}  # note {i}\n" for i in range(entries))
        keys = "".join(f"  x{i}: {i}  # key {i}\n" for i in range(entries))
        write(mini, keys.replace("  x", "y") + base.replace("  relatedKpiIds:\n",
                                                           "  relatedKpiIds:\n" + items)
              .replace("kpi:\n", "kpi:\n" + keys))
        start = time.perf_counter()
        assert run_cli(mini, "fmt").exit_code == 0, read(mini)[:200]
        return time.perf_counter() - start

    timed(50)
    small, large = timed(125), timed(2500)
    assert large < small * 60


def test_a_symlink_is_refused_and_nothing_of_its_target_is_printed(mini: Path,
                                                                   tmp_path: Path) -> None:
    secret = tmp_path / "secret.txt"
    secret.write_text("root:x:0:0:do-not-print\n", encoding="utf-8")
    link = mini / "ontology/sales/leak.yaml"
    link.symlink_to(secret)
    result = run_cli(mini, "fmt")
    assert result.exit_code == 1
    assert "do-not-print" not in result.output
    assert FINDING.match(result.stderr.splitlines()[0])
    assert link.is_symlink() and secret.read_text(encoding="utf-8").endswith("do-not-print\n")


def test_a_folder_named_like_a_kpi_file_is_refused(mini: Path) -> None:
    (mini / "ontology/sales/folder.yaml").mkdir()
    result = run_cli(mini, "fmt")
    assert result.exit_code == 1
    line = result.stderr.splitlines()[0]
    assert line.startswith("ontology/sales/folder.yaml:") and FINDING.match(line)
    assert "Traceback" not in result.output


def test_help_says_what_fmt_guarantees(mini: Path) -> None:
    text = " ".join(run_cli(mini, "fmt", "--help").stdout.split())
    for promise in ("parses to the same data", "running fmt again changes nothing",
                    "above a key stays above that key", "at the end of the file stays at the end",
                    "JSON-style files become the canonical block style",
                    "path:line:col: error rule-id message"):
        assert promise in text, promise


def test_the_shipped_ontology_is_already_in_canonical_form() -> None:
    """fmt's style is the one the ontology is written in: a check on it changes nothing."""
    from tests.conftest import REPO

    result = run_cli(REPO, "fmt", "--check")
    assert result.exit_code == 0, result.output
    assert result.stdout == ""
