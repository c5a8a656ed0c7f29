"""Stamping keeps the file as written; the bundle's KPI JSON matches the seed byte for byte."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from ontology_tools import yamlio
from ontology_tools.project import Settings
from ontology_tools.release.bundle import kpi_release_bytes
from ontology_tools.release.stamp import stamp_kpi_text, stamp_ontology_text
from tests.conftest import FIXTURES, REPO, run_cli
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


def test_restamping_a_released_file_changes_only_the_two_values() -> None:
    text = ("# Owned by Finance.\n"
            "version: '1.0.0'   # bumped by releases\n"
            "releasedAt: 2026-01-01\n"
            "kpi:\n"
            "  rogueId: sales.arr  # the id\n"
            "  stageRelevance: {seed: core,   growth: high}\n")
    assert stamp_kpi_text(text, "1.1.0", "2026-05-20") == text.replace(
        "'1.0.0'", "1.1.0").replace("2026-01-01", "2026-05-20")


def test_in_place_stamps_equal_round_tripped_ones_for_every_shipped_kpi() -> None:
    paths = sorted((REPO / "ontology").glob("*/*.yaml"))
    assert len(paths) > 50
    for path in paths:
        text = path.read_text(encoding="utf-8")
        document = yamlio.load_round_trip(text)
        if "version" not in document:  # added since the last release: the next test covers it
            continue
        in_place = yamlio.replace_leading_scalars(text, {"version": "9.1.0",
                                                         "releasedAt": "2030-01-02"})
        document["version"], document["releasedAt"] = "9.1.0", yamlio.plain_date("2030-01-02")
        assert in_place == yamlio.dump_round_trip(document), path


def test_first_stamps_inserted_in_place_equal_round_tripped_ones_for_every_shipped_kpi() -> None:
    for path in sorted((REPO / "ontology").glob("*/*.yaml")):
        document = yamlio.load_round_trip(path.read_text(encoding="utf-8"))
        document.pop("version", None), document.pop("releasedAt", None)
        unstamped = yamlio.dump_round_trip(document)
        expected = yamlio.load_round_trip(unstamped)
        expected.insert(0, "version", "1.0.0")
        expected.insert(1, "releasedAt", yamlio.plain_date("2026-01-05"))
        assert yamlio.insert_leading_scalars(unstamped, {"version": "1.0.0",
                                                         "releasedAt": "2026-01-05"}) == \
            yamlio.dump_round_trip(expected), path


def test_first_stamps_keep_line_endings_and_leading_comments() -> None:
    text = "# Owned by Finance.\r\n\r\nkpi:\r\n  rogueId: sales.arr\r\n"
    assert stamp_kpi_text(text, "1.0.0", "2026-05-20") == (
        "# Owned by Finance.\r\n\r\nversion: 1.0.0\r\nreleasedAt: 2026-05-20\r\n"
        "kpi:\r\n  rogueId: sales.arr\r\n")


@pytest.mark.parametrize("text", [
    "{kpi: {rogueId: sales.arr}}\n",  # a flow mapping
    "kpi: {}\nversion: 1.0.0\n",  # a stamp already there, elsewhere
    "- kpi\n",  # not a mapping
    "kpi: [unclosed\n",  # not YAML
])
def test_first_stamps_are_not_inserted_where_they_cannot_be_exactly(text: str) -> None:
    assert yamlio.insert_leading_scalars(text, {"version": "1.0.0",
                                                "releasedAt": "2026-05-20"}) is None


@pytest.mark.parametrize(("text", "values"), [
    ("kpi: {}\nversion: 1.0.0\nreleasedAt: 2026-01-01\n", None),  # stamps not first
    ("version: 1.0.0\nkpi: {}\nreleasedAt: 2026-01-01\n", None),  # not the first two keys
    ("version: [1]\nreleasedAt: 2026-01-01\nkpi: {}\n", None),  # not a scalar
    ("version: &v 1.0.0\nreleasedAt: 2026-01-01\nkpi: {}\n", None),  # an anchor
    ("version: >-\n  1.0.0\nreleasedAt: 2026-01-01\nkpi: {}\n", None),  # over two lines
    ("- version\n", None),  # not a mapping
    ("version: 1.0.0\nreleasedAt: 2026-01-01\nkpi: {}\n", {"version": "1.0: x"}),  # unsafe
    ("version: 1.0.0\nreleasedAt: 2026-01-01\nkpi: {}\n", {"version": "1.5"}),  # a float
])
def test_in_place_replacement_declines_what_it_cannot_do_exactly(
        text: str, values: dict[str, str] | None) -> None:
    wanted = values if values is not None else {"version": "2.0.0", "releasedAt": "2026-05-20"}
    if values is not None and "releasedAt" not in values:
        wanted = {**values, "releasedAt": "2026-05-20"}
    assert yamlio.replace_leading_scalars(text, wanted) is None


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
