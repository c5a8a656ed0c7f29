"""The change-rule registry: every rule fires for its example and for nothing else's."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from typing import Any

import pytest

from ontology_tools.classify.catalog import (
    ABSENT,
    CHANGE_RULES,
    UNCLASSIFIED,
    Difference,
    Subject,
    classify,
    rule_for,
    with_policy,
)
from ontology_tools.classify.diff import classify_kpi
from ontology_tools.model import Bump, Scope
from tests.support.memory import edited, kpi

FIELD, WHOLE, ONTO = Subject.FIELD, Subject.KPI, Subject.ONTOLOGY
DEPRECATION = {"date": "2026-06-01", "reason": "Replaced.", "replacedBy": "sales.arr"}

EXAMPLES: dict[str, Difference] = {
    "kpi-added": Difference(WHOLE, (), ABSENT, "customers.new_logos"),
    "kpi-removed": Difference(WHOLE, (), "customers.new_logos", ABSENT),
    "kpi-renamed": Difference(WHOLE, (), "customers.customers_churned",
                              "customers.churned_customers"),
    "kpi-restored": Difference(WHOLE, (), "customers.new_logos", "customers.new_logos"),
    "field-type-changed": Difference(FIELD, ("fieldType",), "number", "ratio"),
    "unit-changed": Difference(FIELD, ("unit",), None, "people"),
    "formula-changed": Difference(FIELD, ("formula",), "Count of logos.", "Count of accounts."),
    "formula-reflowed": Difference(FIELD, ("formula",), "Count of logos.", "Count  of\nlogos."),
    "time-basis-changed": Difference(FIELD, ("metricBasis", "timeBasis"), "point_in_time",
                                     "period"),
    "production-changed": Difference(FIELD, ("metricBasis", "production"), "primary", "derived"),
    "tier-promoted": Difference(FIELD, ("definitionSource", "tier"), "editorial", "published"),
    "tier-demoted": Difference(FIELD, ("definitionSource", "tier"), "published", "editorial"),
    "source-changed": Difference(FIELD, ("definitionSource", "sourceName"), "Old", "New"),
    "stages-changed": Difference(FIELD, ("suggestedForStages",), ["seed"], ["seed", "seriesA"]),
    "stage-relevance-changed": Difference(FIELD, ("stageRelevance",), {"seed": "core"},
                                          {"seed": "optional"}),
    "maturity-changed": Difference(FIELD, ("maturity",), "general", "emerging"),
    "kpi-deprecated": Difference(FIELD, ("deprecation",), ABSENT, DEPRECATION),
    "deprecation-changed": Difference(FIELD, ("deprecation",), DEPRECATION,
                                      {**DEPRECATION, "reason": "Superseded."}),
    "kpi-undeprecated": Difference(FIELD, ("deprecation",), DEPRECATION, ABSENT),
    "supersedes-changed": Difference(FIELD, ("supersedes",), ["customers.a"], ["customers.b"]),
    "label-changed": Difference(FIELD, ("defaultLabel",), "Customers", "Total Customers"),
    "text-changed": Difference(FIELD, ("whyItMatters",), "Old reason.", "New reason."),
    "owners-changed": Difference(FIELD, ("defaultOwningFunctions",), ["Sales"], ["Finance"]),
    "related-changed": Difference(FIELD, ("relatedKpiIds",), [], ["sales.arr"]),
    "vocabulary-added": Difference(ONTO, ("vocabularies", "units", "weeks"), ABSENT, "Weeks"),
    "vocabulary-removed": Difference(ONTO, ("vocabularies", "units", "days"), "Days", ABSENT),
    "vocabulary-relabelled": Difference(ONTO, ("vocabularies", "units", "days"), "Days",
                                        "Calendar days"),
    "settings-changed": Difference(ONTO, ("tagPrefix",), "v", "release-"),
    "unclassified": Difference(FIELD, ("footnote",), ABSENT, "an unknown key"),
}


def _firing(difference: Difference) -> set[str]:
    return {rule.id for rule in CHANGE_RULES.values()
            if rule.id != UNCLASSIFIED and rule.fires(difference)}


def test_every_registered_rule_has_an_example_and_every_example_a_rule() -> None:
    assert set(EXAMPLES) == set(CHANGE_RULES)


@pytest.mark.parametrize("rule_id", list(EXAMPLES))
def test_each_example_fires_its_rule_and_no_other(rule_id: str) -> None:
    difference = EXAMPLES[rule_id]
    expected = set() if rule_id == UNCLASSIFIED else {rule_id}
    assert _firing(difference) == expected
    assert rule_for(difference, CHANGE_RULES).id == rule_id


def test_no_example_fires_a_rule_of_another_subject() -> None:
    # The same path under another subject is another thing: a KPI field named like a setting
    # is not a setting, and a setting is not a KPI field.
    for rule_id, difference in EXAMPLES.items():
        for subject in Subject:
            if subject is not difference.subject and rule_id != UNCLASSIFIED:
                assert rule_id not in _firing(replace(difference, subject=subject)), (
                    rule_id, subject)


def test_unclassified_is_last_and_fires_for_anything() -> None:
    assert list(CHANGE_RULES)[-1] == UNCLASSIFIED
    assert CHANGE_RULES[UNCLASSIFIED].blocking
    oddities = [Difference(FIELD, ("definitionSource", "tier"), "editorial", "retracted"),
                Difference(FIELD, ("metricBasis", "window"), ABSENT, "weekly"),
                Difference(FIELD, ("deprecation",), None, ABSENT),
                Difference(ONTO, ("vocabularies", "units"), ABSENT, ABSENT),
                Difference(ONTO, ("colour",), ABSENT, "blue"),
                Difference(WHOLE, (), ABSENT, ABSENT)]
    assert [rule_for(d, CHANGE_RULES).id for d in oddities] == [UNCLASSIFIED] * len(oddities)


def test_rule_for_takes_the_first_registered_rule_that_fires() -> None:
    everything = replace(CHANGE_RULES["label-changed"], fires=lambda d: True)
    rules = {"label-changed": everything, **{k: v for k, v in CHANGE_RULES.items()
                                             if k != "label-changed"}}
    assert rule_for(EXAMPLES["unit-changed"], rules).id == "label-changed"


def test_a_policy_changes_levels_but_keeps_triggers_and_order() -> None:
    rules = with_policy({"label-changed": "major", "formula-reflowed": "blocking",
                         "no-such-rule": "minor", "unit-changed": "loud"})
    assert list(rules) == list(CHANGE_RULES)
    assert rule_for(EXAMPLES["label-changed"], rules).bump is Bump.MAJOR
    reflowed = rule_for(EXAMPLES["formula-reflowed"], rules)
    assert (reflowed.id, reflowed.level) == ("formula-reflowed", "blocking")
    assert rules["unit-changed"] == CHANGE_RULES["unit-changed"]  # a bad level is validate's
    assert CHANGE_RULES["label-changed"].bump is Bump.PATCH  # the registry itself is untouched


def test_scopes_are_enums_written_as_their_value() -> None:
    assert CHANGE_RULES["kpi-added"].scope is Scope.ONTOLOGY
    assert CHANGE_RULES["kpi-renamed"].scope is Scope.KPI
    assert f"{CHANGE_RULES['kpi-restored'].scope}" == "ontology"


def test_classify_fills_the_message_and_writes_absence_as_null() -> None:
    change = classify(EXAMPLES["vocabulary-added"], CHANGE_RULES)
    assert (change.rule, change.path, change.old, change.new) == (
        "vocabulary-added", "vocabularies.units.weeks", None, "Weeks")
    assert change.message == "vocabulary value added: vocabularies.units.weeks"
    blocked = classify(EXAMPLES["unclassified"], CHANGE_RULES)
    assert (blocked.blocking, blocked.message) == (True, "unclassified change to footnote")


# classify_kpi on whole KPI contents: one edit, one rule.
BASE = kpi("customers.total_customers")
Edit = Callable[[dict[str, Any]], dict[str, Any]]


def _in(parent: str, **fields: Any) -> Edit:
    return lambda content: edited(content, **{parent: {**content[parent], **fields}})


def _set(**fields: Any) -> Edit:
    return lambda content: edited(content, **fields)


def _without(key: str) -> Edit:
    return lambda content: {k: v for k, v in content.items() if k != key}


def _deprecated(content: dict[str, Any]) -> dict[str, Any]:
    return edited(content, deprecation=DEPRECATION)


CONTENT_CASES: list[tuple[str, Edit, Edit]] = [
    # rule, edit making the "before", edit making the "after" (from BASE)
    ("field-type-changed", _set(), _set(fieldType="ratio")),
    ("unit-changed", _set(), _set(unit="people")),
    ("formula-changed", _set(), _set(formula="Count of every logo ever signed.")),
    ("formula-reflowed", _set(), lambda c: edited(c, formula=c["formula"].replace(" ", "\n  "))),
    ("time-basis-changed", _set(), _in("metricBasis", timeBasis="period")),
    ("production-changed", _set(), _in("metricBasis", production="derived")),
    ("tier-promoted", _set(), _in("definitionSource", tier="published")),
    ("tier-demoted", _in("definitionSource", tier="published"), _set()),
    ("source-changed", _set(), _in("definitionSource", sectionRef="§ 4.2")),
    ("stages-changed", _set(), _set(suggestedForStages=["seed"])),
    ("stage-relevance-changed", _set(), _in("stageRelevance", seed="optional")),
    ("maturity-changed", _set(), _set(maturity="emerging")),
    ("kpi-deprecated", _set(), _deprecated),
    ("deprecation-changed", _deprecated,
     lambda c: edited(c, deprecation={**DEPRECATION, "date": "2026-07-01"})),
    ("kpi-undeprecated", _deprecated, _set()),
    ("supersedes-changed", _set(supersedes=["customers.a"]), _set(supersedes=["customers.b"])),
    ("label-changed", _set(), _set(defaultLabel="Customers (Total)")),
    ("text-changed", _set(), _set(interpretationGuidance="Read it against ARR.")),
    ("owners-changed", _set(), _set(defaultOwningFunctions=["Sales", "Finance"])),
    ("related-changed", _set(), _set(relatedKpiIds=["sales.arr"])),
    ("unclassified", _set(), _set(footnote="an unknown key")),
    ("formula-changed", _set(), _without("formula")),  # a KPI without a formula is redefined
    ("unclassified", _set(), _without("slug")),  # identity is not content: no rule covers it
]


@pytest.mark.parametrize(("rule_id", "before", "after"), CONTENT_CASES,
                         ids=[f"{case[0]}-{n}" for n, case in enumerate(CONTENT_CASES)])
def test_classify_kpi_one_edit_one_rule(rule_id: str, before: Edit, after: Edit) -> None:
    [change] = classify_kpi(before(BASE), after(BASE), CHANGE_RULES)
    assert change.rule == rule_id
    assert change.bump is CHANGE_RULES[rule_id].bump


def test_every_kpi_field_rule_is_reached_from_a_whole_kpi() -> None:
    field_rules = {rule_id for rule_id, d in EXAMPLES.items() if d.subject is Subject.FIELD}
    assert field_rules == {case[0] for case in CONTENT_CASES}


def test_a_nested_edit_is_one_change_named_by_its_field() -> None:
    after = edited(BASE, stageRelevance={"preSeed": "optional", "seed": "optional"},
                   definitionSource={**BASE["definitionSource"], "sourceName": "X",
                                     "sourceUrl": "https://example.org"})
    changes = classify_kpi(BASE, after, CHANGE_RULES)
    assert [(c.rule, c.path) for c in changes] == [
        ("source-changed", "definitionSource.sourceName"),
        ("source-changed", "definitionSource.sourceUrl"),
        ("stage-relevance-changed", "stageRelevance")]
    assert (changes[1].old, changes[1].new) == (None, "https://example.org")


def test_reordered_keys_and_list_items_are_no_change() -> None:
    reordered = dict(reversed(list(BASE.items())))
    reordered["suggestedForStages"] = list(reversed(BASE["suggestedForStages"]))
    assert classify_kpi(BASE, reordered, CHANGE_RULES) == ()


def test_a_prose_edit_names_its_field_and_keeps_both_texts() -> None:
    [change] = classify_kpi(BASE, edited(BASE, description="Logos."), CHANGE_RULES)
    assert (change.message, change.old, change.new) == (
        "description changed", BASE["description"], "Logos.")
