"""The git every test runs: a fixed identity and no user or system configuration.

The autouse fixture of `tests/conftest.py` applies it to each test; a module-scoped fixture,
set up before any function-scoped one, applies it itself with `isolated_git`.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from pathlib import Path

import pytest

GIT_ENV = {
    "GIT_AUTHOR_NAME": "Ada Editor", "GIT_AUTHOR_EMAIL": "ada@example.com",
    "GIT_COMMITTER_NAME": "Ada Editor", "GIT_COMMITTER_EMAIL": "ada@example.com",
    "GIT_CONFIG_NOSYSTEM": "1",
}


def isolate_git(patch: pytest.MonkeyPatch, home: Path) -> None:
    """Through `patch`: git's identity fixed, `home` as the only configuration folder (empty),
    no SOURCE_DATE_EPOCH and no colour, for the toolkit's own git calls too."""
    patch.setenv("HOME", str(home))
    patch.setenv("XDG_CONFIG_HOME", str(home))
    patch.delenv("SOURCE_DATE_EPOCH", raising=False)
    patch.setenv("NO_COLOR", "1")
    for key, value in GIT_ENV.items():
        patch.setenv(key, value)


@contextlib.contextmanager
def isolated_git(home: Path) -> Iterator[None]:
    """`isolate_git` for the duration of a block, such as a module-scoped fixture's build."""
    with pytest.MonkeyPatch.context() as patch:
        isolate_git(patch, home)
        yield
