"""fmt's rules one at a time, in memory: where each comment goes, how each value is written."""

from __future__ import annotations

from pathlib import Path

import pytest

from ontology_tools import yamlio
from ontology_tools.canonical import in_canonical_order
from ontology_tools.edit import fmt
from ontology_tools.edit.fmt import FormatBug, FormatRefusal, format_text, same_data
from tests.conftest import run_cli

STAGES = ["preSeed", "seed", "seriesA", "seriesB", "seriesC", "public"]


def formatted(text: str) -> str:
    """fmt's output for `text`, after checking it keeps the data and settles."""
    result = format_text(text, STAGES)
    assert same_data(yamlio.load_text(result),
                     in_canonical_order(yamlio.load_text(text), STAGES))
    assert format_text(result, STAGES) == result
    return result


# --- where comments go ------------------------------------------------------------------------

@pytest.mark.parametrize(("text", "expected"), [
    # above a key, whatever its indentation, travels with the key
    ("kpi:\n  slug: a\n# about the id\n  rogueId: s.a\n",
     "kpi:\n  # about the id\n  rogueId: s.a\n  slug: a\n"),
    # at the end of a key's line, with a block list below it
    ("kpi:\n  relatedKpiIds:  # c1\n    - a\n  slug: a\n",
     "kpi:\n  slug: a\n  relatedKpiIds:  # c1\n    - a\n"),
    # a commented-out last item stays with its list, a comment at the key's column does not
    ("kpi:\n  relatedKpiIds:\n    - a\n    # - b\n  # about the slug\n  slug: a\n",
     "kpi:\n  # about the slug\n  slug: a\n  relatedKpiIds:\n    - a\n    # - b\n"),
    # an indentless list: a comment at the key's column belongs to the next key
    ("kpi:\n  relatedKpiIds:\n  - a  # one\n  # two is next\n  - b\n  # about the slug\n"
     "  slug: a\n",
     "kpi:\n  # about the slug\n  slug: a\n  relatedKpiIds:\n    - a  # one\n    # two is next\n"
     "    - b\n"),
    # between a key and a value written on the next line
    ("kpi:\n  unit:\n    # why dollars\n    USD\n", "kpi:\n  unit:\n    # why dollars\n    USD\n"),
    # inside a flow list: after an item's comma, on a line of its own, before the bracket
    ("kpi:\n  relatedKpiIds: [a,  # first\n    # before b\n    b,\n    # the end of it\n  ]\n",
     "kpi:\n  relatedKpiIds:\n    - a  # first\n    # before b\n    - b\n    # the end of it\n"),
    # inside a flow mapping, and after its closing brace
    ("kpi:\n  metricBasis: {production: primary,  # p\n    timeBasis: period}  # after\n",
     "kpi:\n  metricBasis:  # after\n    timeBasis: period\n    production: primary  # p\n"),
    # after an opening bracket: on the key's line
    ("kpi:\n  relatedKpiIds: [  # the list\n    a]\n",
     "kpi:\n  relatedKpiIds:  # the list\n    - a\n"),
    # inside an empty collection: above its key
    ("kpi:\n  relatedKpiIds: [\n    # none yet\n  ]\n",
     "kpi:\n  # none yet\n  relatedKpiIds: []\n"),
    # a block scalar's header comment stays on the header line
    ("kpi:\n  formula: |  # exact\n    a\n    b\n", "kpi:\n  formula: |  # exact\n    a\n    b\n"),
    # a prose value with a comment on its line is not folded away from it
    ("kpi:\n  formula: one line  # as is\n", "kpi:\n  formula: one line  # as is\n"),
    # end of file, after a nested list, at column 0
    ("kpi:\n  relatedKpiIds:\n    - a\n# the end\n# really\n",
     "kpi:\n  relatedKpiIds:\n    - a\n# the end\n# really\n"),
    # `---`, `...` and a JSON-style root: header, end of file
    ("--- # header\nkpi: {slug: a}\n... # done\n", "# header\nkpi:\n  slug: a\n# done\n"),
    ('{  # opening\n  "kpi": {"slug": "a"}\n}  # closing\n',
     "# opening\nkpi:\n  slug: a\n# closing\n"),
    # an item's comment with a mapping in it: on the item's first line
    ("kpi:\n  extra:\n    -  # first item\n      k: v\n    - k: w  # second\n",
     "kpi:\n  extra:\n    - k: v  # first item\n    - k: w  # second\n"),
    # a comment between a dash and its mapping keeps the dash on its own line
    ("kpi:\n  extra:\n    -\n      # about k\n      k: v\n",
     "kpi:\n  extra:\n    -\n      # about k\n      k: v\n"),
    # blank lines: one is kept before a comment or key, none at the top of a mapping
    ("kpi:\n\n  slug: a\n\n\n  # c\n  rogueId: s.a\n",
     "kpi:\n  # c\n  rogueId: s.a\n  slug: a\n"),
])
def test_comment_places(text: str, expected: str) -> None:
    assert formatted(text) == expected


def test_two_end_of_line_comments_of_one_node_share_its_line() -> None:
    text = "kpi:\n  relatedKpiIds: [  # opens\n    a\n  ]  # closes\n"
    assert formatted(text) == "kpi:\n  relatedKpiIds:  # opens  # closes\n    - a\n"


def test_suggested_stages_move_with_their_comments() -> None:
    text = "kpi:\n  suggestedForStages:\n    - public  # last\n    # the first one\n    - seed\n"
    assert formatted(text) == ("kpi:\n  suggestedForStages:\n    # the first one\n    - seed\n"
                               "    - public  # last\n")


# --- how values are written -------------------------------------------------------------------

