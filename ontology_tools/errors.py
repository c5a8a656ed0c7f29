"""The one kind of error a user sees: a clear sentence, exit code 1, no traceback."""

from __future__ import annotations


class OntologyError(Exception):
    """A refusal or a failure the user can act on; the message names the file, value or ref."""

    exit_code = 1


class UsageError(OntologyError):
    """A malformed value the user typed (an option, an argument, an environment variable).

    Reported like any OntologyError, but with exit code 2 (SPEC 8).
    """

    exit_code = 2
