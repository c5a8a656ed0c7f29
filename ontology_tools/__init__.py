"""ontology-tools: author, validate, version and release an ontology of board KPIs."""

from __future__ import annotations

__version__ = "0.1.0"
