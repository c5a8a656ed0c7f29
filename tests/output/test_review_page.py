"""SPEC 7.1: the review page of an added, removed or renamed KPI shows its whole definition."""

from __future__ import annotations

from pathlib import Path

import pytest

from ontology_tools import yamlio
from ontology_tools.model import Bump, Change, Plan
from ontology_tools.render.review import definition_fields, review_page
from ontology_tools.review.history import HistoryEntry
from tests.conftest import run_cli
from tests.history.test_history import NEW, OLD, _rename
from tests.release import scenario
from tests.support.pages import table_rows

TC = "customers.total_customers"


def _rows(page: str) -> dict[str, tuple[str, str]]:
    return {row[0]: (row[1], row[2]) for row in table_rows(page) if len(row) == 3}


def _kpi(root: Path, rogue_id: str) -> dict[str, object]:
    domain, slug = rogue_id.split(".")
    document = yamlio.load_fast((root / f"ontology/{domain}/{slug}.yaml").read_bytes())
    assert isinstance(document, dict)
    kpi: dict[str, object] = document["kpi"]
    return kpi


@pytest.fixture
def released(mini_repo: Path) -> Path:
    scenario.first_release(mini_repo)
    return mini_repo


def _page(root: Path, *args: str) -> str:
    result = run_cli(root, "diff", "--format", "html", *args)
    assert result.exit_code == 0, result.output
    assert "None" not in result.stdout
    return result.stdout


def test_an_added_kpi_shows_every_field_on_the_new_side(released: Path) -> None:
    assert run_cli(released, "new", "sales", "net_new_arr").exit_code == 0
    rows = _rows(_page(released, "--kpi", "sales.net_new_arr"))
    fields = dict(definition_fields(_kpi(released, "sales.net_new_arr")))
    assert {"formula", "definitionSource.tier", "metricBasis.timeBasis", "unit"} <= set(fields)
    for field, text in fields.items():
        assert rows[field] == ("", text), field
    assert rows["unit"] == ("", "(none)")


def test_a_removed_kpi_shows_every_field_on_the_old_side(released: Path) -> None:
    before = _kpi(released, TC)
    (released / "ontology/customers/total_customers.yaml").unlink()
    rows = _rows(_page(released, "--kpi", TC))
    fields = dict(definition_fields(before))
    assert len(fields) > 15
    for field, text in fields.items():
        assert rows[field] == (text, ""), field
    assert "—" not in {cell for pair in rows.values() for cell in pair}


def test_a_renamed_kpi_shows_the_old_text_against_the_new(released: Path) -> None:
    before = _kpi(released, OLD)
    _rename(released)
    rows = _rows(_page(released, "--kpi", NEW))
    assert rows["rogueId"] == (OLD, NEW)
    assert rows["formula"] == (str(before["formula"]), str(before["formula"]))


REMOVED = Change("kpi-removed", Bump.MAJOR, "", None, None, "KPI removed")


def test_a_removed_kpi_in_the_history_section_is_never_none() -> None:
    entry = HistoryEntry(rogue_id=TC, ontology_version="2.0.0", kpi_version=None,
                         previous_version="1.0.0", released_at="2026-06-01", status="removed",
                         bump="major", changes=(REMOVED,),
                         notes=(), author="Ada", email="ada@example.com", commit="0" * 40,
                         committed_at="2026-06-01T10:00:00+00:00")
    empty = Plan("1.0.0", "1.0.0", "2.0.0", "1.0.0", None, Bump.NONE, (), (), ())
    page = review_page(empty, (entry,))
    assert "None" not in page
    assert "removed (major)" in page
