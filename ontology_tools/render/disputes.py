"""`dispute list` and `dispute show` as text, markdown, JSON and the HTML review page."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from typing import Any

from ontology_tools.kpi import Kpi
from ontology_tools.model import KpiPlan, Plan, Status
from ontology_tools.project.disputes import Dispute
from ontology_tools.records import json_text
from ontology_tools.render.plain import joined, one_line
from ontology_tools.review.dispute_review import DisputeReview, KpiUnderReview
from ontology_tools.review.history import History, HistoryEntry, history_document


def definition_rows(kpi: Kpi | None) -> list[tuple[str, str]]:
    """The fields a reviewer reads first, labelled, in reading order (empty ones left out)."""
    if kpi is None:
        return []
    rows = (("Label", kpi.label), ("Definition", kpi.description), ("Formula", kpi.formula),
            ("Why it matters", kpi.why_it_matters), ("How to interpret", kpi.interpretation),
            ("Unit", kpi.unit), ("Type", kpi.field_type))
    return [(label, text) for label, text in rows if text]


def markdown_text(value: object) -> str:
    """Source text as literal Markdown: the toolkit's one escaping helper (render.markdown.md)."""
    from ontology_tools.render.markdown import md

    return md(value).strip()


def list_json(disputes: Sequence[Dispute]) -> str:
    """`dispute list --format json` (schemas/disputes.schema.json)."""
    return json_text({"disputes": [d.record() for d in disputes]})


def list_text(disputes: Sequence[Dispute]) -> str:
    """One block per dispute for the terminal."""
    if not disputes:
        return "no disputes\n"
    return "".join(f"{d.id}  {d.status.value:<9}  raised {d.raised_at} by {one_line(d.raised_by)}"
                   f"  {', '.join(d.kpis)}\n    {one_line(d.claim)}\n{_decision_line(d)}"
                   for d in disputes)


def _decision_line(dispute: Dispute) -> str:
    resolution = dispute.resolution
    if resolution is None:
        return ""
    release = f" (release {resolution.release})" if resolution.release else ""
    return (f"    {dispute.status.value} on {resolution.decided_at}{release}: "
            f"{one_line(resolution.summary)}\n")


def list_markdown(disputes: Sequence[Dispute]) -> str:
    """A Markdown table for a pull request or a board paper."""
    lines = ["| Dispute | Status | Raised | KPIs | Raised by | Claim | Decision |",
             "|---|---|---|---|---|---|---|"]
    for d in disputes:
        decision = ""
        if d.resolution is not None:
            release = f" (release {d.resolution.release})" if d.resolution.release else ""
            decision = f"{d.resolution.decided_at}{release}: {markdown_text(d.resolution.summary)}"
        lines.append(f"| {d.id} | {d.status.value} | {d.raised_at} | "
                     f"{', '.join(f'`{k}`' for k in d.kpis)} | {markdown_text(d.raised_by)} | "
                     f"{markdown_text(d.claim)} | {decision} |")
    return "\n".join(lines) + "\n"


def review_document(review: DisputeReview) -> dict[str, Any]:
    """`dispute show --format json` (schemas/dispute-review.schema.json)."""
    document = {"dispute": review.dispute.record(),
                "kpis": [_kpi_document(kpi) for kpi in review.kpis]}
    if review.notes:
        document["note"] = "; ".join(review.notes)
    return document


def _kpi_document(kpi: KpiUnderReview) -> dict[str, Any]:
    since = history_document(History(kpi.rogue_id, kpi.since))["releases"]
    return {"rogueId": kpi.rogue_id, "disputedVersion": kpi.kpi_version,
            "release": kpi.release,
            "definition": kpi.definition.content if kpi.definition is not None else None,
            "changesSince": since,
            "pending": _pending_document(kpi.pending), "upto": kpi.upto}


