"""GitHub Actions workflow commands (`::error file=…::message`), escaped as the runner reads them.

A value is cut at `%`, a line break, or (in a property) `:` and `,` unless escaped; an
annotation's message is shown as plain text, so nothing else needs escaping.
"""

from __future__ import annotations


def annotation(level: str, message: str, **properties: object) -> str:
    """One workflow-command line; `properties` (file, line, col, title) in the given order."""
    props = ",".join(f"{key}={escape_property(str(value))}"
                     for key, value in properties.items() if value is not None)
    return f"::{level} {props}::{escape_data(message)}\n"


def escape_data(text: str) -> str:
    """A message: `%` and line breaks escaped."""
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def escape_property(text: str) -> str:
    """A property value: also `:` and `,`."""
    return escape_data(text).replace(":", "%3A").replace(",", "%2C")
