"""A released ontology in a temporary git repository, and a way to edit one KPI at a time."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from ontology_tools import yamlio
from ontology_tools.model import kpi_path_for
from tests.conftest import git, run_cli

RELEASED = "1.2.0"
PUBLISHED_SOURCE = {
    "tier": "published", "sourceName": "Example Standard", "sourceUrl": "https://example.org/std",
    "sectionRef": "§ 4.2", "publicationDate": "2024-01-15",
    "attributionNotice": "Adapted from the Example Standard.",
}


def edit_yaml(path: Path, change: Callable[[Any], None]) -> None:
    """Round-trip edit of a YAML file, as an editor's careful hand would make it."""
    document = yamlio.load_round_trip(path.read_text(encoding="utf-8"))
    change(document)
    path.write_text(yamlio.dump_round_trip(document), encoding="utf-8")


def edit_kpi(root: Path, rogue_id: str, change: Callable[[Any], None]) -> None:
    """Apply `change` to the `kpi` mapping of one KPI file."""
    edit_yaml(root / kpi_path_for(rogue_id), lambda doc: change(doc["kpi"]))


def stamp_all(root: Path, version: str, date: str) -> None:
    """Stamp every KPI and ontology.yaml as a release would have done."""
    for path in sorted((root / "ontology").glob("*/*.yaml")):
        def stamp(doc: Any) -> None:
            doc.insert(0, "version", version)
            doc.insert(1, "releasedAt", yamlio.plain_date(date))
        edit_yaml(path, stamp)

    def stamp_config(doc: Any) -> None:
        doc["version"] = version
        doc["releasedAt"] = yamlio.plain_date(date)
    edit_yaml(root / "ontology" / "ontology.yaml", stamp_config)


@pytest.fixture
def released(mini_repo: Path) -> Path:
    """mini, with sales.arr on the published tier, released as 1.2.0 and tagged v1.2.0."""
    edit_kpi(mini_repo, "sales.arr",
             lambda kpi: kpi["definitionSource"].update(PUBLISHED_SOURCE))
    stamp_all(mini_repo, RELEASED, "2026-05-20")
    git(mini_repo, "add", "-A")
    git(mini_repo, "commit", "-q", "-m", f"Release ontology {RELEASED}\n\n"
        f"Ontology-Release: {RELEASED}")
    git(mini_repo, "tag", "-a", f"v{RELEASED}", "-m", f"Ontology {RELEASED}")
    return mini_repo


def diff_json(root: Path, *args: str) -> dict[str, Any]:
    """`ontology diff --format json ARGS` → the parsed plan."""
    result = run_cli(root, "diff", "--format", "json", *args)
    assert result.exit_code in (0, 1), result.output + result.stderr
    plan: dict[str, Any] = json.loads(result.stdout)
    return plan
