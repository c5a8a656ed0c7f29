"""The canonical layout of a KPI file, kept under its old name for the modules that import it.

The layout itself lives in `ontology_tools.edit.layout`, `fmt` in `ontology_tools.edit.fmt`.
"""

from __future__ import annotations

from ontology_tools.edit.layout import (
    BASIS_KEYS,
    DEPRECATION_KEYS,
    KPI_KEYS,
    SOURCE_KEYS,
    TOP_KEYS,
    ordered_kpi,
)

__all__ = ["BASIS_KEYS", "DEPRECATION_KEYS", "KPI_KEYS", "SOURCE_KEYS", "TOP_KEYS", "ordered_kpi"]
