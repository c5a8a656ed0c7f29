"""`ontology release --abandon` (SPEC 6.2): a release killed at any step is discarded, leaving
ontology/ and changelog/ byte-identical to the starting commit, and the next release succeeds.
History is never rewritten: once the release commit exists, abandoning is refused and says how
to undo it by hand.
"""

from __future__ import annotations

import shutil
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

from ontology_tools.release.journal import JOURNAL_NAME
from ontology_tools.release.lock import LOCK_NAME
from tests.conftest import git, run_cli
from tests.release import scenario

UNCOMMITTED = ("release", "--date", scenario.SECOND_DATE)
TAGGED = ("release", "--commit", "--tag", "--date", scenario.SECOND_DATE)
BUNDLE = "dist/ontology-2.0.0"
TARBALL = "dist/ontology-2.0.0.tar.gz"


@pytest.fixture(scope="module")
def prepared(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A repository ready for 2.0.0, build output git-ignored as in the project."""
    root = tmp_path_factory.mktemp("abandon") / "base"
    scenario.prepare_second_release(root, tmp_path_factory.mktemp("home"))
    return root


def reference(base: Path, where: Path, release: tuple[str, ...]) -> tuple[int, str]:
    """An uninterrupted release in a copy: its number of write steps and tarball sha256."""
    shutil.copytree(base, where)
    result = run_cli(where, *release)
    assert result.exit_code == 0, result.output
    return (scenario.release_steps(where, "2.0.0", commit="--commit" in release),
            scenario.sha256_file(where / TARBALL))


def assert_as_at_the_starting_commit(root: Path, start: str) -> None:
    """Every file of ontology/ and changelog/ holds the starting commit's bytes, no other
    file is there, git sees no change, and the journal, lock and bundle are gone."""
    assert git(root, "rev-parse", "HEAD") == start
    assert scenario.worktree_bytes(root) == scenario.committed_bytes(root)
    assert git(root, "status", "--porcelain", "--untracked-files=all", "--ignored=no") == ""
    assert not (root / JOURNAL_NAME).exists() and not (root / LOCK_NAME).exists()
    assert not (root / BUNDLE).exists() and not (root / TARBALL).exists()
    assert not [p for p in (root / "dist").iterdir() if p.name.startswith(".")]


def abandon(root: Path) -> str:
    result = run_cli(root, "release", "--abandon")
    assert result.exit_code == 0, result.output
    assert "Traceback" not in result.output
    return result.output


def test_abandon_after_a_kill_at_every_step_restores_the_starting_commit(
        prepared: Path, tmp_path: Path) -> None:
    steps, tarball = reference(prepared, tmp_path / "reference", UNCOMMITTED)
    start = git(prepared, "rev-parse", "HEAD")
    points = range(1, steps)  # after the last step the release is complete: nothing pending
    with ThreadPoolExecutor(max_workers=4) as pool:
        killed = list(pool.map(lambda n: scenario.kill_release(
            prepared, tmp_path / f"kill-{n}", n, *UNCOMMITTED[1:]), points))
    for point, root in zip(points, killed, strict=True):
        output = abandon(root)
        assert "abandoned the interrupted release of ontology 2.0.0" in output, point
        assert_as_at_the_starting_commit(root, start)
        assert "nothing to abandon" in abandon(root)  # a second abandon finds nothing
        if point % 3 and point < steps - 3:
            # the state is the starting commit's, byte for byte: releasing again from it is
            # proven at every third point and at the end, where the bundle was almost whole
            continue
        again = run_cli(root, *UNCOMMITTED)
        assert again.exit_code == 0, (point, again.output)
        assert "released ontology 2.0.0" in again.output
        assert scenario.sha256_file(root / TARBALL) == tarball, point


def test_abandon_before_the_commit_step_of_a_tagged_release(
        prepared: Path, tmp_path: Path) -> None:
    _, tarball = reference(prepared, tmp_path / "reference", TAGGED)
    start = git(prepared, "rev-parse", "HEAD")
    for point in (1, 4, 8):  # the journal; among the sources; the last note deleted
        root = scenario.kill_release(prepared, tmp_path / f"kill-{point}", point, *TAGGED[1:])
        abandon(root)
        assert_as_at_the_starting_commit(root, start)
        assert git(root, "tag", "-l") == "v1.0.0"
        assert run_cli(root, *TAGGED).exit_code == 0
        assert scenario.sha256_file(root / TARBALL) == tarball


@pytest.mark.parametrize("point", [9, 10, 12])  # after the commit; after the tag; in the bundle
def test_abandon_after_the_commit_is_refused_and_says_how_to_undo_it(
        prepared: Path, tmp_path: Path, point: int) -> None:
    start = git(prepared, "rev-parse", "HEAD")
    root = scenario.kill_release(prepared, tmp_path / "killed", point, *TAGGED[1:])
    release_commit = git(root, "rev-parse", "HEAD")
    tagged = git(root, "tag", "-l", "v2.0.0") == "v2.0.0"
    assert tagged == (point >= 10)
    before = {k: v for k, v in scenario.tree_bytes(root).items() if k != LOCK_NAME}
    result = run_cli(root, "release", "--abandon")
    assert result.exit_code == 1, result.output
    message = result.output.strip()
    assert len(message.splitlines()) == 1
    assert f"the release commit {release_commit[:7]} of 2.0.0" in message
    assert "never rewrites history" in message
    assert f"git reset --hard {start[:7]}" in message
    assert ("git tag -d v2.0.0" in message) == tagged
    assert {k: v for k, v in scenario.tree_bytes(root).items() if k != LOCK_NAME} == before
    assert git(root, "rev-parse", "HEAD") == release_commit

    # following the advice, abandoning finishes the job and the release can be made again
    git(root, "reset", "-q", "--hard", start)
    if tagged:
        git(root, "tag", "-d", "v2.0.0")
    abandon(root)
    assert_as_at_the_starting_commit(root, start)
    assert run_cli(root, *TAGGED).exit_code == 0


def test_a_file_edited_after_the_interruption_is_left_alone_and_named(
        prepared: Path, tmp_path: Path) -> None:
    root = scenario.kill_release(prepared, tmp_path / "edited", 6, *UNCOMMITTED[1:])
    arr = root / scenario.ARR
    edited = arr.read_bytes() + b"# An edit made after the interruption.\n"
    arr.write_bytes(edited)
    result = run_cli(root, "release", "--abandon")
    assert result.exit_code == 0, result.output
    assert f"{scenario.ARR} was changed after the release wrote it; left alone" in result.output
    assert arr.read_bytes() == edited
    committed = scenario.committed_bytes(root)
    on_disk = scenario.worktree_bytes(root)
    assert {k: v for k, v in on_disk.items() if k != scenario.ARR} == \
        {k: v for k, v in committed.items() if k != scenario.ARR}
    assert not (root / JOURNAL_NAME).exists()


def test_abandon_puts_back_uncommitted_bytes_a_dirty_release_started_from(
        prepared: Path, tmp_path: Path) -> None:
    root = tmp_path / "dirty"
    shutil.copytree(prepared, root)
    arr = root / scenario.ARR
    dirty = arr.read_bytes() + b"# Not committed yet.\n"
    arr.write_bytes(dirty)
    killed = scenario.run_module(root, *UNCOMMITTED, "--allow-dirty",
                                 env={"ONTOLOGY_FAULT_AFTER": "7"})
    assert killed.returncode < 0, killed.stderr
    assert arr.read_bytes() != dirty  # stamped
    abandon(root)
    assert arr.read_bytes() == dirty
    assert git(root, "diff", "--name-only") == scenario.ARR


def test_abandon_with_head_moved_restores_the_files_and_says_so(
        prepared: Path, tmp_path: Path) -> None:
    start = git(prepared, "rev-parse", "HEAD")
    root = scenario.kill_release(prepared, tmp_path / "moved", 7, *UNCOMMITTED[1:])
    git(root, "commit", "-q", "-am", "Commit everything, stamps included, by mistake")
    result = run_cli(root, "release", "--abandon")
    assert result.exit_code == 0, result.output
    assert f"HEAD moved from {start[:7]}" in result.output
    assert scenario.worktree_bytes(root) == scenario.committed_bytes(root, ref=start)


def test_nothing_pending(mini_repo: Path) -> None:
    before = scenario.state(mini_repo)
    result = run_cli(mini_repo, "release", "--abandon")
    assert result.exit_code == 0, result.output
    assert result.output == "nothing to abandon: no interrupted release is pending\n"
    assert scenario.state(mini_repo) == before


@pytest.mark.parametrize("other", [("--tag",), ("--date", "2026-06-01"), ("--dry-run",),
                                   ("--out", "elsewhere")])
def test_abandon_takes_no_other_option(mini_repo: Path, other: tuple[str, ...]) -> None:
    result = run_cli(mini_repo, "release", "--abandon", *other)
    assert result.exit_code == 2, result.output
    assert "--abandon takes no other option" in result.output


def test_abandon_waits_for_a_running_release(prepared: Path, tmp_path: Path) -> None:
    import os

    root = scenario.kill_release(prepared, tmp_path / "locked", 4, *UNCOMMITTED[1:])
    (root / LOCK_NAME).write_text(f"{os.getpid()}\n", encoding="ascii")
    result = run_cli(root, "release", "--abandon")
    assert result.exit_code == 1 and "another release is running" in result.output
    assert (root / JOURNAL_NAME).exists()
