"""The KPIs of a worktree as the site builder takes them, read with the fast loader."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ontology_tools import layout, yamlio
from ontology_tools.docs.views import DocsError
from ontology_tools.model import ONTOLOGY_FILE, rogue_id_for
from ontology_tools.project import Settings


@dataclass(frozen=True)
class WorktreeOntology:
    """Everything `build_site` needs from a worktree: KPIs, their stamps and the settings."""

    settings: Settings
    kpis: Mapping[str, Mapping[str, Any]]
    versions: Mapping[str, str]
    ontology_version: str | None
    released_at: str | None


def read_worktree(root: Path) -> WorktreeOntology:
    """Read ontology.yaml and every `ontology/<domain>/<slug>.yaml` under `root`.

    A file that does not load as plain YAML with a `kpi` mapping is refused with a `DocsError`
    naming it: documentation is only built from an ontology that validates.
    """
    config = _load(root, ONTOLOGY_FILE)
    kpis: dict[str, Mapping[str, Any]] = {}
    versions: dict[str, str] = {}
    for entry in layout.kpi_entries(root):  # never a link or a folder (layout.py)
        relative = entry.path
        rogue_id = rogue_id_for(relative) or relative
        document = _load(root, relative, entry)
        kpi = document.get("kpi")
        if not isinstance(kpi, dict):
            raise DocsError(f"{relative}: no `kpi` mapping (run `ontology validate`)")
        kpis[rogue_id] = kpi
        if document.get("version"):
            versions[rogue_id] = str(document["version"])
    return WorktreeOntology(
        settings=Settings.from_config(config), kpis=kpis, versions=versions,
        ontology_version=_stamp(config.get("version")),
        released_at=_stamp(config.get("releasedAt")),
    )


def _load(root: Path, relative: str, entry: layout.Entry | None = None) -> dict[str, Any]:
    data = layout.read_entry(root, entry) if entry else layout.read_file(root, relative)
    try:
        document = yamlio.load_fast(data)
    except yamlio.YamlProblem as problem:
        raise DocsError(f"{relative}:{problem} (run `ontology validate`)") from None
    if not isinstance(document, dict):
        raise DocsError(f"{relative}: not a YAML mapping (run `ontology validate`)")
    return document


def _stamp(value: Any) -> str | None:
    return str(value) if value else None
