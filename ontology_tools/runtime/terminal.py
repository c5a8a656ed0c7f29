"""The standard streams as the toolkit finds them: colour, encoding, and a closed stdout.

One place decides colour (`color_wanted`); `progress.wanted` decides progress. Both look at the
stream itself, so a pipe, a file or a closed descriptor never gets escape codes.
"""

from __future__ import annotations

import errno
import io
import os
import sys
from collections.abc import Mapping
from typing import Any


def color_wanted(stream: Any = None, environ: Mapping[str, str] | None = None) -> bool:
    """Colour only on a terminal, and never when NO_COLOR is set to a non-empty value.

    https://no-color.org: "when present and not an empty string" — `NO_COLOR=` keeps colour.
    """
    stream = sys.stdout if stream is None else stream
    environ = os.environ if environ is None else environ
    if environ.get("NO_COLOR"):
        return False
    return is_terminal(stream)


def is_terminal(stream: Any) -> bool:
    """True when `stream` is an open terminal (a closed or missing stream is not)."""
    isatty = getattr(stream, "isatty", None)
    try:
        return bool(isatty and isatty())
    except (OSError, ValueError):  # a stream closed underneath us
        return False


class ClosedStdout(io.TextIOBase):
    """Stands in for a standard output the shell closed (`>&-`).

    Writing to it fails as a broken pipe does, so the command ends quietly with exit 1 the way
    click ends on a closed pipe, while a command that prints nothing keeps its exit code.
    """

    def write(self, text: str) -> int:
        """Refuse: the output has nowhere to go."""
        if not text:
            return 0
        raise BrokenPipeError(errno.EPIPE, "standard output is closed")

    def isatty(self) -> bool:
        """Never a terminal."""
        return False

    def writable(self) -> bool:
        """Writable in name, so that callers try and learn the pipe is gone."""
        return True


def prepare_streams() -> None:
    """Make the standard streams safe to print any text to.

    A terminal whose encoding cannot hold a character (`PYTHONIOENCODING=latin-1` and a `→`)
    gets a backslash escape instead of a crash; a closed stdout gets `ClosedStdout`.
    """
    if sys.stdout is None:
        sys.stdout = ClosedStdout()
    for stream in (sys.stdout, sys.stderr):
        _escape_unencodable(stream)


def _escape_unencodable(stream: Any) -> None:
    reconfigure = getattr(stream, "reconfigure", None)
    if reconfigure is None or getattr(stream, "errors", "strict") != "strict":
        return
    try:
        reconfigure(errors="backslashreplace")
    except (ValueError, OSError, io.UnsupportedOperation):  # a detached or closed stream
        return
