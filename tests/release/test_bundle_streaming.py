"""The streamed bundle: the same bytes over the cores as in one process; the folder's safety."""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from typing import Any

import pytest

from ontology_tools.release import bundle, prepare
from ontology_tools.release.bundle import (
    kpi_release_document,
    ontology_header,
    ontology_json,
    read_released,
    to_json,
)
from ontology_tools.release.folder import BundleFolder
from ontology_tools.runtime import parallel
from ontology_tools.runtime.atomic import remove_leftovers
from tests.release import scenario

BUNDLE = "dist/ontology-2.0.0"
TARBALL = f"{BUNDLE}.tar.gz"


def release_copy(base: Path, where: Path) -> Path:
    shutil.copytree(base, where)
    scenario.second_release_ready(where)
    result = scenario.run_cli(where, "release", "--tag", "--date", scenario.SECOND_DATE)
    assert result.exit_code == 0, result.output
    return where


def test_stamping_and_rendering_over_the_cores_give_the_bytes_of_one_process(
        mini_repo: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    for variable in ("GIT_AUTHOR_DATE", "GIT_COMMITTER_DATE"):  # the same source commit each time
        monkeypatch.setenv(variable, "2026-05-30T12:00:00+00:00")
    alone = release_copy(mini_repo, tmp_path / "alone")
    monkeypatch.setattr(bundle, "PARALLEL_MIN_KPIS", 1)
    monkeypatch.setattr(bundle, "KPI_CHUNK", 2)  # several chunks, several segments
    monkeypatch.setattr(prepare, "PARALLEL_MIN_STAMPS", 1)  # the stamps over the cores too
    monkeypatch.setattr(prepare, "STAMP_CHUNK", 1)
    monkeypatch.setattr(parallel, "workers_available", lambda: 2)
    pools: list[int] = []
    in_workers = parallel._in_workers

    def counted(*args: Any) -> Any:
        pools.append(len(args[1]))
        return in_workers(*args)

    monkeypatch.setattr(parallel, "_in_workers", counted)
    spread = release_copy(mini_repo, tmp_path / "spread")
    assert pools and max(pools) > 1, pools  # the KPI files were rendered in worker processes
    assert scenario.tree_bytes(spread / BUNDLE) == scenario.tree_bytes(alone / BUNDLE)
    chunked = scenario.sha256_file(spread / TARBALL)
    monkeypatch.setattr(bundle, "PARALLEL_MIN_KPIS", 10**6)
    serial_chunked = release_copy(mini_repo, tmp_path / "serial-chunked")
    assert scenario.sha256_file(serial_chunked / TARBALL) == chunked
    verified = scenario.run_cli(spread, "verify", str(spread / TARBALL))
    assert verified.exit_code == 0, verified.output


def test_ontology_json_is_the_whole_document_encoded_at_once(mini_repo: Path) -> None:
    scenario.first_release(mini_repo)
    released = read_released(mini_repo)
    stages = list(released.settings.vocabulary.stages)
    whole = {**ontology_header(released), "kpis": [
        kpi_release_document(item.kpi, item.version, item.released_at, stages)
        for _, item in sorted(released.kpis.items())]}
    written = (mini_repo / "dist/ontology-1.0.0/ontology.json").read_bytes()
    assert written == to_json(whole)
    assert json.loads(ontology_json(released, []))["kpis"] == []


def test_an_old_manifest_goes_before_any_file_is_replaced(tmp_path: Path) -> None:
    folder = tmp_path / "ontology-2.0.0"
    (folder / "kpis").mkdir(parents=True)
    (folder / "manifest.json").write_text("{}")
    (folder / "kpis/old.json").write_text("stale")
    (folder / "kept.txt").write_text("same")
    writer = BundleFolder(folder, "manifest.json")
    assert not (folder / "manifest.json").exists()
    writer.store("kept.txt", b"same")
    writer.store("kpis/new.json", b"{}")
    writer.store("manifest.json", b'{"files": []}\n')
    assert not (folder / "manifest.json").exists()  # held back until the folder is complete
    writer.complete({"kept.txt", "kpis/new.json"})
    assert scenario.tree_bytes(folder) == {"kept.txt": b"same", "kpis/new.json": b"{}",
                                           "manifest.json": b'{"files": []}\n'}


def test_a_bundle_file_is_replaced_by_a_rename_never_rewritten_in_place(tmp_path: Path) -> None:
    folder = tmp_path / "ontology-2.0.0"
    (folder / "kpis").mkdir(parents=True)
    old = folder / "kpis" / "arr.json"
    old.write_text("old", encoding="utf-8")
    inode = old.stat().st_ino
    held_open = old.open("rb")  # keeps the old inode alive, so its number cannot be reused
    BundleFolder(folder, "manifest.json").store("kpis/arr.json", b"new")
    assert old.read_bytes() == b"new" and old.stat().st_ino != inode
    assert held_open.read() == b"old"
    held_open.close()
    assert sorted(p.name for p in (folder / "kpis").iterdir()) == ["arr.json"]


def test_completing_without_a_manifest_is_a_bug(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="no manifest"):
        BundleFolder(tmp_path / "b", "manifest.json").complete(set())


def test_leftovers_of_interrupted_writes_are_swept_and_nothing_else(tmp_path: Path) -> None:
    for name in (".arr.yaml.k2j4h5g6.tmp", ".churn.yaml.abc.tmp", "arr.yaml", ".notes.tmp",
                 ".arr.yaml.backup"):
        (tmp_path / name).write_text("x", encoding="utf-8")
    remove_leftovers(tmp_path, {"arr.yaml", "nps.yaml"})
    assert sorted(p.name for p in tmp_path.iterdir()) == [
        ".arr.yaml.backup", ".churn.yaml.abc.tmp", ".notes.tmp", "arr.yaml"]
