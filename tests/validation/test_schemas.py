"""The JSON Schemas: well-formed, in step with each other and with the seed release."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from jsonschema import Draft202012Validator

from ontology_tools import yamlio
from ontology_tools.schemas import SCHEMA_NAMES, schema
from tests.conftest import FIXTURES, REPO

SCHEMAS = REPO / "schemas"
DRAFT = "https://json-schema.org/draft/2020-12/schema"
SEED = FIXTURES / "total_customers.release.json"
SHIPPED_KPI = REPO / "ontology" / "customers" / "total_customers.yaml"
SCHEMA_FILES = sorted(SCHEMAS.glob("*.schema.json"))


def read_json(path: Path) -> Any:
    return json.loads(path.read_text(encoding="utf-8"))


@pytest.mark.parametrize("path", SCHEMA_FILES, ids=[p.name for p in SCHEMA_FILES])
def test_schema_is_draft_2020_12_with_an_id(path: Path) -> None:
    document = read_json(path)
    assert document["$schema"] == DRAFT
    Draft202012Validator.check_schema(document)
    assert document["$id"].endswith("/" + path.name)


def test_ids_are_unique() -> None:
    ids = [read_json(path)["$id"] for path in SCHEMA_FILES]
    assert len(ids) == len(set(ids))


def test_package_ships_the_same_schemas() -> None:
    assert sorted(f"{name}.schema.json" for name in SCHEMA_NAMES) == [p.name for p in SCHEMA_FILES]
    for name in SCHEMA_NAMES:
        assert schema(name) == read_json(SCHEMAS / f"{name}.schema.json"), name


def test_seed_release_validates_with_jsonschema() -> None:
    Draft202012Validator(read_json(SCHEMAS / "kpi-release.schema.json")).validate(read_json(SEED))


def check_jsonschema() -> list[str]:
    """The check-jsonschema console script of this interpreter, or its module."""
    script = Path(sys.executable).with_name("check-jsonschema")
    return [str(script)] if script.is_file() else [sys.executable, "-m", "check_jsonschema"]


def test_seed_release_validates_with_check_jsonschema() -> None:
    result = subprocess.run(
        [*check_jsonschema(), "--schemafile", "schemas/kpi-release.schema.json",
         "tests/fixtures/total_customers.release.json"],
        cwd=REPO, capture_output=True, text=True, timeout=120, check=False,
        env={**os.environ, "NO_COLOR": "1"})
    assert result.returncode == 0, result.stdout + result.stderr


def test_release_schema_rejects_a_broken_release() -> None:
    broken = read_json(SEED)
    broken["kpi"]["definitionSource"]["publicationDate"] = "April 2026"
    validator = Draft202012Validator(read_json(SCHEMAS / "kpi-release.schema.json"))
    assert not validator.is_valid(broken)


def test_kpi_definitions_cannot_drift() -> None:
    source = read_json(SCHEMAS / "kpi.schema.json")
    release = read_json(SCHEMAS / "kpi-release.schema.json")
    assert source["$defs"] == release["$defs"]
    assert source["properties"]["kpi"] == release["properties"]["kpi"] == {"$ref": "#/$defs/kpi"}


def test_shipped_kpi_equals_the_seed() -> None:
    shipped = yamlio.load_fast(SHIPPED_KPI.read_bytes())
    seed = read_json(SEED)
    assert shipped["kpi"] == seed["kpi"]
    assert shipped["kpi"]["definitionSource"]["publicationDate"] == "2026-04-01"


def test_shipped_kpi_matches_the_source_schema() -> None:
    shipped = yamlio.load_fast(SHIPPED_KPI.read_bytes())
    Draft202012Validator(read_json(SCHEMAS / "kpi.schema.json")).validate(shipped)
