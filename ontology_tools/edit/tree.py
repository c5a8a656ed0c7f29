"""A YAML file as `fmt` reads it: its nodes, and each comment on the node it belongs to.

The node structure comes from libyaml's events; the comments come from the text between
libyaml's tokens (the only place a comment can be), so nothing inside a scalar is ever taken
for one. Each comment is then given to a *slot* — a mapping entry, a sequence item or the
document root — by where it stands:

- an end-of-line comment belongs to the node the last token on its line belongs to;
- a comment on a line of its own belongs to the next entry or item below it (`before`), or,
  between a key and a value written on a later line, to that entry (`inner`);
- inside a flow collection, a comment after its last item stays at its end (`tail`); in block
  style, a comment after the last item of a collection and indented at least as deep as that
  collection's items is its tail too, so a commented-out last item stays with its list;
- what is left after the last node is the end of the file.

A blank line is kept as an empty string among the `before` comments of the slot below it.
"""

from __future__ import annotations

import enum
import re
from collections.abc import Iterator
from dataclasses import dataclass, field

from ontology_tools import yamlio


@dataclass(frozen=True, slots=True)
class Scalar:
    """A scalar node: its value as parsed and its text as written (without any tag)."""

    value: str
    style: Style
    source: str
    single_line: bool
    tagged: bool
    in_flow: bool  # written inside a flow collection (or a JSON-style file)


class Style(enum.Enum):
    """How a scalar was written."""

    PLAIN = ""
    SINGLE = "'"
    DOUBLE = '"'
    LITERAL = "|"
    FOLDED = ">"


@dataclass(frozen=True, slots=True)
class Collection:
    """A mapping or a sequence; `slots` and `tail` are filled while the file is read."""

    mapping: bool
    flow: bool
    indent: int  # the column its items start at, for the block-style tail rule
    slots: list[Slot] = field(default_factory=list)
    tail: list[str] = field(default_factory=list)


Node = Scalar | Collection


@dataclass(frozen=True, slots=True)
class Slot:
    """Where a node stands: a mapping entry (with its key), a sequence item, or the root.

    The comment lists are filled while the file is read; a comment is its text from `#` on.
    """

    key: Scalar | None
    node: Node
    before: list[str] = field(default_factory=list)  # own lines above its head; '' is a blank
    head_eol: list[str] = field(default_factory=list)  # end of the key's, dash's or `[`'s line
    inner: list[str] = field(default_factory=list)  # own lines between its head and its value
    value_eol: list[str] = field(default_factory=list)  # end of its value's (or `]`'s) line


@dataclass(frozen=True, slots=True)
class Document:
    """A whole file: the root slot (None for a file of comments only) and its edges."""

    root: Slot | None
    header: list[str] = field(default_factory=list)  # after `---` or a directive, or `{`'s line
    eof: list[str] = field(default_factory=list)

    def comments(self) -> list[str]:
        """Every comment of the document (blank lines left out), in no particular order."""
        found = [*self.header, *self.eof]
        if self.root is not None:
            for slot in _walk(self.root):
                found += [*slot.before, *slot.head_eol, *slot.inner, *slot.value_eol]
                if isinstance(slot.node, Collection):
                    found += slot.node.tail
        return [comment for comment in found if comment]


def _walk(slot: Slot) -> Iterator[Slot]:
    stack = [slot]
    while stack:
        current = stack.pop()
        yield current
        if isinstance(current.node, Collection):
            stack.extend(current.node.slots)


class ReadError(Exception):
    """The token and event streams of one text disagree (a bug, never the file's fault)."""


class Part(enum.Enum):
    """Which comment list of a slot an attachment goes to."""

    BEFORE = "before"
    HEAD = "head_eol"
    INNER = "inner"
    VALUE = "value_eol"


class _Edge(enum.Enum):
    """Comment places outside every slot."""

    HEADER = "header"
    EOF = "eof"
    DEFER = "defer"  # a `?`, tag or anchor: the comment belongs to whatever follows it


Owner = tuple[Slot, Part] | _Edge

_BREAK = re.compile(r"\r\n|[\r\n\x85\u2028\u2029]")
_SCALAR_STYLES = {style.value: style for style in Style}


