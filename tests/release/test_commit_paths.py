"""The release commit takes exactly its paths, however many and however they are named."""

from __future__ import annotations

from pathlib import Path

import pytest

from ontology_tools.errors import OntologyError
from ontology_tools.gitrepo import GitRepo
from tests.conftest import git


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    git(tmp_path, "init", "-q", "-b", "main")
    for name in ("kept.txt", "gone.txt", "other.txt"):
        (tmp_path / name).write_text("v1\n", encoding="utf-8")
    git(tmp_path, "add", "-A")
    git(tmp_path, "commit", "-q", "-m", "start")
    return tmp_path


def test_exactly_the_given_paths_are_committed(repo: Path) -> None:
    (repo / "kept.txt").write_text("v2\n", encoding="utf-8")
    (repo / "gone.txt").unlink()
    (repo / "other.txt").write_text("not part of the release\n", encoding="utf-8")
    (repo / "new [1]*.txt").write_text("a name with pathspec magic\n", encoding="utf-8")
    (repo / "new 2.txt").write_text("must not be matched by the glob above\n", encoding="utf-8")
    sha = GitRepo.open(repo).commit(["kept.txt", "gone.txt", "new [1]*.txt"], "Release")
    assert git(repo, "rev-parse", "HEAD") == sha
    changed = git(repo, "show", "--name-status", "--format=", "HEAD").splitlines()
    assert sorted(changed) == ["A\tnew [1]*.txt", "D\tgone.txt", "M\tkept.txt"]
    assert git(repo, "diff", "--name-only") == "other.txt"
    assert git(repo, "ls-files", "--others") == "new 2.txt"


def test_more_paths_than_a_command_line_holds_are_committed(repo: Path) -> None:
    # 9,000 paths of 250 characters: 2.2 MB, more than Linux's 2 MB argument limit.
    names = [f"ontology/domain_{i % 8}/{'k' * 220}_{i:05d}.yaml" for i in range(9000)]
    for name in names:
        path = repo / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text("kpi: {}\n", encoding="utf-8")
    GitRepo.open(repo).commit(names, "Release")
    assert len(git(repo, "ls-tree", "-r", "--name-only", "HEAD").splitlines()) == 9003


def test_no_paths_commits_nothing(repo: Path) -> None:
    (repo / "other.txt").write_text("v2\n", encoding="utf-8")
    with pytest.raises(OntologyError, match="no paths"):
        GitRepo.open(repo).commit([], "Release")
    assert git(repo, "rev-list", "--count", "HEAD") == "1"


def test_a_tag_message_longer_than_a_command_line_argument_is_kept_verbatim(repo: Path) -> None:
    section = "## [1.0.0] - 2026-01-05\n\n" + "".join(
        f"- `domain.kpi_{i:05d}` new at 1.0.0: {'a KPI added to the ontology ' * 3}\n"
        for i in range(3000))  # ~300 KB, more than Linux's 128 KiB for one argument
    GitRepo.open(repo).create_tag_verbatim("v1.0.0", section, "2026-01-05T00:00:00+00:00")
    assert git(repo, "tag", "-l", "--format=%(contents)", "v1.0.0") == section.strip()
