"""assemble_plan on in-memory snapshots: each status, the bumps, notes, waivers and policy."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

import pytest

from ontology_tools import schemas
from ontology_tools.classify.plan import assemble_plan
from ontology_tools.classify.versioning import FIRST_VERSION
from ontology_tools.model import (
    Bump,
    KpiDocument,
    KpiPlan,
    KpiSource,
    Plan,
    ReleasedKpi,
    Snapshot,
    Status,
    Waiver,
)
from ontology_tools.records import plan_document
from tests.support.memory import RELEASED, edited, kpi, note, ontology, snapshot_of

TC, ARR, CHURNED = "customers.total_customers", "sales.arr", "customers.customers_churned"
BASE = {rogue_id: kpi(rogue_id) for rogue_id in (TC, ARR, CHURNED)}


def released(**kpis: Any) -> Snapshot:
    """The baseline: BASE (plus or minus `kpis`, by id with `_` for `.`), released as 1.2.0."""
    return snapshot_of(_with(kpis), ref="v1.2.0")


def worktree(*, config: dict[str, Any] | None = None, notes: tuple[Any, ...] = (),
             **kpis: Any) -> Snapshot:
    """The edited sources: BASE with `kpis` replaced (None removes one)."""
    return snapshot_of(_with(kpis), config=config, notes=notes, ref="WORKTREE")


def _with(kpis: dict[str, Any]) -> dict[str, Any]:
    contents = dict(BASE)
    for key, content in kpis.items():
        rogue_id = key.replace("__", ".")
        if content is None:
            contents.pop(rogue_id)
        else:
            contents[rogue_id] = content
    return contents


def only_kpi(plan: Plan) -> KpiPlan:
    [entry] = plan.kpis
    return entry


def rules_of(entry: KpiPlan) -> list[str]:
    return [change.rule for change in entry.changes]


def assert_schema_valid(plan: Plan) -> None:
    problems = list(schemas.schema_errors("plan", plan_document(plan)))
    assert problems == []


# Nothing changed, and the fast paths.

def test_equal_snapshots_give_an_empty_plan() -> None:
    plan = assemble_plan(released(), worktree())
    assert plan.is_empty and plan.bump is Bump.NONE
    assert (plan.version, plan.next_version, plan.blocking) == (RELEASED, RELEASED, ())


def test_equal_digests_are_never_parsed() -> None:
    old, new = released(), worktree()
    parsed: list[str] = []

    def refuse(source: KpiSource) -> KpiDocument:
        parsed.append(source.rogue_id)
        raise AssertionError("an unchanged KPI was parsed")

    assert assemble_plan(replace(old, parse=refuse), replace(new, parse=refuse)).is_empty
    assert parsed == []


def test_a_different_digest_with_equal_content_is_no_change() -> None:
    # Comments, layout or stamps only: the bytes differ, the definition does not.
    new = worktree()
    sources = {**new.sources, TC: replace(new.sources[TC], digest="layout-only")}
    assert assemble_plan(released(), replace(new, sources=sources)).is_empty


# added

def test_an_added_kpi_starts_at_the_first_version_and_bumps_the_ontology_minor() -> None:
    new_id = "customers.new_logos"
    plan = assemble_plan(released(), worktree(customers__new_logos=kpi(new_id)))
    entry = only_kpi(plan)
    assert (entry.rogue_id, entry.status, entry.version, entry.next_version) == (
        new_id, Status.ADDED, None, FIRST_VERSION)
    assert (entry.bump, rules_of(entry), entry.label) == (Bump.MINOR, ["kpi-added"], "New Logos")
    assert (plan.bump, plan.next_version) == (Bump.MINOR, "1.3.0")


def test_the_first_release_adds_everything_at_the_first_version() -> None:
    empty = snapshot_of({}, config={"name": "ontology", "version": None})
    plan = assemble_plan(empty, worktree(config=ontology(version=None)))
    assert {(k.status, k.next_version) for k in plan.kpis} == {(Status.ADDED, FIRST_VERSION)}
    assert (plan.version, plan.next_version, plan.ontology_changes) == (None, FIRST_VERSION, ())


# removed

def test_a_removed_kpi_keeps_its_version_and_is_major_for_the_ontology() -> None:
    plan = assemble_plan(released(), worktree(sales__arr=None))
    entry = only_kpi(plan)
    assert (entry.status, entry.version, entry.next_version, rules_of(entry)) == (
        Status.REMOVED, RELEASED, None, ["kpi-removed"])
    assert (plan.bump, plan.next_version) == (Bump.MAJOR, "2.0.0")


# renamed

def _renamed(*olds: str, **fields: Any) -> dict[str, Any]:
    """customers.customers_churned's content under the id customers.churned_customers."""
    return edited(BASE[CHURNED], rogueId="customers.churned_customers", slug="churned_customers",
                  supersedes=list(olds), **fields)


