"""Every jsonschema call: the shipped JSON Schemas and the errors they find."""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass
from functools import cache
from importlib import resources
from typing import Any

SCHEMA_NAMES = ("kpi", "kpi-release", "ontology", "note", "manifest", "plan", "findings",
                "dispute", "disputes", "dispute-review", "history", "rules")


@dataclass(frozen=True)
class SchemaError:
    """One JSON Schema violation: where in the instance, and what is wrong."""

    path: tuple[str | int, ...]
    message: str
    on_key: bool = False  # the last step of `path` is itself the offending key


@cache
def schema(name: str) -> dict[str, Any]:
    """The parsed `<name>.schema.json` shipped with the package."""
    text = resources.files("ontology_tools").joinpath("schemas", f"{name}.schema.json").read_text(
        encoding="utf-8")
    loaded: dict[str, Any] = json.loads(text)
    return loaded


@cache
def _validator(name: str) -> Any:
    from jsonschema import Draft202012Validator

    return Draft202012Validator(schema(name))


def schema_errors(name: str, instance: Any) -> Iterator[SchemaError]:
    """Every violation of schema `name` by `instance`, with concise messages."""
    for error in sorted(_validator(name).iter_errors(instance), key=lambda e: list(e.path)):
        yield from _explain(error)


def _explain(error: Any) -> Iterator[SchemaError]:
    path = tuple(error.absolute_path)
    field = ".".join(str(p) for p in path) or "document"
    if error.validator == "additionalProperties" and isinstance(error.instance, dict):
        allowed = set(error.schema.get("properties", {}))
        for key in error.instance:
            if key not in allowed:
                yield SchemaError((*path, key), f"unknown key {key!r} in {field}", on_key=True)
        return
    if error.validator == "required":
        yield SchemaError(path, f"{field}: {error.message}")
        return
    if error.validator in ("anyOf", "oneOf") and error.context:
        from jsonschema.exceptions import best_match

        yield from _explain(best_match(error.context))
        return
    yield SchemaError(path, f"{field}: {_shorten(error.message)}")


def _shorten(message: str, limit: int = 160) -> str:
    return message if len(message) <= limit else message[: limit - 1] + "…"


def is_valid(name: str, instance: Any) -> bool:
    """True when `instance` satisfies schema `name`."""
    return bool(_validator(name).is_valid(instance))
