"""Markdown from source text: every writer of CHANGELOG.md, plans, history and summaries uses it
(as the `md` and `code` filters of the templates, `render.templating`).

Text from a KPI file, a note or a dispute must render as the literal text it is (SPEC 8): a `|`
must not end a table cell, `<b>` must not become bold, `*x*`, `_x_`, `~~x~~` no emphasis, `$x$` no
formula, `[x](y)` no link, a leading `#`, `>`, `-` or `1.` no heading, quote or list. CommonMark
lets any ASCII punctuation be escaped with a backslash and renders it literally, so escaping is
exact: a renderer shows every character of the source and nothing else.
"""

from __future__ import annotations

import re
from typing import Any

# Characters that start or end inline markup in CommonMark or GitHub Flavored Markdown: escapes,
# code, emphasis, links, raw HTML and entities, table cells, math, strikethrough.
_INLINE = re.compile(r"([\\`*_\[\]<>|$~&])")
# At the start of a line these open a block: heading, list item, setext underline ...
_BLOCK_MARKER = re.compile(r"^([#+=-])")
# ... and so does an ordered list item, `1.` or `1)`.
_ORDERED_MARKER = re.compile(r"^([0-9]+)([.)])")
_WHITESPACE = re.compile(r"\s+")


def md(value: Any, start: bool = False) -> str:
    """`value` as Markdown inline text that renders exactly as the text (one line, escaped).

    Runs of whitespace, line breaks included, become one space (kept at either end, so pieces
    can be joined): in a list item or a table cell a new line would end the item. With
    `start=True` the text opens a block (a list item's first words), where a leading `#`, `>`,
    `-`, `+`, `=` or `1.` would make a heading, quote or list. None renders as an empty string.
    """
    if value is None:
        return ""
    text = _INLINE.sub(r"\\\1", _WHITESPACE.sub(" ", str(value)))
    if start:
        text = _ORDERED_MARKER.sub(r"\1\\\2", _BLOCK_MARKER.sub(r"\\\1", text.lstrip()))
    return text


def code(value: Any, table: bool = False) -> str:
    """`value` as an inline code span, however many backticks it holds (CommonMark 6.1).

    In a GFM table cell (`table=True`) a `|` ends the cell even inside code, so it is escaped.
    """
    text = _WHITESPACE.sub(" ", str(value))
    longest = max((len(run) for run in re.findall(r"`+", text)), default=0)
    fence = "`" * (longest + 1)
    # a space is stripped from both ends of a span: pad where that or a backtick would bite
    padded = text[:1] == "`" or text[-1:] == "`" or (
        text[:1] == " " and text[-1:] == " " and bool(text.strip()))
    pad = " " if padded else ""
    if table:
        text = text.replace("|", "\\|")
    return f"{fence}{pad}{text}{pad}{fence}"