def test_a_rename_is_major_for_the_kpi_and_continues_its_predecessors_version() -> None:
    plan = assemble_plan(released(customers__customers_churned=kpi(CHURNED)),
                         worktree(customers__customers_churned=None,
                                  customers__churned_customers=_renamed(
                                      CHURNED, defaultLabel="Churned Customers")))
    entry = only_kpi(plan)
    assert (entry.rogue_id, entry.status, entry.renamed_from) == (
        "customers.churned_customers", Status.RENAMED, (CHURNED,))
    assert (entry.version, entry.bump, entry.next_version) == (RELEASED, Bump.MAJOR, "2.0.0")
    # rogueId, slug and supersedes are the rename itself, not content changes; the label is.
    assert rules_of(entry) == ["kpi-renamed", "label-changed"]
    rename = entry.changes[0]
    assert (rename.path, rename.old, rename.new, rename.message) == (
        "rogueId", CHURNED, "customers.churned_customers",
        f"KPI renamed (supersedes {CHURNED})")
    assert plan.bump is Bump.MAJOR


def test_a_kpi_superseding_two_gone_kpis_consumes_both() -> None:
    other = "customers.lost_logos"
    plan = assemble_plan(released(customers__lost_logos=kpi(other)),
                         worktree(customers__customers_churned=None,
                                  customers__churned_customers=_renamed(CHURNED, other)))
    entry = only_kpi(plan)  # neither predecessor is reported as removed
    assert entry.renamed_from == (CHURNED, other)
    assert entry.changes[0].message == f"KPI renamed (supersedes {CHURNED}, {other})"


def test_a_rename_onto_an_id_with_a_past_never_reuses_one_of_its_versions() -> None:
    # customers.churned_customers was released up to 3.1.0, removed, and now supersedes
    # customers.customers_churned (1.2.0): its next version must lie above both.
    past = {"customers.churned_customers": ReleasedKpi("3.1.0", kpi("customers.churned_customers"))}
    plan = assemble_plan(released(), worktree(customers__customers_churned=None,
                                              customers__churned_customers=_renamed(CHURNED)),
                         past=past)
    entry = only_kpi(plan)
    assert (entry.status, entry.version, entry.next_version) == (
        Status.RENAMED, "3.1.0", "4.0.0")


def test_superseding_a_kpi_that_is_still_there_is_an_addition() -> None:
    plan = assemble_plan(released(), worktree(customers__churned_customers=_renamed(CHURNED)))
    assert [(k.rogue_id, k.status) for k in plan.kpis] == [
        ("customers.churned_customers", Status.ADDED)]


# restored (SPEC 6.3, version continuity)

GONE = "customers.time_to_close"


def test_a_kpi_that_comes_back_unchanged_continues_from_its_highest_version() -> None:
    past = {GONE: ReleasedKpi("1.4.0", kpi(GONE))}
    plan = assemble_plan(released(), worktree(customers__time_to_close=kpi(GONE)), past=past)
    entry = only_kpi(plan)
    assert (entry.status, entry.version, entry.next_version, entry.bump) == (
        Status.RESTORED, "1.4.0", "1.5.0", Bump.MINOR)
    assert rules_of(entry) == ["kpi-restored"]
    assert entry.changes[0].message == "KPI restored (last released as 1.4.0)"
    assert (plan.bump, plan.next_version) == (Bump.MINOR, "1.3.0")
    assert_schema_valid(plan)
    assert plan_document(plan)["kpis"][0]["status"] == "restored"


