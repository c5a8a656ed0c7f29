"""Word-level differences of prose, shared by the text, markdown and html reporters.

A reader should see an edit the way its author made it: one changed phrase is one deletion
and one insertion, not a run of single words around matched spaces. The text is cut into word
and whitespace tokens, each distinct token is encoded as one character, diff-match-patch diffs
the encoded strings and its semantic clean-up merges the fragments (an equality no longer than
the edits on both sides of it is folded into them), then the characters are decoded back.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass

_TOKENS = re.compile(r"\s+|[^\s]+")
# Encoded tokens are characters of the supplementary planes: never a surrogate, and about a
# million distinct words before the alphabet runs out (far more than any KPI's prose holds).
_FIRST_CODE = 0x10000
_LAST_CODE = 0x10FFFF

EQUAL, DELETE, INSERT = "equal", "delete", "insert"
_OPERATIONS = {0: EQUAL, -1: DELETE, 1: INSERT}

# The inline notation of text and Markdown reports, git's `--word-diff=plain`: [-old-]{+new+}.
# It is made unambiguous by a backslash before every bracket, brace and backslash of the text
# itself, so a `[-` in a definition never reads as a deletion; a report says so once, in its
# header, with INLINE_LEGEND.
_INLINE_MARKS = {EQUAL: ("", ""), DELETE: ("[-", "-]"), INSERT: ("{+", "+}")}
_MARK_CHARACTERS = re.compile(r"([\\\[\]{}])")
_WHITESPACE = re.compile(r"\s+")
INLINE_LEGEND = ("word changes are marked [-removed-]{+added+}; a [, ], {, } or \\ of the text "
                 "itself has a backslash before it")


@dataclass(frozen=True)
class Piece:
    """A run of text that is kept ("equal"), removed ("delete") or added ("insert")."""

    op: str
    text: str


class _Alphabet:
    """Tokens ↔ characters, so a diff of characters is a diff of words."""

    def __init__(self) -> None:
        self._codes: dict[str, str] = {}
        self.tokens: list[str] = []

    def encode(self, tokens: Iterable[str]) -> str:
        """One character per token; equal tokens get equal characters."""
        return "".join(self._code(token) for token in tokens)

    def _code(self, token: str) -> str:
        code = self._codes.get(token)
        if code is None:
            if _FIRST_CODE + len(self.tokens) > _LAST_CODE:
                raise ValueError("too many distinct words to diff")
            code = self._codes[token] = chr(_FIRST_CODE + len(self.tokens))
            self.tokens.append(token)
        return code

    def decode(self, text: str) -> str:
        """The words the characters stand for."""
        return "".join(self.tokens[ord(char) - _FIRST_CODE] for char in text)


def word_diff(old: str, new: str) -> list[Piece]:
    """The pieces that turn `old` into `new`, word by word (whitespace kept as it is).

    Deterministic: diff-match-patch's time limit is switched off, so the result never depends
    on the speed of the machine.
    """
    from diff_match_patch import diff_match_patch

    alphabet = _Alphabet()
    before = alphabet.encode(_TOKENS.findall(old))
    after = alphabet.encode(_TOKENS.findall(new))
    engine = diff_match_patch()
    engine.Diff_Timeout = 0
    diffs = engine.diff_main(before, after, checklines=False)
    engine.diff_cleanupSemantic(diffs)
    return _merged(Piece(_OPERATIONS[op], alphabet.decode(text)) for op, text in diffs if text)


def inline_diff(old: str, new: str) -> str:
    """`old` → `new` on one line, word by word, in the notation of INLINE_LEGEND.

    Runs of whitespace, line breaks included, read as one space: a report's line stays one
    line (the HTML pages show the breaks), and an edit that only moved line breaks or spaces
    is shown as the text it is, unmarked.
    """
    return "".join(f"{_INLINE_MARKS[p.op][0]}{_literal(p.text)}{_INLINE_MARKS[p.op][1]}"
                   for p in _one_line(word_diff(old, new)))


def _one_line(pieces: list[Piece]) -> Iterator[Piece]:
    """The pieces with whitespace runs as one space; a deletion and the insertion after it that
    then read the same are one equal piece."""
    flat = [Piece(p.op, _WHITESPACE.sub(" ", p.text)) for p in pieces]
    index = 0
    while index < len(flat):
        piece = flat[index]
        following = flat[index + 1] if index + 1 < len(flat) else None
        if piece.op == DELETE and following is not None and following.op == INSERT \
                and following.text == piece.text:
            yield Piece(EQUAL, piece.text)
            index += 2
        else:
            yield piece
            index += 1


def _literal(text: str) -> str:
    """Text as the inline notation writes it: its own marks' characters escaped."""
    return _MARK_CHARACTERS.sub(r"\\\1", text)


def inline_literal(text: str) -> str:
    """`text` as the inline notation writes it (for a report that marks pieces itself)."""
    return _literal(text)


def has_mark_characters(text: str) -> bool:
    """True when `text` holds a character the inline notation escapes."""
    return _MARK_CHARACTERS.search(text) is not None


def _merged(pieces: Iterable[Piece]) -> list[Piece]:
    """Adjacent pieces of one kind joined (diff-match-patch already puts deletions first)."""
    result: list[Piece] = []
    for piece in pieces:
        if result and result[-1].op == piece.op:
            result[-1] = Piece(piece.op, result[-1].text + piece.text)
        else:
            result.append(piece)
    return result


def is_prose(value: object) -> bool:
    """Strings long enough that a word diff reads better than old → new."""
    return isinstance(value, str) and len(value) > 40
