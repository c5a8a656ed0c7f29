"""SPEC 6.2: an interrupted release is finished only while HEAD and the sources are as it left
them; a rerun never overwrites a commit or an edit made after the interruption.

The defect this pins: a release killed while stamping, re-run after someone committed an edit
to a KPI it was stamping, "finished" from its journal and silently reverted that edit.
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
from tests.support.gitenv import isolated_git

RELEASE = ("release", "--commit", "--tag", "--date", scenario.SECOND_DATE)
EDIT = b"# Edited after the release was interrupted.\n"


@pytest.fixture(scope="module")
def prepared(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, int, str]:
    """A repository ready for 2.0.0, how many write steps its release takes, and the tarball
    sha256 of an uninterrupted release of it."""
    folder, home = tmp_path_factory.mktemp("resume"), tmp_path_factory.mktemp("home")
    root = folder / "base"
    scenario.prepare_second_release(root, home)
    with isolated_git(home):
        reference = folder / "reference"
        shutil.copytree(root, reference)
        result = run_cli(reference, *RELEASE)
        assert result.exit_code == 0, result.output
    steps = scenario.release_steps(reference, "2.0.0", commit=True)
    return root, steps, scenario.sha256_file(reference / "dist/ontology-2.0.0.tar.gz")


def kill_points(steps: int) -> list[int]:
    """Every step up to the tag (journal, each source, each note, commit, tag), the first
    bundle files, and the last steps before the release is complete."""
    early = list(range(1, 1 + 5 + 2 + 2 + 1))
    return sorted({*early, early[-1] + 1, steps - 3, steps - 2, steps - 1})


@pytest.fixture(scope="module")
def killed(prepared: tuple[Path, int, str],
           tmp_path_factory: pytest.TempPathFactory) -> dict[int, Path]:
    """One copy of the repository per kill point, its release SIGKILLed there."""
    base, steps, _ = prepared
    where = tmp_path_factory.mktemp("killed")
    points = kill_points(steps)
    with isolated_git(tmp_path_factory.mktemp("home")), \
            ThreadPoolExecutor(max_workers=4) as pool:
        copies = list(pool.map(
            lambda n: scenario.kill_release(base, where / f"kill-{n}", n, *RELEASE[1:]), points))
    return dict(zip(points, copies, strict=True))


def unchanged_state(root: Path) -> tuple[dict[str, bytes], str, str, str]:
    """`scenario.state` without the killed release's stale lock, which any later run may
    take over and remove."""
    files, status, head, tags = scenario.state(root)
    return {k: v for k, v in files.items() if k != LOCK_NAME}, status, head, tags


def refused(root: Path, *args: str) -> str:
    """Run the release again: it must be refused with one line, exit 1, nothing written."""
    before = unchanged_state(root)
    result = run_cli(root, *(args or RELEASE))
    assert result.exit_code == 1, result.output
    assert unchanged_state(root) == before
    lines = result.output.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("ontology: error: "), result.output
    return lines[0]


def short(root: Path, ref: str) -> str:
    return git(root, "rev-parse", ref)[:7]


def test_a_committed_edit_to_a_file_being_stamped_is_never_reverted(
        prepared: tuple[Path, int, str], killed: dict[int, Path]) -> None:
    base, _, _ = prepared
    start = short(base, "HEAD")
    for point, root in sorted(killed.items()):
        edited = (root / scenario.ARR).read_bytes() + EDIT
        (root / scenario.ARR).write_bytes(edited)
        message = refused(root)  # the edit is not committed yet
        assert scenario.ARR in message and start in message, (point, message)
        assert "--abandon" in message
        git(root, "commit", "-q", "-m", "Edit ARR after the interruption", "--", scenario.ARR)
        head = short(root, "HEAD")
        message = refused(root)
        assert f"started at commit {start} and HEAD is now {head}" in message, (point, message)
        assert scenario.ARR in message, (point, message)
        assert (root / scenario.ARR).read_bytes() == edited, point
        assert git(root, "show", f"HEAD:{scenario.ARR}").encode() + b"\n" == edited
        assert (root / JOURNAL_NAME).exists()


def test_a_commit_of_another_file_also_stops_the_rerun(
        prepared: tuple[Path, int, str], tmp_path: Path) -> None:
    base, _, _ = prepared
    root = scenario.kill_release(base, tmp_path / "other", 3, *RELEASE[1:])
    readme = root / "changelog" / "README.txt"
    readme.write_text("Not a release file.\n", encoding="utf-8")
    git(root, "add", str(readme))
    git(root, "commit", "-q", "-m", "Unrelated commit")
    message = refused(root)
    assert f"HEAD is now {short(root, 'HEAD')}" in message
    assert short(base, "HEAD") in message


def test_an_uncommitted_edit_to_a_kpi_the_release_does_not_stamp_stops_the_rerun(
        prepared: tuple[Path, int, str], tmp_path: Path) -> None:
    # the bundle is built from the sources: finishing would publish this unreleased edit
    base, _, _ = prepared
    root = scenario.kill_release(base, tmp_path / "unstamped", 4, *RELEASE[1:])
    other = next(p for p in sorted((root / "ontology").rglob("*.yaml"))
                 if p.relative_to(root).as_posix() not in (scenario.ARR, scenario.CHURN,
                                                           "ontology/ontology.yaml"))
    other.write_bytes(other.read_bytes() + EDIT)
    assert other.relative_to(root).as_posix() in refused(root)


def test_an_untouched_interruption_still_finishes_byte_identically(
        prepared: tuple[Path, int, str], killed: dict[int, Path], tmp_path: Path) -> None:
    # the guard must not refuse what it should finish: leftovers of the kill are no edit
    base, _, tarball = prepared
    for point in (2, 6, max(killed)):
        root = scenario.kill_release(base, tmp_path / f"again-{point}", point, *RELEASE[1:])
        result = run_cli(root, *RELEASE)
        assert result.exit_code == 0, (point, result.output)
        assert "finished the interrupted release of ontology 2.0.0" in result.output
        assert scenario.sha256_file(root / "dist/ontology-2.0.0.tar.gz") == tarball
        assert git(root, "status", "--porcelain", "--untracked-files=all") == ""


def test_a_rerun_with_other_options_says_the_interrupted_runs_are_used(
        prepared: tuple[Path, int, str], tmp_path: Path) -> None:
    base, _, tarball = prepared
    root = scenario.kill_release(base, tmp_path / "options", 5, *RELEASE[1:])
    other_out = tmp_path / "elsewhere"
    result = run_cli(root, "release", "--date", "2026-06-02", "--out", str(other_out))
    assert result.exit_code == 0, result.output
    notes = [line for line in result.output.splitlines() if line.startswith("ontology: note:")]
    assert len(notes) == 1, result.output
    assert "--date 2026-06-02" in notes[0] and "--tag no" in notes[0]
    assert f"--out {other_out}" in notes[0]
    assert "the interrupted run's options are used" in notes[0]
    assert "--date 2026-06-01" in notes[0] and "--tag yes" in notes[0]
    assert git(root, "tag", "-l") == "v1.0.0\nv2.0.0"  # the interrupted run's --tag
    assert scenario.sha256_file(root / "dist/ontology-2.0.0.tar.gz") == tarball
    assert not other_out.exists()


def test_a_rerun_with_the_same_options_adds_no_note(
        prepared: tuple[Path, int, str], tmp_path: Path) -> None:
    base, _, _ = prepared
    root = scenario.kill_release(base, tmp_path / "same", 5, *RELEASE[1:])
    result = run_cli(root, *RELEASE)
    assert result.exit_code == 0, result.output
    assert "note:" not in result.output


def test_dry_run_says_whether_the_pending_release_can_be_finished(
        prepared: tuple[Path, int, str], tmp_path: Path) -> None:
    base, _, _ = prepared
    root = scenario.kill_release(base, tmp_path / "dry", 4, *RELEASE[1:])
    before = unchanged_state(root)
    result = run_cli(root, "release", "--dry-run")
    assert result.exit_code == 0 and "`ontology release` finishes it" in result.output
    (root / scenario.ARR).write_bytes((root / scenario.ARR).read_bytes() + EDIT)
    result = run_cli(root, "release", "--dry-run")
    assert result.exit_code == 0 and "finishing it would overwrite" in result.output
    assert unchanged_state(root)[0] == {**before[0], scenario.ARR: (root / scenario.ARR)
                                        .read_bytes()}
