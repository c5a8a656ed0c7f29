"""Property tests: generated KPI files, keys shuffled, a comment in every position fmt promises
to keep. After `fmt` the data is the same, a second run changes nothing, and every comment is
still beside the key or item it was written beside.

Each generated file is built from a small tree that knows, for every comment, its anchor: the
key or item it was written above, or at the end of whose line it stood, or the end of the file.
The checks read the written text line by line; they do not use fmt's own reader.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from ontology_tools import yamlio
from ontology_tools.canonical import KPI_KEYS, SOURCE_KEYS, TOP_KEYS
from ontology_tools.edit.fmt import format_text

STAGES = ["preSeed", "seed", "seriesA", "seriesB", "seriesC", "public"]
LEVELS = ["core", "recommended", "optional"]
PROPERTIES = settings(max_examples=80, deadline=None, derandomize=True,
                      suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])


# --- the generated file -------------------------------------------------------------------------

@dataclass
class Item:
    """A list item or a mapping entry: `key` is None for a list item."""

    key: str | None
    value: Any  # a scalar's text, or a Block
    above: list[str] = field(default_factory=list)
    eol: str | None = None
    dedent: int = 0  # the comments above start this many columns left of the item (at least 0)
    blank: bool = False  # a blank line above the item and its comments


@dataclass
class Block:
    """A mapping or a list, written in block style or as a multi-line flow collection."""

    mapping: bool
    items: list[Item]
    flow: bool = False


class Comments:
    """Hands out unique comment texts and remembers where each was written."""

    def __init__(self) -> None:
        self.count = 0
        self.eof: list[str] = []

    def new(self) -> str:
        self.count += 1
        return f"# c{self.count} note"


def render(block: Block, indent: int, lines: list[str]) -> None:
    """Block style: entries at `indent`, items' dashes at `indent`."""
    pad = " " * indent
    for item in block.items:
        lines.extend([""] if item.blank else [])
        lines.extend(" " * max(0, indent - item.dedent) + comment for comment in item.above)
        head = f"{pad}{item.key}:" if block.mapping else f"{pad}-"
        eol = f"  {item.eol}" if item.eol else ""
        value = item.value
        if isinstance(value, Block) and value.flow and not any(
                i.above or i.eol for i in value.items):
            text = ", ".join(f"{i.key}: {i.value}" if value.mapping else str(i.value)
                             for i in value.items)
            lines.append(f"{head} {'{' if value.mapping else '['}{text}"
                         f"{'}' if value.mapping else ']'}{eol}")
        elif isinstance(value, Block) and value.flow:
            lines.append(f"{head} {'{' if value.mapping else '['}")
            render_flow_items(value, indent + 4, lines)
            lines.append(f"{pad}  {'}' if value.mapping else ']'}{eol}")
        elif isinstance(value, Block):
            lines.append(head + eol)
            render(value, indent + 2, lines)
        else:
            lines.append(f"{head} {value}{eol}")


def render_flow_items(block: Block, indent: int, lines: list[str]) -> None:
    """One item of a flow collection per line, comments on their own lines and after commas."""
    pad = " " * indent
    for index, item in enumerate(block.items):
        lines.extend(pad + comment for comment in item.above)
        comma = "," if index < len(block.items) - 1 else ""
        text = f"{item.key}: {item.value}" if block.mapping else str(item.value)
        lines.append(f"{pad}{text}{comma}" + (f"  {item.eol}" if item.eol else ""))


def document_text(root: Block, comments: Comments) -> str:
    lines: list[str] = []
    render(root, 0, lines)
    lines.extend(comments.eof)
    return "\n".join(lines) + "\n"


# --- strategies ---------------------------------------------------------------------------------

words = st.sampled_from(["alpha", "beta", "gamma", "delta", "Board pack", "Finance", "ratio",
                         "42", "3.5", "null", "true", "2026-04-01", "'quoted: text'",
                         '"double # quoted"'])
prose = st.lists(st.sampled_from(["revenue", "the", "board", "reads", "every", "quarter",
                                  "trend", "churn", "(net)", "ratio,"]),
                 min_size=1, max_size=40).map(" ".join)


@st.composite
def kpi_files(draw: st.DrawFn) -> tuple[str, Block, Comments]:
    comments = Comments()
    unique = iter(range(10_000))

    def comment_maybe(chance: bool) -> str | None:
        return comments.new() if chance and draw(st.booleans()) else None

    def aboves() -> list[str]:
        return [comments.new() for _ in range(draw(st.integers(0, 2)))]

    def item(key: str | None, value: Any, *, commented: bool = True) -> Item:
        if not commented:
            return Item(key, value)
        return Item(key, value, aboves() if draw(st.booleans()) else [], comment_maybe(True),
                    draw(st.integers(0, 6)), draw(st.booleans()))

    def collection(mapping: bool, pairs: list[tuple[str | None, str]]) -> Block:
        flow = draw(st.booleans())
        commented = draw(st.booleans())
        items = [item(key, value, commented=commented) for key, value in pairs]
        return Block(mapping, items, flow)

    def unique_list() -> list[tuple[str | None, str]]:
        return [(None, f"customers.k{next(unique)}") for _ in range(draw(st.integers(1, 4)))]

    kpi_items: list[Item] = []
    for key in KPI_KEYS:
        if not draw(st.booleans()):
            continue
        value: Any
        if key in ("description", "formula", "whyItMatters", "interpretationGuidance"):
            value = draw(prose)
        elif key == "suggestedForStages":
            stages = draw(st.lists(st.sampled_from(STAGES), min_size=1, unique=True))
            value = collection(False, [(None, stage) for stage in stages])
        elif key == "stageRelevance":
            stages = draw(st.lists(st.sampled_from(STAGES), min_size=1, unique=True))
            value = collection(True, [(stage, draw(st.sampled_from(LEVELS))) for stage in stages])
        elif key == "definitionSource":
            keys = draw(st.permutations(SOURCE_KEYS))[:draw(st.integers(1, len(SOURCE_KEYS)))]
            value = collection(True, [(k, draw(words)) for k in keys])
        elif key == "metricBasis":
            value = collection(True, [("timeBasis", "period"), ("production", "primary")])
        elif key in ("relatedKpiIds", "supersedes", "defaultOwningFunctions"):
            value = collection(False, unique_list())
        else:
            value = draw(words)
        kpi_items.append(item(key, value))
    for _ in range(draw(st.integers(0, 3))):  # keys fmt does not know keep their order, last
        kpi_items.append(item(f"x{next(unique)}", draw(words)))
    kpi_items = draw(st.permutations(kpi_items)) if kpi_items else [item("slug", "arr")]
    top = [item("kpi", Block(True, list(kpi_items)))]
    if draw(st.booleans()):
        top += [item("version", "1.0.0"), item("releasedAt", "2026-11-23")]
    top += [item(f"y{next(unique)}", draw(words)) for _ in range(draw(st.integers(0, 2)))]
    root = Block(True, list(draw(st.permutations(top))))
    comments.eof = [comments.new() for _ in range(draw(st.integers(0, 2)))]
    return document_text(root, comments), root, comments


