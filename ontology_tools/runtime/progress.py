"""A one-line progress counter on stderr, for long runs in a terminal and nowhere else.

Nothing is printed unless stderr is a terminal, CI and ONTOLOGY_QUIET are unset, and the run
has already taken a second (NO_COLOR is about colour, not progress: SPEC 8); then
`\\r validating 4,000/10,000` is redrawn at most ten times a second and wiped when the work is
done, so the output that follows starts on a clean line.
"""

from __future__ import annotations

import os
import sys
import time
from collections.abc import Callable, Mapping
from types import TracebackType
from typing import TextIO

from ontology_tools.runtime.terminal import is_terminal

QUIET_VARIABLES = ("CI", "ONTOLOGY_QUIET")
DELAY_SECONDS = 1.0
INTERVAL_SECONDS = 0.1


def wanted(stream: TextIO | None = None, environ: Mapping[str, str] | None = None) -> bool:
    """True when progress may be drawn on `stream` (stderr by default)."""
    stream = sys.stderr if stream is None else stream
    environ = os.environ if environ is None else environ
    if any(environ.get(name) for name in QUIET_VARIABLES):
        return False
    return is_terminal(stream)


class Progress:
    """Count work done out of `total`; draw it only when `wanted()` and after a second."""

    def __init__(self, label: str, total: int, *, stream: TextIO | None = None,
                 clock: Callable[[], float] = time.monotonic,
                 enabled: bool | None = None) -> None:
        self.label = label
        self.total = total
        self.done = 0
        self._stream = sys.stderr if stream is None else stream
        self._clock = clock
        self._enabled = wanted(self._stream) if enabled is None else enabled
        self._started = clock()
        self._drawn_at: float | None = None
        self._width = 0

    def advance(self, count: int = 1) -> None:
        """`count` more items are done; redraw if it is time to."""
        self.done += count
        if not self._enabled:
            return
        now = self._clock()
        if now - self._started < DELAY_SECONDS:
            return
        if self._drawn_at is not None and now - self._drawn_at < INTERVAL_SECONDS:
            return
        self._draw(now)

    def _draw(self, now: float) -> None:
        total = max(self.total, self.done)  # a total that was an estimate never reads 9/8
        line = f"\r {self.label} {self.done:,}/{total:,}"
        self._width = max(self._width, len(line))
        self._stream.write(line)
        self._stream.flush()
        self._drawn_at = now

    def close(self) -> None:
        """Wipe the line if anything was drawn."""
        if self._drawn_at is not None:
            self._stream.write("\r" + " " * self._width + "\r")
            self._stream.flush()
            self._drawn_at = None

    def __enter__(self) -> Progress:
        return self

    def __exit__(self, kind: type[BaseException] | None, error: BaseException | None,
                 trace: TracebackType | None) -> None:
        self.close()
