"""Each plan reporter on a plan built by hand: what a reader sees for every status."""

from __future__ import annotations

import json

from ontology_tools import schemas
from ontology_tools.model import Blocker, Bump, Change, KpiPlan, Note, Plan, Status, Waiver
from ontology_tools.release.changelog import groups, render_section
from ontology_tools.render.plan import as_github, as_json, as_markdown, as_text

TC, ARR = "customers.total_customers", "sales.arr"
NOTE = Note("changelog/unreleased/why.yaml", (TC,), "Count accounts, not logos.", "D-7",
            Bump.MAJOR)
OLD_FORMULA = "Count of customer logos with an active paid contract."
NEW_FORMULA = "Count of customer accounts with an active paid contract."
WAIVER = Waiver("label-changed", "A typo.", Bump.NONE)


def _change(rule: str, bump: Bump, path: str = "", old: object = None, new: object = None,
            message: str | None = None, **extra: object) -> Change:
    return Change(rule, bump, path, old, new, message or rule.replace("-", " "), **extra)


KPIS = (
    KpiPlan(TC, Status.CHANGED, "1.2.0", "2.0.0", Bump.MAJOR,
            (_change("formula-changed", Bump.MAJOR, "formula", OLD_FORMULA, NEW_FORMULA,
                     "formula changed"),
             _change("label-changed", Bump.NONE, "defaultLabel", "Custmers", "Customers",
                     "label changed", waived_by=WAIVER)),
            notes=(NOTE,), computed_bump=Bump.MAJOR, label="Total Customers"),
    KpiPlan("customers.new_logos", Status.ADDED, None, "1.0.0", Bump.MINOR,
            (_change("kpi-added", Bump.MINOR, message="KPI added"),), computed_bump=Bump.MINOR,
            label="New Logos"),
    KpiPlan(ARR, Status.REMOVED, "1.2.0", None, Bump.MAJOR,
            (_change("kpi-removed", Bump.MAJOR, message="KPI removed"),),
            computed_bump=Bump.MAJOR, label="ARR"),
    KpiPlan("customers.churned_customers", Status.RENAMED, "1.2.0", "2.0.0", Bump.MAJOR,
            (_change("kpi-renamed", Bump.MAJOR, "rogueId", "customers.customers_churned",
                     "customers.churned_customers",
                     "KPI renamed (supersedes customers.customers_churned)"),),
            computed_bump=Bump.MAJOR, renamed_from=("customers.customers_churned",)),
    KpiPlan("customers.time_to_close", Status.RESTORED, "1.4.0", "1.5.0", Bump.MINOR,
            (_change("kpi-restored", Bump.MINOR, message="KPI restored (last released as 1.4.0)"),),
            computed_bump=Bump.MINOR, label="Time to Close"),
)
PLAN = Plan(
    from_ref="v1.2.0", from_version="1.2.0", to_ref="WORKTREE", version="1.2.0",
    next_version="2.0.0", bump=Bump.MAJOR,
    ontology_changes=(_change("vocabulary-added", Bump.MINOR, "vocabularies.units.weeks", None,
                              "Weeks", "vocabulary value added: vocabularies.units.weeks"),),
    kpis=KPIS,
    blocking=(Blocker("sales.arr: unclassified change to footnote — add a rule or a waiver",
                      ARR, "unclassified"),),
    unused_notes=(Note("changelog/unreleased/stale.yaml", ("sales.cac",), "Old."),),
)
EMPTY = Plan("v1.2.0", "1.2.0", "WORKTREE", "1.2.0", "1.2.0", Bump.NONE, (), (), ())


def test_json_is_the_documented_shape_with_statuses_as_strings() -> None:
    document = json.loads(as_json(PLAN))
    assert list(schemas.schema_errors("plan", document)) == []
    assert [(k["rogueId"], k["status"], k["version"], k["nextVersion"], k["bump"])
            for k in document["kpis"]] == [
        (TC, "changed", "1.2.0", "2.0.0", "major"),
        ("customers.new_logos", "added", None, "1.0.0", "minor"),
        (ARR, "removed", "1.2.0", None, "major"),
        ("customers.churned_customers", "renamed", "1.2.0", "2.0.0", "major"),
        ("customers.time_to_close", "restored", "1.4.0", "1.5.0", "minor")]
    assert document["kpis"][3]["renamedFrom"] == ["customers.customers_churned"]
    assert "renamedFrom" not in document["kpis"][0]
    waived = document["kpis"][0]["changes"][1]
    assert waived["waived"] == {"justification": "A typo.", "bump": "none"}
    assert document["kpis"][0]["notes"][0]["bump"] == "major"
    assert document["ontology"] == {
        "version": "1.2.0", "nextVersion": "2.0.0", "bump": "major",
        "changes": [{"rule": "vocabulary-added", "bump": "minor",
                     "path": "vocabularies.units.weeks", "old": None, "new": "Weeks",
                     "message": "vocabulary value added: vocabularies.units.weeks",
                     "waived": None}]}
    assert document["blocking"][0]["rule"] == "unclassified"
    assert document["unusedNotes"] == ["changelog/unreleased/stale.yaml"]


