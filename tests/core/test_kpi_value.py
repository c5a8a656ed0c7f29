"""The Kpi value: every field of a definition read once, typed, from the file's `kpi` mapping.

What a consumer reads from it must be what the file says (the shipped seed, field by field);
building it must never fail, whatever a broken file holds (validate reports the faults); and a
document builds it once, however often it is asked.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from hypothesis import given
from hypothesis import strategies as st

from ontology_tools.kpi import DefinitionSource, Deprecation, Kpi
from ontology_tools.model import KpiDocument
from tests.support.memory import kpi

SEED = Path(__file__).resolve().parents[1] / "fixtures" / "total_customers.release.json"


def test_the_seed_reads_field_by_field() -> None:
    content = json.loads(SEED.read_text(encoding="utf-8"))["kpi"]
    value = Kpi.from_content(content)
    assert value.rogue_id == content["rogueId"] and value.domain == content["domain"]
    assert value.label == content["defaultLabel"]
    assert value.description == content["description"]
    assert (value.field_type, value.unit, value.maturity) == (
        content["fieldType"], content["unit"], content["maturity"])
    assert value.stages == tuple(content["suggestedForStages"])
    assert value.owners == tuple(content["defaultOwningFunctions"])
    assert value.relevance == tuple(content["stageRelevance"].items())
    source = content["definitionSource"]
    assert value.source == DefinitionSource(
        source["tier"], source["sourceName"], source["sourceUrl"], source["sectionRef"],
        source["publicationDate"], source["attributionNotice"])
    assert value.source.is_editorial is (source["tier"] != "published")
    assert (value.formula, value.why_it_matters, value.interpretation) == (
        content["formula"], content["whyItMatters"], content["interpretationGuidance"])
    assert value.basis == (content["metricBasis"]["timeBasis"],
                           content["metricBasis"]["production"])
    assert value.related == tuple(content["relatedKpiIds"])
    assert value.supersedes == () and value.deprecation is None
    assert value.content is content  # the raw mapping travels with it, for DeepDiff and bundles


def test_optional_parts_are_read_when_present() -> None:
    value = Kpi.from_content(kpi("sales.new_arr", supersedes=["sales.arr"], deprecation={
        "date": "2026-06-01", "reason": "Replaced.", "replacedBy": "sales.net_new_arr"}))
    assert value.supersedes == ("sales.arr",)
    assert value.deprecation == Deprecation("2026-06-01", "Replaced.", "sales.net_new_arr")


def test_a_published_source_is_not_editorial() -> None:
    value = Kpi.from_content(kpi("sales.arr", definitionSource={
        "tier": "published", "sourceName": "SaaS Metrics Standard", "sourceUrl": "https://x.org",
        "sectionRef": "§2", "publicationDate": "2025-01-01", "attributionNotice": None}))
    assert not value.source.is_editorial and value.source.name == "SaaS Metrics Standard"


json_like = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=8),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=8), inner,
                                                                max_size=3),
    max_leaves=8)
KEYS = ("rogueId", "domain", "defaultLabel", "description", "fieldType", "unit", "maturity",
        "suggestedForStages", "defaultOwningFunctions", "stageRelevance", "definitionSource",
        "formula", "whyItMatters", "interpretationGuidance", "relatedKpiIds", "metricBasis",
        "deprecation", "supersedes")


@given(st.dictionaries(st.sampled_from(KEYS), json_like, max_size=len(KEYS)))
def test_whatever_a_broken_file_holds_the_value_is_built(content: dict[str, Any]) -> None:
    value = Kpi.from_content(content)
    assert isinstance(value.label, str) and isinstance(value.source.tier, str)
    assert all(isinstance(stage, str) for stage in value.stages)
    assert all(isinstance(a, str) and isinstance(b, str) for a, b in value.relevance)


def test_a_document_builds_its_value_once() -> None:
    document = KpiDocument("sales.arr", "ontology/sales/arr.yaml", None, None, kpi("sales.arr"))
    assert document.kpi is document.kpi
    assert document.kpi.rogue_id == "sales.arr"
