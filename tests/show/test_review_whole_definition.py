"""`diff --kpi ID --format html` of an added or a removed KPI shows its whole definition."""

from __future__ import annotations

from tests.conftest import run_cli
from tests.show.scenario import NEW, OLD, RETIRED, Released
from tests.support.pages import table_rows


def _page(released: Released, rogue_id: str, start: str, end: str) -> tuple[str, list[list[str]]]:
    result = run_cli(released.root, "diff", "--from", start, "--to", end, "--kpi", rogue_id,
                     "--format", "html")
    assert result.exit_code == 0, result.stderr
    return result.stdout, table_rows(result.stdout)


def _fields(rows: list[list[str]], column: int) -> dict[str, str]:
    """Field → value of the definition rows (after the KPI's change row), in one column."""
    start = next(i for i, row in enumerate(rows) if row and row[0].startswith("KPI"))
    found = {}
    for row in rows[start + 1:]:
        if len(row) != 3 or row[0] == "Release":
            break
        assert row[3 - column] == ""  # the side that lacks the KPI shows nothing, not a dash
        found[row[0]] = row[column]
    return found


def test_a_removed_kpi_shows_every_field_it_had(released: Released) -> None:
    page, rows = _page(released, RETIRED, "3.0.0", "4.0.0")
    fields = _fields(rows, 1)
    assert list(fields)[:5] == ["rogueId", "slug", "domain", "defaultLabel", "description"]
    assert fields["formula"] == "One minus logo churn rate."
    assert fields["deprecation.replacedBy"] == "customers.logo_churn_rate"
    assert fields["deprecation.reason"] == "Read logo churn instead."
    assert fields["definitionSource.tier"] == "editorial"
    assert fields["metricBasis.timeBasis"] == "period"
    assert fields["stageRelevance.seriesA"] == "core"
    assert "customers.total_customers" in fields["relatedKpiIds"]
    assert all(value not in ("", "None", "—") for key, value in fields.items()
               if key not in ("unit", "definitionSource.sourceUrl", "definitionSource.sectionRef",
                              "definitionSource.attributionNotice"))
    assert "None" not in page and "<td>—</td>" not in page


def test_an_added_kpi_shows_every_field_it_has(released: Released) -> None:
    page, rows = _page(released, OLD, "EMPTY", "1.0.0")
    fields = _fields(rows, 2)
    assert fields["rogueId"] == OLD and fields["defaultLabel"]
    assert len(fields) >= 17
    assert "None" not in page and "<td>—</td>" not in page


def test_a_renamed_kpi_is_still_compared_old_against_new(released: Released) -> None:
    _, rows = _page(released, NEW, "2.0.0", "3.0.0")
    assert any("kpi-renamed" in row[0] for row in rows if row)
    fields = {row[0]: row for row in rows if len(row) == 3}
    assert OLD in fields["rogueId"][1] and NEW in fields["rogueId"][2]
