"""The plan's JSON both ways: what `plan_document` writes, `plan_from_document` reads back.

Every release record (`changelog/<version>.json`) is read through the decoder, so a field the
encoder gains and the decoder misses would silently vanish from history: the round trip is
checked over generated plans and over the records this repository has released.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from ontology_tools.model import Blocker, Bump, Change, KpiPlan, Note, Plan, Status, Waiver
from ontology_tools.records import (
    RecordError,
    json_text,
    plan_document,
    plan_from_document,
    release_record,
)

REPOSITORY = Path(__file__).resolve().parents[2]
texts = st.text(max_size=12)
optional_texts = st.none() | texts
bumps = st.sampled_from(list(Bump))
json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | texts,
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(texts, inner, max_size=3),
    max_leaves=6)
waivers = st.builds(Waiver, rule=texts, justification=texts, bump=bumps)


@st.composite
def changes(draw: st.DrawFn) -> Change:
    """A change as the plan holds it; a blocking one's bump is not written, so it is NONE."""
    rule = draw(texts)
    blocking = draw(st.booleans())
    waiver = draw(st.none() | st.builds(Waiver, rule=st.just(rule), justification=texts,
                                        bump=bumps))
    return Change(rule, Bump.NONE if blocking else draw(bumps), draw(texts), draw(json_values),
                  draw(json_values), draw(texts), blocking, waiver)


note_bumps = st.sampled_from([Bump.PATCH, Bump.MINOR, Bump.MAJOR])  # a note never says "none"
notes = st.builds(Note, file=texts, kpis=st.just(()), summary=texts, dispute=optional_texts,
                  bump=st.none() | note_bumps, waive=st.lists(waivers, max_size=2).map(tuple))
kpi_plans = st.builds(
    KpiPlan, rogue_id=texts, status=st.sampled_from(list(Status)), version=optional_texts,
    next_version=optional_texts, bump=bumps, changes=st.lists(changes(), max_size=3).map(tuple),
    notes=st.lists(notes, max_size=2).map(tuple), computed_bump=bumps,
    renamed_from=st.lists(texts, max_size=2).map(tuple), label=optional_texts)
plans = st.builds(
    Plan, from_ref=texts, from_version=optional_texts, to_ref=texts, version=optional_texts,
    next_version=optional_texts, bump=bumps,
    ontology_changes=st.lists(changes(), max_size=2).map(tuple),
    kpis=st.lists(kpi_plans, max_size=3).map(tuple),
    blocking=st.lists(st.builds(Blocker, message=texts, rogue_id=optional_texts,
                                rule=optional_texts), max_size=2).map(tuple),
    unused_notes=st.lists(texts.map(lambda file: Note(file, (), "")), max_size=2).map(tuple),
    to_version=optional_texts)


@given(plans)
def test_a_plan_reads_back_as_the_plan_it_was(plan: Plan) -> None:
    document = json.loads(json_text(plan_document(plan)))
    assert plan_from_document(document) == plan


@given(plans)
def test_a_document_read_and_written_again_is_the_same_document(plan: Plan) -> None:
    document = json.loads(json_text(plan_document(plan)))
    assert plan_document(plan_from_document(document)) == document


@pytest.mark.parametrize("record", sorted((REPOSITORY / "changelog").glob("*.json")),
                         ids=lambda path: path.name)
def test_every_released_record_of_this_repository_reads_back_byte_for_byte(record: Path) -> None:
    data = record.read_bytes()
    document = json.loads(data)
    plan = plan_from_document(document)
    assert release_record(plan, document["releasedAt"]).encode("utf-8") == data


def _valid() -> dict[str, Any]:
    plan = Plan("v1.0.0", "1.0.0", "WORKTREE", "1.0.0", "1.1.0", Bump.MINOR, (), (
        KpiPlan("sales.arr", Status.CHANGED, "1.0.0", "1.1.0", Bump.MINOR, (
            Change("stages-changed", Bump.MINOR, "suggestedForStages", [], ["seed"],
                   "suggested stages changed"),)),), ())
    document: dict[str, Any] = json.loads(json_text(plan_document(plan)))
    return document


@pytest.mark.parametrize("spoil", [
    lambda d: d.pop("kpis"),
    lambda d: d.update(kpis={}),
    lambda d: d["kpis"][0].update(status="moved"),
    lambda d: d["kpis"][0].update(bump="huge"),
    lambda d: d["kpis"][0].update(rogueId=7),
    lambda d: d["kpis"][0]["changes"][0].pop("rule"),
    lambda d: d["kpis"][0]["changes"].append("a change"),
    lambda d: d["ontology"].update(nextVersion=[1, 1, 0]),
    lambda d: d.update({"from": None}),
], ids=["no-kpis", "kpis-not-a-list", "unknown-status", "unknown-bump", "id-not-text",
        "change-without-rule", "change-not-an-object", "version-not-text", "from-not-an-object"])
def test_a_document_the_encoder_could_not_have_written_is_refused(spoil: Any) -> None:
    document = _valid()
    assert plan_from_document(document).kpis[0].rogue_id == "sales.arr"
    spoil(document)
    with pytest.raises(RecordError):
        plan_from_document(document)


def test_a_document_that_is_not_an_object_is_refused() -> None:
    for document in (None, [], "plan", 3):
        with pytest.raises(RecordError, match="not an object"):
            plan_from_document(document)
