"""Plain text for the terminal: a source value on one line, or wrapped as an indented paragraph."""

from __future__ import annotations

import textwrap


def one_line(value: object) -> str:
    """`value` with every run of whitespace, line breaks included, as one space."""
    return " ".join(str(value).split())


def paragraph(value: object) -> str:
    """`value` on one line, then wrapped at 96 columns and indented by two spaces."""
    return textwrap.fill(one_line(value), width=96, initial_indent="  ", subsequent_indent="  ",
                         break_on_hyphens=False)
