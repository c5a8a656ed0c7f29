"""Reading an HTML page as its reader sees it: the text of each table cell, row by row."""

from __future__ import annotations

from html.parser import HTMLParser


class TableCells(HTMLParser):
    """The text of every table row of a page, cell by cell (`th` and `td` alike)."""

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


def table_rows(page: str) -> list[list[str]]:
    """Every table row of `page`, each the text of its cells."""
    cells = TableCells()
    cells.feed(page)
    return cells.rows
