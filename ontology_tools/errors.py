"""The one kind of error a user sees: a clear sentence, exit code 1, no traceback."""

from __future__ import annotations


class OntologyError(Exception):
    """A refusal or a failure the user can act on; the message names the file, value or ref."""
