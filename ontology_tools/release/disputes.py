"""What a release does for disputes: record itself in each upheld dispute its notes resolve.

Called from `prepare.decide`, so the dispute files' new text goes into the journal with every
other write (a killed release resumes them), and the changelog section lists the disputes.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from ontology_tools import layout
from ontology_tools.edit.dispute import with_release
from ontology_tools.model import Plan
from ontology_tools.project.disputes import Dispute, DisputeStatus, read_disputes


def resolved_disputes(root: Path, plan: Plan) -> tuple[Dispute, ...]:
    """The upheld disputes, not yet resolved by a release, that this release's notes name."""
    named = {note.dispute for kpi in plan.kpis for note in kpi.notes if note.dispute}
    if not named:
        return ()
    return tuple(d for d in read_disputes(root) if d.id in named
                 and d.status is DisputeStatus.UPHELD and d.resolution is not None
                 and d.resolution.release is None)


def dispute_writes(root: Path, disputes: Sequence[Dispute], version: str) -> dict[str, str]:
    """Each resolved dispute's file with `resolution.release: <version>`, comments kept (read
    only as a regular file inside the repository, like every dispute)."""
    return {d.file: with_release(layout.read_file(root, d.file).decode("utf-8"), version)
            for d in disputes}


def changelog_part(disputes: Sequence[Dispute]) -> str:
    """The section's list of resolved disputes ('' when there are none)."""
    if not disputes:
        return ""
    from ontology_tools.render.templating import render

    return render("release/changelog_disputes.md.j2", disputes=disputes)
