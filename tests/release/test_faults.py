"""A release killed at any step, then run again, ends exactly like an uninterrupted one.

Each kill uses the `ONTOLOGY_FAULT_AFTER=N` hook: the release SIGKILLs itself after its N-th
write step (journal, each source file, each note deletion, commit, tag, each bundle file,
tarball, journal removal). Two releases started together end like one.
"""

from __future__ import annotations

import json
import shutil
import signal
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

import pytest

from ontology_tools import yamlio
from ontology_tools.release.faults import FAULT_VARIABLE
from ontology_tools.release.journal import JOURNAL_NAME
from ontology_tools.release.lock import LOCK_NAME
from tests.conftest import git, run_cli
from tests.release import scenario

RELEASE = ("release", "--commit", "--tag", "--date", scenario.SECOND_DATE)
TARBALL = "dist/ontology-2.0.0.tar.gz"
KILL_POINTS = 10


@dataclass(frozen=True)
class Ending:
    """What a finished release leaves: the git tree and commit, the tag, the tarball."""

    tree: str
    head: str
    tag: str
    tarball: str


def ending(root: Path) -> Ending:
    """The ending of the release in `root`; no journal or lock may remain."""
    assert not (root / JOURNAL_NAME).exists() and not (root / LOCK_NAME).exists()
    return Ending(git(root, "rev-parse", "HEAD^{tree}"), git(root, "rev-parse", "HEAD"),
                  git(root, "rev-parse", "v2.0.0"), scenario.sha256_file(root / TARBALL))


@pytest.fixture
def base(mini_repo: Path) -> Path:
    """A repository ready for release 2.0.0 (a formula change and a tier promotion)."""
    scenario.second_release_ready(mini_repo)
    return mini_repo


@pytest.fixture
def reference(base: Path, tmp_path: Path) -> tuple[Ending, int]:
    """An uninterrupted release in a copy, and how many write steps it took."""
    copy = tmp_path / "reference"
    shutil.copytree(base, copy)
    result = run_cli(copy, *RELEASE)
    assert result.exit_code == 0, result.output
    manifest = json.loads((copy / "dist/ontology-2.0.0/manifest.json").read_text("utf-8"))
    sources = 5  # two stamped KPIs, ontology.yaml, CHANGELOG.md, changelog/2.0.0.json
    notes = 2
    steps = 1 + sources + notes + 2 + len(manifest["files"]) + 1 + 1 + 1
    return ending(copy), steps


def assert_sources_parse(root: Path) -> None:
    """Every YAML and JSON source file is whole (old or new, never half-written)."""
    for path in sorted((root / "ontology").rglob("*.yaml")):
        yamlio.load_fast(path.read_bytes())
    for path in sorted((root / "changelog").rglob("*.yaml")):
        yamlio.load_fast(path.read_bytes())
    for path in sorted((root / "changelog").glob("*.json")):
        json.loads(path.read_bytes())


def kill(base: Path, where: Path, step: int) -> Path:
    """A copy of `base` whose release was SIGKILLed after `step` write steps."""
    shutil.copytree(base, where)
    killed = scenario.run_module(where, *RELEASE, env={FAULT_VARIABLE: str(step)})
    assert killed.returncode == -signal.SIGKILL, (step, killed.stdout, killed.stderr)
    return where


def finish(where: Path) -> Ending:
    """Run the release again after a kill: it must finish and leave no journal or lock."""
    again = run_cli(where, *RELEASE)
    assert again.exit_code == 0, again.output
    return ending(where)


def test_killed_anywhere_then_rerun_gives_the_same_release(
        base: Path, reference: tuple[Ending, int], tmp_path: Path) -> None:
    expected, steps = reference
    points = sorted({max(1, round(i * steps / KILL_POINTS)) for i in range(1, KILL_POINTS + 1)})
    assert len(points) >= 10 and points[-1] == steps
    with ThreadPoolExecutor(max_workers=4) as pool:  # the kills run as child processes
        killed = list(pool.map(lambda n: kill(base, tmp_path / f"kill-{n}", n), points))
    for point, where in zip(points, killed, strict=True):
        assert_sources_parse(where)
        assert finish(where) == expected, point


def test_two_releases_at_once_end_like_one(base: Path, reference: tuple[Ending, int]) -> None:
    expected, _ = reference
    command = [sys.executable, "-m", "ontology_tools", "--root", str(base), *RELEASE]
    children = [subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                                 text=True, env=scenario.child_env()) for _ in range(2)]
    outputs = [(child.wait(timeout=120), *child.communicate()) for child in children]
    released = [out for out in outputs if out[0] == 0 and "released ontology 2.0.0" in out[1]]
    assert len(released) == 1, outputs
    other = next(out for out in outputs if out is not released[0])
    assert (other[0] == 1 and "another release is running" in other[2]) or \
        (other[0] == 0 and "nothing to release" in other[1]), other
    assert ending(base) == expected
