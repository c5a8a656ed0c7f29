"""A consumer verifies a bundle they downloaded, outside any repository."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from ontology_tools.cli import main
from tests.release.scenario import first_release


def test_verify_needs_no_repository(mini_repo: Path, tmp_path: Path,
                                    monkeypatch: pytest.MonkeyPatch) -> None:
    first_release(mini_repo)
    downloads = tmp_path / "downloads"
    downloads.mkdir()
    tarball = shutil.copy(mini_repo / "dist/ontology-1.0.0.tar.gz", downloads)
    monkeypatch.chdir(downloads)
    result = CliRunner().invoke(main, ["verify", str(tarball)])
    assert result.exit_code == 0, result.output
    assert "files match the manifest" in result.stdout
