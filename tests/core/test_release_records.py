"""A release's record as the index reads it, in memory: read, absent or damaged, and what the
dispute rules may conclude from each (a stand-in repository, no git)."""

from __future__ import annotations

import json
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest

from ontology_tools.model import Bump, KpiPlan, Plan, Status
from ontology_tools.project.disputes import KpiReleases, kpi_releases
from ontology_tools.project.past import _decode_releases, _encode_releases
from ontology_tools.project.releases import (
    TRAILER,
    DamagedRecord,
    RecordState,
    ReleaseIndex,
    expected_version,
    inconsistency,
)
from ontology_tools.records import plan_document, release_record
from tests.core.test_release_index import CHURN, Commit, MemoryRepo, _files

ARR = "sales.arr"
REPOSITORY = Path(__file__).resolve().parents[2]


def _kpi(rogue_id: str, status: Status, version: str | None, next_version: str | None,
         bump: Bump) -> KpiPlan:
    return KpiPlan(rogue_id, status, version, next_version, bump, (), computed_bump=bump)


def _plan(version: str | None, next_version: str, *kpis: KpiPlan) -> Plan:
    return Plan("v" + (version or "0"), version, "WORKTREE", version, next_version,
                max((k.bump for k in kpis), default=Bump.PATCH), (), kpis, ())


FIRST = _plan(None, "1.0.0", _kpi(CHURN, Status.ADDED, None, "1.0.0", Bump.MINOR),
              _kpi(ARR, Status.ADDED, None, "1.0.0", Bump.MINOR))
SECOND = _plan("1.0.0", "1.1.0", _kpi(CHURN, Status.CHANGED, "1.0.0", "1.0.1", Bump.PATCH))


def _record(plan: Plan) -> bytes:
    return release_record(plan, "2026-06-01").encode("utf-8")


def _edited(plan: Plan, edit: Any) -> bytes:
    document = json.loads(_record(plan))
    edit(document)  # in place
    return json.dumps(document).encode("utf-8")


@pytest.fixture
def repo(tmp_path: Path) -> MemoryRepo:
    """1.0.0 with its record, 1.1.0 with a record the test sets, 2.0.0 tagged by hand."""
    memory = MemoryRepo(tmp_path)
    first = _files("1.0.0", "2026-05-01", {CHURN: "1.0.0", ARR: "1.0.0"})
    second = _files("1.1.0", "2026-06-01", {CHURN: "1.0.1", ARR: "1.0.0"})
    third = _files("2.0.0", "2026-07-01", {ARR: "2.0.0"})
    memory.commits = [
        Commit("a" * 40, f"Release ontology 1.0.0\n\n{TRAILER}: 1.0.0",
               {**first, "changelog/1.0.0.json": _record(FIRST)}),
        Commit("b" * 40, f"Release ontology 1.1.0\n\n{TRAILER}: 1.1.0",
               {**second, **{k: v for k, v in first.items() if k.startswith("changelog/")},
                "changelog/1.0.0.json": _record(FIRST), "changelog/1.1.0.json": _record(SECOND)}),
        Commit("c" * 40, "Released by hand", third),
    ]
    memory.tag_names = {"v2.0.0": "c" * 40}
    return memory


def _with_second(repo: MemoryRepo, data: bytes | None) -> ReleaseIndex:
    files = repo.commits[1].files
    if data is None:
        files.pop("changelog/1.1.0.json")
    else:
        files["changelog/1.1.0.json"] = data
    return ReleaseIndex(repo, "v")  # type: ignore[arg-type]


def test_a_record_the_release_wrote_is_read(repo: MemoryRepo) -> None:
    index = ReleaseIndex(repo, "v")  # type: ignore[arg-type]
    first, second, third = index.releases
    assert index.read_record(first).state is RecordState.READ
    assert index.record(second) == replace(SECOND, unused_notes=())
    assert index.read_record(third).state is RecordState.ABSENT  # tagged by hand: no problem
    assert index.read_record(third).problem is None


