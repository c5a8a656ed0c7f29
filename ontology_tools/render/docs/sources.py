"""The KPIs of a snapshot as the site builder takes them, and which of them are unreleased."""

from __future__ import annotations

from collections.abc import Collection, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ontology_tools import snapshots
from ontology_tools.model import Snapshot
from ontology_tools.project import Settings

if TYPE_CHECKING:
    from ontology_tools.project import Project


@dataclass(frozen=True)
class WorktreeOntology:
    """Everything `build_site` needs from a worktree: KPIs, their stamps and the settings."""

    settings: Settings
    kpis: Mapping[str, Mapping[str, Any]]
    versions: Mapping[str, str]
    ontology_version: str | None
    released_at: str | None


def site_source(snapshot: Snapshot) -> WorktreeOntology:
    """What the site documents of a snapshot (for `ontology docs`, the Project's worktree).

    A KPI file that does not load as a KPI is refused naming it (see `snapshots`):
    documentation is only built from an ontology that validates.
    """
    documents = [snapshot.document(rogue_id) for rogue_id in snapshot.ids()]
    return WorktreeOntology(
        settings=Settings.from_config(snapshot.ontology),
        kpis={document.rogue_id: document.content for document in documents},
        versions={document.rogue_id: document.version for document in documents
                  if document.version},
        ontology_version=_stamp(snapshot.ontology.get("version")),
        released_at=_stamp(snapshot.ontology.get("releasedAt")),
    )


def read_worktree(root: Path) -> WorktreeOntology:
    """`site_source` of the files under `root` (a repository or a fixture folder)."""
    return site_source(snapshots.worktree(root))


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


@dataclass(frozen=True)
class DocsWritten:
    """What `ontology docs` did to its folder: the pages and KPI files written, the stale
    files of an earlier build removed."""

    pages: tuple[Path, ...]
    files: tuple[Path, ...]
    removed: tuple[Path, ...]


def write_docs(project: Project, out: Path) -> DocsWritten:
    """`ontology docs`: the worktree's site and KPI JSON files written into `out`.

    A KPI whose definition differs from the last release says `unreleased changes` instead of
    a version, and its JSON file carries none; what an earlier build wrote and this one did not
    is removed (only files the build record names).
    """
    from ontology_tools.project.disputes import read_disputes
    from ontology_tools.render.docs.site import build_site, remove_stale, write_kpi_json

    source = site_source(project.worktree)
    unreleased = unreleased_ids(project.worktree, project.baseline.snapshot)
    pages = build_site(source.kpis, source.settings, out,
                       versions=page_versions(source, unreleased),
                       ontology_version=site_version(source, unreleased),
                       released_at=source.released_at, json_base="kpis",
                       disputes=read_disputes(project.root))
    files = write_kpi_json(source.kpis, source.settings, out,
                           versions=released_versions(source.versions, unreleased))
    removed = remove_stale(out, [*pages, *files])
    return DocsWritten(tuple(pages), tuple(files), tuple(removed))
