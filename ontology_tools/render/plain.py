"""Plain text for the terminal: a source value on one line, or wrapped as an indented paragraph."""

from __future__ import annotations

import functools
import textwrap
from collections.abc import Callable, Iterable
from typing import ParamSpec

P = ParamSpec("P")


def joined(lines: Callable[P, Iterable[str]]) -> Callable[P, str]:
    """A reporter written as a generator of lines, made to return their text."""

    @functools.wraps(lines)
    def text(*args: P.args, **kwargs: P.kwargs) -> str:
        return "".join(lines(*args, **kwargs))

    return text


def one_line(value: object) -> str:
    """`value` with every run of whitespace, line breaks included, as one space."""
    return " ".join(str(value).split())


def paragraph(value: object) -> str:
    """`value` on one line, then wrapped at 96 columns and indented by two spaces."""
    return textwrap.fill(one_line(value), width=96, initial_indent="  ", subsequent_indent="  ",
                         break_on_hyphens=False)
