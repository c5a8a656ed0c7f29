"""SPEC 6.2's preflight: a release that cannot be completed is refused before it writes a byte.

The defects this pins: with a read-only ontology/ or `dist` being a file, a release wrote half
its files and then failed naming a temporary file; `--out ontology/sales` and `docs --out .`
put build output among the sources; an invalid tagPrefix passed validate, the release committed
and then failed at tagging, and every rerun failed the same way.
"""

from __future__ import annotations

import contextlib
import errno
import os
import shutil
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest

from ontology_tools.errors import OntologyError
from ontology_tools.refformat import tag_name_problem
from ontology_tools.release.journal import JOURNAL_NAME, Journal
from ontology_tools.release.preflight import preflight
from tests.conftest import git, run_cli
from tests.release import scenario

RELEASE = ("release", "--tag", "--date", scenario.SECOND_DATE)


@pytest.fixture
def ready(mini_repo: Path) -> Path:
    """A repository with a committed change waiting for release 2.0.0."""
    scenario.second_release_ready(mini_repo)
    return mini_repo


@contextlib.contextmanager
def read_only(path: Path) -> Iterator[None]:
    """Make a file or folder unwritable for this process, even for root (which ignores mode
    bits: the immutable attribute stops root too); skip where neither works."""
    if os.geteuid() == 0:
        if shutil.which("chattr") is None or subprocess.run(
                ["chattr", "+i", str(path)], capture_output=True, check=False).returncode:
            pytest.skip("running as root without chattr: cannot make a path read-only")
        undo = ["chattr", "-i", str(path)]
    else:
        mode = path.stat().st_mode
        path.chmod(mode & ~0o222)
        undo = ["chmod", oct(mode & 0o7777)[2:], str(path)]
    try:
        probe = (path if path.is_dir() else path.parent) / ".probe"
        with contextlib.suppress(OSError):
            if path.is_dir():
                probe.write_text("x", encoding="utf-8")
                probe.unlink()
                pytest.skip(f"{path} is still writable")
        yield
    finally:
        subprocess.run(undo, check=True)


def refused(root: Path, *args: str, code: int = 1) -> str:
    before = scenario.state(root)
    result = run_cli(root, *(args or RELEASE))
    assert result.exit_code == code, result.output
    assert scenario.state(root) == before
    assert not (root / JOURNAL_NAME).exists()
    lines = result.output.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("ontology: error: "), result.output
    assert ".tmp" not in lines[0]
    return lines[0]


@pytest.mark.parametrize("folder", ["ontology", "ontology/sales", "changelog",
                                    "changelog/unreleased"])
def test_a_read_only_source_folder_is_refused_up_front(ready: Path, folder: str) -> None:
    with read_only(ready / folder):
        message = refused(ready)
    assert f"{folder}/ is a read-only folder" in message and "nothing was written" in message


def test_a_read_only_kpi_file_is_refused_up_front(ready: Path) -> None:
    with read_only(ready / scenario.ARR):
        message = refused(ready)
    assert f"{scenario.ARR} is read-only" in message


def test_dist_being_a_file_is_refused_up_front(ready: Path) -> None:
    shutil.rmtree(ready / "dist")
    (ready / "dist").write_text("not a folder\n", encoding="utf-8")
    assert "dist is a file, not a folder" in refused(ready)


def test_a_read_only_dist_is_refused_up_front(ready: Path) -> None:
    with read_only(ready / "dist"):
        assert "dist/ is a read-only folder" in refused(ready)


def test_the_bundle_folder_being_a_file_is_refused(ready: Path) -> None:
    (ready / "dist/ontology-2.0.0").write_text("in the way\n", encoding="utf-8")
    message = refused(ready)
    assert "dist/ontology-2.0.0" in message


@pytest.mark.parametrize("out", ["ontology/sales", "ontology", ".", "changelog", "schemas/x",
                                 ".git"])
def test_an_out_among_the_sources_is_a_usage_error(ready: Path, out: str) -> None:
    message = refused(ready, *RELEASE, "--out", str(ready / out), code=2)
    assert f"--out {ready / out}" in message
    assert "repository root" in message or "holds the repository's sources" in message


def test_an_out_linked_into_the_sources_is_refused(ready: Path, tmp_path: Path) -> None:
    link = tmp_path / "looks-harmless"
    link.symlink_to(ready / "ontology" / "sales")
    assert "inside ontology/" in refused(ready, *RELEASE, "--out", str(link), code=2)