@pytest.mark.parametrize(("data", "problem"), [
    (b"not json\n", "not JSON"),
    (b'{\n  "from": {\n    "ref": 1,\n', "not JSON"),
    (b'{"from": "\xff"}', "not UTF-8"),
    (b"[1, 2]\n", "the plan is not an object"),
    (_edited(SECOND, lambda d: d.pop("kpis")), "has no 'kpis'"),
    (_edited(SECOND, lambda d: d["kpis"][0].__setitem__("bump", "huge")), "'huge'"),
    (_edited(SECOND, lambda d: d["kpis"][0].__setitem__("nextVersion", "9.9.9")),
     f"{CHURN} went from 1.0.0 to 9.9.9 with a patch bump, where 1.0.1 follows"),
    (_edited(SECOND, lambda d: d["kpis"][0].__setitem__("version", "x")), "went from x"),
    (_edited(SECOND, lambda d: d["ontology"].__setitem__("nextVersion", "1.2.0")),
     "it records release 1.2.0, not 1.1.0"),
    (b"[" * 100_000 + b"]" * 100_000, "nests too deep"),
])
def test_a_damaged_record_says_what_is_wrong_and_holds_no_plan(
        repo: MemoryRepo, data: bytes, problem: str) -> None:
    index = _with_second(repo, data)
    release = index.releases[1]
    record = index.read_record(release)
    assert (record.state, record.plan) == (RecordState.DAMAGED, None)
    assert record.problem is not None and problem in record.problem
    damage = record.damage(release)
    assert damage.path == "changelog/1.1.0.json"
    assert "release 1.1.0 (bbbbbbb)" in damage.message and problem in damage.message


def test_broken_json_is_located_where_the_parser_stopped(repo: MemoryRepo) -> None:
    index = _with_second(repo, b'{\n  "from": {\n    "ref" 1\n')
    record = index.read_record(index.releases[1])
    assert (record.line, record.col) == (3, 11)


def test_what_the_dispute_rules_know_of_each_release(repo: MemoryRepo) -> None:
    releases = kpi_releases(_with_second(repo, b"not json"), "2.0.0")
    assert releases.complete and releases.releases == ("1.0.0", "1.1.0", "2.0.0")
    # 1.1.0 (damaged) and 2.0.0 (by hand) are unknown, never "changed nothing"
    assert releases.is_known("1.0.0") and not releases.is_known("1.1.0")
    assert set(releases.unknown) == {"1.1.0", "2.0.0"}
    assert releases.unknown["2.0.0"] == {ARR}  # the ids its tree held
    assert releases.held(CHURN) == {"1.0.0": "1.0.0"}  # 1.0.1 was in the damaged record
    assert releases.uncertain(CHURN)  # 1.1.0's tree held it: it may have had 1.0.1 there
    assert [d.version for d in releases.damaged] == ["1.1.0"]  # the one made by hand is fine


def test_an_id_no_unknown_release_held_is_certain(repo: MemoryRepo) -> None:
    releases = kpi_releases(ReleaseIndex(repo, "v"), "2.0.0")  # type: ignore[arg-type]
    assert set(releases.unknown) == {"2.0.0"} and not releases.damaged
    assert not releases.uncertain(CHURN)  # removed by 2.0.0: its tree does not hold it
    assert releases.uncertain(ARR)
    assert releases.held(CHURN) == {"1.0.0": "1.0.0", "1.0.1": "1.1.0"}


def test_a_release_without_a_plan_is_unknown_not_unchanged() -> None:
    releases = KpiReleases.from_records([("1.0.0", FIRST), ("1.1.0", None)])
    assert releases.changed == {"1.0.0": frozenset({CHURN, ARR})}
    assert releases.unknown == {"1.1.0": None}  # its tree not given: it may have touched any
    assert releases.uncertain("sales.anything")
    known = KpiReleases.from_records([("1.0.0", FIRST)])
    assert not known.uncertain(CHURN) and not known.unknown


