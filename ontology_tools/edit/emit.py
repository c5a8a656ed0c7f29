"""Writing a read document back in the canonical style, each comment beside its node.

The canonical style: block mappings and lists indented by two (`- ` items two deeper than their
key), keys in the canonical order of `canonical`, the short vocabulary fields on one line
(`[a, b]`, `{k: v}`) when nothing inside them carries a comment, prose folded into `>-` lines.
Scalars keep the text they were written with where it means the same in the new place (plain
ones, and quoted ones of block-style files); any other scalar is written again from its value
(plain where that reads the same, else quoted; a block scalar as a literal or folded block),
and each such rewrite is parsed back before it is used.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from ontology_tools import canonical, yamlio
from ontology_tools.edit.tree import Collection, Document, Scalar, Slot, Style

INDENT = 2
LONGEST_KEY = 1000  # libyaml reads an implicit key of at most 1024 characters
_NULLS = re.compile(r"^(?:~|null|Null|NULL|)$")
_FLOW_PLAIN = re.compile(r"^[A-Za-z0-9_][A-Za-z0-9_ .+/()~-]*$")
_PLAIN_START = re.compile(r"^[A-Za-z0-9(]")
_LONE_INDICATOR = re.compile(r"^[-?:](?: |$)")
_ESCAPES = {"\0": "\\0", "\a": "\\a", "\b": "\\b", "\t": "\\t", "\n": "\\n", "\v": "\\v",
            "\f": "\\f", "\r": "\\r", "\x1b": "\\e", '"': '\\"', "\\": "\\\\", "\x85": "\\N",
            "\u2028": "\\L", "\u2029": "\\P"}


class EmitError(Exception):
    """A scalar that no style writes back to the same value (a bug: double quotes always do)."""


def emit(document: Document, stages: Sequence[str]) -> str:
    """The canonical text of `document`."""
    writer = _Writer(stages)
    writer.document(document)
    return "\n".join(writer.lines) + "\n" if writer.lines else ""


@dataclass(frozen=True, slots=True)
class _Text:
    """A scalar as written: its first line, and the lines below it (relative to its content
    indentation), for a block scalar."""

    first: str
    rest: tuple[str, ...] = ()


class _Writer:
    """Collects the output lines of one document."""

    def __init__(self, stages: Sequence[str]) -> None:
        self.stages = stages
        self.stage_rank = canonical.ranked(stages)
        self.lines: list[str] = []
        self.kept = -1  # the line count right after a `|+` block, whose blank lines are its own

    # --- document and collections -----------------------------------------------------------

    def document(self, document: Document) -> None:
        """The whole file: header comments, the root node, end-of-file comments."""
        self.comments(document.header, 0)
        root = document.root
        if root is not None:
            node = root.node
            self.comments(_normalized(root.before + root.inner, first=True), 0)
            eol = _eol(root.head_eol + root.value_eol)
            if isinstance(node, Scalar):
                text = _scalar_text(node, None, commented=bool(eol), root=True, indent=INDENT)
                self.scalar_lines(text, "", eol, INDENT)
            elif not node.slots:
                self.comments(node.tail, 0)
                self.lines.append(("{}" if node.mapping else "[]") + eol)
            else:
                self.body(node, 0, ())
        self.comments(_trimmed(document.eof), 0)

    def body(self, collection: Collection, col: int, path: canonical.Path | None) -> None:
        """The entries or items of a block collection at column `col`, then its tail."""
        for index, slot in enumerate(self.ordered(collection, path)):
            # no blank line at the top of a collection, nor one that was there before reordering
            first = index == 0 or slot is collection.slots[0]
            if collection.mapping:
                assert slot.key is not None
                child = (*path, slot.key.value) if path is not None else None
                self.entry(slot, col, child, first=first)
            else:
                self.item(slot, col, first=first)
        self.comments(_trimmed(collection.tail), col)

    def ordered(self, collection: Collection, path: canonical.Path | None) -> list[Slot]:
        """The slots of `collection` in canonical order (stable: the rest keep theirs)."""
        if path is None:
            return collection.slots
        if collection.mapping:
            order = canonical.key_order(path, self.stages)
            if order is None:
                return collection.slots
            rank = canonical.ranked(order)
            return sorted(collection.slots,
                          key=lambda s: rank.get(s.key.value if s.key else "", len(rank)))
        if canonical.is_stage_list(path):
            return sorted(collection.slots, key=self._stage_rank)
        return collection.slots

    def _stage_rank(self, slot: Slot) -> int:
        value = _meaning(slot.node) if isinstance(slot.node, Scalar) else None
        if isinstance(value, str):
            return self.stage_rank.get(value, len(self.stage_rank))
        return len(self.stage_rank)

    # --- one entry or item ------------------------------------------------------------------

    def entry(self, slot: Slot, col: int, path: canonical.Path | None, *, first: bool) -> None:
        """`key: value` with the comments of the entry."""
        assert slot.key is not None
        key = _key_text(slot.key)
        pad = " " * col
        self.comments(_normalized(self._before(slot), first=first), col)
        if len(key) > LONGEST_KEY:  # too long for `key:`; the explicit form has no limit
            self.lines.append(f"{pad}? {key}")
            self.value(slot, col, path, f"{pad}:")
        else:
            self.value(slot, col, path, f"{pad}{key}:")

    def item(self, slot: Slot, col: int, *, first: bool) -> None:
        """`- value` with the comments of the item."""
        self.comments(_normalized(self._before(slot), first=first), col)
        node = slot.node
        dash = " " * col + "-"
        if isinstance(node, Collection) and node.mapping and node.slots and \
                not _comments_only(slot.inner):
            start = len(self.lines)
            self.body(node, col + INDENT, None)
            first_line = self.lines[start]
            if first_line.startswith(" " * (col + INDENT)) and \
                    not first_line[col + INDENT:].startswith("#"):
                # `- key: value`: the item's own comments join the first entry's line
                eol = _eol(slot.head_eol + slot.value_eol)
                self.lines[start] = f"{dash} {first_line[col + INDENT:]}{eol}"
                return
            del self.lines[start:]
        self.value(slot, col, None, dash)

    def _before(self, slot: Slot) -> list[str]:
        """The comments above a slot; those inside an empty collection join them."""
        node = slot.node
        if isinstance(node, Collection) and not node.slots:
            return [*slot.before, *_comments_only(slot.inner), *node.tail]
        return slot.before

    def value(self, slot: Slot, col: int, path: canonical.Path | None, head: str) -> None:
        """Whatever follows a key's `:` or an item's `-`, starting on the `head` line."""
        node = slot.node
        inner = _comments_only(slot.inner)
        both = _eol(slot.head_eol + slot.value_eol)
        if isinstance(node, Scalar):
            commented = bool(both or inner)
            text = _scalar_text(node, path, commented=commented, root=False,
                                indent=col + INDENT)
            if not inner:
                self.scalar_lines(text, head + " ", both, col + INDENT)
                return
            self.lines.append(head + _eol(slot.head_eol))
            self.comments(inner, col + INDENT)
            self.scalar_lines(text, " " * (col + INDENT), _eol(slot.value_eol), col + INDENT)
            return
        if not node.slots:
            self.lines.append(f"{head} {'{}' if node.mapping else '[]'}{both}")
            return
        flow = self.flow_text(node, path)
        if flow is not None and not inner:
            self.lines.append(f"{head} {flow}{both}")
            return
        self.lines.append(head + both)
        self.comments(inner, col + INDENT)
        self.body(node, col + INDENT, path)

    def flow_text(self, collection: Collection, path: canonical.Path | None) -> str | None:
        """`[a, b]` or `{k: v}` for a canonical one-line field, when it can be written so."""
        if path is None or not canonical.is_flow_field(path) or _comments_only(collection.tail):
            return None
        parts = []
        for slot in self.ordered(collection, path):
            if not isinstance(slot.node, Scalar) or _has_comments(slot):
                return None
            value = _flow_scalar(slot.node)
            if value is None:
                return None
            if collection.mapping:
                assert slot.key is not None
                key = _flow_scalar(slot.key, key=True)
                if key is None:
                    return None
                value = f"{key}: {value}"
            parts.append(value)
        joined = ", ".join(parts)
        return f"{{{joined}}}" if collection.mapping else f"[{joined}]"

    # --- lines ------------------------------------------------------------------------------

    def scalar_lines(self, text: _Text, head: str, eol: str, indent: int) -> None:
        self.lines.append(f"{head}{text.first}{eol}")
        pad = " " * indent
        self.lines.extend(pad + line if line else "" for line in text.rest)
        if text.rest and text.first.startswith("|") and "+" in text.first:
            self.kept = len(self.lines)

    def comments(self, comments: Sequence[str], col: int) -> None:
        pad = " " * col
        for comment in comments:
            if comment:
                self.lines.append(pad + comment)
            elif self.kept != len(self.lines):  # a blank line would join a `|+` block's text
                self.lines.append("")


# --- comments ---------------------------------------------------------------------------------

def _eol(comments: Sequence[str]) -> str:
    return "".join(f"  {comment}" for comment in comments)


def _comments_only(comments: Sequence[str]) -> list[str]:
    return [comment for comment in comments if comment]


def _has_comments(slot: Slot) -> bool:
    return bool(_comments_only(slot.before) or slot.head_eol or _comments_only(slot.inner)
                or slot.value_eol)


def _normalized(comments: Sequence[str], *, first: bool) -> list[str]:
    """Runs of blank lines made one; none at the top of a collection."""
    result: list[str] = []
    for comment in comments:
        if comment or (result and result[-1]) or (not result and not first):
            result.append(comment)
    while result and not result[0] and first:
        result.pop(0)
    return result


def _trimmed(comments: Sequence[str]) -> list[str]:
    """A tail's comments: blank lines are not kept at the end of anything."""
    return _comments_only(comments)


