"""The one JSON encoding of published records: a bundle's files, the docs' KPI files, `show`,
and the plan (`plan --format json`, `changelog/<version>.json`).

Every file a consumer may compare byte for byte is written through `json_text`, so a KPI that
`show --format json` prints and the KPI file a release bundled are the same bytes by
construction, not by two encoders that happen to agree.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from typing import Any

from ontology_tools.canonical import ordered_kpi
from ontology_tools.model import Change, KpiPlan, Note, Plan, level_label


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


def plan_document(plan: Plan) -> dict[str, Any]:
    """The plan as plain JSON-ready data; `changelog/<version>.json` adds `releasedAt`."""
    return {
        "from": {"ref": plan.from_ref, "version": plan.from_version},
        "to": {"ref": plan.to_ref},
        "ontology": {"version": plan.version, "nextVersion": plan.next_version,
                     "bump": plan.bump.label,
                     "changes": [_change(c) for c in plan.ontology_changes]},
        "kpis": [_kpi(kpi) for kpi in plan.kpis],
        "blocking": [{"message": b.message, "rogueId": b.rogue_id, "rule": b.rule}
                     for b in plan.blocking],
        "unusedNotes": [note.file for note in plan.unused_notes],
    }


def _kpi(kpi: KpiPlan) -> dict[str, Any]:
    document: dict[str, Any] = {
        "rogueId": kpi.rogue_id, "status": kpi.status, "version": kpi.version,
        "nextVersion": kpi.next_version, "bump": kpi.bump.label,
        "computedBump": kpi.computed_bump.label, "label": kpi.label,
        "changes": [_change(c) for c in kpi.changes], "notes": [_note(n) for n in kpi.notes]}
    if kpi.renamed_from:
        document["renamedFrom"] = list(kpi.renamed_from)
    return document


def _change(change: Change) -> dict[str, Any]:
    waiver = change.waived_by
    return {"rule": change.rule, "bump": level_label(change.blocking, change.bump),
            "path": change.path, "old": change.old, "new": change.new, "message": change.message,
            "waived": None if waiver is None else {
                "justification": waiver.justification, "bump": waiver.bump.label}}


def _note(note: Note) -> dict[str, Any]:
    return {"file": note.file, "summary": note.summary, "dispute": note.dispute,
            "bump": note.bump.label if note.bump else None,
            "waive": [{"rule": w.rule, "justification": w.justification, "bump": w.bump.label}
                      for w in note.waive]}
