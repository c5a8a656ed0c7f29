"""SPEC 8: source text written into Markdown renders as the literal text, in every writer."""

from __future__ import annotations

import re
from pathlib import Path

import keepachangelog
import pytest
from hypothesis import given
from hypothesis import strategies as st

from ontology_tools.classify.catalog import CHANGE_RULES, make_change
from ontology_tools.model import Bump, KpiPlan, Plan, Status
from ontology_tools.release.changelog import render_section
from ontology_tools.render.markdown import code, md
from tests.conftest import run_cli
from tests.release import scenario

HOSTILE = ("Pipes | split <b>bold</b> *em* _under_ `tick` $x^2$ ~~gone~~ [link](https://x.org) "
           "&amp; \\ back")
# What CommonMark/GFM would read as markup if it were not escaped.
SPECIAL = set("\\`*_[]<>|$~&")


def unescape(text: str) -> str:
    """What a CommonMark renderer shows for backslash escapes: the escaped character itself."""
    return re.sub(r"\\([!-/:-@\[-`{-~])", r"\1", text)


def unescaped_specials(text: str) -> list[str]:
    """Markup characters left without a backslash."""
    found, escaped = [], False
    for char in text:
        if escaped:
            escaped = False
        elif char == "\\":
            escaped = True
        elif char in SPECIAL:
            found.append(char)
    return found


@given(st.text())
def test_md_renders_exactly_the_text(text: str) -> None:
    escaped = md(text)
    assert unescape(escaped) == re.sub(r"\s+", " ", text)
    assert unescaped_specials(escaped) == []
    assert "\n" not in escaped and "\r" not in escaped


@given(st.text())
def test_md_at_a_block_start_opens_no_block(text: str) -> None:
    escaped = md(text, start=True)
    assert unescape(escaped) == re.sub(r"\s+", " ", text).lstrip()
    assert not re.match(r"[#>+=-]|[0-9]+[.)]", escaped)


@pytest.mark.parametrize(("text", "escaped"), [
    ("a | b", "a \\| b"),
    ("<b>bold</b>", "\\<b\\>bold\\</b\\>"),
    ("*em* and _u_", "\\*em\\* and \\_u\\_"),
    ("$x$", "\\$x\\$"),
    ("[l](u)", "\\[l\\](u)"),
    ("&amp;", "\\&amp;"),
    ("line\nbreak\u2028and\x85more", "line break and more"),
    ("1.0.0", "1.0.0"),  # inside a line a version is left as written
])
def test_md_escapes_precisely(text: str, escaped: str) -> None:
    assert md(text) == escaped


@pytest.mark.parametrize(("text", "escaped"), [
    ("# heading", "\\# heading"), ("> quote", "\\> quote"), ("- item", "\\- item"),
    ("+ item", "\\+ item"), ("1. one", "1\\. one"), ("12) twelve", "12\\) twelve"),
    ("  # indented", "\\# indented"), ("=== setext", "\\=== setext"),
])
def test_md_at_a_block_start(text: str, escaped: str) -> None:
    assert md(text, start=True) == escaped


@pytest.mark.parametrize(("text", "span"), [
    ("sales.arr", "`sales.arr`"), ("a`b", "``a`b``"), ("`a", "`` `a ``"), ("a``", "``` a`` ```"),
    (" a ", "`  a  `"),
])
def test_code_spans_hold_any_text(text: str, span: str) -> None:
    assert code(text) == span


def test_code_in_a_table_cell_escapes_the_pipe() -> None:
    assert code("a|b", table=True) == "`a\\|b`"


def cells(row: str) -> list[str]:
    """The cells of a GFM table row: split on pipes that are not escaped."""
    return [cell.strip() for cell in re.split(r"(?<!\\)\|", row.strip())[1:-1]]


@pytest.fixture
def hostile(mini_repo: Path) -> Path:
    """After the first release, changes whose notes hold every kind of Markdown markup."""
    scenario.second_release_ready(mini_repo)
    note = mini_repo / scenario.FORMULA_NOTE
    note.write_text(f"kpis: [customers.logo_churn_rate]\nsummary: {_yaml(HOSTILE)}\n"
                    "dispute: D-2026-012\n", encoding="utf-8")
    (mini_repo / "changelog/unreleased/heading.yaml").write_text(
        f"kpis: [sales.arr]\nsummary: {_yaml('# not a heading')}\n", encoding="utf-8")
    scenario.commit_all(mini_repo, "Hostile notes")
    return mini_repo


