"""The one JSON encoding of published records: a bundle's files, the docs' KPI files, `show`.

Every file a consumer may compare byte for byte is written through `json_text`, so a KPI that
`show --format json` prints and the KPI file a release bundled are the same bytes by
construction, not by two encoders that happen to agree.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from typing import Any

from ontology_tools.edit.layout import ordered_kpi


def json_text(value: Any) -> str:
    """Two-space indent, UTF-8 characters kept as they are, a final newline (SPEC 6.1)."""
    return json.dumps(value, indent=2, ensure_ascii=False) + "\n"


def json_bytes(value: Any) -> bytes:
    """`json_text` as the UTF-8 bytes written to a file."""
    return json_text(value).encode("utf-8")


def kpi_release_document(kpi: Mapping[str, Any], version: str, released_at: str,
                         stages: Sequence[str]) -> dict[str, Any]:
    """A KPI as the bundle publishes it, in its own file and in ontology.json."""
    return {"version": version, "releasedAt": released_at, "kpi": ordered_kpi(kpi, stages)}


def kpi_release_bytes(kpi: Mapping[str, Any], version: str, released_at: str,
                      stages: Sequence[str]) -> bytes:
    """`kpis/<domain>/<slug>.json`: exactly version, releasedAt and the kpi in canonical order."""
    return json_bytes(kpi_release_document(kpi, version, released_at, stages))
