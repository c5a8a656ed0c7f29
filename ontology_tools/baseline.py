"""What the last release stamped, for the `stamp-edited` and lifecycle validation rules."""

from __future__ import annotations

from pathlib import Path

from ontology_tools.validation import Baseline


def release_baseline(root: Path) -> Baseline | None:
    """The stamps of the last release, or None when there is no release history to compare."""
    return None
