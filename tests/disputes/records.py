"""Dispute files as a reviewer leaves them, for tests whose notes answer a dispute."""

from __future__ import annotations

from pathlib import Path


def record_dispute(root: Path, dispute_id: str, kpi: str, *, raised_at: str = "2026-04-01",
                   status: str = "open", claim: str = "The definition is disputed.") -> Path:
    """Write `changelog/disputes/<id>.yaml` for `kpi` (decided ones get a resolution)."""
    path = root / "changelog" / "disputes" / f"{dispute_id}.yaml"
    path.parent.mkdir(parents=True, exist_ok=True)
    text = (f"id: {dispute_id}\nkpis: [{kpi}]\nraisedAt: {raised_at}\nraisedBy: The board\n"
            f"claim: {claim}\nstatus: {status}\n")
    if status != "open":
        text += f"resolution:\n  decidedAt: {raised_at}\n  summary: Decided by the board.\n"
    path.write_text(text, encoding="utf-8")
    return path