def read_document(text: str) -> Document:
    """The document of `text` with its comments attached; raise YamlProblem if libyaml refuses.

    The caller has already checked with `yamlio.load_text` that the text is plain data (no
    aliases, custom tags, complex keys or second documents).
    """
    tokens = yamlio.scan_tokens(text)
    builder = _Builder(text, tokens)
    for event in yamlio.parse_events(text):
        builder.add(event)
    return builder.attach_comments()


@dataclass
class _Frame:
    """An open collection while events arrive (builder-internal, hence mutable)."""

    collection: Collection
    holder: Slot
    key: Scalar | None = None
    key_start: int = 0
    key_end: int = 0


class _Builder:
    """Events → slots, keeping the maps from text positions to slots that comments need."""

    def __init__(self, text: str, tokens: list[yamlio.Token]) -> None:
        self.text = text
        self.tokens = tokens
        self.scalar_tokens = {t.end: t for t in tokens if t.kind == "Scalar"}
        self.stack: list[_Frame] = []
        self.root: Slot | None = None
        self.scalar_owner: dict[int, tuple[Slot, Part]] = {}
        self.flow_open: dict[int, Slot] = {}
        self.flow_close: dict[int, Slot] = {}  # by the end of the closing bracket
        self.flow_closing: dict[int, Collection] = {}  # by the start of the closing bracket
        self.block_items: list[Slot] = []  # in the order of their dashes
        self.heads: list[tuple[int, Slot, Part]] = []
        self.parent: dict[int, Collection] = {}  # id(slot) → the collection holding it
        self.holder: dict[int, Slot] = {}  # id(collection) → the slot holding it

    # --- structure --------------------------------------------------------------------------

    def add(self, event: yamlio.Event) -> None:
        """Take the next parser event."""
        if event.kind == "Scalar":
            self._node(self._scalar(event), event)
        elif event.kind in ("MappingStart", "SequenceStart"):
            indent = event.col
            if not event.flow and event.kind == "SequenceStart" and self.stack and \
                    self.stack[-1].collection.mapping and \
                    self.stack[-1].collection.indent == event.col:
                indent += 1  # an indentless list sits between its key and that key's siblings
            collection = Collection(event.kind == "MappingStart", event.flow, indent)
            slot = self._node(collection, event)
            self.stack.append(_Frame(collection, slot))
        elif event.kind in ("MappingEnd", "SequenceEnd"):
            frame = self.stack.pop()
            if frame.collection.flow:
                self.flow_close[event.end] = frame.holder
                self.flow_closing[event.start] = frame.collection

    def _scalar(self, event: yamlio.Event) -> Scalar:
        token = self.scalar_tokens.get(event.end) if event.end > event.start else None
        source = self.text[token.start:event.end] if token is not None else ""
        single = token is None or token.line == event.end_line
        in_flow = bool(self.stack) and self.stack[-1].collection.flow
        return Scalar(event.value, _SCALAR_STYLES[event.style], source, single, event.tagged,
                      in_flow)

    def _node(self, node: Node, event: yamlio.Event) -> Slot:
        """Place a new node: as the root, a key, an entry's value or an item."""
        has_text = event.end > event.start
        if not self.stack:
            slot = self.root = Slot(None, node)
            if has_text and isinstance(node, Scalar):
                self.heads.append((event.start, slot, Part.BEFORE))
                self.scalar_owner[event.end] = (slot, Part.VALUE)
        else:
            frame = self.stack[-1]
            parent = frame.collection
            if parent.mapping and frame.key is None:
                assert isinstance(node, Scalar)  # load_text refused complex keys already
                frame.key, frame.key_start, frame.key_end = node, event.start, event.end
                return frame.holder
            slot = Slot(frame.key, node)
            parent.slots.append(slot)
            self.parent[id(slot)] = parent
            if parent.mapping:
                self.heads.append((frame.key_start, slot, Part.BEFORE))
                if frame.key_end > frame.key_start:
                    self.scalar_owner[frame.key_end] = (slot, Part.HEAD)
                frame.key = None
            elif parent.flow:
                self.heads.append((event.start, slot, Part.BEFORE))
            else:
                self.block_items.append(slot)
            inline = isinstance(node, Scalar) or node.flow
            if inline and has_text and not (parent.flow and not parent.mapping):
                self.heads.append((event.start, slot, Part.INNER))
            if isinstance(node, Scalar) and has_text:
                self.scalar_owner[event.end] = (slot, Part.VALUE)
        if isinstance(node, Collection):
            self.holder[id(node)] = slot
            if node.flow:
                bracket = _bracket_at(self.text, event.start)
                if bracket is not None:  # a pair inside a flow sequence has no bracket
                    self.flow_open[bracket] = slot
        return slot

    # --- comments ---------------------------------------------------------------------------

    def attach_comments(self) -> Document:
        """Give every comment and blank line between the tokens to its slot."""
        dashes = [t for t in self.tokens if t.kind == "BlockEntry"]
        if len(dashes) != len(self.block_items):
            raise ReadError("libyaml's dashes and the items of block lists disagree")
        dash_owner: dict[int, Slot] = {}
        for dash, slot in zip(dashes, self.block_items, strict=True):
            dash_owner[dash.start] = slot
            self.heads.append((dash.start, slot, Part.BEFORE))
        self.heads.sort(key=lambda head: head[0])
        document = Document(self.root)
        attacher = _Attacher(self, document, dash_owner)
        previous: yamlio.Token | None = None
        for token in self.tokens:
            if token.end == token.start:
                continue  # zero-width: block starts and ends, implicit keys
            attacher.gap(previous, token)
            attacher.take(token)
            previous = token
        attacher.gap(previous, None)
        return document

    def ancestors(self, slot: Slot) -> Iterator[Collection]:
        """The collections holding `slot`, innermost first."""
        current = slot
        while (parent := self.parent.get(id(current))) is not None:
            yield parent
            current = self.holder[id(parent)]


