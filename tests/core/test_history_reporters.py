"""The history reporters on a history built by hand: the disputes listed below the releases'
table, and each change's words marked, byte for byte, every value from a source escaped."""

from __future__ import annotations

from dataclasses import replace

from ontology_tools.model import Bump, Change, Note, Waiver
from ontology_tools.project.disputes import Dispute, DisputeStatus, Resolution
from ontology_tools.render.history import history_markdown, history_text
from ontology_tools.render.review import history_page
from ontology_tools.review.history import History, HistoryEntry

ARR = "sales.new_arr"
TABLE = ("### History of `sales.new_arr`\n\n"
         "| Ontology | Date | KPI version | Bump | What happened | Changes | Notes | Editors "
         "| Released by |\n"
         "|---|---|---|---|---|---|---|---|---|\n")


def _dispute(number: int, status: DisputeStatus, claim: str, *, kpis: tuple[str, ...] = (ARR,),
             against: str | None = None, resolution: Resolution | None = None) -> Dispute:
    ident = f"D-2026-00{number}"
    return Dispute(ident, f"changelog/disputes/{ident}.yaml", kpis, f"2026-05-1{number}",
                   "Audit_committee <ACME>", claim, status, against, resolution=resolution)


OPEN = _dispute(1, DisputeStatus.OPEN, "ARR | MRR?\n<b>twice</b> *counted* at $0")
UPHELD = _dispute(2, DisputeStatus.UPHELD, "# Not a heading", kpis=(ARR, "sales.mrr"),
                  against="1.0.0",
                  resolution=Resolution("2026-05-20", "Fixed [it](https://x.test).", "2.0.0"))
REJECTED = _dispute(3, DisputeStatus.REJECTED, "- not a list",
                    resolution=Resolution("2026-05-25", "Not found_ in the audit."))


def test_a_history_without_disputes_is_the_table_alone() -> None:
    assert history_markdown(History(ARR, ())) == TABLE


def test_each_dispute_is_raised_and_decided_below_the_table_byte_for_byte() -> None:
    out = history_markdown(History(ARR, (), disputes=(OPEN, UPHELD, REJECTED)))
    assert out == TABLE + (
        "\n#### Disputes of `sales.new_arr`\n\n"
        # the KPI's own dispute names no KPI; one with no version disputed says no "against"
        r"- **D-2026-001** · open · raised 2026-05-11 by Audit\_committee \<ACME\>: "
        r"ARR \| MRR? \<b\>twice\</b\> \*counted\* at \$0" "\n"
        # a dispute about more KPIs names them all, as code (no escape inside a code span)
        r"- **D-2026-002** · upheld (`sales.new_arr`, `sales.mrr`) · raised 2026-05-12 by "
        r"Audit\_committee \<ACME\> against 1.0.0: # Not a heading" "\n"
        r"  - upheld on 2026-05-20, resolved by release 2.0.0: Fixed \[it\](https://x.test)." "\n"
        r"- **D-2026-003** · rejected · raised 2026-05-13 by Audit\_committee \<ACME\>: "
        r"- not a list" "\n"
        r"  - rejected on 2026-05-25: Not found\_ in the audit." "\n")


# Word changes: each change's values word by word, in text, markdown and html alike.

HOSTILE_OLD = "ARR | MRR counts `code` and <b>bold</b> [-twice-] at $0."
HOSTILE_NEW = "ARR | MRR counts `code` and <b>bold</b> {+once+} at $0."


def _entry(*changes: Change) -> HistoryEntry:
    return HistoryEntry(
        rogue_id=ARR, ontology_version="2.0.0", kpi_version="2.0.0", previous_version="1.0.0",
        released_at="2026-06-01", status="changed", bump="major", changes=changes,
        notes=(Note("changelog/unreleased/x.yaml", (ARR,), "Count it once.", "D-2026-001"),),
        author="Rel Manager", email="rel@example.org", commit="c" * 40,
        committed_at="2026-06-01T00:00:00+00:00")


