"""Click parameter types: a malformed value is a usage error (exit 2), worded alike everywhere.

Only the command line imports this module. Each type defers its imports to `convert`, so that
`ontology --help` stays fast; the rule-name type reads the change-rule catalog only when a
`--waive` is actually given.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import click

from ontology_tools.errors import UsageError

if TYPE_CHECKING:  # click 8.2+ types its ParamType by value; older releases are not generic
    TextParam = click.ParamType[str]
    ValueParam = click.ParamType[Any]
else:
    TextParam = ValueParam = click.ParamType


class DateType(TextParam):
    """A real calendar date written YYYY-MM-DD; converted to its ISO text."""

    name = "YYYY-MM-DD"

    def convert(self, value: Any, param: click.Parameter | None,
                ctx: click.Context | None) -> str:
        """The date as ISO text, or a usage error naming the value."""
        from ontology_tools.dates import parse_date

        try:
            return parse_date(str(value)).isoformat()
        except UsageError as problem:
            self.fail(str(problem), param, ctx)


class NameType(TextParam):
    """A domain or a slug: lower-case letters, digits and underscores, starting with a letter."""

    name = "NAME"

    def __init__(self, what: str) -> None:
        self.what = what

    def convert(self, value: Any, param: click.Parameter | None,
                ctx: click.Context | None) -> str:
        """The name unchanged, or a usage error saying what a name may hold."""
        from ontology_tools.edit.new import NAME

        text = str(value)
        if not NAME.fullmatch(text):
            self.fail(f"{self.what} {text!r} must be lower-case letters, digits and underscores, "
                      "starting with a letter", param, ctx)
        return text


class TextType(TextParam):
    """Free text that must say something: empty or blank text is a usage error."""

    name = "TEXT"

    def convert(self, value: Any, param: click.Parameter | None,
                ctx: click.Context | None) -> str:
        """The text unchanged, or a usage error when it is blank."""
        text = str(value)
        if not text.strip():
            self.fail("the text must not be empty", param, ctx)
        return text


class WaiverType(ValueParam):
    """`RULE=JUSTIFICATION` naming a rule of the change-rule catalog."""

    name = "RULE=JUSTIFICATION"

    def convert(self, value: Any, param: click.Parameter | None,
                ctx: click.Context | None) -> Any:
        """A `Waiver`, or a usage error naming the unknown rule.

        How long a justification must be is the note's rule, checked when the note is written.
        """
        from ontology_tools.classify.catalog import CHANGE_RULES
        from ontology_tools.model import Waiver

        if isinstance(value, Waiver):
            return value
        rule, sep, justification = str(value).partition("=")
        rule, justification = rule.strip(), justification.strip()
        if not sep:
            self.fail(f"{value!r}: expected RULE=JUSTIFICATION", param, ctx)
        if rule not in CHANGE_RULES:
            self.fail(f"unknown rule {rule!r} (see `ontology rules`)", param, ctx)
        return Waiver(rule, justification)


DATE = DateType()
DOMAIN = NameType("domain")
SLUG = NameType("slug")
TEXT = TextType()
WAIVER = WaiverType()
