"""SPEC 8: every `--format json` output has a JSON Schema in schemas/, and real output meets it."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from ontology_tools.schemas import schema_errors
from tests.conftest import run_cli
from tests.release import scenario


@pytest.fixture(scope="module")
def released(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Two releases, a third change pending (a formula, a removed relation), a broken file."""
    import shutil

    from tests.conftest import FIXTURES, git
    from tests.support.gitenv import isolated_git

    root = tmp_path_factory.mktemp("schemas") / "mini"
    shutil.copytree(FIXTURES / "mini", root)
    with isolated_git(tmp_path_factory.mktemp("home")):
        git(root, "init", "-q", "-b", "main")
        git(root, "add", "-A")
        git(root, "commit", "-q", "-m", "Initial ontology")
        scenario.second_release_ready(root)
        assert run_cli(root, "release", "--date", scenario.SECOND_DATE, "--tag").exit_code == 0
        path = root / scenario.CHURN
        path.write_text(path.read_text(encoding="utf-8").replace(
            "counting parent accounts only", "counting parent accounts, not subsidiaries"),
            encoding="utf-8")
    return root


def _json(root: Path, *args: str) -> object:
    result = run_cli(root, *args)
    assert result.exit_code in (0, 1), result.output
    return json.loads(result.stdout)


def _valid(name: str, document: object) -> None:
    assert [e.message for e in schema_errors(name, document)] == []


def test_validate_json_meets_the_findings_schema(released: Path, tmp_path: Path) -> None:
    _valid("findings", _json(released, "validate", "--format", "json"))
    broken = tmp_path / "broken"
    import shutil

    shutil.copytree(released, broken, ignore=shutil.ignore_patterns(".git"))
    (broken / "ontology/sales/arr.yaml").write_text("kpi: [unclosed\n", encoding="utf-8")
    document = _json(broken, "validate", "--format", "json")
    assert isinstance(document, dict) and document["findings"]
    _valid("findings", document)


@pytest.mark.parametrize("args", [
    ("diff", "--format", "json"),
    ("diff", "--from", "1.0.0", "--to", "2.0.0", "--format", "json"),
    ("diff", "--from", "1.0.0", "--format", "json", "--kpi", "sales.arr"),
    ("plan", "--format", "json"),
])
def test_diff_and_plan_json_meet_the_plan_schema(released: Path, args: tuple[str, ...]) -> None:
    document = _json(released, *args)
    assert isinstance(document, dict) and document["kpis"]
    _valid("plan", document)


@pytest.mark.parametrize("rogue_id", ["customers.logo_churn_rate", "sales.arr",
                                      "customers.total_customers"])
def test_history_json_meets_its_schema(released: Path, rogue_id: str) -> None:
    document = _json(released, "history", rogue_id, "--format", "json")
    assert isinstance(document, dict) and document["releases"]
    _valid("history", document)


def test_history_schema_rejects_a_wrong_shape(released: Path) -> None:
    document = _json(released, "history", "sales.arr", "--format", "json")
    assert isinstance(document, dict)
    document["releases"][0]["releasedAt"] = "June 2026"
    assert list(schema_errors("history", document))
    del document["releases"][0]["releasedAt"]
    assert list(schema_errors("history", document))


@pytest.mark.parametrize("policy", ["--policy", "--no-policy"])
def test_rules_json_meets_its_schema(released: Path, policy: str) -> None:
    document = _json(released, "rules", "--format", "json", policy)
    assert isinstance(document, dict) and document["changeRules"] and document["validationRules"]
    _valid("rules", document)


def test_rules_schema_rejects_an_unknown_level() -> None:
    document = {"changeRules": [{"id": "x", "level": "huge", "scope": "kpi", "message": "m",
                                 "rationale": "r"}], "validationRules": []}
    assert list(schema_errors("rules", document))