def test_a_restored_kpi_is_bumped_by_its_changes_against_its_last_released_content() -> None:
    past = {GONE: ReleasedKpi("1.4.0", kpi(GONE))}
    redefined = kpi(GONE, formula="Days from first meeting to signature.", defaultLabel="TTC")
    entry = only_kpi(assemble_plan(released(), worktree(customers__time_to_close=redefined),
                                   past=past))
    assert (entry.status, entry.bump, entry.next_version) == (Status.RESTORED, Bump.MAJOR, "2.0.0")
    assert rules_of(entry) == ["kpi-restored", "label-changed", "formula-changed"]


def test_a_restored_kpi_with_a_patch_edit_is_still_at_least_minor() -> None:
    past = {GONE: ReleasedKpi("3.0.7", kpi(GONE))}
    entry = only_kpi(assemble_plan(
        released(), worktree(customers__time_to_close=kpi(GONE, defaultLabel="TTC")), past=past))
    assert (entry.bump, entry.next_version) == (Bump.MINOR, "3.1.0")
    assert entry.next_version != FIRST_VERSION


def test_a_restored_kpi_never_reuses_a_version_even_when_policy_sets_its_rule_to_none() -> None:
    past = {GONE: ReleasedKpi("1.4.0", kpi(GONE))}
    config = ontology(policy={"kpi-restored": "none"})
    entry = only_kpi(assemble_plan(
        released(), worktree(config=config, customers__time_to_close=kpi(GONE)), past=past))
    assert (entry.bump, entry.next_version) == (Bump.PATCH, "1.4.1")


def test_the_past_only_matters_for_ids_the_baseline_does_not_hold() -> None:
    # An id in the baseline is changed against the baseline, whatever an older release said.
    past = {TC: ReleasedKpi("7.0.0", kpi(TC, formula="Something else entirely."))}
    plan = assemble_plan(released(), worktree(customers__total_customers=kpi(
        TC, defaultLabel="Customers")), past=past)
    entry = only_kpi(plan)
    assert (entry.status, entry.version, entry.next_version) == (
        Status.CHANGED, RELEASED, "1.2.1")
    # ...and an id that is still gone is not restored by being in the past.
    assert assemble_plan(released(), worktree(), past={GONE: ReleasedKpi("1.0.0", {})}).is_empty


def test_notes_and_waivers_apply_to_a_restored_kpi() -> None:
    past = {GONE: ReleasedKpi("1.4.0", kpi(GONE))}
    waiver = Waiver("formula-changed", "Only the wording moved.", Bump.PATCH)
    notes = (note("back", GONE, waive=[waiver]),)
    edited_formula = kpi(GONE, formula="Days between first meeting and signature.")
    entry = only_kpi(assemble_plan(
        released(), worktree(notes=notes, customers__time_to_close=edited_formula), past=past))
    assert (entry.computed_bump, entry.bump, entry.next_version) == (
        Bump.MINOR, Bump.MINOR, "1.5.0")
    raised = (note("back", GONE, bump=Bump.MAJOR),)
    entry = only_kpi(assemble_plan(
        released(), worktree(notes=raised, customers__time_to_close=kpi(GONE)), past=past))
    assert (entry.bump, entry.next_version) == (Bump.MAJOR, "2.0.0")


# changed: highest wins, at least patch, notes, waivers, policy

def test_a_kpi_takes_the_highest_of_its_changes_and_the_ontology_the_highest_kpi() -> None:
    plan = assemble_plan(released(), worktree(
        customers__total_customers=kpi(TC, defaultLabel="Customers", maturity="emerging"),
        sales__arr=kpi(ARR, defaultLabel="Annual Recurring Revenue")))
    bumps = {k.rogue_id: (k.status, k.bump, k.next_version) for k in plan.kpis}
    assert bumps == {TC: (Status.CHANGED, Bump.MINOR, "1.3.0"),
                     ARR: (Status.CHANGED, Bump.PATCH, "1.2.1")}
    assert (plan.bump, plan.next_version) == (Bump.MINOR, "1.3.0")


