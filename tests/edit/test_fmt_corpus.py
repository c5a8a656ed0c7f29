"""Hostile and unusual YAML: fmt rewrites it cleanly or refuses it with a located finding.

`tests/fixtures/fmt/` holds one KPI file per oddity and `cases.json` saying what fmt must do
with it; `yaml-test-suite.json` holds the 402 inputs of the YAML test suite. Whatever the input,
fmt never answers with Python's text, never writes a refused file, and what it writes is
valid, means the same data and stays as it is on a second run.
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest

from ontology_tools import yamlio
from ontology_tools.canonical import in_canonical_order
from ontology_tools.edit.fmt import FormatRefusal, format_text, same_data
from ontology_tools.validation.registry import RULES
from tests.conftest import FIXTURES, run_cli

CORPUS = FIXTURES / "fmt"
CASES: dict[str, dict[str, Any]] = json.loads((CORPUS / "cases.json").read_text("utf-8"))
SUITE: dict[str, str] = json.loads((CORPUS / "yaml-test-suite.json").read_text("utf-8"))
STAGES = ["preSeed", "seed", "seriesA", "seriesB", "seriesC", "public"]
KPI = "ontology/sales/arr.yaml"
FINDING = re.compile(r"^(?P<path>[^:]+):(?P<line>\d+):(?P<col>\d+): error (?P<rule>[a-z0-9-]+) "
                     r"(?P<message>.+)$")
PYTHON_TEXT = ("Traceback", "internal error", "has no attribute", "unhashable",
               "set_int_max_str_digits", "NoneType", "Error(")


def test_every_corpus_file_has_a_case() -> None:
    assert sorted(p.name for p in CORPUS.glob("*.yaml")) == sorted(CASES)


@pytest.mark.parametrize("name", sorted(CASES))
def test_corpus_file(mini: Path, name: str) -> None:
    case = CASES[name]
    before = (CORPUS / name).read_bytes()
    (mini / KPI).write_bytes(before)
    result = run_cli(mini, "fmt", str(mini / KPI))
    output = result.stdout + result.stderr
    assert not any(text in output for text in PYTHON_TEXT), output
    if result.exit_code == 1:
        assert "rewrite" not in case, output
        finding = FINDING.match(result.stderr.splitlines()[0])
        assert finding, result.stderr
        assert finding["path"] == KPI and finding["rule"] in RULES
        assert finding["rule"] == case["refuse"], output
        if "at" in case:
            assert f"{finding['line']}:{finding['col']}" == case["at"], output
        assert (mini / KPI).read_bytes() == before, "a refused file was written"
        return
    assert result.exit_code == 0, output
    assert "refuse" not in case, output
    written = (mini / KPI).read_bytes()
    expected = in_canonical_order(yamlio.load_fast(before), STAGES)
    assert same_data(yamlio.load_fast(written), expected)
    assert run_cli(mini, "fmt", "--check", str(mini / KPI)).exit_code == 0


def test_validate_and_fmt_refuse_the_same_way(mini: Path) -> None:
    """Where fmt refuses a file, validate reports that rule at that place too."""
    for name, case in CASES.items():
        if "refuse" not in case:
            continue
        (mini / KPI).write_bytes((CORPUS / name).read_bytes())
        fmt = run_cli(mini, "fmt", str(mini / KPI)).stderr.splitlines()[0]
        validated = run_cli(mini, "validate", str(mini / KPI)).stdout.splitlines()
        assert fmt in validated, (name, fmt, validated)


@pytest.mark.parametrize("tabs", ["as written", "as spaces"])
def test_the_yaml_test_suite(tabs: str) -> None:
    """Each input rewritten (same data, settled) or refused with a registered rule."""
    rewritten = refused = 0
    for case, text in SUITE.items():
        if tabs == "as spaces":
            text = text.replace("\t", "  ")
        try:
            source = yamlio.decode(text.encode("utf-8"))
        except yamlio.YamlProblem as problem:
            assert problem.rule in RULES and problem.line >= 1
            refused += 1
            continue
        try:
            written = format_text(source, STAGES)
        except FormatRefusal as refusal:
            assert refusal.rule in RULES, case
            assert refusal.line >= 1 and refusal.col >= 1, case
            assert not any(text in refusal.message for text in PYTHON_TEXT), case
            refused += 1
            continue
        assert same_data(yamlio.load_text(written),
                         in_canonical_order(yamlio.load_text(source), STAGES)), case
        assert format_text(written, STAGES) == written, case
        rewritten += 1
    assert rewritten > 150 and refused > 150