EDITED = History(ARR, (_entry(
    Change("formula-changed", Bump.MAJOR, "formula", HOSTILE_OLD, HOSTILE_NEW,
           "formula changed"),
    Change("stages-changed", Bump.MINOR, "suggestedForStages", ["seed"], ["seed", "seriesA"],
           "stages changed"),
    Change("unit-changed", Bump.MAJOR, "unit", None, "USD", "unit changed",
           waived_by=Waiver("unit-changed", "Agreed | by the board.", Bump.MINOR)),
),))
ADDED = History(ARR, (replace(_entry(Change("kpi-added", Bump.MINOR, "", None, None,
                                            "KPI added")), notes=()),))


def test_history_text_marks_each_changes_words_and_says_how_once() -> None:
    assert history_text(EDITED) == (
        "note: word changes are marked [-removed-]{+added+}; a [, ], {, } or \\ of the text "
        "itself has a backslash before it\n"
        "2.0.0  2026-06-01  1.0.0 → 2.0.0  major  changed\n"
        "    edited by —; released by Rel Manager (2026-06-01T00:00:00+00:00)\n"
        "    formula changed (formula) [formula-changed]\n"
        # the text's own `[-twice-]` is escaped: only the real edit reads as one
        r"      ARR | MRR counts `code` and <b>bold</b> [-\[-twice-\]-]{+\{+once+\}+} at $0." "\n"
        "    stages changed (suggestedForStages) [stages-changed]\n"
        # a list reads as its items joined (`seed` and `seed,` are different words)
        "      [-seed-]{+seed, seriesA+}\n"
        "    unit changed (unit) [unit-changed] — waived: Agreed | by the board.\n"
        "      [-(none)-]{+USD+}\n"
        "    note (D-2026-001): Count it once.\n")


def test_a_history_with_nothing_to_mark_has_no_legend() -> None:
    text = history_text(ADDED)
    assert "word changes" not in text and "[-" not in text
    assert "    KPI added [kpi-added]\n" in text
    assert "Note: word changes" not in history_markdown(ADDED)


def test_history_markdown_marks_each_changes_words_escaped_in_its_cell() -> None:
    out = history_markdown(EDITED)
    header, _, table = out.partition(TABLE.split("\n\n", 1)[1])
    assert header == (
        "### History of `sales.new_arr`\n\n"
        r"_Note: word changes are marked \[-removed-\]{+added+}; a \[, \], {, } or \\ of the "
        r"text itself has a backslash before it._" "\n\n")
    assert table == (
        "| 2.0.0 | 2026-06-01 | 1.0.0 → 2.0.0 | major | changed | "
        # every pipe, backtick, tag, bracket and dollar of the text escaped; the marks too, so
        # the rendered cell reads exactly as the text output does
        r"formula changed (`formula-changed`): ARR \| MRR counts \`code\` and \<b\>bold\</b\> "
        r"\[-\\\[-twice-\\\]-\]{+\\{+once+\\}+} at \$0.<br>"
        r"stages changed (`stages-changed`): \[-seed-\]{+seed, seriesA+}<br>"
        r"unit changed (`unit-changed`): \[-(none)-\]{+USD+} | "
        "Count it once. (D-2026-001) | — | Rel Manager (2026-06-01T00:00:00+00:00) |\n")


def test_history_html_marks_each_changes_words_in_the_review_pages_way() -> None:
    page = history_page(EDITED)
    assert "Deletions are <del>struck through</del>, insertions <ins>underlined</ins>." in page
    # old and new columns, the text escaped for HTML, the edit as one deletion and insertion
    assert ("<td>ARR | MRR counts `code` and &lt;b&gt;bold&lt;/b&gt; <del>[-twice-]</del> at "
            "$0.</td>") in page
    assert ("<td>ARR | MRR counts `code` and &lt;b&gt;bold&lt;/b&gt; <ins>{+once+}</ins> at "
            "$0.</td>") in page
    assert "waived to minor: Agreed | by the board." in page
    assert "<b>" not in page
    assert "Count it once." in page and "D-2026-001" in page