def _yaml(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def test_the_changelog_renders_notes_literally(hostile: Path) -> None:
    assert run_cli(hostile, "release", "--date", scenario.SECOND_DATE, "--commit").exit_code == 0
    text = (hostile / "changelog/CHANGELOG.md").read_text(encoding="utf-8")
    assert f"  - note: {md(HOSTILE)} (dispute D-2026-012)\n" in text
    assert "  - note: # not a heading\n" in text  # not at a line's start: no heading
    assert "<b>" not in text and "*em*" not in text and "$x^2$" not in text
    parsed = keepachangelog.to_dict(text.splitlines())
    assert list(parsed) == ["2.0.0", "1.0.0"]
    assert set(parsed["2.0.0"]) == {"metadata", "changed"}
    assert any(unescape(md(HOSTILE)) in unescape(line) for line in parsed["2.0.0"]["changed"])


def test_the_plan_markdown_renders_notes_literally(hostile: Path) -> None:
    result = run_cli(hostile, "plan", "--format", "markdown")
    assert result.exit_code == 0, result.output
    assert f"- note: {md(HOSTILE)} (D-2026-012)\n" in result.stdout
    table = [line for line in result.stdout.splitlines() if line.startswith("|")]
    assert len({len(cells(row)) for row in table}) == 1, table


def test_the_history_table_keeps_a_pipe_in_its_cell(hostile: Path) -> None:
    assert run_cli(hostile, "release", "--date", scenario.SECOND_DATE, "--commit").exit_code == 0
    result = run_cli(hostile, "history", "customers.logo_churn_rate", "--format", "markdown")
    assert result.exit_code == 0, result.output
    table = [line for line in result.stdout.splitlines() if line.startswith("|")]
    assert len(table) == 4  # header, rule, 2.0.0, 1.0.0
    assert {len(cells(row)) for row in table} == {9}
    notes = cells(table[2])[6]
    assert unescape(notes) == f"{HOSTILE} (D-2026-012)"
    assert unescaped_specials(notes.replace("<br>", "")) == []


def _kpi(rogue_id: str, status: Status, rules: tuple[str, ...], bump: Bump,
         versions: tuple[str | None, str | None]) -> KpiPlan:
    changes = tuple(make_change(CHANGE_RULES[rule], "", None, None) for rule in rules)
    return KpiPlan(rogue_id, status, versions[0], versions[1], bump, changes,
                   computed_bump=bump, label=rogue_id.split(".")[1].title())


def test_sections_use_only_keep_a_changelog_types() -> None:
    """Each status and rule maps to a type; a removal names its rule (in memory, no git)."""
    kpis = (_kpi("a.added", Status.ADDED, ("kpi-added",), Bump.MINOR, (None, "1.0.0")),
            _kpi("a.changed", Status.CHANGED, ("formula-changed",), Bump.MAJOR, ("1.0.0", "2.0.0")),
            _kpi("a.dep", Status.CHANGED, ("kpi-deprecated",), Bump.MINOR, ("1.0.0", "1.1.0")),
            _kpi("a.gone", Status.REMOVED, ("kpi-removed",), Bump.MAJOR, ("1.2.0", None)),
            _kpi("a.new", Status.RENAMED, ("label-changed",), Bump.MAJOR, ("1.0.0", "2.0.0")))
    vocabulary = (make_change(CHANGE_RULES["vocabulary-removed"], "vocabularies.units.x", "X",
                              None),)
    plan = Plan("1.0.0", "1.0.0", "WORKTREE", "1.0.0", "2.0.0", Bump.MAJOR, vocabulary, kpis, ())
    section = render_section(plan, "2.0.0", "2026-06-01")
    titles = re.findall(r"^### (.+)$", section, re.MULTILINE)
    assert titles == ["Added", "Changed", "Deprecated", "Removed"]
    parsed = keepachangelog.to_dict(["# Changelog", "", *section.splitlines()])["2.0.0"]

    def ids(kind: str) -> list[str]:
        return [line.split(" ")[0] for line in parsed[kind] if line.startswith("`")]

    assert ids("added") == ["`a.added`"]
    assert ids("changed") == ["`a.changed`", "`a.new`"]
    assert ids("deprecated") == ["`a.dep`"]
    assert ids("removed") == ["`a.gone`"]
    assert ("- `a.gone` (Gone): 1.2.0 → removed (major)\n"
            "  - KPI removed (`kpi-removed`, major)\n") in section
    assert "- ontology.yaml: " in section.split("### Removed")[1]