# --- scalars ----------------------------------------------------------------------------------

def _meaning(scalar: Scalar) -> object:
    """The scalar's value as `yamlio.load_fast` reads it (as a value, not a key)."""
    if scalar.style is not Style.PLAIN or scalar.tagged:
        return scalar.value
    try:
        return yamlio.resolve_plain(scalar.value)
    except ValueError:  # a number too long for Python's int(); never read as a string here
        return None


def _key_text(key: Scalar) -> str:
    """A key as written (keys are always strings), or double-quoted from its value."""
    if key.single_line and key.source and _as_written(key) and \
            not _LONE_INDICATOR.match(key.source):
        return key.source
    return _text_again(key.value)


def _as_written(scalar: Scalar) -> bool:
    """True for a plain scalar, and for a quoted one written in block style: its author's
    quotes are kept there; flow and JSON-style files get the canonical quoting."""
    return scalar.style is Style.PLAIN or (
        scalar.style in (Style.SINGLE, Style.DOUBLE) and not scalar.in_flow)


def _scalar_text(scalar: Scalar, path: canonical.Path | None, *, commented: bool, root: bool,
                 indent: int) -> _Text:
    """How `scalar` is written as a value in block context, its block lines at `indent`."""
    is_text = isinstance(_meaning(scalar), str)
    if path is not None and canonical.is_prose(path) and is_text and not commented:
        folded = _folded(scalar.value, indent)
        if folded is not None:
            return folded
    if scalar.single_line and scalar.style is Style.PLAIN and not scalar.tagged:
        return _Text(_canonical_plain(scalar))
    if scalar.single_line and scalar.style is not Style.PLAIN and _as_written(scalar):
        return _Text(scalar.source)  # quoted (a tag, if any, is dropped: quotes make it text)
    value = scalar.value
    if scalar.style in (Style.LITERAL, Style.FOLDED):
        block = (_folded(value, indent) if scalar.style is Style.FOLDED else None) or \
            _literal(value, indicator_allowed=not root)
        if block is not None:
            return block
    return _Text(_text_again(value))


