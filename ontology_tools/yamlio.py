"""Every ruamel.yaml call of the toolkit: safe fast loading, positions, round-trip write-back.

Reading many files goes through `load_fast`: libyaml's C event parser feeding a small,
non-recursive builder that accepts only plain data (mappings with string keys, sequences,
scalars). Anchors, aliases, tags, several documents, duplicate keys and deep nesting are refused
as `YamlProblem`s with a position, before anything could be constructed or expanded.
Round-trip loading (pure Python, comment-preserving) is used only for positions of findings and
for writing a file back.
"""

from __future__ import annotations

import io
import re
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

MAX_FILE_BYTES = 256 * 1024
MAX_DEPTH = 32
MAX_NUMBER_DIGITS = 1000  # far beyond any KPI; keeps int <-> str inside Python's 4,300-digit limit
TEXT_WIDTH = 100

_NULL = re.compile(r"^(?:~|null|Null|NULL|)$")
_BOOL = {"true": True, "True": True, "TRUE": True, "false": False, "False": False, "FALSE": False}
_INT = re.compile(r"^[-+]?[0-9]+$")
_INT_OTHER = re.compile(r"^(?:0o[0-7]+|0x[0-9a-fA-F]+)$")
_FLOAT = re.compile(r"^[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)(?:[eE][-+]?[0-9]+)?$")
_FLOAT_SPECIAL = {".inf": float("inf"), "+.inf": float("inf"), "-.inf": float("-inf"),
                  ".nan": float("nan")}
# git's conflict markers at the start of a line (`|||||||` is diff3's base marker); a marker
# line can never be plain YAML there: a block scalar's lines are indented, a mapping needs `:`
_CONFLICT_MARKER = re.compile(
    r"^(?:(?:<{7}|\|{7}|>{7})(?:[ \t][^\r\n]*)?|={7}[ \t]*)(?=[\r\n]|\Z)", re.MULTILINE)
_STANDARD_TAGS = {"tag:yaml.org,2002:str", "tag:yaml.org,2002:map", "tag:yaml.org,2002:seq", "!"}


@dataclass(eq=False)
class YamlProblem(Exception):
    """A file that is not plain, safe, single-document YAML; line and col are 1-based.

    Not frozen: Python itself sets `__traceback__` and `__notes__` on exceptions (a frozen
    one raised through a `with` block turns into FrozenInstanceError). Treat it as read-only.
    """

    rule: str
    message: str
    line: int = 1
    col: int = 1

    def __str__(self) -> str:
        return f"{self.line}:{self.col}: {self.message}"


def decode(data: bytes) -> str:
    """Bytes → text, refusing over-large, non-UTF-8, empty and tab-indented files."""
    if len(data) > MAX_FILE_BYTES:
        raise YamlProblem("file-too-large",
                          f"file is {len(data):,} bytes; the limit is {MAX_FILE_BYTES:,} bytes")
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as err:
        line, col = _line_col(data[: err.start].decode("utf-8", "replace"))
        raise YamlProblem("yaml-encoding",
                          f"byte 0x{data[err.start]:02x} is not valid UTF-8", line, col) from None
    if not text.strip():
        raise YamlProblem("yaml-empty", "file is empty")
    _refuse_conflict_markers(text)
    tab = text.find("\t")
    if tab >= 0:
        line, col = _line_col(text[:tab])
        raise YamlProblem("yaml-tab", "tab character; indent and separate with spaces", line, col)
    return text.removeprefix("\ufeff")


def _refuse_conflict_markers(text: str) -> None:
    """A merge left `<<<<<<<`/`=======`/`>>>>>>>` lines: point at the first one, not at the
    syntax error the parser would find a few lines further on."""
    marker = _CONFLICT_MARKER.search(text)
    if marker is None:
        return
    line, col = _line_col(text[:marker.start()])
    raise YamlProblem("yaml-conflict-markers",
                      f"merge-conflict marker {marker.group()[:7]!r}: resolve the conflict and "
                      "remove the marker lines", line, col)