def test_a_kpi_continues_from_its_own_version_not_the_ontologys() -> None:
    old = snapshot_of(BASE, versions={ARR: "1.0.3"}, ref="v1.2.0")
    entry = only_kpi(assemble_plan(old, worktree(sales__arr=kpi(ARR, unit="USD"))))
    assert (entry.version, entry.next_version) == ("1.0.3", "2.0.0")


def test_any_content_change_is_at_least_patch() -> None:
    config = ontology(policy={"label-changed": "none"})
    entry = only_kpi(assemble_plan(released(), worktree(
        config=config, customers__total_customers=kpi(TC, defaultLabel="Customers"))))
    assert (entry.changes[0].bump, entry.bump, entry.next_version) == (
        Bump.NONE, Bump.PATCH, "1.2.1")


def test_a_note_raises_a_bump_but_never_lowers_one() -> None:
    label = kpi(TC, defaultLabel="Customers")
    raised = only_kpi(assemble_plan(released(), worktree(
        notes=(note("why", TC, bump=Bump.MAJOR),), customers__total_customers=label)))
    assert (raised.computed_bump, raised.bump, raised.next_version) == (
        Bump.PATCH, Bump.MAJOR, "2.0.0")
    assert [n.file for n in raised.notes] == ["changelog/unreleased/why.yaml"]
    unit = kpi(TC, unit="USD")
    kept = only_kpi(assemble_plan(released(), worktree(
        notes=(note("why", TC, bump=Bump.PATCH),), customers__total_customers=unit)))
    assert (kept.bump, kept.next_version) == (Bump.MAJOR, "2.0.0")


def test_a_waiver_lowers_the_rule_it_names_and_only_that_one() -> None:
    waiver = Waiver("formula-changed", "A typo in the formula.", Bump.PATCH)
    content = kpi(TC, formula="Count of customer logos with an active paid contract at the end.")
    entry = only_kpi(assemble_plan(released(), worktree(
        notes=(note("typo", TC, waive=[waiver]),), customers__total_customers=content)))
    [change] = entry.changes
    assert (change.rule, change.bump, change.waived_by) == ("formula-changed", Bump.PATCH, waiver)
    assert (entry.bump, entry.next_version) == (Bump.PATCH, "1.2.1")
    other = Waiver("unit-changed", "Not this one.", Bump.PATCH)
    entry = only_kpi(assemble_plan(released(), worktree(
        notes=(note("typo", TC, waive=[other]),), customers__total_customers=content)))
    assert (entry.bump, entry.changes[0].waived_by) == (Bump.MAJOR, None)


def test_a_waiver_clears_a_blocking_change() -> None:
    content = kpi(TC, footnote="an unknown key")
    plan = assemble_plan(released(), worktree(customers__total_customers=content))
    assert [(b.rogue_id, b.rule) for b in plan.blocking] == [(TC, "unclassified")]
    waiver = Waiver("unclassified", "Footnotes are editorial.", Bump.PATCH)
    plan = assemble_plan(released(), worktree(notes=(note("fn", TC, waive=[waiver]),),
                                              customers__total_customers=content))
    assert plan.blocking == ()
    assert only_kpi(plan).bump is Bump.PATCH


def test_a_note_for_a_renamed_kpis_old_id_applies_to_the_rename() -> None:
    plan = assemble_plan(released(), worktree(
        notes=(note("rename", CHURNED),), customers__customers_churned=None,
        customers__churned_customers=_renamed(CHURNED)))
    assert [n.file for n in only_kpi(plan).notes] == ["changelog/unreleased/rename.yaml"]
    assert plan.unused_notes == ()


def test_a_note_naming_no_changed_kpi_is_unused() -> None:
    plan = assemble_plan(released(), worktree(notes=(note("stale", ARR),)))
    assert [n.file for n in plan.unused_notes] == ["changelog/unreleased/stale.yaml"]


@pytest.mark.parametrize(("level", "bump", "blocking"), [
    ("minor", Bump.MINOR, False), ("major", Bump.MAJOR, False), ("blocking", Bump.PATCH, True)])
