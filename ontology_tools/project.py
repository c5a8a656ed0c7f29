"""Where the ontology lives and what its `ontology.yaml` says."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ontology_tools.errors import OntologyError
from ontology_tools.model import ONTOLOGY_FILE


class ProjectError(OntologyError):
    """The ontology could not be found or read; the message names what was looked for."""


def find_root(start: Path) -> Path:
    """Walk up from `start` to the folder holding `ontology/ontology.yaml`."""
    start = start.resolve()
    for folder in (start, *start.parents):
        if (folder / ONTOLOGY_FILE).is_file():
            return folder
    raise ProjectError(f"no {ONTOLOGY_FILE} in {start} or any folder above it "
                       "(run inside the repository or pass --root DIR)")


@dataclass(frozen=True)
class Vocabulary:
    """The controlled values a KPI is checked against, in their declared order."""

    domains: Mapping[str, str]
    stages: Mapping[str, str]
    owning_functions: Sequence[str]
    field_types: Mapping[str, str]
    units: Mapping[str, str]
    maturities: Mapping[str, str]
    relevance_levels: Mapping[str, str]
    time_bases: Mapping[str, str]
    production_kinds: Mapping[str, str]
    tiers: Mapping[str, str]

    @classmethod
    def from_config(cls, vocab: Mapping[str, Any]) -> Vocabulary:
        """Read `vocabularies` of ontology.yaml; a missing part is empty (validation reports it)."""

        def labels(key: str) -> Mapping[str, str]:
            value = vocab.get(key)
            return {str(k): str(v) for k, v in value.items()} if isinstance(value, dict) else {}

        owners = vocab.get("owningFunctions")
        return cls(
            domains=labels("domains"), stages=labels("stages"),
            owning_functions=[str(o) for o in owners] if isinstance(owners, list) else [],
            field_types=labels("fieldTypes"), units=labels("units"),
            maturities=labels("maturities"), relevance_levels=labels("stageRelevanceLevels"),
            time_bases=labels("timeBases"), production_kinds=labels("productionKinds"),
            tiers=labels("tiers"),
        )


@dataclass(frozen=True)
class Settings:
    """The project-wide settings of ontology.yaml."""

    name: str
    publisher: str
    tag_prefix: str
    require_notes: bool
    policy: Mapping[str, str]
    vocabulary: Vocabulary

    @classmethod
    def from_config(cls, config: Mapping[str, Any]) -> Settings:
        """Interpret an ontology.yaml mapping, with the SPEC's defaults."""
        vocab = config.get("vocabularies")
        policy = config.get("policy")
        return cls(
            name=str(config.get("name") or "ontology"),
            publisher=str(config.get("publisher") or "the editors"),
            tag_prefix=str(config.get("tagPrefix", "v") or ""),
            require_notes=config.get("requireNotes", True) is not False,
            policy={str(k): str(v) for k, v in policy.items()} if isinstance(policy, dict) else {},
            vocabulary=Vocabulary.from_config(vocab if isinstance(vocab, dict) else {}),
        )