def test_text_names_each_kpi_with_its_status_and_versions() -> None:
    text = as_text(PLAN)
    assert text.startswith("v1.2.0 → WORKTREE: ontology 1.2.0 → 2.0.0 (major)\n")
    for line in (f"{TC} (changed): 1.2.0 → 2.0.0 (major)",
                 "customers.new_logos (added): - → 1.0.0 (minor)",
                 f"{ARR} (removed): 1.2.0 → - (major)",
                 "customers.churned_customers (renamed): 1.2.0 → 2.0.0 (major)",
                 "customers.time_to_close (restored): 1.4.0 → 1.5.0 (minor)",
                 "  KPI restored (last released as 1.4.0) [kpi-restored, minor]",
                 "  ontology.yaml: vocabulary value added: vocabularies.units.weeks "
                 "[vocabulary-added, minor]",
                 "    Count of customer [-logos-]{+accounts+} with an active paid contract.",
                 "    waived: A typo.",
                 "  note changelog/unreleased/why.yaml (D-7): Count accounts, not logos.",
                 "BLOCKING: sales.arr: unclassified change to footnote — add a rule or a waiver",
                 "note changelog/unreleased/stale.yaml names no changed KPI"):
        assert line in text.splitlines(), line
    assert "Status." not in text


def test_text_of_an_empty_plan_says_nothing_changed() -> None:
    assert as_text(EMPTY) == "v1.2.0 → WORKTREE: no changes since v1.2.0.\n"
    assert as_text(EMPTY, next_release=True) == "Next release: no changes since v1.2.0.\n"


def test_markdown_has_one_row_and_one_section_per_kpi() -> None:
    markdown = as_markdown(PLAN, next_release=True)
    lines = markdown.splitlines()
    assert lines[0] == "### Ontology next release: 1.2.0 → 2.0.0 (**major**)"
    assert "| `customers.time_to_close` | restored | 1.4.0 → 1.5.0 | minor | `kpi-restored` |" \
        in lines
    assert f"| `{ARR}` | removed | 1.2.0 → – | major | `kpi-removed` |" in lines
    assert "| ontology.yaml | changed | | minor | `vocabulary-added` |" in lines
    for status in Status:
        assert sum(line.startswith("#### ") and line.endswith(f"— {status}")
                   for line in lines) == 1, status
    assert ('- **label changed** (`label-changed`, none): "Custmers" → "Customers"'
            " — waived: A typo.") in lines
    assert ("- **formula changed** (`formula-changed`, major): Count of customer ~~logos~~ "
            "**accounts** with an active paid contract.") in [" ".join(line.split())
                                                            for line in lines]
    assert lines[-2:] == ["**Blocking:**", "- sales.arr: unclassified change to footnote — add "
                          "a rule or a waiver"]
    assert "Status." not in markdown


def test_markdown_of_an_empty_plan() -> None:
    assert as_markdown(EMPTY).splitlines()[-1] == "No changes since `v1.2.0`."


def test_github_annotations_point_at_each_kpi_file() -> None:
    lines = as_github(PLAN).splitlines()
    assert lines[0].startswith("::warning file=ontology/customers/total_customers.yaml,"
                               "title=major bump::customers.total_customers changed: ")
    assert lines[4] == ("::notice file=ontology/customers/time_to_close.yaml,title=minor bump::"
                        "customers.time_to_close restored: 1.4.0 → 1.5.0 (kpi-restored)")


def test_the_changelog_puts_a_restored_kpi_under_added_and_says_it_was_restored() -> None:
    titles = {group.title: [entry.headline for entry in group.entries] for group in groups(PLAN)}
    assert titles["Added"] == [
        "`customers.new_logos` (New Logos): new → 1.0.0 (minor)",
        "`customers.time_to_close` (Time to Close): 1.4.0 → 1.5.0 (minor)"]
    assert titles["Removed"] == ["`sales.arr` (ARR): 1.2.0 → removed (major)"]
    section = render_section(PLAN, "2.0.0", "2026-06-01")
    assert section.startswith("## [2.0.0] - 2026-06-01\n")
    assert "  - KPI restored (last released as 1.4.0) (`kpi-restored`, minor)\n" in section
    assert "KPI added (" not in section  # the group already says it
    assert "  - waived `label-changed` to none: A typo.\n" in section


def test_text_marks_stay_unambiguous_when_the_prose_holds_marks_itself() -> None:
    """A definition may say `[-x-]` or `{+y+}`: the report escapes the text's own marks and
    says so once; a report whose prose holds none is as it always was."""
    old = "Count [-trials-] of {+all+} \\ logos with an active contract on the date."
    new = "Count [-trials-] of {+paid+} \\ logos with an active contract on the date."
    kpi = KpiPlan(TC, Status.CHANGED, "1.0.0", "2.0.0", Bump.MAJOR,
                  (_change("formula-changed", Bump.MAJOR, "formula", old, new),))
    plan = Plan("v1.0.0", "1.0.0", "WORKTREE", "1.0.0", "2.0.0", Bump.MAJOR, (), (kpi,), ())
    text = as_text(plan)
    assert "Count \\[-trials-\\] of [-\\{+all+\\}-]{+\\{+paid+\\}+} \\\\ logos with" in text
    assert text.rstrip("\n").endswith("a [, ], {, } or \\ of the text itself has a backslash "
                                      "before it")
    plain = Plan("v1.0.0", "1.0.0", "WORKTREE", "1.0.0", "2.0.0", Bump.MAJOR, (), KPIS[:1], ())
    assert "note: word changes" not in as_text(plain)
    assert "[-logos-]{+accounts+}" in as_text(plain)
