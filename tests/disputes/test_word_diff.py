"""Word diffs read as edits: one changed phrase is one deletion and one insertion."""

from __future__ import annotations

import itertools

from hypothesis import given
from hypothesis import strategies as st

from ontology_tools.render.worddiff import Piece, word_diff

SEGMENTS_OLD = ("Total customers counts every paying account at period end, excluding trials, "
                "paused accounts, and $0 contracts.")
SEGMENTS_NEW = ("Total customers counts every paying account at period end, excluding trials, "
                "paused accounts, $0 contracts and internal test accounts.")
LONG = ("Annual recurring revenue is the annualised value of all active subscription contracts "
        "at the end of the period, excluding one-time fees, professional services and usage "
        "overages, measured in the {} currency and reported before any discounts are "
        "amortised over the remaining term of the contract.")


def edits(pieces: list[Piece]) -> list[tuple[str, str]]:
    return [(p.op, p.text) for p in pieces if p.op != "equal"]


def test_one_edited_phrase_is_one_deletion_and_one_insertion() -> None:
    pieces = word_diff("paused accounts, and $0 contracts.",
                       "paused accounts, $0 contracts and internal test accounts.")
    assert [(p.op, p.text) for p in pieces] == [
        ("equal", "paused accounts, "),
        ("delete", "and $0 contracts."),
        ("insert", "$0 contracts and internal test accounts."),
    ]


def test_the_edited_phrase_inside_its_sentence() -> None:
    pieces = word_diff(SEGMENTS_OLD, SEGMENTS_NEW)
    assert edits(pieces) == [("delete", "and $0 contracts."),
                             ("insert", "$0 contracts and internal test accounts.")]
    assert pieces[0].op == "equal" and pieces[0].text.endswith("paused accounts, ")


def test_a_reordered_clause_moves_as_whole_phrases() -> None:
    pieces = word_diff("Count active customers at period end, excluding trials.",
                       "Excluding trials, count active customers at period end.")
    assert edits(pieces) == [("delete", "Count"), ("insert", "Excluding trials, count"),
                             ("delete", "end, excluding trials."), ("insert", "end.")]
    assert ("equal", " active customers at period ") in [(p.op, p.text) for p in pieces]


def test_one_word_changed_in_a_long_paragraph() -> None:
    pieces = word_diff(LONG.format("reporting"), LONG.format("contract"))
    assert edits(pieces) == [("delete", "reporting"), ("insert", "contract")]
    assert len(pieces) == 4
    assert pieces[0].text.endswith("measured in the ")
    assert pieces[-1].text.startswith(" currency and reported")


def test_whitespace_is_kept_as_written() -> None:
    pieces = word_diff("a  b\nc", "a  b\nd")
    assert "".join(p.text for p in pieces if p.op != "insert") == "a  b\nc"
    assert "".join(p.text for p in pieces if p.op != "delete") == "a  b\nd"


def test_empty_sides() -> None:
    assert word_diff("", "new text") == [Piece("insert", "new text")]
    assert word_diff("old text", "") == [Piece("delete", "old text")]
    assert word_diff("same", "same") == [Piece("equal", "same")]
    assert word_diff("", "") == []


def test_no_piece_is_empty_and_no_two_neighbours_share_a_kind() -> None:
    pieces = word_diff("one two three four five six", "one 2 three 4 five six seven")
    assert all(p.text for p in pieces)
    assert all(a.op != b.op for a, b in itertools.pairwise(pieces))


WORDS = st.lists(st.sampled_from(["the", "ARR", "of", "$0", "<b>", "  ", "\n", "end.", "ünïcode"]),
                 max_size=30).map(" ".join)


@given(WORDS, WORDS)
def test_the_pieces_rebuild_both_texts(old: str, new: str) -> None:
    pieces = word_diff(old, new)
    assert "".join(p.text for p in pieces if p.op != "insert") == old
    assert "".join(p.text for p in pieces if p.op != "delete") == new
    assert all(p.op in ("equal", "delete", "insert") and p.text for p in pieces)
