"""SPEC 8: colour only on a terminal and never with a non-empty NO_COLOR; progress on a terminal
whatever NO_COLOR says, for validate, release, docs and verify."""

from __future__ import annotations

import io
import os
import pty
import subprocess
import sys
from pathlib import Path

import pytest

from ontology_tools.runtime.terminal import ClosedStdout, color_wanted, is_terminal
from tests.conftest import run_cli
from tests.release import scenario


class Terminal(io.StringIO):
    """A stream that says it is a terminal."""

    def isatty(self) -> bool:
        return True


@pytest.mark.parametrize(("environ", "wanted"), [
    ({}, True), ({"NO_COLOR": ""}, True), ({"NO_COLOR": "1"}, False),
    ({"NO_COLOR": "0"}, False),  # any non-empty value, even "0" (no-color.org)
])
def test_colour_on_a_terminal_unless_no_color_is_non_empty(environ: dict[str, str],
                                                           wanted: bool) -> None:
    assert color_wanted(Terminal(), environ) is wanted
    assert color_wanted(io.StringIO(), environ) is False


def test_a_closed_or_missing_stream_is_no_terminal() -> None:
    main, child = pty.openpty()
    closed = os.fdopen(child, "w")
    assert is_terminal(closed)
    closed.close()  # isatty() on a closed file raises
    os.close(main)
    assert not is_terminal(closed)
    assert not is_terminal(None)
    assert not is_terminal(ClosedStdout())


def _on_a_terminal(root: Path, env: dict[str, str], *args: str) -> str:
    """Run the command with stdout on a pseudo-terminal; return what it printed."""
    main, child = pty.openpty()
    environ = {k: v for k, v in scenario.child_env().items() if k != "NO_COLOR"}
    done = subprocess.run([sys.executable, "-m", "ontology_tools", "--root", str(root), *args],
                          stdout=child, stderr=subprocess.PIPE, env={**environ, **env},
                          timeout=120, check=False)
    os.close(child)
    chunks = []
    while True:
        try:
            chunk = os.read(main, 65536)
        except OSError:  # the terminal is drained
            break
        if not chunk:
            break
        chunks.append(chunk)
    os.close(main)
    assert done.returncode == 0, done.stderr
    return b"".join(chunks).decode("utf-8")


@pytest.fixture
def changed(mini_repo: Path) -> Path:
    scenario.second_release_ready(mini_repo)
    return mini_repo


def test_an_empty_no_color_keeps_colour_on_a_terminal(changed: Path) -> None:
    assert "\x1b[" in _on_a_terminal(changed, {"NO_COLOR": ""}, "diff")
    assert "\x1b[" in _on_a_terminal(changed, {}, "diff")
    assert "\x1b[" not in _on_a_terminal(changed, {"NO_COLOR": "1"}, "diff")


def test_release_draws_progress_while_writing(changed: Path,
                                              monkeypatch: pytest.MonkeyPatch) -> None:
    from ontology_tools.runtime import progress

    monkeypatch.setattr(progress, "wanted", lambda stream=None, environ=None: True)
    monkeypatch.setattr(progress, "DELAY_SECONDS", 0.0)
    monkeypatch.setattr(progress, "INTERVAL_SECONDS", 0.0)
    result = run_cli(changed, "release", "--date", scenario.SECOND_DATE, "--commit")
    assert result.exit_code == 0, result.output
    assert "\r writing sources 1/" in result.stderr
    assert "\r writing the bundle " in result.stderr
    assert "\r writing docs" not in result.stderr  # the bundle's pages are counted as its files