def _line_col(prefix: str) -> tuple[int, int]:
    """1-based line and column of the character right after `prefix`.

    CR LF, a lone CR and LF each end a line, as they do for the parser's own marks.
    """
    prefix = prefix.replace("\r\n", "\n").replace("\r", "\n")
    line = prefix.count("\n") + 1
    return line, len(prefix) - (prefix.rfind("\n") + 1) + 1


def load_fast(data: bytes) -> Any:
    """Parse one YAML document of plain data with the C parser; raise YamlProblem otherwise."""
    return load_text(decode(data))


def load_or_refuse(data: bytes, where: str) -> Any:
    """`load_fast`, for a command other than `validate`: a file that does not parse is an
    OntologyError naming `where`, the line and the column, pointing at `ontology validate`."""
    from ontology_tools.errors import OntologyError

    try:
        return load_fast(data)
    except YamlProblem as problem:
        raise OntologyError(f"{where}:{problem} (run `ontology validate`)") from None


def load_text(text: str) -> Any:
    """Parse text already checked by `decode` as `load_fast` does (no size limit applies here)."""
    from _ruamel_yaml import CParser  # type: ignore[import-not-found]  # ruamel.yaml.clib

    parser = CParser(text)
    try:
        return _build(parser)
    except YamlProblem:
        raise
    except Exception as err:  # libyaml reports syntax errors as ruamel.yaml MarkedYAMLErrors
        raise _syntax_problem(err, text) from None
    finally:
        parser.dispose()


def _syntax_problem(err: Exception, text: str) -> YamlProblem:
    mark = getattr(err, "problem_mark", None) or getattr(err, "context_mark", None)
    problem = getattr(err, "problem", None) or str(err).splitlines()[0]
    context = getattr(err, "context", None)
    message = f"{context}: {problem}" if context else str(problem)
    if mark is not None:
        return YamlProblem("yaml-syntax", message, mark.line + 1, mark.column + 1)
    position = getattr(err, "position", None)
    if isinstance(position, int):
        line, col = _line_col(text[:position])
        return YamlProblem("yaml-syntax", message, line, col)
    return YamlProblem("yaml-syntax", message)


def _problem_at(event: Any, rule: str, message: str) -> YamlProblem:
    mark = event.start_mark
    return YamlProblem(rule, message, mark.line + 1, mark.column + 1)


class _Mapping:
    """A mapping under construction: keys arrive, then their values."""

    __slots__ = ("key", "key_event", "value")

    def __init__(self) -> None:
        self.value: dict[str, Any] = {}
        self.key: str | None = None
        self.key_event: Any = None

    def add(self, item: Any, event: Any) -> None:
        if self.key is None:
            if not isinstance(item, str):
                raise _problem_at(event, "yaml-complex-key", "mapping keys must be plain scalars")
            if item in self.value:
                raise _problem_at(event, "yaml-duplicate-key", f"duplicate key {item!r}")
            self.key, self.key_event = item, event
        else:
            self.value[self.key] = item
            self.key = None