def test_an_out_below_a_file_is_refused(ready: Path, tmp_path: Path) -> None:
    (tmp_path / "plain").write_text("x\n", encoding="utf-8")
    message = refused(ready, *RELEASE, "--out", str(tmp_path / "plain" / "bundles"), code=2)
    assert f"{tmp_path / 'plain'} is a file" in message


def test_an_out_elsewhere_is_fine(ready: Path, tmp_path: Path) -> None:
    result = run_cli(ready, *RELEASE, "--out", str(tmp_path / "new" / "bundles"))
    assert result.exit_code == 0, result.output
    assert (tmp_path / "new/bundles/ontology-2.0.0.tar.gz").is_file()


@pytest.mark.parametrize("out", ["ontology", ".", "changelog/site", "schemas"])
def test_docs_out_among_the_sources_is_a_usage_error(mini: Path, out: str) -> None:
    before = scenario.tree_bytes(mini)
    result = run_cli(mini, "docs", "--out", str(mini / out))
    assert result.exit_code == 2, result.output
    assert result.output.startswith(f"ontology: error: --out {mini / out} ")
    assert scenario.tree_bytes(mini) == before


def test_docs_help_documents_the_out_rule() -> None:
    from click.testing import CliRunner

    from ontology_tools.cli import main

    for command in ("docs", "release"):
        text = " ".join(CliRunner().invoke(main, [command, "--help"]).output.split())
        assert "outside ontology/, changelog/ and schemas/, not the repository root " \
               "(else exit 2)" in text, command


def test_an_invalid_tag_prefix_is_refused_before_anything_is_written(ready: Path) -> None:
    # the defect: the release committed, then `git tag` failed, and every rerun failed so
    config = ready / "ontology/ontology.yaml"
    config.write_text(config.read_text("utf-8").replace("tagPrefix: v\n",
                                                        "tagPrefix: release..v\n"), "utf-8")
    git(ready, "commit", "-q", "-am", "A tag prefix git refuses")
    message = refused(ready)
    assert "tag-prefix-invalid" in message and "ontology/ontology.yaml:7:12" in message
    assert refused(ready, "release", "--dry-run", "--date", scenario.SECOND_DATE)


def test_the_preflight_itself_refuses_a_bad_tag_name(tmp_path: Path) -> None:
    # validate reports a bad tagPrefix first; the preflight holds on its own (a resumed
    # release's journal is checked by it too)
    journal = Journal("2.0.0", scenario.SECOND_DATE, "1.0.0", None, "v..2.0.0", True, True,
                      str(tmp_path / "dist"))
    with pytest.raises(OntologyError, match=r"'v\.\.2\.0\.0' is not a valid git tag name"):
        preflight(tmp_path, journal)
    assert tag_name_problem("v2.0.0") is None
    preflight(tmp_path, Journal("2.0.0", scenario.SECOND_DATE, "1.0.0", None, "v2.0.0", True,
                                True, str(tmp_path / "dist")))
    assert list(tmp_path.iterdir()) == []  # a preflight writes nothing


def test_a_failure_mid_release_names_the_real_file_and_the_way_out(
        ready: Path, monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    reference = tmp_path / "reference"
    shutil.copytree(ready, reference)
    assert run_cli(reference, *RELEASE).exit_code == 0
    target = str(ready / scenario.ARR)
    real_replace = os.replace

    def disk_full_for_arr(source: str | os.PathLike[str], destination: str | os.PathLike[str]
                          ) -> None:
        if os.fspath(destination) == target:
            raise OSError(errno.ENOSPC, "No space left on device", os.fspath(source))
        real_replace(source, destination)

    monkeypatch.setattr(os, "replace", disk_full_for_arr)
    result = run_cli(ready, *RELEASE)
    assert result.exit_code == 1, result.output
    message = result.output.strip()
    assert message == (f"ontology: error: could not write {scenario.ARR} (No space left on "
                       "device); the release of 2.0.0 is pending: run `ontology release` again "
                       "to finish it, or `ontology release --abandon` to discard it")
    assert not [p for p in (ready / "ontology/sales").iterdir() if p.name.endswith(".tmp")]
    monkeypatch.setattr(os, "replace", real_replace)
    again = run_cli(ready, *RELEASE)
    assert again.exit_code == 0, again.output
    assert scenario.sha256_file(ready / "dist/ontology-2.0.0.tar.gz") == \
        scenario.sha256_file(reference / "dist/ontology-2.0.0.tar.gz")
