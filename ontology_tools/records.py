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
from ontology_tools.model import Blocker, Bump, Change, KpiPlan, Note, Plan, Status, Waiver


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
        "to": _target(plan),
        "ontology": {"version": plan.version, "nextVersion": plan.next_version,
                     "bump": plan.bump.label,
                     "changes": [change_document(c) for c in plan.ontology_changes]},
        "kpis": [_kpi(kpi) for kpi in plan.kpis],
        "blocking": [{"message": b.message, "rogueId": b.rogue_id, "rule": b.rule}
                     for b in plan.blocking],
        "unusedNotes": [note.file for note in plan.unused_notes],
    }


def _target(plan: Plan) -> dict[str, Any]:
    """`to`: its ref, and its version when it is a release (the worktree has none to give)."""
    if plan.to_version is None:
        return {"ref": plan.to_ref}
    return {"ref": plan.to_ref, "version": plan.to_version}


def _kpi(kpi: KpiPlan) -> dict[str, Any]:
    document: dict[str, Any] = {
        "rogueId": kpi.rogue_id, "status": kpi.status, "version": kpi.version,
        "nextVersion": kpi.next_version, "bump": kpi.bump.label,
        "computedBump": kpi.computed_bump.label, "label": kpi.label,
        "changes": [change_document(c) for c in kpi.changes],
        "notes": [note_document(n) for n in kpi.notes]}
    if kpi.renamed_from:
        document["renamedFrom"] = list(kpi.renamed_from)
    return document


def change_document(change: Change) -> dict[str, Any]:
    """A change as plans and release records write it."""
    waiver = change.waived_by
    return {"rule": change.rule, "bump": change.level,
            "path": change.path, "old": change.old, "new": change.new, "message": change.message,
            "waived": None if waiver is None else {
                "justification": waiver.justification, "bump": waiver.bump.label}}


def note_document(note: Note) -> dict[str, Any]:
    """A change note as plans and release records write it (under the KPIs it explains)."""
    return {"file": note.file, "summary": note.summary, "dispute": note.dispute,
            "bump": note.bump.label if note.bump else None,
            "waive": [{"rule": w.rule, "justification": w.justification, "bump": w.bump.label}
                      for w in note.waive]}


# --- the plan read back: `changelog/<version>.json` as a release committed it ------------------

class RecordError(ValueError):
    """A plan document that `plan_document` could not have written."""


def release_record(plan: Plan, released_at: str) -> str:
    """`changelog/<version>.json`: the plan that was released, and the date of its release."""
    return json_text({**plan_document(plan), "releasedAt": released_at})


def plan_from_document(document: Any) -> Plan:
    """The plan a `plan_document` describes; raise RecordError for anything it cannot hold.

    What the document does not carry is left empty: a change note's KPIs (it is listed under
    them) and the unused notes' texts (only their files are named). Encoding the result again
    gives the same document.
    """
    data = _Fields(document, "the plan")
    source, target, ontology = data.fields("from"), data.fields("to"), data.fields("ontology")
    return Plan(
        from_ref=source.text("ref"), from_version=source.optional("version"),
        to_ref=target.text("ref"), version=ontology.optional("version"),
        next_version=ontology.optional("nextVersion"), bump=ontology.bump("bump"),
        ontology_changes=tuple(_decodechange_document(c) for c in ontology.items("changes")),
        kpis=tuple(_decode_kpi(k) for k in data.items("kpis")),
        blocking=tuple(Blocker(b.text("message"), b.optional("rogueId"), b.optional("rule"))
                       for b in map(_blocker_fields, data.items("blocking"))),
        unused_notes=tuple(Note(_text_item(file), (), "") for file in data.items("unusedNotes")),
        to_version=target.optional("version") if "version" in target.value else None)


def _decode_kpi(item: Any) -> KpiPlan:
    kpi = _Fields(item, "a KPI entry")
    rogue_id = kpi.text("rogueId")
    try:
        status = Status(kpi.text("status"))
    except ValueError:
        raise RecordError(f"{rogue_id}: unknown status {kpi.text('status')!r}") from None
    return KpiPlan(
        rogue_id=rogue_id, status=status, version=kpi.optional("version"),
        next_version=kpi.optional("nextVersion"), bump=kpi.bump("bump"),
        changes=tuple(_decodechange_document(c) for c in kpi.items("changes")),
        notes=tuple(_decodenote_document(n) for n in kpi.items("notes")),
        computed_bump=kpi.bump("computedBump"),
        renamed_from=tuple(_text_item(old) for old in kpi.items("renamedFrom", missing=())),
        label=kpi.optional("label"))


def _decodechange_document(item: Any) -> Change:
    change = _Fields(item, "a change")
    level = change.text("bump")
    waived = change.raw("waived")
    waiver = None
    if waived is not None:
        fields = _Fields(waived, "a waiver")
        waiver = Waiver(change.text("rule"), fields.text("justification"), fields.bump("bump"))
    return Change(
        rule=change.text("rule"), bump=Bump.NONE if level == "blocking" else _bump(level),
        path=change.text("path"), old=change.raw("old"), new=change.raw("new"),
        message=change.text("message"), blocking=level == "blocking", waived_by=waiver)


def _decodenote_document(item: Any) -> Note:
    note = _Fields(item, "a change note")
    level = note.optional("bump")
    return Note(
        file=note.text("file"), kpis=(), summary=note.text("summary"),
        dispute=note.optional("dispute"), bump=_bump(level) if level is not None else None,
        waive=tuple(Waiver(w.text("rule"), w.text("justification"), w.bump("bump"))
                    for w in map(_waiver_fields, note.items("waive"))))


def _blocker_fields(item: Any) -> _Fields:
    return _Fields(item, "a blocker")


def _waiver_fields(item: Any) -> _Fields:
    return _Fields(item, "a waiver")


def _bump(label: str) -> Bump:
    try:
        return Bump.parse(label)
    except ValueError as err:
        raise RecordError(str(err)) from None


def _text_item(value: Any) -> str:
    if not isinstance(value, str):
        raise RecordError(f"expected a text, found {_json_word(value)}")
    return value


def _json_word(value: Any) -> str:
    """A value as the JSON it was read from says it (`null`, `7`, `[1, 2]`), shortened."""
    try:
        text = json.dumps(value, ensure_ascii=False)
    except (TypeError, ValueError):
        text = repr(value)
    return text if len(text) <= 60 else text[:57] + "..."


class _Fields:
    """Typed reads of one JSON object of a plan document, each key's type checked."""

    def __init__(self, value: Any, what: str) -> None:
        if not isinstance(value, Mapping):
            raise RecordError(f"{what} is not an object")
        self.value, self.what = value, what

    def raw(self, key: str) -> Any:
        if key not in self.value:
            raise RecordError(f"{self.what} has no {key!r}")
        return self.value[key]

    def optional(self, key: str) -> str | None:
        value = self.raw(key)
        return None if value is None else _text_item(value)

    def text(self, key: str) -> str:
        return _text_item(self.raw(key))

    def bump(self, key: str) -> Bump:
        return _bump(self.text(key))

    def fields(self, key: str) -> _Fields:
        return _Fields(self.raw(key), f"{key!r} of {self.what}")

    def items(self, key: str, missing: Sequence[Any] | None = None) -> Sequence[Any]:
        value = self.value.get(key, missing) if missing is not None else self.raw(key)
        if not isinstance(value, list | tuple):
            raise RecordError(f"{key!r} of {self.what} is not a list")
        return value