def _build(parser: Any) -> Any:
    """Turn the event stream into dicts, lists and scalars without recursion."""
    stack: list[_Mapping | list[Any]] = []
    starts: list[Any] = []  # the start event of each open container, for positions
    documents = 0
    result: Any = None
    while True:
        event = parser.get_event()
        kind = type(event).__name__
        if kind == "StreamEndEvent":
            return result
        if kind == "DocumentStartEvent":
            documents += 1
            if documents > 1:
                raise _problem_at(event, "yaml-multiple-documents",
                                  "a second document; a KPI file holds exactly one")
            continue
        if kind in ("StreamStartEvent", "DocumentEndEvent"):
            continue
        if kind == "AliasEvent":
            raise _problem_at(event, "yaml-alias", f"alias *{event.anchor} is not allowed")
        if getattr(event, "anchor", None):
            raise _problem_at(event, "yaml-alias", f"anchor &{event.anchor} is not allowed")
        _refuse_tag(event, kind)
        if kind in ("MappingStartEvent", "SequenceStartEvent"):
            if len(stack) >= MAX_DEPTH:
                raise _problem_at(event, "yaml-too-deep", f"nesting deeper than {MAX_DEPTH} levels")
            stack.append(_Mapping() if kind == "MappingStartEvent" else [])
            starts.append(event)
            continue
        if kind in ("MappingEndEvent", "SequenceEndEvent"):
            done = stack.pop()
            event = starts.pop()
            item: Any = done.value if isinstance(done, _Mapping) else done
        else:
            item = _scalar(event, key=bool(stack) and isinstance(stack[-1], _Mapping)
                           and stack[-1].key is None)
        if not stack:
            result = item
        elif isinstance(stack[-1], _Mapping):
            stack[-1].add(item, event)
        else:
            stack[-1].append(item)


def _refuse_tag(event: Any, kind: str) -> None:
    tag = getattr(event, "tag", None)
    if tag is None or tag in _STANDARD_TAGS:
        return
    implicit = getattr(event, "implicit", None)
    if kind != "ScalarEvent" and implicit is True:
        return
    raise _problem_at(event, "yaml-tag", f"tag {tag} is not allowed; only plain data is read")


def _scalar(event: Any, *, key: bool) -> Any:
    """Resolve a scalar the YAML 1.2 core way; keys and dates stay strings."""
    value: str = event.value
    if key or event.style or event.tag is not None:
        return value
    if _NULL.match(value):
        return None
    if value in _BOOL:
        return _BOOL[value]
    if len(value) > MAX_NUMBER_DIGITS and (_INT.match(value) or _INT_OTHER.match(value)):
        raise _problem_at(event, "yaml-number-too-large",
                          f"an integer of {len(value):,} characters; numbers in a KPI file have "
                          f"at most {MAX_NUMBER_DIGITS:,} digits")
    if _INT.match(value):
        return int(value)
    if _INT_OTHER.match(value):
        return int(value, 0)
    if _FLOAT.match(value):
        return float(value)
    lowered = value.lower()
    if lowered in _FLOAT_SPECIAL:
        return _FLOAT_SPECIAL[lowered]
    return value


# --- in-place edits ---------------------------------------------------------------------------

_SAFE_PLAIN = re.compile(r"^[0-9A-Za-z][0-9A-Za-z._+-]*$")
_LINE_BREAK = re.compile(r"\r\n|\r|\n")


def replace_leading_scalars(text: str, values: Mapping[str, str]) -> str | None:
    """`text` with the values of its first top-level keys replaced in place, or None.

    Applies when the document is a mapping whose first keys are exactly `values`' keys, in that
    order, each with a scalar value on one line, and every new value is a plain string scalar.
    Only those value spans change: comments, quoting, spacing and every other byte stay as they
    are. The result is parsed again and must be the old document with just those values changed;
    anything else returns None (the caller falls back to a round trip).
    """
    if not _all_safe_plain(values.values()):
        return None
    spans = _leading_value_spans(text, list(values))
    if spans is None:
        return None
    starts = _line_starts(text)
    edited = text
    for (line, start_col, end_col), value in sorted(zip(spans, values.values(), strict=True),
                                                    reverse=True):
        edited = edited[:starts[line] + start_col] + value + edited[starts[line] + end_col:]
    return _verified(text, edited, lambda before: {**before, **values})