def test_a_policy_in_ontology_yaml_overrides_a_rule_level(level: str, bump: Bump,
                                                          blocking: bool) -> None:
    config = ontology(policy={"label-changed": level})
    # The old side has the policy too, so the policy itself is no change.
    old = snapshot_of(BASE, config=config, ref="v1.2.0")
    plan = assemble_plan(old, worktree(config=config, customers__total_customers=kpi(
        TC, defaultLabel="Customers")))
    assert only_kpi(plan).bump is bump
    assert bool(plan.blocking) is blocking
    assert plan.ontology_changes == ()


def test_only_filters_the_kpis_shown_but_not_the_bump() -> None:
    plan = assemble_plan(released(), worktree(
        customers__total_customers=kpi(TC, defaultLabel="Customers"),
        sales__arr=kpi(ARR, unit="USD")), only={TC})
    assert [k.rogue_id for k in plan.kpis] == [TC]
    assert plan.bump is Bump.MAJOR


# the ontology's own changes

def _vocabularies(change: Any) -> dict[str, Any]:
    config = ontology()
    change(config["vocabularies"])
    return config


def test_a_vocabulary_value_added_is_minor_removed_major_relabelled_patch() -> None:
    def edit(vocab: dict[str, Any]) -> None:
        vocab["units"]["weeks"] = "Weeks"
        vocab["units"].pop("days")
        vocab["units"]["USD"] = "Dollars"
        vocab["owningFunctions"].append("People")

    plan = assemble_plan(released(), worktree(config=_vocabularies(edit)))
    assert [(c.rule, c.path, c.old, c.new) for c in plan.ontology_changes] == [
        ("vocabulary-added", "vocabularies.owningFunctions.People", None, "People"),
        ("vocabulary-added", "vocabularies.units.weeks", None, "Weeks"),
        ("vocabulary-removed", "vocabularies.units.days", "Days", None),
        ("vocabulary-relabelled", "vocabularies.units.USD", "US dollars", "Dollars"),
    ]
    assert (plan.bump, plan.next_version, plan.kpis) == (Bump.MAJOR, "2.0.0", ())


def test_a_vocabulary_value_added_alone_is_a_minor_release() -> None:
    plan = assemble_plan(released(), worktree(config=_vocabularies(
        lambda vocab: vocab["units"].__setitem__("weeks", "Weeks"))))
    assert [c.rule for c in plan.ontology_changes] == ["vocabulary-added"]
    assert (plan.bump, plan.next_version) == (Bump.MINOR, "1.3.0")


def test_settings_changes_are_reported_but_bump_nothing() -> None:
    plan = assemble_plan(released(), worktree(config=ontology(tagPrefix="release-",
                                                              publisher=None)))
    assert [(c.rule, c.path, c.old, c.new) for c in plan.ontology_changes] == [
        ("settings-changed", "publisher", "I'mBoard", None),
        ("settings-changed", "tagPrefix", "v", "release-")]
    assert (plan.is_empty, plan.bump, plan.next_version) == (False, Bump.NONE, RELEASED)


def test_the_stamps_of_ontology_yaml_are_no_change() -> None:
    plan = assemble_plan(released(), worktree(config={**ontology(), "releasedAt": "2027-01-01"}))
    assert plan.is_empty


def test_an_unknown_key_in_ontology_yaml_blocks_instead_of_passing_silently() -> None:
    plan = assemble_plan(released(), worktree(config={**ontology(), "colour": "blue"}))
    assert [(c.rule, c.path) for c in plan.ontology_changes] == [("unclassified", "colour")]
    assert [(b.rogue_id, b.rule) for b in plan.blocking] == [(None, "unclassified")]


def test_every_status_in_one_plan_validates_against_the_plan_schema() -> None:
    past = {GONE: ReleasedKpi("1.4.0", kpi(GONE))}
    plan = assemble_plan(
        released(), worktree(customers__total_customers=kpi(TC, unit="USD"), sales__arr=None,
                             customers__customers_churned=None,
                             customers__churned_customers=_renamed(CHURNED),
                             customers__time_to_close=kpi(GONE),
                             customers__new_logos=kpi("customers.new_logos")), past=past)
    assert {k.status for k in plan.kpis} == set(Status)
    assert_schema_valid(plan)
    assert {k["status"] for k in plan_document(plan)["kpis"]} == {s.value for s in Status}


