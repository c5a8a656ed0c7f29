"""Work over the cores: the results of one process, in order, from an inherited context."""

from __future__ import annotations

import pickle
import shutil
from collections.abc import Callable, Sequence
from pathlib import Path

import pytest

from ontology_tools.runtime import parallel
from ontology_tools.validation import cache, validate
from tests.conftest import FIXTURES


class Unpicklable:
    """A context that can only reach the workers by being inherited."""

    def __init__(self, offset: int) -> None:
        self.offset = offset

    def __reduce__(self) -> str:
        raise pickle.PicklingError("a forked worker inherits its context")


def shifted(context: Unpicklable, items: Sequence[int]) -> list[int]:
    return [item + context.offset for item in items]


def refuse_thirteen(context: Unpicklable, items: Sequence[int]) -> list[int]:
    if 13 in items:
        raise ValueError("thirteen")
    return list(items)


@pytest.fixture
def two_workers(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(parallel, "workers_available", lambda: 2)


Work = Callable[[Unpicklable, Sequence[int]], list[int]]


def run(work: Work, min_items: int) -> list[tuple[list[int], list[int]]]:
    return [(list(chunk), result) for chunk, result in parallel.ordered_chunks(
        work, range(50), Unpicklable(1000), chunk_size=3, min_items=min_items)]


@pytest.mark.usefixtures("two_workers")
def test_workers_give_the_results_of_one_process_in_order() -> None:
    in_workers = run(shifted, min_items=0)
    assert in_workers == run(shifted, min_items=10**6)
    assert [item for _, result in in_workers for item in result] == list(range(1000, 1050))


@pytest.mark.usefixtures("two_workers")
def test_a_failure_in_a_worker_reaches_the_caller() -> None:
    with pytest.raises(ValueError, match="thirteen"):
        run(refuse_thirteen, min_items=0)


def test_little_work_stays_in_this_process(monkeypatch: pytest.MonkeyPatch) -> None:
    def no_pool(*args: object) -> None:
        raise AssertionError("a pool was started for three items")

    monkeypatch.setattr(parallel, "_in_workers", no_pool)
    assert list(parallel.ordered_chunks(shifted, [1, 2, 3], Unpicklable(1), chunk_size=2,
                                        min_items=4)) == [([1, 2], [2, 3]), ([3], [4])]


@pytest.mark.usefixtures("two_workers")
def test_validation_over_the_cores_finds_what_one_process_finds(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    corpus = tmp_path / "mini"
    shutil.copytree(FIXTURES / "mini", corpus)
    (corpus / "ontology/customers/broken.yaml").write_text("kpi: [\n", encoding="utf-8")
    (corpus / "ontology/customers/bare.yaml").write_text("kpi: {}\n", encoding="utf-8")
    serial = validate(corpus, use_cache=False)
    assert {f.path for f in serial.findings} >= {"ontology/customers/broken.yaml",
                                                 "ontology/customers/bare.yaml"}
    monkeypatch.setattr(cache, "PARALLEL_MIN_FILES", 1)
    monkeypatch.setattr(cache, "CHUNK_FILES", 2)
    assert validate(corpus, use_cache=False) == serial