def insert_leading_scalars(text: str, values: Mapping[str, str]) -> str | None:
    """`text` with `key: value` lines inserted before its first top-level key, or None.

    Applies when the document is a block mapping whose first key starts a line at column 0
    and has none of `values`' keys, and every value is a plain string scalar. Comments above
    the first key stay above the new lines. The result is parsed again and must be the old
    document with the new keys first; anything else returns None (the caller round-trips).
    """
    if not _all_safe_plain([*values, *values.values()]):
        return None
    line = _first_key_line(text)
    if line is None:
        return None
    ending = _LINE_BREAK.search(text)
    newline = ending.group() if ending else "\n"
    lines = "".join(f"{key}: {value}{newline}" for key, value in values.items())
    at = _line_starts(text)[line]
    return _verified(text, text[:at] + lines + text[at:], lambda before: None
                     if any(key in before for key in values) else {**values, **before})


def _all_safe_plain(scalars: Iterable[str]) -> bool:
    return all(_SAFE_PLAIN.match(scalar) for scalar in scalars)


def _line_starts(text: str) -> list[int]:
    """The offset of each line's first character, line breaks counted as libyaml counts them."""
    return [0, *(match.end() for match in _LINE_BREAK.finditer(text))]


def _verified(text: str, edited: str,
              expected: Callable[[dict[str, Any]], dict[str, Any] | None]) -> str | None:
    """`edited` if it parses to `expected(old document)`, keys in that order; else None."""
    try:
        before, after = load_fast(text.encode("utf-8")), load_fast(edited.encode("utf-8"))
    except YamlProblem:
        return None
    wanted = expected(before) if isinstance(before, dict) else None
    if wanted is None or after != wanted or list(after) != list(wanted):
        return None
    return edited


def _leading_events(text: str, count: int) -> list[Any] | None:
    """The first `count` parser events of `text`, or None when libyaml refuses it."""
    from _ruamel_yaml import CParser

    parser = CParser(text)
    try:
        return [parser.get_event() for _ in range(count)]
    except Exception:  # libyaml refused the text: not ours to edit in place
        return None
    finally:
        parser.dispose()


_DOCUMENT_MAPPING = ["StreamStartEvent", "DocumentStartEvent", "MappingStartEvent"]


def _first_key_line(text: str) -> int | None:
    """The line of the first key of a top-level block mapping that starts at column 0."""
    events = _leading_events(text, 4)
    if events is None or [type(e).__name__ for e in events] != [*_DOCUMENT_MAPPING,
                                                                  "ScalarEvent"]:
        return None
    if events[2].flow_style or events[3].start_mark.column != 0:
        return None
    line: int = events[3].start_mark.line
    return line


def _leading_value_spans(text: str, keys: Sequence[str]) -> list[tuple[int, int, int]] | None:
    """(line, start column, end column) of the values of the first top-level `keys`, if scalar."""
    events = _leading_events(text, len(_DOCUMENT_MAPPING) + 2 * len(keys))
    if events is None or [type(e).__name__ for e in events[:3]] != _DOCUMENT_MAPPING:
        return None
    spans = []
    pairs = events[3:]
    for key, key_event, value_event in zip(keys, pairs[::2], pairs[1::2], strict=True):
        if type(key_event).__name__ != "ScalarEvent" or key_event.value != key or \
                type(value_event).__name__ != "ScalarEvent" or value_event.anchor or \
                value_event.tag is not None:
            return None
        start, end = value_event.start_mark, value_event.end_mark
        if start.line != end.line:
            return None
        spans.append((start.line, start.column, end.column))
    return spans


# --- round trip -------------------------------------------------------------------------------

def _round_trip() -> Any:
    from ruamel.yaml import YAML

    yaml = YAML(typ="rt")
    yaml.preserve_quotes = True
    yaml.width = 4096
    yaml.indent(mapping=2, sequence=4, offset=2)
    yaml.representer.add_representer(
        type(None), lambda rep, _: rep.represent_scalar("tag:yaml.org,2002:null", "null"))
    return yaml


def load_round_trip(text: str) -> Any:
    """Load with comments, key order and positions kept (only for files we must point into)."""
    return _round_trip().load(text)


