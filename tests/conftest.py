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

# These machines are shared and noisy: a property test fails on what it finds, never on time.
settings.register_profile("shared-machine", deadline=None)
settings.load_profile("shared-machine")

REPO = Path(__file__).resolve().parents[1]
FIXTURES = REPO / "tests" / "fixtures"

GIT_ENV = {
    "GIT_AUTHOR_NAME": "Ada Editor", "GIT_AUTHOR_EMAIL": "ada@example.com",
    "GIT_COMMITTER_NAME": "Ada Editor", "GIT_COMMITTER_EMAIL": "ada@example.com",
    "GIT_CONFIG_NOSYSTEM": "1",
}


@pytest.fixture(autouse=True)
def _isolated_git(monkeypatch: pytest.MonkeyPatch,
                  tmp_path_factory: pytest.TempPathFactory) -> None:
    """Every test runs git with a fixed identity and no user or system configuration."""
    home = tmp_path_factory.mktemp("home")
    monkeypatch.setenv("HOME", str(home))
    monkeypatch.setenv("XDG_CONFIG_HOME", str(home))
    monkeypatch.delenv("SOURCE_DATE_EPOCH", raising=False)
    monkeypatch.setenv("NO_COLOR", "1")
    for key, value in GIT_ENV.items():
        monkeypatch.setenv(key, value)


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