def _pending_document(kpi: KpiPlan | None) -> dict[str, Any] | None:
    if kpi is None:
        return None
    from ontology_tools.model import Bump
    from ontology_tools.records import plan_document

    alone = Plan("", None, "WORKTREE", None, None, Bump.NONE, (), (kpi,), ())
    document: dict[str, Any] = plan_document(alone)["kpis"][0]
    return document


@joined
def review_text(review: DisputeReview) -> Iterator[str]:
    """The review for the terminal, word diffs marked [-old-]{+new+}."""
    d = review.dispute
    for caveat in review.notes:
        yield f"note: {caveat}\n"
    yield f"{d.id} ({d.status.value}): {', '.join(d.kpis)}\n"
    yield f"raised {d.raised_at} by {one_line(d.raised_by)}"
    yield f", against version {d.against}\n" if d.against else "\n"
    yield f"claim: {one_line(d.claim)}\n"
    for item in d.evidence:
        yield f"evidence: {one_line(item.title)} <{item.url}>\n"
    for kpi in review.kpis:
        yield from _kpi_lines(kpi)
    yield "\ndecision: "
    if d.resolution is None:
        yield "open (record it with `ontology dispute resolve`)\n"
    else:
        yield f"{d.status.value} on {d.resolution.decided_at}"
        yield f", resolved by release {d.resolution.release}" if d.resolution.release else ""
        yield f": {one_line(d.resolution.summary)}\n"


def _kpi_lines(kpi: KpiUnderReview) -> Iterator[str]:
    from ontology_tools.render.plan import as_text

    yield f"\n{kpi.rogue_id}"
    if kpi.release_label:
        yield f" as it stood at version {kpi.kpi_version} (release {kpi.release_label}):\n"
    else:
        yield ": no release of it before the dispute was raised\n"
    for label, text in definition_rows(kpi.definition):
        yield f"  {label}: {one_line(text)}\n"
    for entry in kpi.since:
        yield from _entry_lines(entry)
    if kpi.pending is not None:
        yield "  unreleased changes in the worktree:\n"
        alone = Plan("", None, "WORKTREE", None, None, kpi.pending.bump, (), (kpi.pending,), ())
        for line in as_text(alone).splitlines()[2:]:
            yield f"  {line}\n"
    elif not kpi.since:
        yield f"  no change since, up to {kpi.upto or 'now'}\n"


def _entry_lines(entry: HistoryEntry) -> Iterator[str]:
    from ontology_tools.render.plan import as_text

    yield (f"  release {entry.ontology_version} ({entry.released_at}): "
           f"{entry.previous_version or '-'} → {entry.kpi_version or '-'} ({entry.bump})\n")
    changes = entry.changes
    kpi = KpiPlan(entry.rogue_id, _status(entry.status), entry.previous_version,
                  entry.kpi_version, _bump(entry.bump), changes)
    alone = Plan("", None, "", None, None, kpi.bump, (), (kpi,), ())
    for line in as_text(alone).splitlines()[2:]:
        yield f"  {line}\n"
    for note in entry.notes:
        dispute = f" ({note.dispute})" if note.dispute else ""
        yield f"    note{dispute}: {one_line(note.summary)}\n"


def _status(value: str) -> Status:
    try:
        return Status(value)
    except ValueError:  # a record from an older release may say something else
        return Status.CHANGED


def _bump(label: str) -> Any:
    from ontology_tools.model import Bump

    try:
        return Bump.parse(label)
    except ValueError:
        return Bump.NONE


def review_page(review: DisputeReview) -> str:
    """The self-contained HTML review page of one dispute (no script; everything escaped)."""
    from ontology_tools.render.review import review_row
    from ontology_tools.render.templating import render

    kpis = []
    for kpi in review.kpis:
        released = [(entry, [review_row(c) for c in entry.changes])
                    for entry in kpi.since]
        pending = [review_row(c) for c in kpi.pending.changes] if kpi.pending else []
        kpis.append({"kpi": kpi, "definition": definition_rows(kpi.definition),
                     "released": released, "pending": pending})
    return render("review/dispute.html", dispute=review.dispute, kpis=kpis, notes=review.notes)