def dump_round_trip(document: Any) -> str:
    """Write a round-trip document back to text."""
    stream = io.StringIO()
    _round_trip().dump(document, stream)
    return stream.getvalue()


def locate(text: str, path: Sequence[str | int], *, on_key: bool = False) -> tuple[int, int]:
    """1-based line and column of the node at `path` in `text` (one parse; see `Positions`)."""
    return Positions(text).locate(path, on_key=on_key)


class _PositionNode:
    """A node of the position tree: where it starts, and its children (if a collection)."""

    __slots__ = ("children", "col", "line", "value")

    def __init__(self, event: Any, children: dict[str, Any] | list[Any] | None) -> None:
        self.line: int = event.start_mark.line
        self.col: int = event.start_mark.column
        self.children = children
        self.value: str | None = getattr(event, "value", None) if children is None else None


class Positions:
    """Where every node of one file starts, from ONE parse with libyaml's C parser.

    Built once per file that has findings and asked once per finding, so a file with a
    thousand mistakes costs one parse, not a thousand. Only events are read: nothing is
    constructed, so values that would not construct (an impossible date, a `<<` key) still
    have a place. Rules, as for every finding: a scalar value points at itself, a mapping or
    sequence under a key at its key, a missing step at the deepest node found; `on_key`
    points at the key of the last step whatever its value is. Text the parser refuses part
    way keeps the positions read up to there.
    """

    def __init__(self, text: str) -> None:
        self._root = _position_tree(text.removeprefix("\ufeff"))

    def locate(self, path: Sequence[str | int], *, on_key: bool = False) -> tuple[int, int]:
        """1-based line and column of the node at `path`."""
        line, col = 0, 0
        node = self._root
        for index, step in enumerate(path):
            child = _position_child(node, step)
            if child is None:
                break
            key, node = child
            at_key = (on_key and index == len(path) - 1) or node.children is not None
            mark = key if at_key and isinstance(step, str) else node
            line, col = mark.line, mark.col
        return line + 1, col + 1


def _position_child(node: _PositionNode | None, step: str | int
                    ) -> tuple[_PositionNode, _PositionNode] | None:
    """(key node, value node) of `step` below `node`; None when there is none."""
    if node is None:
        return None
    children = node.children
    if isinstance(children, list) and isinstance(step, int) and 0 <= step < len(children):
        item: _PositionNode = children[step]
        return item, item
    if isinstance(children, dict) and isinstance(step, str):
        found: tuple[_PositionNode, _PositionNode] | None = children.get(step)
        return found
    return None


class _OpenMapping:
    """A mapping of the position tree under construction: a key node, then its value."""

    __slots__ = ("key", "node")

    def __init__(self, node: _PositionNode) -> None:
        self.node = node
        self.key: _PositionNode | None = None


def _position_tree(text: str) -> _PositionNode | None:
    """The first document of `text` as a tree of positions, built without recursion.

    A collection is hung under its parent when it starts, so a parse that fails part way
    still leaves every node read so far in the tree.
    """
    from _ruamel_yaml import CParser

    parser = CParser(text)
    stack: list[_OpenMapping | _PositionNode] = []
    root: _PositionNode | None = None
    try:
        while True:
            event = parser.get_event()
            kind = type(event).__name__
            if kind in ("StreamEndEvent", "DocumentEndEvent"):
                break
            if kind in ("MappingEndEvent", "SequenceEndEvent"):
                stack.pop()
                continue
            if kind in ("MappingStartEvent", "SequenceStartEvent"):
                node = _PositionNode(event, {} if kind == "MappingStartEvent" else [])
            elif kind in ("ScalarEvent", "AliasEvent"):
                node = _PositionNode(event, None)
            else:
                continue
            if not stack and root is not None:
                break  # a second document: positions are of the first
            _attach(stack, node)
            root = root or node
            if node.children is not None:
                stack.append(_OpenMapping(node) if isinstance(node.children, dict) else node)
    except Exception:  # libyaml refused the text part way: keep what was read up to there
        pass
    finally:
        parser.dispose()
    return root


