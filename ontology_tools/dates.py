"""Calendar dates as users type them: one parser for every option and for SOURCE_DATE_EPOCH."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping

from ontology_tools.errors import UsageError

DATE_FORMAT = "YYYY-MM-DD"
# fromisoformat alone also takes `20261212` and `2026-W50-6`: SPEC dates are only YYYY-MM-DD.
_DATE_SHAPE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")
_EPOCH_SHAPE = re.compile(r"[0-9]{1,12}")  # up to the year 33658: beyond, no date exists


class DateProblem(UsageError):
    """A date a user typed is not a real YYYY-MM-DD calendar date."""


def parse_date(text: str, what: str | None = None) -> dt.date:
    """The calendar date `text` names; `what` (an option's name), if given, heads the message."""
    named = f"{what} {text!r}" if what else repr(text)
    if not _DATE_SHAPE.fullmatch(text):
        raise DateProblem(f"{named} is not a {DATE_FORMAT} date")
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise DateProblem(f"{named} is not a real calendar date ({DATE_FORMAT})") from None


def source_date_epoch(environ: Mapping[str, str]) -> dt.date | None:
    """The UTC date of SOURCE_DATE_EPOCH (reproducible builds), or None when it is unset."""
    epoch = environ.get("SOURCE_DATE_EPOCH", "").strip()
    if not epoch:
        return None
    if not _EPOCH_SHAPE.fullmatch(epoch):
        raise DateProblem(f"SOURCE_DATE_EPOCH {_shorten(epoch)!r} is not a number of seconds "
                          "since 1970-01-01 that names a date")
    try:
        return dt.datetime.fromtimestamp(int(epoch), dt.UTC).date()
    except (OverflowError, OSError, ValueError):
        raise DateProblem(f"SOURCE_DATE_EPOCH {epoch!r} is beyond the last date a calendar "
                          "holds") from None


def today_utc() -> dt.date:
    """Today's date in UTC: the same day for every editor whatever their time zone."""
    return dt.datetime.now(dt.UTC).date()


def release_date(given: str | None, environ: Mapping[str, str],
                 today: dt.date | None = None) -> str:
    """`--date`, else SOURCE_DATE_EPOCH as a UTC date, else today in UTC (SPEC 6.1)."""
    if given is not None:
        return parse_date(given, "--date").isoformat()
    epoch = source_date_epoch(environ)
    if epoch is not None:
        return epoch.isoformat()
    return (today or today_utc()).isoformat()


def _shorten(text: str, limit: int = 40) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"
