"""The inline word-diff notation of text and Markdown reports, `[-old-]{+new+}`, is unambiguous:
a reader who knows only INLINE_LEGEND gets both texts back, whatever brackets, braces,
backslashes or marks the texts hold."""

from __future__ import annotations

import re

from hypothesis import given
from hypothesis import strategies as st

from ontology_tools.render.worddiff import INLINE_LEGEND, inline_diff

# What the legend promises: [- -] and {+ +} mark the edits; every [ ] { } \ of the text itself
# has a backslash before it. A reader needs nothing else.
_TOKEN = re.compile(r"\\(.)|(\[-|-\]|\{\+|\+\})|(.)", re.DOTALL)


def read_back(marked: str) -> tuple[str, str]:
    """The old and the new text a reader of the notation sees in `marked`."""
    old, new, mode = [], [], "equal"
    for escaped, mark, plain in (m.groups() for m in _TOKEN.finditer(marked)):
        if mark is not None:
            assert mode == ("equal" if mark in ("[-", "{+") else
                            "delete" if mark == "-]" else "insert"), marked
            mode = {"[-": "delete", "{+": "insert"}.get(mark, "equal")
            continue
        char = escaped if escaped is not None else plain
        assert escaped is not None or char not in "[]{}\\", f"bare {char!r} in {marked!r}"
        if mode != "insert":
            old.append(char)
        if mode != "delete":
            new.append(char)
    assert mode == "equal", marked
    return "".join(old), "".join(new)


def one_spaced(text: str) -> str:
    return re.sub(r"\s+", " ", text)


def test_the_legend_names_the_marks_and_the_escape() -> None:
    assert "[-removed-]{+added+}" in INLINE_LEGEND and "backslash" in INLINE_LEGEND


def test_an_edit_is_marked_as_git_word_diff_marks_it() -> None:
    assert inline_diff("Total Customers", "Total Paying Customers") == "Total {+Paying +}Customers"
    assert inline_diff("count people", "count logos") == "count [-people-]{+logos+}"


def test_the_texts_own_marks_are_escaped_and_never_read_as_edits() -> None:
    marked = inline_diff("Keep [-this-] and {+that+} as \\ is.",
                         "Keep [-this-] and {+that+} as \\ was.")
    assert marked == r"Keep \[-this-\] and \{+that+\} as \\ [-is.-]{+was.+}"
    assert read_back(marked) == ("Keep [-this-] and {+that+} as \\ is.",
                                 "Keep [-this-] and {+that+} as \\ was.")


def test_a_change_of_line_breaks_only_reads_as_the_text_unmarked() -> None:
    assert inline_diff("one two\nthree", "one\ntwo three") == "one two three"


_HOSTILE = st.text(alphabet=st.sampled_from(list("ab [-]{+}\\ \n|`*<>")), max_size=30)


@given(_HOSTILE, _HOSTILE)
def test_any_two_texts_read_back_from_their_marked_diff(old: str, new: str) -> None:
    marked = inline_diff(old, new)
    assert "\n" not in marked  # one line of a report
    assert read_back(marked) == (one_spaced(old), one_spaced(new))
