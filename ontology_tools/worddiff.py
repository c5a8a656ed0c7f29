"""Word-level differences of prose, shared by the text, markdown and html reporters."""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass

_TOKENS = re.compile(r"\s+|[^\s]+")


@dataclass(frozen=True)
class Piece:
    """A run of text that is kept ("equal"), removed ("delete") or added ("insert")."""

    op: str
    text: str


def word_diff(old: str, new: str) -> list[Piece]:
    """The pieces that turn `old` into `new`, word by word (whitespace kept as it is)."""
    before, after = _TOKENS.findall(old), _TOKENS.findall(new)
    pieces: list[Piece] = []
    matcher = difflib.SequenceMatcher(a=before, b=after, autojunk=False)
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "equal":
            pieces.append(Piece("equal", "".join(before[i1:i2])))
            continue
        if tag in ("delete", "replace"):
            pieces.append(Piece("delete", "".join(before[i1:i2])))
        if tag in ("insert", "replace"):
            pieces.append(Piece("insert", "".join(after[j1:j2])))
    return pieces


def is_prose(value: object) -> bool:
    """Strings long enough that a word diff reads better than old → new."""
    return isinstance(value, str) and len(value) > 40
