"""Reading an HTML page as a browser parses it: its elements, its text, its table cells."""

from __future__ import annotations

from html.parser import HTMLParser
from typing import TypeVar

Reader = TypeVar("Reader", bound=HTMLParser)


def parsed(reader: Reader, page: str) -> Reader:
    """`reader` once it has read the whole of `page`."""
    reader.feed(page)
    reader.close()
    return reader


class Elements(HTMLParser):
    """Every start tag of a page with its attributes, and every piece of its text."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, dict[str, str | None]]] = []
        self.text: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, dict(attrs)))

    def handle_data(self, data: str) -> None:
        self.text.append(data)


def elements(page: str) -> Elements:
    """The start tags and the text of `page`."""
    return parsed(Elements(), page)


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
    return parsed(TableCells(), page).rows