def _text_again(value: str) -> str:
    """A string written again from its value: plain where that reads back the same, otherwise
    in double quotes (single ones when the text holds a quote or backslash), escaped only when
    a character cannot stand as itself."""
    if _plain_safe(value) and _reads_back(_Text(value), value):
        return value
    return _quoted(value)


def _quoted(value: str) -> str:
    """`value` in the quotes `_text_again` chooses."""
    if _printable(value) and "\n" not in value:
        quoted = f'"{value}"' if '"' not in value and "\\" not in value else \
            "'" + value.replace("'", "''") + "'"
        if _reads_back(_Text(quoted), value):
            return quoted
    escaped = _double_quoted(value)
    if not _reads_back(_Text(escaped), value):
        raise EmitError(f"no style writes the text {value[:40]!r} back unchanged")
    return escaped


def _canonical_plain(scalar: Scalar) -> str:
    """A one-line plain scalar: nulls as `null`, booleans in lower case, the rest as written."""
    if _NULLS.match(scalar.value):
        return "null"
    meaning = _meaning(scalar)
    if isinstance(meaning, bool):
        return "true" if meaning else "false"
    if _LONE_INDICATOR.match(scalar.source):  # `[-, ?]` holds plain text; `- -` is a list
        return _text_again(scalar.value)
    return scalar.source


