"""The four-release repository, built once for the tests of this folder."""

from __future__ import annotations

import pytest

from tests.show.scenario import Released, build
from tests.support.gitenv import isolated_git


@pytest.fixture(scope="session")
def released(tmp_path_factory: pytest.TempPathFactory) -> Released:
    """Built once: every test here only reads it."""
    tmp = tmp_path_factory.mktemp("show")
    with isolated_git(tmp_path_factory.mktemp("home")):
        return build(tmp)
