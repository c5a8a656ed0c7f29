"""`diff --kpi ID --format html` of an added or a removed KPI shows its whole definition."""

from __future__ import annotations

from html.parser import HTMLParser

from tests.conftest import run_cli
from tests.show.scenario import NEW, OLD, RETIRED, Released


class _Cells(HTMLParser):
    """The text of every table cell of a page, row by row."""

    def __init__(self) -> None:
        super().__init__()
        self.rows: list[list[str]] = []
        self._cell: list[str] | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "tr":
            self.rows.append([])
        elif tag in ("td", "th"):
            self._cell = []

    def handle_endtag(self, tag: str) -> None:
        if tag in ("td", "th") and self._cell is not None:
            self.rows[-1].append("".join(self._cell))
            self._cell = None

    def handle_data(self, data: str) -> None:
        if self._cell is not None:
            self._cell.append(data)


def _page(released: Released, rogue_id: str, start: str, end: str) -> tuple[str, list[list[str]]]:
    result = run_cli(released.root, "diff", "--from", start, "--to", end, "--kpi", rogue_id,
                     "--format", "html")
    assert result.exit_code == 0, result.stderr
    cells = _Cells()
    cells.feed(result.stdout)
    return result.stdout, cells.rows


def _fields(rows: list[list[str]]) -> dict[str, str]:
    return {row[0]: row[1] for row in rows if len(row) == 2 and row[0] != "Field"}


def test_a_removed_kpi_shows_every_field_it_had(released: Released) -> None:
    page, rows = _page(released, RETIRED, "3.0.0", "4.0.0")
    fields = _fields(rows)
    assert list(fields)[:5] == ["rogueId", "slug", "domain", "defaultLabel", "description"]
    assert fields["formula"] == "One minus logo churn rate."
    assert fields["unit"] == "null" and '"replacedBy": "customers.logo_churn_rate"' in \
        fields["deprecation"]
    assert {"stageRelevance", "definitionSource", "metricBasis", "relatedKpiIds"} <= set(fields)
    change_row = next(row for row in rows if row and row[0].startswith("KPI"))
    assert change_row[1:] == ["The whole definition below, as v3.0.0 holds it", "Not in v4.0.0"]
    assert "None" not in page and "<td>—</td>" not in page


def test_an_added_kpi_shows_every_field_it_has(released: Released) -> None:
    page, rows = _page(released, OLD, "EMPTY", "1.0.0")
    fields = _fields(rows)
    assert fields["rogueId"] == OLD and fields["defaultLabel"]
    assert len(fields) >= 17
    change_row = next(row for row in rows if row and row[0].startswith("KPI"))
    assert change_row[1:] == ["Not in EMPTY", "The whole definition below, as v1.0.0 holds it"]
    assert "None" not in page and "<td>—</td>" not in page


def test_a_renamed_kpi_is_still_compared_old_against_new(released: Released) -> None:
    page, rows = _page(released, NEW, "2.0.0", "3.0.0")
    assert "the whole definition" not in page
    assert any("kpi-renamed" in row[0] for row in rows if row)
