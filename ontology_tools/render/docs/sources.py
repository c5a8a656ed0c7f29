"""The KPIs of a worktree as the site builder takes them, read with the fast loader."""

from __future__ import annotations

from collections.abc import Collection, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ontology_tools import layout, yamlio
from ontology_tools.model import ONTOLOGY_FILE, Snapshot, rogue_id_for
from ontology_tools.project import Settings
from ontology_tools.render.docs.views import DocsError


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


UNRELEASED = "unreleased changes"


def unreleased_ids(worktree: Snapshot, released: Snapshot) -> frozenset[str]:
    """The KPIs whose definition differs from the last release's (or that it did not hold).

    Byte-identical files are never parsed; a file whose bytes differ only in comments or layout
    still holds the released definition.
    """
    found = set()
    for rogue_id, source in worktree.sources.items():
        if _differs(rogue_id, source.digest, worktree, released):
            found.add(rogue_id)
    return frozenset(found)


def _differs(rogue_id: str, digest: str, worktree: Snapshot, released: Snapshot) -> bool:
    before = released.sources.get(rogue_id)
    if before is None:
        return True
    if before.digest == digest:
        return False
    return bool(released.document(rogue_id).content != worktree.document(rogue_id).content)


def released_versions(versions: Mapping[str, str], unreleased: Collection[str]) -> dict[str, str]:
    """The stamped versions that still describe their KPI's content: none for unreleased edits."""
    return {rogue_id: version for rogue_id, version in versions.items()
            if rogue_id not in unreleased}


def page_versions(source: WorktreeOntology, unreleased: Collection[str]) -> dict[str, str]:
    """What each KPI page says of its version: the released one, or `unreleased changes`."""
    return {**released_versions(source.versions, unreleased),
            **dict.fromkeys(unreleased, UNRELEASED)}


def site_version(source: WorktreeOntology, unreleased: Collection[str]) -> str | None:
    """The ontology version the site names, with a word when some pages are not released."""
    if not unreleased:
        return source.ontology_version
    if source.ontology_version is None:
        return UNRELEASED
    return f"{source.ontology_version} with {UNRELEASED}"
