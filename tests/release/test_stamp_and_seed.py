"""Stamping keeps the file as written; the bundle's KPI JSON matches the seed byte for byte."""

from __future__ import annotations

import json
from pathlib import Path

from ontology_tools import yamlio
from ontology_tools.project import Settings
from ontology_tools.release.bundle import kpi_release_bytes
from ontology_tools.release.stamp import stamp_kpi_text, stamp_ontology_text
from tests.conftest import FIXTURES, run_cli
from tests.release import scenario

SEED_SOURCE = FIXTURES / "mini/ontology/customers/total_customers.yaml"
SEED_RELEASE = FIXTURES / "total_customers.release.json"


def _stages() -> list[str]:
    config = yamlio.load_fast((FIXTURES / "mini/ontology/ontology.yaml").read_bytes())
    return list(Settings.from_config(config).vocabulary.stages)


def test_kpi_file_of_the_seed_is_byte_identical() -> None:
    kpi = yamlio.load_fast(SEED_SOURCE.read_bytes())["kpi"]
    assert kpi_release_bytes(kpi, "1.3.0", "2026-05-20", _stages()) == SEED_RELEASE.read_bytes()


def test_bundle_kpi_file_has_the_seed_byte_format(mini_repo: Path) -> None:
    scenario.first_release(mini_repo)
    written = (mini_repo / "dist/ontology-1.0.0/kpis/customers/total_customers.json").read_bytes()
    seed = json.loads(SEED_RELEASE.read_bytes())
    expected = {**seed, "version": "1.0.0", "releasedAt": "2026-05-20"}
    assert written == (json.dumps(expected, indent=2, ensure_ascii=False) + "\n").encode()


def test_stamping_keeps_comments_quoting_and_order() -> None:
    text = ("# Owned by Finance.\n"
            "kpi:\n"
            "  rogueId: sales.arr  # the id\n"
            "  defaultLabel: 'ARR'\n"
            "  description: >-\n"
            "    Annual recurring\n"
            "    revenue.\n"
            "  stageRelevance: {seed: core}\n")
    stamped = stamp_kpi_text(text, "1.2.0", "2026-05-20")
    assert stamped == "# Owned by Finance.\nversion: 1.2.0\nreleasedAt: 2026-05-20\n" + \
        text.removeprefix("# Owned by Finance.\n")


def test_restamping_replaces_the_stamps_in_place() -> None:
    text = "kpi:\n  rogueId: sales.arr\nversion: 1.0.0\nreleasedAt: 2026-01-01\n"
    assert stamp_kpi_text(text, "2.0.0", "2026-05-20") == \
        "version: 2.0.0\nreleasedAt: 2026-05-20\nkpi:\n  rogueId: sales.arr\n"


def test_ontology_stamps_keep_comments() -> None:
    text = "# Top.\nname: X\nversion: null  # stamped\nreleasedAt: null\ntagPrefix: v\n"
    assert stamp_ontology_text(text, "1.0.0", "2026-05-20") == \
        "# Top.\nname: X\nversion: 1.0.0 # stamped\nreleasedAt: 2026-05-20\ntagPrefix: v\n"


def test_dry_run_writes_nothing(mini_repo: Path) -> None:
    scenario.second_release_ready(mini_repo)
    before = scenario.state(mini_repo)
    result = run_cli(mini_repo, "release", "--date", scenario.SECOND_DATE, "--dry-run", "--tag")
    assert result.exit_code == 0, result.output
    assert "customers.logo_churn_rate (changed): 1.0.0 → 2.0.0 (major)" in result.output
    assert "## [2.0.0] - 2026-06-01" in result.output
    assert scenario.state(mini_repo) == before