# a plan to a release: the versions it stamped, not the next ones after the baseline

def _release_snapshot(version: str, stamps: dict[str, str], **kpis: Any) -> Snapshot:
    """BASE with `kpis` (as `worktree`) released as `version`, each KPI stamped as `stamps`
    says (else at `version`), with no change notes left: a release consumed them."""
    contents = _with(kpis)
    return replace(snapshot_of(contents, config=ontology(version=version),
                               versions={rogue_id: stamps.get(rogue_id, version)
                                         for rogue_id in contents}, ref=f"v{version}"),
                   release=version)


def test_a_plan_to_a_release_two_releases_on_ends_at_what_that_release_stamped() -> None:
    # 1.2.0 → (3.0.0: TC's formula, major) → (3.0.1: TC's label, patch): the plan from 1.2.0
    # to 3.0.1 would compute 2.0.0 for the ontology and for TC; the release says 3.0.1, 2.0.1.
    new = _release_snapshot("3.0.1", {TC: "2.0.1", ARR: RELEASED, CHURNED: RELEASED},
                            customers__total_customers=edited(
                                BASE[TC], formula="Every paying logo.", defaultLabel="Paying"))
    plan = assemble_plan(released(), new)
    assert (plan.version, plan.next_version, plan.to_version, plan.bump) == (
        RELEASED, "3.0.1", "3.0.1", Bump.MAJOR)
    entry = only_kpi(plan)
    assert (entry.version, entry.next_version) == (RELEASED, "2.0.1")
    # the classification is untouched: the rules and the levels of the changes between
    assert (entry.bump, entry.computed_bump) == (Bump.MAJOR, Bump.MAJOR)
    assert sorted(rules_of(entry)) == ["formula-changed", "label-changed"]
    document = plan_document(plan)
    assert document["to"] == {"ref": "v3.0.1", "version": "3.0.1"}
    assert document["ontology"]["nextVersion"] == "3.0.1"
    assert_schema_valid(plan)


def test_a_plan_to_a_release_reads_every_status_from_its_stamps() -> None:
    new_id = "customers.new_logos"
    new = _release_snapshot(
        "4.0.0", {new_id: "1.1.0", "customers.churned_customers": "5.0.0"},
        sales__arr=None, customers__new_logos=kpi(new_id), customers__customers_churned=None,
        customers__churned_customers=_renamed(CHURNED))
    by_id = {k.rogue_id: k for k in assemble_plan(released(), new).kpis}
    assert {rogue_id: (k.status, k.version, k.next_version) for rogue_id, k in by_id.items()} == {
        ARR: (Status.REMOVED, RELEASED, None),  # a removed KPI has no version to stamp
        new_id: (Status.ADDED, None, "1.1.0"),  # added in 3.0.0, changed again in 4.0.0
        "customers.churned_customers": (Status.RENAMED, RELEASED, "5.0.0"),
    }


def test_a_release_file_without_a_stamp_keeps_the_computed_version() -> None:
    new = _release_snapshot("1.2.1", {}, customers__total_customers=edited(
        BASE[TC], defaultLabel="Customers"))
    source = new.sources[TC]
    stampless = KpiDocument(TC, source.path, None, None, new.document(TC).content)
    parse = new.parse
    plan = assemble_plan(released(), replace(
        new, parse=lambda s: stampless if s.rogue_id == TC else parse(s)))
    assert only_kpi(plan).next_version == "1.2.1"  # computed: patch after 1.2.0


def test_a_plan_to_a_point_that_is_no_release_computes_the_next_versions() -> None:
    # The same sources and stamps, but not known as a release (the worktree after 3.0.1, or a
    # commit after it): the plan is the next release after the baseline, as before.
    new = replace(_release_snapshot("3.0.1", {TC: "2.0.1"}, customers__total_customers=edited(
        BASE[TC], formula="Every paying logo.")), release=None)
    plan = assemble_plan(released(), new)
    assert (plan.next_version, plan.to_version, only_kpi(plan).next_version) == (
        "2.0.0", None, "2.0.0")
    assert plan_document(plan)["to"] == {"ref": "v3.0.1"}