def test_a_shallow_clone_makes_the_history_incomplete(repo: MemoryRepo,
                                                      monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(MemoryRepo, "is_shallow", lambda self: True)
    index = ReleaseIndex(repo, "v")  # type: ignore[arg-type]
    assert index.shallow and not kpi_releases(index, "2.0.0").complete


def test_the_remembered_releases_read_back_the_same(repo: MemoryRepo) -> None:
    for releases in (kpi_releases(_with_second(repo, b"[1]"), "2.0.0"),
                     KpiReleases.from_records([("1.0.0", FIRST), ("1.1.0", None)],
                                              complete=False)):
        stored = json.loads(json.dumps(_encode_releases(releases)))
        assert _decode_releases(stored) == releases


@pytest.mark.parametrize("edit", [
    lambda d: d.pop("complete"), lambda d: d.__setitem__("complete", "yes"),
    lambda d: d.__setitem__("damaged", [["1.1.0", "b" * 40, "x", "1", 1]]),
    lambda d: d.__setitem__("damaged", [["1.1.0"]]),
    lambda d: d.__setitem__("unknown", {"1.1.0": "abc"}),
])
def test_a_hand_edited_memory_is_refused(repo: MemoryRepo, edit: Any) -> None:
    stored = _encode_releases(kpi_releases(_with_second(repo, b"[1]"), "2.0.0"))
    edit(stored)
    with pytest.raises((TypeError, ValueError, KeyError)):
        _decode_releases(stored)


@pytest.mark.parametrize(("status", "version", "bump", "expected"), [
    (Status.ADDED, None, Bump.MINOR, "1.0.0"), (Status.REMOVED, "1.2.0", Bump.MAJOR, None),
    (Status.CHANGED, "1.2.3", Bump.PATCH, "1.2.4"), (Status.CHANGED, "1.2.3", Bump.MINOR, "1.3.0"),
    (Status.RESTORED, "2.0.0", Bump.MINOR, "2.1.0"), (Status.RENAMED, "1.9.0", Bump.MAJOR, "2.0.0"),
    (Status.RENAMED, None, Bump.MAJOR, "1.0.0"), (Status.CHANGED, "1.x", Bump.PATCH, None),
])
def test_the_version_a_plan_entry_implies(status: Status, version: str | None, bump: Bump,
                                          expected: str | None) -> None:
    assert expected_version(_kpi(CHURN, status, version, "?", bump)) == expected


@pytest.mark.parametrize("status", list(Status))
@pytest.mark.parametrize("bump", list(Bump))
@pytest.mark.parametrize("version", [None, "1.0.0", "2.3.9", "0.9.0"])
def test_the_implied_version_is_the_one_classify_computes(status: Status, bump: Bump,
                                                          version: str | None) -> None:
    from ontology_tools.classify.versioning import FIRST_VERSION, next_version

    entry = _kpi(CHURN, status, version, None, bump)
    computed = (next_version(version, bump) if status.continues_version
                else FIRST_VERSION if status is Status.ADDED else None)
    assert expected_version(entry) == computed


def test_every_record_this_repository_released_is_consistent() -> None:
    from ontology_tools.records import plan_from_document

    records = sorted((REPOSITORY / "changelog").glob("*.json"))
    assert records
    for path in records:
        plan = plan_from_document(json.loads(path.read_bytes()))
        assert inconsistency(plan, path.stem) is None, path.name
        assert plan_document(plan)["ontology"]["nextVersion"] == path.stem


def test_a_damaged_record_names_its_release_and_commit() -> None:
    damage = DamagedRecord("3.0.1", "f0136bffe59b" + "0" * 28, "it is not JSON (Expecting value)")
    assert damage.path == "changelog/3.0.1.json"
    assert damage.message.startswith("the record of release 3.0.1 (f0136bf) is damaged: it is "
                                     "not JSON (Expecting value); ")
    assert damage.message.count(".") <= 3  # one sentence (the dots are the version's)
