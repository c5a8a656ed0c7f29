"""The real console script, as a shell runs it: closed stdout, a latin-1 terminal, any input."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests.release import scenario

SCRIPT = Path(sys.executable).with_name("ontology")


def _console(root: Path, *args: str, env: dict[str, str] | None = None,
             **kwargs: object) -> subprocess.CompletedProcess[bytes]:
    """Run the installed `ontology` script (or `python -m ontology_tools` without one)."""
    command = [str(SCRIPT)] if SCRIPT.exists() else [sys.executable, "-m", "ontology_tools"]
    return subprocess.run([*command, "--root", str(root), *args], capture_output=True,
                          env=scenario.child_env(env), timeout=120, check=False,
                          **kwargs)  # type: ignore[call-overload]


def _clean(stderr: bytes) -> None:
    text = stderr.decode("utf-8", "replace")
    assert "internal error" not in text
    assert "Traceback" not in text
    assert "Exception ignored" not in text


@pytest.fixture
def released(mini_repo: Path) -> Path:
    """Released once, then changed: every command has something to say."""
    scenario.second_release_ready(mini_repo)
    return mini_repo


def _closed_stdout(root: Path, *args: str) -> subprocess.CompletedProcess[bytes]:
    command = [str(SCRIPT)] if SCRIPT.exists() else [sys.executable, "-m", "ontology_tools"]
    # `>&-`: the child starts with file descriptor 1 closed
    script = 'exec "$@" >&-'
    return subprocess.run(["sh", "-c", script, "sh", *command, "--root", str(root), *args],
                          stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
                          env=scenario.child_env(), timeout=120, check=False)


@pytest.mark.parametrize("args", [("diff",), ("plan", "--format", "markdown"),
                                  ("history", "customers.logo_churn_rate"), ("rules",),
                                  ("validate", "--format", "json")])
def test_a_closed_stdout_ends_quietly_with_exit_1(released: Path, args: tuple[str, ...]) -> None:
    done = _closed_stdout(released, *args)
    assert done.returncode == 1
    _clean(done.stderr)
    assert done.stderr == b""


def test_a_closed_stdout_keeps_the_exit_code_of_a_silent_command(released: Path) -> None:
    done = _closed_stdout(released, "validate")  # prints only its summary, on stderr
    assert done.returncode == 0, done.stderr
    assert b"files valid" in done.stderr


def test_a_reader_that_goes_away_ends_quietly(released: Path) -> None:
    command = [str(SCRIPT)] if SCRIPT.exists() else [sys.executable, "-m", "ontology_tools"]
    child = subprocess.Popen([*command, "--root", str(released), "rules"],
                             stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                             env=scenario.child_env())
    assert child.stdout is not None and child.stderr is not None
    child.stdout.read(10)
    child.stdout.close()
    stderr = child.stderr.read()
    assert child.wait(timeout=120) in (0, 1)
    _clean(stderr)


@pytest.mark.parametrize("args", [("diff",), ("plan", "--format", "markdown"),
                                  ("history", "customers.logo_churn_rate"),
                                  ("history", "customers.logo_churn_rate", "--format", "markdown"),
                                  ("rules",), ("diff", "--kpi", "sales.arr", "--format", "html")])
def test_a_latin_1_terminal_gets_escapes_not_a_crash(released: Path,
                                                     args: tuple[str, ...]) -> None:
    done = _console(released, *args, env={"PYTHONIOENCODING": "latin-1"})
    assert done.returncode in (0, 1), done.stderr
    _clean(done.stderr)
    assert done.stdout, "the whole output is written, not cut at the first odd character"


def test_a_latin_1_terminal_sees_its_own_characters(released: Path) -> None:
    """Characters latin-1 holds are written as such; only the others are escaped."""
    note = released / "changelog/unreleased/churn-formula.yaml"
    note.write_text(note.read_text(encoding="utf-8").replace(
        "as the board asked.", "as the board asked (café → bistro)."), encoding="utf-8")
    done = _console(released, "plan", env={"PYTHONIOENCODING": "latin-1"})
    assert done.returncode == 0, done.stderr
    assert "(café \\u2192 bistro)" in done.stdout.decode("latin-1")


def test_an_ascii_error_message_is_escaped_too(released: Path) -> None:
    done = _console(released, "diff", "--kpi", "sales.→", env={"PYTHONIOENCODING": "ascii"})
    assert done.returncode == 2
    _clean(done.stderr)
    # click writes UTF-8 to a stream that claims ASCII; either way the id is named, no crash
    assert b"no KPI 'sales." in done.stderr


def test_a_huge_source_date_epoch_is_one_sentence(released: Path) -> None:
    done = _console(released, "release", "--dry-run", env={"SOURCE_DATE_EPOCH": "9" * 20})
    assert done.returncode == 2
    _clean(done.stderr)
    assert done.stderr.decode().count("\n") == 1
    assert b"SOURCE_DATE_EPOCH" in done.stderr


MANIFESTS = {
    "files is a number": b'{"files": 3}',
    "files is a string": b'{"files": "kpis"}',
    "files holds numbers": b'{"files": [1, 2, null]}',
    "entries of odd types": b'{"files": [{"path": 5, "size": "big", "sha256": []}]}',
    "a list": b"[1, 2]",
    "a number": b"42",
    "null": b"null",
    "not JSON": b"{files:",
    "not UTF-8": b'{"name": "\xff\xfe"}',
    "nested too deeply": b"[" * 100_000 + b"]" * 100_000,
    "empty": b"",
}


@pytest.mark.parametrize("name", list(MANIFESTS))
def test_verify_on_a_malformed_manifest_names_it(released: Path, tmp_path: Path,
                                                 name: str) -> None:
    bundle = tmp_path / "ontology-1.0.0"
    shutil.copytree(released / "dist/ontology-1.0.0", bundle)
    (bundle / "manifest.json").write_bytes(MANIFESTS[name])
    done = _console(released, "verify", str(bundle))
    assert done.returncode == 1
    _clean(done.stderr)
    lines = done.stderr.decode().splitlines()
    assert any("manifest.json" in line for line in lines), lines
    assert all(line.startswith((str(bundle), "ontology: error:")) for line in lines), lines


def test_verify_on_a_tarball_of_loose_files_names_it(tmp_path: Path, released: Path) -> None:
    import tarfile

    loose = tmp_path / "loose.tar.gz"
    (tmp_path / "manifest.json").write_text("{}", encoding="utf-8")
    with tarfile.open(loose, "w:gz") as archive:
        archive.add(tmp_path / "manifest.json", arcname="manifest.json")
    done = _console(released, "verify", str(loose))
    assert done.returncode == 1
    _clean(done.stderr)
    assert b"'manifest.json' lies outside the bundle's top folder" in done.stderr