def _attach(stack: list[_OpenMapping | _PositionNode], node: _PositionNode) -> None:
    """Hang a node under the innermost open collection (a key first, then its value)."""
    if not stack:
        return
    parent = stack[-1]
    if isinstance(parent, _OpenMapping):
        if parent.key is None:
            parent.key = node
            return
        children = parent.node.children
        key = parent.key.value if parent.key.children is None else None
        if isinstance(children, dict) and key is not None and key not in children:
            children[key] = (parent.key, node)
        parent.key = None
    elif isinstance(parent.children, list):
        parent.children.append(node)


def position(document: Any, path: Sequence[str | int]) -> tuple[int, int]:
    """1-based line and column of the node at `path` in a round-trip document.

    Walks as deep as the path exists; a missing key points at its parent mapping.
    """
    line, col = 1, 1
    node = document
    for step in path:
        lc = getattr(node, "lc", None)
        if lc is None:
            break
        try:
            if isinstance(step, int):
                line, col = lc.item(step)
                node = node[step]
            else:
                line, col = lc.value(step) if not _is_container(node[step]) else lc.key(step)
                node = node[step]
        except (KeyError, IndexError, TypeError):
            break
    return line + 1 if path else 1, col + 1 if path else 1


def _is_container(node: Any) -> bool:
    return isinstance(node, dict | list)


def key_position(document: Any, path: Sequence[str | int]) -> tuple[int, int]:
    """1-based line and column of the key that holds the node at `path`."""
    if not path:
        return 1, 1
    parent = document
    for step in path[:-1]:
        parent = parent[step]
    last = path[-1]
    lc = parent.lc
    line, col = lc.item(last) if isinstance(last, int) else lc.key(last)
    return line + 1, col + 1


# --- building round-trip documents (used by `new`, `promote`, notes, disputes and stamping) -------

def reorder(mapping: Any, order: Sequence[str]) -> None:
    """Put the keys of a round-trip mapping in `order` (unknown keys last), comments attached."""
    rank = {key: index for index, key in enumerate(order)}
    # sorted() is stable: keys outside `order` keep their relative order without a position lookup
    keys = sorted(mapping, key=lambda k: rank.get(k, len(rank)))
    for key in keys:
        mapping.move_to_end(key)


def set_flow(node: Any, flow: bool) -> None:
    """Write a round-trip mapping or sequence in flow (`[a, b]`) or block style.

    A node with comments among its items stays in block style: a comment inside a flow
    collection would end up between an item and its comma.
    """
    if hasattr(node, "fa"):
        flow = flow and not _has_item_comments(node)
        if flow:
            node.fa.set_flow_style()
        else:
            node.fa.set_block_style()


def _has_item_comments(node: Any) -> bool:
    comments = getattr(node, "ca", None)
    return bool(comments is not None and any(
        any(part is not None for part in parts) for parts in comments.items.values()))


def fold(text: str, indent: int, width: int = TEXT_WIDTH) -> Any:
    """`text` as a `>-` folded scalar wrapped at `width`; plain str if folding could alter it."""
    from ruamel.yaml.scalarstring import FoldedScalarString

    if (not text or "\n" in text or "  " in text or text != text.strip()
            or any(ord(ch) < 32 for ch in text)):
        return text
    folded = FoldedScalarString(text)
    folded.fold_pos = fold_positions(text, width - indent)
    return folded


def fold_positions(text: str, room: int) -> list[int]:
    """Where a folded scalar breaks `text` so no line runs past `room` (the spaces' offsets).

    A line breaks at its last space before `room`; a word longer than `room` stays whole.
    """
    positions: list[int] = []
    line_start = 0
    last_space = -1
    for index, char in enumerate(text):
        if char == " ":
            if index - line_start > room and last_space > line_start:
                positions.append(last_space)
                line_start = last_space + 1
            last_space = index
    if len(text) - line_start > room and last_space > line_start:
        positions.append(last_space)
    return positions