def _flow_scalar(scalar: Scalar, *, key: bool = False) -> str | None:
    """The scalar's text inside `[...]` or `{...}`, if it is safe there."""
    if not scalar.single_line or scalar.tagged:
        return None
    if scalar.style is not Style.PLAIN and _as_written(scalar):
        return scalar.source
    if scalar.style is not Style.PLAIN:
        text = _text_again(scalar.value)
        return text if _FLOW_PLAIN.match(text) else _quoted(scalar.value)
    text = scalar.source if key else _canonical_plain(scalar)
    return text if _FLOW_PLAIN.match(text) else None


def _plain_safe(value: str) -> bool:
    """True when `value` written plain on one line reads back as the same text."""
    if not _PLAIN_START.match(value) or value != value.strip(" ") or not _printable(value):
        return False
    if ": " in value or " #" in value or value.endswith(":") or "\n" in value:
        return False
    try:
        return bool(yamlio.resolve_plain(value) == value)
    except ValueError:
        return False


def _printable(value: str) -> bool:
    """True when every character may stand as itself in a block or quoted scalar."""
    return not any(_needs_escape(ch) or ch in "\r\x85\u2028\u2029\t" for ch in value)


def _needs_escape(ch: str) -> bool:
    code = ord(ch)
    return (code < 0x20 and ch not in "\n\t") or 0x7F <= code <= 0x9F or \
        0xD800 <= code <= 0xDFFF or code in (0xFEFF, 0xFFFE, 0xFFFF)


def _double_quoted(value: str) -> str:
    """`value` in double quotes, every character that could be misread escaped."""
    out = []
    for ch in value:
        escape = _ESCAPES.get(ch)
        if escape is not None:
            out.append(escape)
        elif _needs_escape(ch):
            code = ord(ch)
            out.append(f"\\x{code:02x}" if code <= 0xFF else f"\\u{code:04x}")
        else:
            out.append(ch)
    return '"' + "".join(out) + '"'


def _folded(value: str, indent: int, width: int = yamlio.TEXT_WIDTH) -> _Text | None:
    """`value` as a `>-` block wrapped at `width`, if folding reads back as the same text."""
    if (not value or "\n" in value or "  " in value or value != value.strip(" ")
            or not _printable(value)):
        return None
    starts = [0] + [space + 1 for space in yamlio.fold_positions(value, width - indent)]
    ends = [start - 1 for start in starts[1:]] + [len(value)]
    lines = [value[start:end] for start, end in zip(starts, ends, strict=True)]
    text = _Text(">-", tuple(lines))
    return text if _reads_back(text, value) else None


def _literal(value: str, *, indicator_allowed: bool) -> _Text | None:
    """`value` as a `|` block, if it reads back as the same text."""
    if not value.strip("\n") or not _printable(value):
        return None
    lines = value.split("\n")
    trailing = len(value) - len(value.rstrip("\n"))
    if trailing:
        lines.pop()
    chomp = "-" if trailing == 0 else "" if trailing == 1 else "+"
    leading = next(i for i, line in enumerate(lines) if line.strip(" "))
    indicator = ""
    if any(line.startswith(" ") for line in lines[:leading + 1]):
        if not indicator_allowed:
            return None
        indicator = str(INDENT)
    text = _Text(f"|{indicator}{chomp}", tuple(lines))
    return text if _reads_back(text, value) else None


def _reads_back(text: _Text, value: str) -> bool:
    """True when `text`, written as a mapping's value, parses back as the string `value`."""
    body = "".join("\n" + (" " * INDENT + line if line else "") for line in text.rest)
    try:
        parsed = yamlio.load_text(f"k: {text.first}{body}\n")
    except yamlio.YamlProblem:
        return False
    return isinstance(parsed, dict) and isinstance(parsed.get("k"), str) and parsed["k"] == value
