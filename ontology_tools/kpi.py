"""A KPI definition as a frozen, typed value, built once from its file's `kpi` mapping.

The mapping itself stays the record of what the file says: DeepDiff compares it and bundles
ship it. Everything that reads a definition to show or follow it (docs pages, `show`, plans'
labels, renames) reads this value instead of looking keys up by name.

`Kpi.from_content` never fails: a field missing or of the wrong type reads as empty, because
the value is built for display and navigation; `ontology validate` is where a file's faults are
reported, at their line and column.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

EDITORIAL, PUBLISHED = "editorial", "published"


@dataclass(frozen=True)
class DefinitionSource:
    """Where the definition comes from: the team's own (editorial) or a published standard."""

    tier: str
    name: str | None
    url: str | None
    section: str | None
    published_on: str | None  # the publication date, YYYY-MM-DD
    notice: str | None  # the attribution notice a published source asks for

    @property
    def is_editorial(self) -> bool:
        """True unless the definition cites a published standard."""
        return self.tier != PUBLISHED


@dataclass(frozen=True)
class Deprecation:
    """A KPI on its way out: since when, why, and the id that replaces it (if any)."""

    date: str
    reason: str
    replaced_by: str | None


@dataclass(frozen=True)
class Kpi:
    """One KPI definition; `content` is the mapping it was read from, as the file has it."""

    rogue_id: str
    domain: str
    label: str
    description: str
    field_type: str
    unit: str | None
    maturity: str
    stages: tuple[str, ...]  # suggestedForStages, as written
    owners: tuple[str, ...]  # defaultOwningFunctions
    relevance: tuple[tuple[str, str], ...]  # stageRelevance: (stage, level), as written
    source: DefinitionSource
    formula: str
    why_it_matters: str
    interpretation: str
    basis: tuple[str, str] | None  # metricBasis: (timeBasis, production)
    related: tuple[str, ...]
    supersedes: tuple[str, ...]
    deprecation: Deprecation | None
    content: Mapping[str, Any] = field(compare=False, repr=False)

    @classmethod
    def from_content(cls, content: Mapping[str, Any]) -> Kpi:
        """The value of a `kpi` mapping (tolerant of faults: see the module's docstring)."""
        read = _Reader(content)
        return cls(
            rogue_id=read.text("rogueId"), domain=read.text("domain"),
            label=read.text("defaultLabel"), description=read.text("description"),
            field_type=read.text("fieldType"), unit=read.optional("unit"),
            maturity=read.text("maturity"), stages=read.texts("suggestedForStages"),
            owners=read.texts("defaultOwningFunctions"), relevance=read.pairs("stageRelevance"),
            source=_source(read.mapping("definitionSource")), formula=read.text("formula"),
            why_it_matters=read.text("whyItMatters"),
            interpretation=read.text("interpretationGuidance"),
            basis=_basis(read.mapping("metricBasis")),
            related=read.texts("relatedKpiIds"), supersedes=read.texts("supersedes"),
            deprecation=_deprecation(read.mapping("deprecation")), content=content)


def _source(fields: _Reader | None) -> DefinitionSource:
    read = fields or _Reader({})
    return DefinitionSource(
        tier=read.text("tier") or EDITORIAL, name=read.optional("sourceName"),
        url=read.optional("sourceUrl"), section=read.optional("sectionRef"),
        published_on=read.optional("publicationDate"), notice=read.optional("attributionNotice"))


def _basis(fields: _Reader | None) -> tuple[str, str] | None:
    if fields is None:
        return None
    return fields.text("timeBasis"), fields.text("production")


def _deprecation(fields: _Reader | None) -> Deprecation | None:
    if fields is None:
        return None
    return Deprecation(fields.text("date"), fields.text("reason"), fields.optional("replacedBy"))


@dataclass(frozen=True)
class _Reader:
    """Typed reads of one mapping's keys: the one place a KPI's keys are spelled."""

    fields: Mapping[str, Any]

    def optional(self, key: str) -> str | None:
        value = self.fields.get(key)
        return None if value is None else str(value)

    def text(self, key: str) -> str:
        return self.optional(key) or ""

    def texts(self, key: str) -> tuple[str, ...]:
        value = self.fields.get(key)
        if not isinstance(value, list | tuple):
            return ()
        return tuple("" if item is None else str(item) for item in value)

    def pairs(self, key: str) -> tuple[tuple[str, str], ...]:
        value = self.fields.get(key)
        if not isinstance(value, Mapping):
            return ()
        return tuple((str(name), "" if level is None else str(level))
                     for name, level in value.items())

    def mapping(self, key: str) -> _Reader | None:
        value = self.fields.get(key)
        return _Reader(value) if isinstance(value, Mapping) else None
