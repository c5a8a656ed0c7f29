"""Progress is drawn on a terminal after a second, never anywhere else."""

from __future__ import annotations

import io
import os
import subprocess
import sys
from pathlib import Path

import pytest

from ontology_tools.runtime.progress import Progress, wanted


class Terminal(io.StringIO):
    """A stream that says it is a terminal."""

    def isatty(self) -> bool:
        return True


class Clock:
    """A clock that moves only when told."""

    def __init__(self) -> None:
        self.now = 0.0

    def __call__(self) -> float:
        return self.now


def run(stream: io.StringIO, steps: int, seconds_per_step: float, **kwargs: bool) -> str:
    """Advance a Progress `steps` times on a fake clock; return what it wrote."""
    clock = Clock()
    with Progress("validating", steps, stream=stream, clock=clock, **kwargs) as progress:
        for _ in range(steps):
            clock.now += seconds_per_step
            progress.advance()
    return stream.getvalue()


def test_nothing_when_the_stream_is_not_a_terminal() -> None:
    assert run(io.StringIO(), 100, 0.5) == ""


def test_nothing_in_the_first_second() -> None:
    assert run(Terminal(), 50, 0.01, enabled=True) == ""


def test_a_long_run_on_a_terminal_is_drawn_at_most_ten_times_a_second() -> None:
    written = run(Terminal(), 4000, 0.001, enabled=True)
    assert "\r validating 1,0" in written
    assert written.count("\r validating") <= 31  # 3 s of drawing at 10 a second, plus one
    assert written.endswith("\r"), "the line is wiped at the end"


@pytest.mark.parametrize("variable", ["CI", "ONTOLOGY_QUIET"])
def test_quiet_variables_turn_it_off(variable: str) -> None:
    assert not wanted(Terminal(), {variable: "1"})
    assert wanted(Terminal(), {})


def test_no_color_leaves_progress_on() -> None:
    """SPEC 8: a progress bar on a terminal whatever NO_COLOR says (NO_COLOR is about colour)."""
    assert wanted(Terminal(), {"NO_COLOR": "1"})
    assert wanted(Terminal(), {"NO_COLOR": ""})


def test_validate_prints_only_its_summary_on_a_pipe(mini: Path) -> None:
    env = {key: value for key, value in os.environ.items() if key not in ("NO_COLOR", "CI")}
    done = subprocess.run([sys.executable, "-m", "ontology_tools", "--root", str(mini),
                           "validate", "--no-cache"], capture_output=True, text=True, env=env,
                          timeout=120)
    assert done.returncode == 0
    assert done.stderr == "8 files valid\n"