# --- what must hold -----------------------------------------------------------------------------

def item_line(lines: list[str], item: Item, parent_mapping: bool) -> int:
    """The index of the line that carries `item` in fmt's output."""
    if parent_mapping:
        pattern = re.compile(rf"^ *{re.escape(str(item.key))}:(?: |$)")
    else:
        pattern = re.compile(rf"^ *- {re.escape(str(item.value))}(?:  #|$)")
    found = [index for index, line in enumerate(lines) if pattern.match(line)]
    assert len(found) == 1, (item, found)
    return found[0]


def check_comments(block: Block, lines: list[str]) -> None:
    for item in block.items:
        at = item_line(lines, item, block.mapping) if (item.above or item.eol) else None
        if at is not None and item.eol:
            assert lines[at].endswith(f"  {item.eol}") or f"  {item.eol}  #" in lines[at], \
                (item.eol, lines[at])
        if at is not None and item.above:
            above = at - 1
            written: list[str] = []
            while above >= 0 and lines[above].lstrip().startswith("#"):
                written.insert(0, lines[above].strip())
                above -= 1
            assert written[-len(item.above):] == item.above, (item.above, lines[at - 3:at + 1])
        if isinstance(item.value, Block):
            check_comments(item.value, lines)


def expected_data(text: str) -> Any:
    data = yamlio.load_fast(text.encode("utf-8"))
    kpi = data["kpi"]
    if isinstance(kpi.get("suggestedForStages"), list):
        kpi["suggestedForStages"].sort(key=STAGES.index)
    return data


@PROPERTIES
@given(kpi_files())
def test_fmt_keeps_data_comments_and_settles(case: tuple[str, Block, Comments]) -> None:
    text, root, comments = case
    written = format_text(text, STAGES)
    assert yamlio.load_fast(written.encode("utf-8")) == expected_data(text)
    assert format_text(written, STAGES) == written
    lines = written.splitlines()
    for number in range(1, comments.count + 1):
        assert sum(line.count(f"# c{number} note") for line in lines) == 1, number
    check_comments(root, lines)
    if comments.eof:
        assert lines[-len(comments.eof):] == comments.eof
    kpi_keys = re.findall(r"^  ([A-Za-z]+):", written, flags=re.MULTILINE)
    known = [key for key in kpi_keys if key in KPI_KEYS]
    assert known == sorted(known, key=KPI_KEYS.index)
    top_keys = [key for key in re.findall(r"^([A-Za-z]+):", written, flags=re.MULTILINE)
                if key in TOP_KEYS]
    assert top_keys == sorted(top_keys, key=TOP_KEYS.index)


def flow_text(block: Block) -> str:
    """The tree as one flow collection, scalars as the block file writes them."""
    parts = [(f"{item.key}: " if block.mapping else "")
             + (flow_text(item.value) if isinstance(item.value, Block) else flow_scalar(item.value))
             for item in block.items]
    return ("{%s}" if block.mapping else "[%s]") % ", ".join(parts)


def flow_scalar(text: str) -> str:
    """A scalar as written in the block file, in JSON's quotes where flow style needs quotes."""
    if not re.search(r"[,\[\]{}#]", text):
        return text
    return json.dumps(yamlio.load_fast(f"k: {text}\n".encode())["k"], ensure_ascii=False)


@PROPERTIES
@given(kpi_files(), st.sampled_from([None, 0, 2, 4]))
def test_json_and_flow_files_come_out_in_one_block_form(case: tuple[str, Block, Comments],
                                                         indent: int | None) -> None:
    """A JSON file and a flow-style YAML file of the same data are written the same, in block
    style, with the data of the block-style file."""
    text, root, _ = case
    data = yamlio.load_fast(text.encode("utf-8"))
    from_json = format_text(json.dumps(data, indent=indent, ensure_ascii=False), STAGES)
    from_flow = format_text(flow_text(root) + "\n", STAGES)
    assert from_json == from_flow
    assert not re.search(r"[{\[]\s*$", from_json, flags=re.MULTILINE)  # no flow left open
    assert yamlio.load_fast(from_json.encode("utf-8")) == expected_data(text)
    assert format_text(from_json, STAGES) == from_json
