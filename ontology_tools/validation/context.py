"""What a validation run knows: the parsed files and the project they belong to."""

from __future__ import annotations

from collections.abc import Mapping
from collections.abc import Set as AbstractSet
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any

from ontology_tools.model import Stamp
from ontology_tools.project import Settings


@dataclass(frozen=True)
class KpiFile:
    """A KPI source file that parsed and matched its schema."""

    path: str
    data: Mapping[str, Any]

    @property
    def kpi(self) -> Mapping[str, Any]:
        """The `kpi` mapping of the file."""
        kpi: Mapping[str, Any] = self.data["kpi"]
        return kpi


@dataclass(frozen=True)
class OntologyContext:
    """Everything cross-file checks need, built once per run."""

    settings: Settings
    kpis: Mapping[str, KpiFile]
    ids_by_path: Mapping[str, str]
    released: Mapping[str, Stamp] | None = None
    past_ids: AbstractSet[str] = field(default_factory=frozenset)
    past_known: bool = True  # False when the last release cannot be found (baseline-missing)
    unreadable_ids: frozenset[str] = field(default_factory=frozenset)
    vocabulary_known: bool = True

    @cached_property
    def paths_by_rogue_id(self) -> Mapping[str, tuple[str, ...]]:
        """The files carrying each `kpi.rogueId` value, sorted (built once per run)."""
        paths: dict[str, list[str]] = {}
        for kpi_file in self.kpis.values():
            paths.setdefault(kpi_file.kpi["rogueId"], []).append(kpi_file.path)
        return {rogue_id: tuple(sorted(found)) for rogue_id, found in paths.items()}

    def exists(self, rogue_id: str) -> bool:
        """True when some KPI file of the worktree carries this id (or sits at its path).

        A file that is there but failed to load counts by its path: its own findings say what
        is wrong, and the KPIs that point at it are not wrong too.
        """
        return (rogue_id in self.paths_by_rogue_id or rogue_id in self.kpis
                or rogue_id in self.unreadable_ids)

    def existed(self, rogue_id: str) -> bool:
        """True when the id exists now or existed in a release."""
        return self.exists(rogue_id) or rogue_id in self.past_ids
