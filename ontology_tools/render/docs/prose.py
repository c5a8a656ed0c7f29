"""Prose from source files as safe HTML: escaped first, then `code` spans wrapped."""

from __future__ import annotations

import re
from typing import Any

from markupsafe import Markup, escape

_CODE_SPAN = re.compile(r"`([^`\n]+)`")
_SENTENCE_END = re.compile(r"(?<=[.!?])\s")
SUMMARY_LENGTH = 160


def plain(value: Any) -> str:
    """A source value as display text: None is empty, everything else its string form."""
    return "" if value is None else str(value)


def prose(value: Any) -> Markup:
    """Escape a prose value, then render its backtick spans as `<code>` elements.

    Escaping comes first, so nothing from the source can open a tag: the only markup in the
    result is the `<code>` wrapping added here around already-escaped text.
    """
    escaped = str(escape(plain(value)))
    return Markup(_CODE_SPAN.sub(r"<code>\1</code>", escaped))


def summary(value: Any, limit: int = SUMMARY_LENGTH) -> str:
    """The start of a description for an index line: its first sentence, cut at a word if long."""
    text = " ".join(plain(value).replace("`", "").split())
    first = _SENTENCE_END.split(text, maxsplit=1)[0]
    if len(first) <= limit:
        return first
    cut = first[: limit + 1].rsplit(" ", 1)[0].rstrip(",;:—– ")
    return f"{cut}…"