@pytest.mark.parametrize(("value", "written"), [
    ("~", "null"),
    ("", "null"),
    ("TRUE", "true"),
    ("0x1F", "0x1F"),
    ("!!str 12", '"12"'),
    ("!!str abc", "abc"),
    ("'two\n    lines'", "two lines"),
    ('"line\\u2028break"', '"line\\u2028break"'),  # quotes of a block-style file are kept
    ("'it''s'", "'it''s'"),
])
def test_scalar_styles(value: str, written: str) -> None:
    assert formatted(f"kpi:\n  x: {value}\n") == f"kpi:\n  x: {written}\n"


@pytest.mark.parametrize(("value", "written"), [
    ("'plain'", "plain"),
    ('"2026-04-01"', "2026-04-01"),
    ("'4.2'", '"4.2"'),
    ("'null'", '"null"'),
    ('"say \\"hi\\""', 'say "hi"'),
    ('"\\"hi\\" she said"', "'\"hi\" she said'"),
    ('"it\'s"', "it's"),
    ('"tab\\there"', '"tab\\there"'),
    ('"line\\u2028break"', '"line\\Lbreak"'),
    ('"bell\\a"', '"bell\\a"'),
])
def test_flow_and_json_scalars_get_canonical_quotes(value: str, written: str) -> None:
    assert formatted(f"{{kpi: {{x: {value}}}}}\n") == f"kpi:\n  x: {written}\n"


def test_prose_is_folded_at_the_width() -> None:
    words = " ".join(["revenue"] * 40)
    result = formatted(f"kpi:\n  description: {words}\n")
    lines = result.splitlines()
    assert lines[1] == "  description: >-"
    assert all(len(line) <= yamlio.TEXT_WIDTH and line.startswith("    ") for line in lines[2:])


@pytest.mark.parametrize("value", ["|+\n    kept\n\n", "|-\n    a\n      b\n",
                                   "|2\n      lead\n    x\n", ">\n    folded\n\n    again\n"])
def test_block_scalars_keep_their_text(value: str) -> None:
    formatted(f"kpi:\n  x: {value}  slug: a\n")


def test_a_key_longer_than_an_implicit_key_may_be() -> None:
    key = "k" * 1100
    result = formatted(f"kpi:\n  ? {key}\n  : v  # c\n")
    assert result == f"kpi:\n  ? {key}\n  : v  # c\n"


@pytest.mark.parametrize("text", ["kpi: [-, a, ':']\n", "kpi: {'-': x}\n", "- [-]\n"])
def test_lone_indicators_from_flow_style(text: str) -> None:
    formatted(text)


def test_flow_fields_stay_on_one_line_only_without_comments() -> None:
    text = "kpi:\n  defaultOwningFunctions:\n    - Finance\n    - Sales\n"
    assert formatted(text) == "kpi:\n  defaultOwningFunctions: [Finance, Sales]\n"
    text = "kpi:\n  defaultOwningFunctions:\n    - Finance  # lead\n    - Sales\n"
    assert formatted(text) == text
    text = "kpi:\n  defaultOwningFunctions: ['a, b', c]\n"
    assert formatted(text) == 'kpi:\n  defaultOwningFunctions: ["a, b", c]\n'


# --- refusals and the safety net --------------------------------------------------------------

@pytest.mark.parametrize(("text", "rule", "line", "col"), [
    ("kpi: &a x\n", "yaml-alias", 1, 6),
    ("kpi:\n  a: 1\n  a: 2\n", "yaml-duplicate-key", 3, 3),
    ("kpi: [\n", "yaml-syntax", 2, 1),
])
def test_refusals_carry_the_finding(text: str, rule: str, line: int, col: int) -> None:
    with pytest.raises(FormatRefusal) as refused:
        format_text(text, STAGES)
    assert (refused.value.rule, refused.value.line, refused.value.col) == (rule, line, col)


def test_a_rewrite_that_would_lose_a_comment_is_refused(
        mini: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """fmt checks its own output: a defect in the writer leaves the file as it is."""
    kpi = mini / "ontology/sales/arr.yaml"
    kpi.write_text(kpi.read_text("utf-8").replace("unit: USD", "unit: USD  # dollars"), "utf-8")
    before = kpi.read_bytes()
    real = fmt.emit
    monkeypatch.setattr(fmt, "emit", lambda doc, stages: real(doc, stages).replace(
        "  # dollars", ""))
    with pytest.raises(FormatBug):
        format_text(before.decode(), STAGES)
    result = run_cli(mini, "fmt")
    assert result.exit_code == 1
    assert kpi.read_bytes() == before
    assert result.stderr.splitlines()[0] == (
        "ontology/sales/arr.yaml: fmt would have lost or split a comment; the file was left "
        "as it is (a bug in fmt: please report it)")


@pytest.mark.parametrize("change", [
    lambda text: text.replace("unit: USD", "unit: EUR"),
    lambda text: text.replace("metricBasis:", "metricbasis:"),
    lambda text: text + "- a\n",
])
def test_a_rewrite_that_would_change_data_is_refused(
        monkeypatch: pytest.MonkeyPatch, change: object) -> None:
    real = fmt.emit
    monkeypatch.setattr(fmt, "emit", lambda doc, stages: change(real(doc, stages)))  # type: ignore[operator]
    text = "kpi:\n  unit: USD\n  metricBasis: {timeBasis: period}\n"
    with pytest.raises(FormatBug):
        format_text(text, STAGES)


def test_same_data_tells_types_apart() -> None:
    assert not same_data({"a": 1}, {"a": True})
    assert not same_data({"a": 1}, {"a": 1.0})
    assert not same_data(["a", "b"], ["b", "a"])
    assert same_data({"a": float("nan")}, {"a": float("nan")})
