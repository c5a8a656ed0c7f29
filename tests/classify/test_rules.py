"""Every rule of the catalog, one edit at a time, against a released ontology."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from ontology_tools.classify.catalog import CHANGE_RULES
from tests.classify.conftest import diff_json, edit_kpi, edit_yaml

TC = "customers.total_customers"
Edit = Callable[[Any], None]


def _set(key: str, value: Any) -> Edit:
    return lambda kpi: kpi.__setitem__(key, value)


def _set_in(outer: str, key: str, value: Any) -> Edit:
    return lambda kpi: kpi[outer].__setitem__(key, value)


def _promote(kpi: Any) -> None:
    kpi["definitionSource"].update({
        "tier": "published", "sourceName": "Example Standard",
        "sourceUrl": "https://example.org/customers", "publicationDate": "2025-03-01",
        "attributionNotice": "Adapted from the Example Standard."})


def _demote(kpi: Any) -> None:
    kpi["definitionSource"].update({"tier": "editorial", "sourceName": "imboard Editorial",
                                    "sourceUrl": None, "sectionRef": None,
                                    "attributionNotice": None})


def _reflow(kpi: Any) -> None:
    kpi["formula"] = str(kpi["formula"]).replace(" ", "  ", 3)


CASES: list[tuple[str, str, Edit, str, str, str]] = [
    # rule, KPI, edit, KPI bump, next KPI version, ontology bump
    ("field-type-changed", TC, _set("fieldType", "ratio"), "major", "2.0.0", "major"),
    ("unit-changed", TC, _set("unit", "people"), "major", "2.0.0", "major"),
    ("formula-changed", TC, _set("formula", "Count of every logo ever signed."),
     "major", "2.0.0", "major"),
    ("formula-reflowed", TC, _reflow, "patch", "1.2.1", "patch"),
    ("time-basis-changed", TC, _set_in("metricBasis", "timeBasis", "period"),
     "major", "2.0.0", "major"),
    ("production-changed", TC, _set_in("metricBasis", "production", "derived"),
     "minor", "1.3.0", "minor"),
    ("tier-promoted", TC, _promote, "minor", "1.3.0", "minor"),
    ("tier-demoted", "sales.arr", _demote, "major", "2.0.0", "major"),
    ("source-changed", TC, _set_in("definitionSource", "sourceName", "I'mBoard Editorial"),
     "patch", "1.2.1", "patch"),
    ("stages-changed", TC, _set("suggestedForStages", ["seed", "seriesA"]),
     "minor", "1.3.0", "minor"),
    ("stage-relevance-changed", TC, _set_in("stageRelevance", "preSeed", "optional"),
     "minor", "1.3.0", "minor"),
    ("maturity-changed", TC, _set("maturity", "emerging"), "minor", "1.3.0", "minor"),
    ("kpi-deprecated", TC, _set("deprecation", {"date": "2026-06-01", "reason": "Replaced.",
                                                "replacedBy": "sales.arr"}),
     "minor", "1.3.0", "minor"),
    ("label-changed", TC, _set("defaultLabel", "Customers (Total)"), "patch", "1.2.1", "patch"),
    ("text-changed", TC, _set("whyItMatters", "The denominator of every retention metric."),
     "patch", "1.2.1", "patch"),
    ("owners-changed", TC, _set("defaultOwningFunctions", ["Sales", "Finance"]),
     "patch", "1.2.1", "patch"),
    ("related-changed", TC, _set("relatedKpiIds", ["sales.arr"]), "patch", "1.2.1", "patch"),
    ("unclassified", TC, _set("footnote", "an unknown key"), "major", "2.0.0", "major"),
]


@pytest.mark.parametrize(("rule", "rogue_id", "edit", "bump", "next_version", "ontology_bump"),
                         CASES, ids=[case[0] for case in CASES])
def test_one_edit_one_rule(released: Path, rule: str, rogue_id: str, edit: Edit, bump: str,
                           next_version: str, ontology_bump: str) -> None:
    edit_kpi(released, rogue_id, edit)
    plan = diff_json(released)
    assert plan["from"] == {"ref": "v1.2.0", "version": "1.2.0"}
    [kpi] = plan["kpis"]
    assert kpi["rogueId"] == rogue_id
    assert kpi["status"] == "changed"
    assert rule in {change["rule"] for change in kpi["changes"]}
    assert (kpi["version"], kpi["bump"], kpi["nextVersion"]) == ("1.2.0", bump, next_version)
    assert plan["ontology"]["bump"] == ontology_bump
    expected = {"major": "2.0.0", "minor": "1.3.0", "patch": "1.2.1"}[ontology_bump]
    assert plan["ontology"]["nextVersion"] == expected
    assert bool(plan["blocking"]) == (rule == "unclassified")


def test_every_spec_rule_is_in_the_catalog_with_its_default_level() -> None:
    expected = {
        "kpi-added": "minor", "kpi-removed": "major", "kpi-renamed": "major",
        "field-type-changed": "major", "unit-changed": "major", "formula-changed": "major",
        "formula-reflowed": "patch", "time-basis-changed": "major", "production-changed": "minor",
        "tier-promoted": "minor", "tier-demoted": "major", "source-changed": "patch",
        "stages-changed": "minor", "stage-relevance-changed": "minor",
        "maturity-changed": "minor", "kpi-deprecated": "minor", "label-changed": "patch",
        "text-changed": "patch", "owners-changed": "patch", "related-changed": "patch",
        "vocabulary-added": "minor", "vocabulary-removed": "major", "unclassified": "blocking",
    }
    assert {rule_id: CHANGE_RULES[rule_id].level for rule_id in expected} == expected
    assert all(rule.rationale and rule.message for rule in CHANGE_RULES.values())


def test_comment_only_and_reorder_only_edits_are_no_change(released: Path) -> None:
    path = released / "ontology/customers/total_customers.yaml"
    text = path.read_text(encoding="utf-8")
    text = text.replace("  fieldType: number", "  # counted in logos\n  fieldType: number  # yes")
    text = text.replace("[Sales]", "[Sales]  # owner")
    path.write_text(text, encoding="utf-8")
    edit_kpi(released, TC, lambda kpi: kpi.move_to_end("rogueId"))
    edit_kpi(released, TC, lambda kpi: kpi.__setitem__(
        "relatedKpiIds", list(reversed(kpi["relatedKpiIds"]))))
    plan = diff_json(released)
    assert plan["kpis"] == []
    assert plan["ontology"] == {"version": "1.2.0", "nextVersion": "1.2.0", "bump": "none",
                                "changes": []}


def test_vocabulary_added_is_minor_and_removed_is_major(released: Path) -> None:
    config = released / "ontology/ontology.yaml"
    edit_yaml(config, lambda doc: doc["vocabularies"]["units"].__setitem__("weeks", "Weeks"))
    plan = diff_json(released)
    assert [c["rule"] for c in plan["ontology"]["changes"]] == ["vocabulary-added"]
    assert (plan["ontology"]["bump"], plan["ontology"]["nextVersion"]) == ("minor", "1.3.0")
    edit_yaml(config, lambda doc: doc["vocabularies"]["units"].pop("days"))
    plan = diff_json(released)
    assert {c["rule"] for c in plan["ontology"]["changes"]} == {"vocabulary-added",
                                                                "vocabulary-removed"}
    assert plan["ontology"]["bump"] == "major"


def test_a_new_kpi_starts_at_1_0_0_and_bumps_the_ontology_minor(released: Path,
                                                                 cli: Any) -> None:
    assert cli.run(released, "new", "customers", "net_new_logos").exit_code == 0
    plan = diff_json(released)
    [kpi] = plan["kpis"]
    assert (kpi["rogueId"], kpi["status"], kpi["nextVersion"]) == (
        "customers.net_new_logos", "added", "1.0.0")
    assert (plan["ontology"]["bump"], plan["ontology"]["nextVersion"]) == ("minor", "1.3.0")


def test_a_removed_kpi_is_a_major_release(released: Path) -> None:
    (released / "ontology/customers/customer_segments.yaml").unlink()
    plan = diff_json(released)
    [kpi] = plan["kpis"]
    assert (kpi["status"], kpi["version"], kpi["nextVersion"]) == ("removed", "1.2.0", None)
    assert (plan["ontology"]["bump"], plan["ontology"]["nextVersion"]) == ("major", "2.0.0")


def test_a_rename_through_supersedes_is_major_for_the_kpi_and_the_ontology(
        released: Path) -> None:
    old = released / "ontology/customers/customers_churned.yaml"
    new = released / "ontology/customers/churned_customers.yaml"
    new.write_text(old.read_text(encoding="utf-8").replace(
        "customers.customers_churned", "customers.churned_customers").replace(
        "slug: customers_churned", "slug: churned_customers"), encoding="utf-8")
    old.unlink()
    edit_kpi(released, "customers.churned_customers",
             lambda kpi: kpi.insert(len(kpi), "supersedes", ["customers.customers_churned"]))
    plan = diff_json(released)
    [kpi] = plan["kpis"]
    assert (kpi["rogueId"], kpi["status"], kpi["renamedFrom"]) == (
        "customers.churned_customers", "renamed", ["customers.customers_churned"])
    assert (kpi["version"], kpi["bump"], kpi["nextVersion"]) == ("1.2.0", "major", "2.0.0")
    assert kpi["changes"][0]["rule"] == "kpi-renamed"
    assert plan["ontology"]["bump"] == "major"


def test_several_edits_in_several_kpis_take_the_highest(released: Path) -> None:
    edit_kpi(released, TC, _set("defaultLabel", "Customers"))
    edit_kpi(released, TC, _set("maturity", "emerging"))
    edit_kpi(released, "sales.arr", _set("defaultLabel", "Annual Recurring Revenue"))
    plan = diff_json(released)
    bumps = {kpi["rogueId"]: (kpi["bump"], kpi["nextVersion"]) for kpi in plan["kpis"]}
    assert bumps == {TC: ("minor", "1.3.0"), "sales.arr": ("patch", "1.2.1")}
    assert plan["ontology"]["bump"] == "minor"


def test_policy_in_ontology_yaml_changes_a_rule_level(released: Path) -> None:
    edit_yaml(released / "ontology/ontology.yaml",
              lambda doc: doc.__setitem__("policy", {"label-changed": "minor"}))
    edit_kpi(released, TC, _set("defaultLabel", "Customers"))
    plan = diff_json(released)
    assert plan["kpis"][0]["bump"] == "minor"
