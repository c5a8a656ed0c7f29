"""The release index and ref resolution, in memory: a stand-in repository, no git."""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from ontology_tools.errors import OntologyError
from ontology_tools.gitrepo import Blob, CommitInfo, blob_sha
from ontology_tools.model import kpi_path_for
from ontology_tools.project import Project
from ontology_tools.project.releases import TRAILER, ReleasedPast, ReleaseIndex
from tests.support.memory import kpi

CHURN = "customers.customers_churned"


@dataclass
class Commit:
    """One commit of the stand-in: its message and the files it holds."""

    sha: str
    message: str
    files: dict[str, bytes]
    date: str = "2026-01-01T00:00:00+00:00"


@dataclass
class MemoryRepo:
    """What the index and the resolver ask of a repository, answered from a list of commits."""

    root: Path
    commits: list[Commit] = field(default_factory=list)  # oldest first
    tag_names: dict[str, str] = field(default_factory=dict)

    def has_commits(self) -> bool:
        return bool(self.commits)

    def is_shallow(self) -> bool:
        return False

    def tracked(self, path: str) -> bool:
        return path in self.commits[-1].files

    def _commit(self, sha: str) -> Commit:
        for commit in self.commits:
            if commit.sha == sha:
                return commit
        raise OntologyError(f"git ref {sha!r} does not name a commit")

    def resolve(self, ref: str) -> str:
        return self.tag_names.get(ref) or self._commit(ref).sha

    def info(self, ref: str) -> CommitInfo:
        commit = self._commit(self.resolve(ref))
        return CommitInfo(commit.sha, "Ada", "ada@example.com", commit.date, commit.message)

    def commits_with_trailer(self, key: str) -> Iterator[tuple[CommitInfo, str]]:
        for commit in reversed(self.commits):
            for line in commit.message.splitlines():
                if line.startswith(f"{key}:"):
                    yield self.info(commit.sha), line.partition(":")[2].strip()

    def tags(self) -> dict[str, str]:
        return dict(self.tag_names)

    def read(self, ref: str, path: str) -> bytes | None:
        return self._commit(self.resolve(ref)).files.get(path)

    def blobs(self, ref: str, folder: str) -> dict[str, Blob]:
        files = self._commit(self.resolve(ref)).files
        return {path: Blob(path, blob_sha(data), lambda data=data: data)
                for path, data in files.items() if path.startswith(folder + "/")}


def _files(version: str, date: str, kpis: dict[str, str]) -> dict[str, bytes]:
    """A released tree: ontology.yaml stamped with `version`, KPI files at their versions."""
    files = {"ontology/ontology.yaml":
             f"name: Memory\nversion: {version}\nreleasedAt: {date}\n".encode()}
    for rogue_id, kpi_version in kpis.items():
        document = {"version": kpi_version, "releasedAt": date, "kpi": kpi(rogue_id)}
        files[kpi_path_for(rogue_id)] = json.dumps(document).encode()
    return files


@pytest.fixture
def repo(tmp_path: Path) -> MemoryRepo:
    """1.0.0 by trailer and tag, 1.1.0 by tag only, 2.0.0 by trailer only (CHURN removed)."""
    memory = MemoryRepo(tmp_path)
    memory.commits = [
        Commit("a" * 40, f"Release ontology 1.0.0\n\n{TRAILER}: 1.0.0",
               _files("1.0.0", "2026-05-01", {CHURN: "1.0.0", "sales.arr": "1.0.0"})),
        Commit("b" * 40, "Released by hand",
               _files("1.1.0", "2026-06-01", {CHURN: "1.1.0", "sales.arr": "1.0.0"})),
        Commit("c" * 40, "An edit", _files("1.1.0", "2026-06-01", {"sales.arr": "1.0.0"})),
        Commit("d" * 40, f"Release ontology 2.0.0\n\n{TRAILER}: 2.0.0",
               _files("2.0.0", "2026-07-01", {"sales.arr": "1.0.0"})),
    ]
    memory.tag_names = {"v1.0.0": "a" * 40, "v1.1.0": "b" * 40, "not-a-release": "c" * 40,
                        "v2.0.0-rc.1": "c" * 40}
    return memory


def _project(repo: MemoryRepo, version: str = "2.0.0") -> Project:
    project = Project(repo.root)
    project.__dict__.update(repo=repo, loaded_config=({"version": version, "tagPrefix": "v"},
                                                      None))
    return project


def test_tags_and_trailers_are_one_list_by_version(repo: MemoryRepo) -> None:
    index = ReleaseIndex(repo, "v")  # type: ignore[arg-type]
    assert [(r.version, r.tag, r.commit[0], r.released_at) for r in index.releases] == [
        ("1.0.0", "v1.0.0", "a", "2026-05-01"), ("1.1.0", "v1.1.0", "b", "2026-06-01"),
        ("2.0.0", None, "d", "2026-07-01")]
    assert index.latest() is index.get("2.0.0")
    assert index.named("v1.1.0") is index.get("1.1.0")
    assert index.get("1.1.0").label == "1.1.0 (bbbbbbb)"  # type: ignore[union-attr]


def test_the_release_in_force_on_a_date(repo: MemoryRepo) -> None:
    index = ReleaseIndex(repo, "v")  # type: ignore[arg-type]
    assert index.in_force_on("2026-04-30") is None
    assert index.in_force_on("2026-05-01").version == "1.0.0"  # type: ignore[union-attr]
    assert index.in_force_on("2026-06-30").version == "1.1.0"  # type: ignore[union-attr]
    assert index.in_force_on("2030-01-01").version == "2.0.0"  # type: ignore[union-attr]


def test_every_id_that_ever_existed(repo: MemoryRepo) -> None:
    assert ReleaseIndex(repo, "v").past_ids == {CHURN, "sales.arr"}  # type: ignore[arg-type]


@pytest.mark.parametrize(("spec", "label"), [
    ("1.0.0", "v1.0.0"), ("v1.1.0", "v1.1.0"), ("2.0.0", "2.0.0"), ("d" * 40, "2.0.0"),
    ("c" * 40, "c" * 40),
])
def test_refs_name_releases_by_version(repo: MemoryRepo, spec: str, label: str) -> None:
    snapshot = _project(repo).snapshot(spec)
    assert snapshot.ref == label


def test_an_unknown_ref_is_one_sentence(repo: MemoryRepo) -> None:
    with pytest.raises(OntologyError, match=r"'9\.9\.9' does not name a commit"):
        _project(repo).snapshot("9.9.9")


def test_the_baseline_is_the_release_of_the_configured_version(repo: MemoryRepo) -> None:
    assert _project(repo).baseline.version == "2.0.0"
    missing = _project(repo, "3.0.0").baseline
    assert missing.release is None and missing.missing is not None
    assert "edited by hand" in missing.missing and missing.version_edited


def test_a_removed_id_remembers_its_last_version_and_content(repo: MemoryRepo) -> None:
    project = _project(repo)
    past = ReleasedPast(project.releases, project.baseline.snapshot, "2.0.0")
    assert CHURN in past and "sales.arr" not in past  # the baseline still holds sales.arr
    assert past[CHURN].version == "1.1.0"
    assert past[CHURN].content["rogueId"] == CHURN
    before = ReleasedPast(project.releases, project.snapshot("1.0.0"), "1.0.0")
    assert CHURN not in before  # releases after the baseline are not its past
