"""Stamping: write `version` and `releasedAt` into source YAML, keeping everything else as is."""

from __future__ import annotations

from typing import Any

from ontology_tools import yamlio

STAMP_KEYS = ("version", "releasedAt")


def stamp_kpi_text(text: str, version: str, released_at: str) -> str:
    """A KPI file's text with `version` and `releasedAt` as its first two top-level keys.

    A file stamped before gets its two values replaced in place, a file stamped for the first
    time gets two lines before its first key; only a file whose stamps are not where a release
    puts them (or that is not a plain block mapping) is round-tripped.
    """
    stamps = {"version": version, "releasedAt": released_at}
    in_place = yamlio.replace_leading_scalars(text, stamps) or \
        yamlio.insert_leading_scalars(text, stamps)
    if in_place is not None:
        return in_place
    document = yamlio.load_round_trip(text)
    _put_first(document, version, released_at)
    return yamlio.dump_round_trip(document)


def stamp_ontology_text(text: str, version: str, released_at: str) -> str:
    """ontology.yaml's text with its `version` and `releasedAt` set (in place when present)."""
    document = yamlio.load_round_trip(text)
    if "version" in document and "releasedAt" in document:
        document["version"] = version
        document["releasedAt"] = yamlio.plain_date(released_at)
    else:
        _put_first(document, version, released_at)
    return yamlio.dump_round_trip(document)


def _put_first(document: Any, version: str, released_at: str) -> None:
    """Set the stamps and move them to the top, comments attached to other keys stay put."""
    values = {"version": version, "releasedAt": yamlio.plain_date(released_at)}
    for index, key in enumerate(STAMP_KEYS):
        if key in document:
            document[key] = values[key]
        else:
            document.insert(index, key, values[key])
    if list(document)[:2] != list(STAMP_KEYS):
        yamlio.reorder(document, [*STAMP_KEYS, *[k for k in document if k not in STAMP_KEYS]])