def _bracket_at(text: str, start: int) -> int | None:
    """Where a flow collection's opening bracket is: at its start, or after its tag."""
    if text[start] in "[{":
        return start
    if text[start] != "!":
        return None
    found = [at for at in (text.find("[", start), text.find("{", start)) if at >= 0]
    return min(found) if found else None


def _lines(text: str, start: int, end: int) -> list[int]:
    """The offsets where the lines of `text[start:end]` start (the first at `start`)."""
    return [start, *(match.end() for match in _BREAK.finditer(text, start, end))]


def _comment(text: str) -> str:
    """A comment's text from its `#` to the end of its line, trailing blanks dropped."""
    match = _BREAK.search(text)
    return (text[:match.start()] if match else text).rstrip(" ")


class _Attacher:
    """Walks the gaps between tokens once, in order, attaching what it finds."""

    def __init__(self, builder: _Builder, document: Document, dash_owner: dict[int, Slot]) -> None:
        self.b = builder
        self.document = document
        self.dash_owner = dash_owner
        self.depth = 0  # flow nesting at the current position
        self.owner: Owner = _Edge.HEADER  # the owner of the last token taken
        self.deferred: list[str] = []  # end-of-line comments waiting for the next token's owner
        self.next_head = 0  # index into builder.heads of the first head after the position

    def take(self, token: yamlio.Token) -> None:
        """Account for one token with text: who owns it, and what it opens or closes."""
        owner = self._owner_of(token)
        if owner is not _Edge.DEFER:
            self.owner = owner
            for comment in self.deferred:
                self._put(owner, comment)
            self.deferred.clear()
        if token.kind in ("FlowSequenceStart", "FlowMappingStart"):
            self.depth += 1
        elif token.kind in ("FlowSequenceEnd", "FlowMappingEnd"):
            self.depth -= 1
        if token.kind == "Scalar" and token.style in ("|", ">"):
            header = self.b.text[token.start:token.end]
            mark = header.find("#")
            newline = _BREAK.search(header)
            if mark >= 0 and (newline is None or mark < newline.start()):
                self._put(owner, _comment(header[mark:]))
            pieces = _BREAK.split(header)
            keep = "+" in pieces[0].split("#")[0]
            if not keep and len(pieces) > 2 and not pieces[-1] and not pieces[-2].strip(" "):
                # blank lines after a block scalar are part of its token, not a gap
                self._own_line("", 0, token.end, None)

    def _owner_of(self, token: yamlio.Token) -> Owner:
        b = self.b
        kind = token.kind
        if kind == "Scalar":
            return b.scalar_owner.get(token.end, self.owner)
        if kind == "Value":
            return (self.owner[0], Part.HEAD) if isinstance(self.owner, tuple) else self.owner
        # every bracket and dash has its slot; were one missing, fmt's own check would see the
        # comment moved and refuse the rewrite
        if kind == "BlockEntry":
            dash = self.dash_owner.get(token.start)
            return (dash, Part.HEAD) if dash is not None else self.owner
        if kind in ("FlowSequenceStart", "FlowMappingStart"):
            slot = b.flow_open.get(token.start)
            return _Edge.HEADER if slot is b.root or slot is None else (slot, Part.HEAD)
        if kind in ("FlowSequenceEnd", "FlowMappingEnd"):
            slot = b.flow_close.get(token.end)
            return _Edge.EOF if slot is b.root or slot is None else (slot, Part.VALUE)
        if kind in ("Key", "Tag", "Anchor", "Alias"):
            return _Edge.DEFER
        if kind in ("DocumentStart", "Directive"):
            return _Edge.HEADER
        if kind == "DocumentEnd":
            return _Edge.EOF
        return self.owner  # a comma belongs with the item before it

    def gap(self, previous: yamlio.Token | None, following: yamlio.Token | None) -> None:
        """Find the comments and blank lines between two tokens and attach each."""
        start = previous.end if previous is not None else 0
        end = following.start if following is not None else len(self.b.text)
        if start >= end:
            return
        lines = _lines(self.b.text, start, end)
        first = 0
        # a block scalar's token takes its last line break with it: the gap starts a line then
        if previous is not None and self.b.text[start - 1] not in yamlio.LINE_BREAKS:
            first = 1
            text = self.b.text[lines[0]:lines[1] if len(lines) > 1 else end]
            mark = text.find("#")
            if mark >= 0:
                comment = _comment(text[mark:])
                if self.owner is _Edge.DEFER or previous.kind in ("Key", "Tag", "Anchor"):
                    self.deferred.append(comment)
                else:
                    self._put(self.owner, comment)
        # the last piece is the start of the following token's line: only its indentation
        last = len(lines) - 1 if following is not None else len(lines)
        for index in range(first, last):
            line_start = lines[index]
            line = self.b.text[line_start:lines[index + 1] if index + 1 < len(lines) else end]
            mark = line.find("#")
            if mark >= 0:
                self._own_line(_comment(line[mark:]), mark, line_start + mark, following)
            elif not line.strip(" \r\n\x85\u2028\u2029"):
                self._own_line("", 0, line_start, following)

    def _own_line(self, comment: str, col: int, at: int, following: yamlio.Token | None) -> None:
        """Attach a comment (or a blank line, '') that stands on a line of its own."""
        heads = self.b.heads
        while self.next_head < len(heads) and heads[self.next_head][0] <= at:
            self.next_head += 1
        head = heads[self.next_head] if self.next_head < len(heads) else None
        if self.depth > 0 and following is not None and \
                following.kind in ("FlowSequenceEnd", "FlowMappingEnd"):
            closing = self.b.flow_closing.get(following.start)
            if comment and closing is not None:
                closing.tail.append(comment)
                return
            if not comment:
                return
        if comment and self.depth == 0 and isinstance(self.owner, tuple):
            tail = self._block_tail(self.owner[0], head, col)
            if tail is not None:
                tail.tail.append(comment)
                return
        if head is None:
            if comment:
                self.document.eof.append(comment)
            return
        _, slot, part = head
        getattr(slot, part.value).append(comment)

    def _block_tail(self, last: Slot, head: tuple[int, Slot, Part] | None,
                    col: int) -> Collection | None:
        """The innermost block collection that ended before the comment and whose items the
        comment is indented as deep as, if any."""
        enclosing = set() if head is None else {id(c) for c in self.b.ancestors(head[1])}
        for collection in self.b.ancestors(last):
            if id(collection) in enclosing:
                return None
            if not collection.flow and collection.indent <= col:
                return collection
        return None

    def _put(self, owner: Owner, comment: str) -> None:
        if owner is _Edge.HEADER or owner is _Edge.DEFER:
            self.document.header.append(comment)
        elif owner is _Edge.EOF:
            self.document.eof.append(comment)
        else:
            slot, part = owner
            getattr(slot, part.value).append(comment)
