"""`ontology history` shows what each release changed word by word, in every human format,
whatever the definition's text holds (markup, pipes, backticks, the notation's own marks)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.classify.conftest import edit_kpi
from tests.conftest import run_cli
from tests.release.scenario import commit_all, ignore_build_output

TC = "customers.total_customers"
OLD_TEXT = "Logos counted `once` | <b>never</b> twice [-as-] {+so+} \\ at $0."
NEW_TEXT = "Logos counted `once` | <b>never</b> thrice [-as-] {+so+} \\ at $0."


def _release(root: Path, date: str) -> None:
    result = run_cli(root, "release", "--date", date, "--tag")
    assert result.exit_code == 0, result.output + result.stderr


@pytest.fixture
def reworded(mini_repo: Path) -> Path:
    """1.0.0 with a hostile whyItMatters, then 1.0.1 changing one word of it."""
    ignore_build_output(mini_repo)
    edit_kpi(mini_repo, TC, lambda kpi: kpi.__setitem__("whyItMatters", OLD_TEXT))
    commit_all(mini_repo, "Hostile text")
    _release(mini_repo, "2026-05-01")
    edit_kpi(mini_repo, TC, lambda kpi: kpi.__setitem__("whyItMatters", NEW_TEXT))
    assert run_cli(mini_repo, "note", "--kpi", TC, "-m", "Thrice.").exit_code == 0
    commit_all(mini_repo, "One word")
    _release(mini_repo, "2026-06-01")
    return mini_repo


def test_history_text_marks_the_changed_word_and_nothing_of_the_text(reworded: Path) -> None:
    lines = run_cli(reworded, "history", TC).stdout.splitlines()
    assert lines[0].startswith("note: word changes are marked [-removed-]{+added+}")
    at = lines.index("    whyItMatters changed (whyItMatters) [text-changed]")
    assert lines[at + 1] == (r"      Logos counted `once` | <b>never</b> [-twice-]{+thrice+} "
                             r"\[-as-\] \{+so+\} \\ at $0.")
    assert sum("word changes are marked" in line for line in lines) == 1


def test_history_markdown_marks_it_escaped_in_the_table(reworded: Path) -> None:
    out = run_cli(reworded, "history", TC, "--format", "markdown").stdout
    [row] = [line for line in out.splitlines() if line.startswith("| 1.0.1 |")]
    assert (r"whyItMatters changed (`text-changed`): Logos counted \`once\` \| \<b\>never\</b\> "
            r"\[-twice-\]{+thrice+} \\\[-as-\\\] \\{+so+\\} \\\\ at \$0.") in row
    # a pipe of the text never ends the cell: the row has the table's nine cells
    assert len(row.replace("\\|", "").split("|")) == 11
    assert out.count("word changes are marked") == 1


def test_history_html_marks_it_as_the_review_page_does(reworded: Path) -> None:
    page = run_cli(reworded, "history", TC, "--format", "html").stdout
    assert "<del>twice</del>" in page and "<ins>thrice</ins>" in page
    assert "&lt;b&gt;never&lt;/b&gt;" in page and "<b>" not in page
    assert "[-as-] {+so+}" in page  # HTML needs no escape of the notation: it uses none


def test_history_json_is_unchanged_its_changes_carry_old_and_new(reworded: Path) -> None:
    document = json.loads(run_cli(reworded, "history", TC, "--format", "json").stdout)
    [change] = document["releases"][0]["changes"]
    assert (change["old"], change["new"]) == (OLD_TEXT, NEW_TEXT)
    assert "word changes" not in json.dumps(document)