def plain_date(text: str) -> Any:
    """A YYYY-MM-DD string as a date node, so it is written unquoted like hand-written dates."""
    import datetime as dt

    return dt.date.fromisoformat(text)


def new_mapping(pairs: Iterable[tuple[str, Any]]) -> Any:
    """A round-trip mapping from pairs, for documents built from scratch."""
    from ruamel.yaml.comments import CommentedMap

    return CommentedMap(pairs)


def new_sequence(items: Iterable[Any]) -> Any:
    """A round-trip sequence from items."""
    from ruamel.yaml.comments import CommentedSeq

    return CommentedSeq(items)


# --- token and event streams (fmt reads a file's layout and comments from these) ----------------

# What libyaml (YAML 1.1) takes for a line break; a comment runs up to the first of them.
LINE_BREAKS = "\r\n\x85\u2028\u2029"


@dataclass(frozen=True, slots=True)
class Token:
    """One libyaml token: kind (class name without `Token`) and its span as character offsets."""

    kind: str
    start: int
    end: int
    line: int  # 0-based, lines broken as libyaml breaks them
    style: str  # a scalar's quoting or block indicator ('', "'", '"', '|', '>'); '' otherwise


@dataclass(frozen=True, slots=True)
class Event:
    """One libyaml parser event with the span of its node as character offsets."""

    kind: str  # class name without `Event`: Scalar, MappingStart, SequenceEnd, ...
    start: int
    end: int
    col: int  # 0-based, as is
    end_line: int  # the line the node ends on
    value: str = ""
    style: str = ""
    tagged: bool = False  # a scalar carrying an explicit tag (only standard ones pass `load_text`)
    flow: bool = False  # a collection written in flow style


def _libyaml_items(text: str, pull: str) -> Iterator[Any]:
    """libyaml's tokens or events of `text` (`pull` names the parser method), in order, until
    the stream ends; a YamlProblem where libyaml refuses the text."""
    from _ruamel_yaml import CParser

    parser = CParser(text)
    try:
        while True:
            item = getattr(parser, pull)()
            if item is None:
                return
            yield item
            if type(item).__name__ == "StreamEndEvent":
                return
    except YamlProblem:
        raise
    except Exception as err:  # libyaml's MarkedYAMLErrors
        raise _syntax_problem(err, text) from None
    finally:
        parser.dispose()


def scan_tokens(text: str) -> list[Token]:
    """Every token of `text` in order; raise YamlProblem where libyaml refuses the text."""
    return [Token(type(token).__name__.removesuffix("Token"), token.start_mark.index,
                  token.end_mark.index, token.start_mark.line, getattr(token, "style", None) or "")
            for token in _libyaml_items(text, "get_token")]


def parse_events(text: str) -> list[Event]:
    """Every parser event of `text` in order; raise YamlProblem where libyaml refuses it."""
    return [_event(event) for event in _libyaml_items(text, "get_event")]


def _event(event: Any) -> Event:
    kind = type(event).__name__.removesuffix("Event")
    start, end = event.start_mark, event.end_mark
    return Event(kind, start.index, end.index, start.column, end.line,
                 getattr(event, "value", None) or "", getattr(event, "style", None) or "",
                 kind == "Scalar" and event.tag is not None,
                 bool(getattr(event, "flow_style", False)))


@dataclass(frozen=True)
class _PlainScalar:
    """An untagged plain scalar as `_scalar` sees a parser event."""

    value: str
    style: str = ""
    tag: None = None


def resolve_plain(value: str) -> Any:
    """What an untagged plain scalar `value` means as a value, as `load_fast` reads it."""
    return _scalar(_PlainScalar(value), key=False)
