"""Shared fixtures: the shipped repository, a small valid ontology, a CLI runner, git projects."""

from __future__ import annotations

import os
import shutil
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner, Result
from hypothesis import settings

from ontology_tools.cli import main
from tests.support.gitenv import GIT_ENV, isolate_git

# These machines are shared and noisy: a property test fails on what it finds, never on time.
settings.register_profile("shared-machine", deadline=None)
settings.load_profile("shared-machine")

REPO = Path(__file__).resolve().parents[1]
FIXTURES = REPO / "tests" / "fixtures"


@pytest.fixture(autouse=True)
def _isolated_git(monkeypatch: pytest.MonkeyPatch,
                  tmp_path_factory: pytest.TempPathFactory) -> None:
    """Every test runs git with a fixed identity and no user or system configuration."""
    isolate_git(monkeypatch, tmp_path_factory.mktemp("home"))


@pytest.fixture
def mini(tmp_path: Path) -> Path:
    """A copy of tests/fixtures/mini: a small, valid, never-released ontology."""
    root = tmp_path / "mini"
    shutil.copytree(FIXTURES / "mini", root)
    return root


def git(root: Path, *args: str) -> str:
    """Run git in `root` and return its standard output."""
    result = subprocess.run(["git", *args], cwd=root, check=True, capture_output=True, text=True,
                            env={**os.environ, **GIT_ENV})
    return result.stdout.strip()


@pytest.fixture
def mini_repo(mini: Path) -> Path:
    """The mini ontology as a git repository with one commit on main."""
    git(mini, "init", "-q", "-b", "main")
    git(mini, "add", "-A")
    git(mini, "commit", "-q", "-m", "Initial ontology")
    return mini


def run_cli(root: Path, *args: str, env: dict[str, str] | None = None) -> Result:
    """Invoke `ontology --root ROOT ARGS...` in-process, as a user would type it."""
    return CliRunner().invoke(main, ["--root", str(root), *args], env=env, catch_exceptions=False)


@pytest.fixture
def cli() -> Iterator[type]:
    """The in-process CLI runner, as `cli.run(root, *args)`."""

    class Cli:
        run = staticmethod(run_cli)

    yield Cli
