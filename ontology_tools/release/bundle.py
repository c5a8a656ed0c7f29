"""The release bundle's content: `ontology-<version>/`, file by file, from the stamped sources."""

from __future__ import annotations

import hashlib
import os
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ontology_tools import __version__, layout, yamlio
from ontology_tools.errors import OntologyError
from ontology_tools.model import ONTOLOGY_FILE, rogue_id_for
from ontology_tools.project import Settings
from ontology_tools.project.disputes import Dispute, read_disputes

# the bundle's one encoder lives in `records` (`show --format json` uses it too); the names
# below stay importable from here
from ontology_tools.records import json_bytes, json_text, kpi_release_document
from ontology_tools.records import json_bytes as to_json  # noqa: F401
from ontology_tools.records import kpi_release_bytes as kpi_release_bytes
from ontology_tools.release.changelog import CHANGELOG_FILE
from ontology_tools.release.tarball import Segment, release_epoch, segment
from ontology_tools.render.docs.site import (
    INDEX_PAGE,
    METHODOLOGY_PAGE,
    SOURCES_PAGE,
    Site,
    default_rules,
    prepare_site,
)
from ontology_tools.runtime.parallel import ordered_chunks
from ontology_tools.validation.cache import file_results

MANIFEST = "manifest.json"
ONTOLOGY_DOCUMENT = "ontology.json"
CHANGELOG_FILE_NAME = "CHANGELOG.md"
DOCS_FOLDER = "docs"
KPI_CHUNK = 200
PARALLEL_MIN_KPIS = 500  # below this, forking workers costs more than rendering in place


@dataclass(frozen=True)
class ReleasedKpi:
    """A KPI as a release publishes it."""

    rogue_id: str
    version: str
    released_at: str
    kpi: Mapping[str, Any]


@dataclass(frozen=True)
class ReleasedOntology:
    """Everything a bundle is made of, read from the stamped sources."""

    config: Mapping[str, Any]
    kpis: Mapping[str, ReleasedKpi]
    changelog: str
    disputes: tuple[Dispute, ...] = ()

    @property
    def settings(self) -> Settings:
        """The settings of ontology.yaml."""
        return Settings.from_config(self.config)

    @property
    def version(self) -> str:
        """The released ontology version."""
        return str(self.config["version"])

    @property
    def released_at(self) -> str:
        """The release date, YYYY-MM-DD."""
        return str(self.config["releasedAt"])


def folder_name(version: str) -> str:
    """`ontology-<version>`."""
    return f"ontology-{version}"


def read_released(root: Path) -> ReleasedOntology:
    """The stamped sources of the worktree, as the bundle publishes them.

    The KPI files are read through validation's per-file results: the ones a release did not
    stamp come from `.ontology-cache/` (filled by the release's own validation), the rest are
    parsed and schema-checked again, over the cores when there are many.
    """
    config = _load(root, ONTOLOGY_FILE)
    entries = layout.kpi_entries(root)  # a link or a folder at a KPI path is refused
    ids = {entry.path: rogue_id_for(entry.path) or entry.path for entry in entries}
    results = file_results(root, {entry.path: layout.read_entry(root, entry)
                                  for entry in entries}, config.get("vocabularies"))
    kpis: dict[str, ReleasedKpi] = {}
    for rel, result in results.items():
        data = result.data
        if data is None:
            first = result.findings[0]
            raise OntologyError(f"{first.render()} (run `ontology validate`)")
        if not data.get("version") or not data.get("releasedAt"):
            raise OntologyError(f"{rel} has no release stamps; it cannot be bundled")
        kpis[ids[rel]] = ReleasedKpi(ids[rel], str(data["version"]), str(data["releasedAt"]),
                                     data["kpi"])
    changelog_path = root / CHANGELOG_FILE
    changelog = layout.read_file(root, CHANGELOG_FILE).decode("utf-8") \
        if os.path.lexists(changelog_path) else ""
    return ReleasedOntology(config, kpis, changelog, read_disputes(root))


def _load(root: Path, rel: str) -> dict[str, Any]:
    data = yamlio.load_or_refuse(layout.read_file(root, rel), rel)
    if not isinstance(data, dict):
        raise OntologyError(f"{rel} is not a mapping")
    return data


@dataclass(frozen=True)
class FileEntry:
    """A bundle file as the manifest lists it."""

    path: str
    sha256: str
    size: int

    @classmethod
    def of(cls, path: str, data: bytes) -> FileEntry:
        """The entry of `path` holding `data`."""
        return cls(path, hashlib.sha256(data).hexdigest(), len(data))


@dataclass(frozen=True)
class Part:
    """Consecutive files of the bundle, already stored: their tarball segment and entries."""

    segment: Segment
    files: tuple[FileEntry, ...]


Store = Callable[[str, bytes], None]


@dataclass(frozen=True)
class _Shared:
    """What the processes rendering KPI files share (inherited, never copied per chunk)."""

    released: ReleasedOntology
    site: Site
    stages: tuple[str, ...]
    top: str
    mtime: int
    store: Store
    before_pages: str
    before_kpi_files: str


@dataclass(frozen=True)
class _Chunk:
    """A chunk of KPIs rendered: its pages, its JSON files, its share of ontology.json."""

    pages: Part
    kpi_files: Part
    listing: str


def _render_kpis(shared: _Shared, indexes: Sequence[int]) -> _Chunk:
    """The KPIs of a chunk (indexes into the site's summaries): pages and JSON, stored, deflated."""
    entries = shared.site.summaries
    first = indexes[0]
    pages: list[tuple[str, bytes]] = []
    kpi_files: list[tuple[str, bytes]] = []
    listing: list[str] = []
    for index in indexes:
        entry = entries[index]
        item = shared.released.kpis[entry.rogue_id]
        text = json_text(kpi_release_document(item.kpi, item.version, item.released_at,
                                               shared.stages))
        page = shared.site.kpi_page(entry.rogue_id).encode("utf-8")
        pages.append((f"{DOCS_FOLDER}/{entry.page}", page))
        kpi_files.append((layout.bundle_kpi_path(entry.rogue_id), text.encode("utf-8")))
        listing.append(_nested(text))
    for path, data in (*pages, *kpi_files):
        shared.store(path, data)
    before_pages = f"{DOCS_FOLDER}/{entries[first - 1].page}" if first else shared.before_pages
    before_files = (layout.bundle_kpi_path(entries[first - 1].rogue_id) if first
                    else shared.before_kpi_files)
    return _Chunk(_part(shared, before_pages, pages), _part(shared, before_files, kpi_files),
                  ",\n".join(listing))


def _part(shared: _Shared, previous: str, files: Sequence[tuple[str, bytes]]) -> Part:
    return Part(segment(shared.top, shared.mtime, previous, files),
                tuple(FileEntry.of(path, data) for path, data in files))


def bundle_stream(released: ReleasedOntology, *, top: str, previous_version: str | None,
                  source_commit: str | None, store: Store) -> Iterator[Part]:
    """Render the files of the bundle folder `top`, `store` each, yield them in archive order.

    The KPI pages and JSON files are rendered, stored and deflated in chunks over the cores
    and handed on as they come, so the bundle is never held in memory whole; the other files
    are made here. ontology.json is put together from the chunks' listings, the manifest from
    every other file's entry.
    """
    site = docs_site(released)
    index_page = f"{DOCS_FOLDER}/{INDEX_PAGE}"
    methodology_page = f"{DOCS_FOLDER}/{METHODOLOGY_PAGE}"
    sources_page = f"{DOCS_FOLDER}/{SOURCES_PAGE}"  # the last docs page: the KPI files follow it
    shared = _Shared(released, site, tuple(released.settings.vocabulary.stages), top,
                     release_epoch(released.released_at), store, before_pages=index_page,
                     before_kpi_files=sources_page)
    entries: list[FileEntry] = []
    last: str | None = None

    def single(path: str, data: bytes) -> Part:
        nonlocal last
        store(path, data)
        part = Part(segment(top, shared.mtime, last, [(path, data)]), (FileEntry.of(path, data),))
        last = path
        return part

    def listed(part: Part) -> Part:
        entries.extend(part.files)
        return part

    yield listed(single(CHANGELOG_FILE_NAME, released.changelog.encode("utf-8")))
    for dispute in sorted(released.disputes, key=lambda d: d.id):
        yield listed(single(f"disputes/{dispute.id}.json", json_bytes(dispute.record())))
    for path, page in site.dispute_pages():
        yield listed(single(f"{DOCS_FOLDER}/{path}", page.encode("utf-8")))
    yield listed(single(index_page, site.index_page().encode("utf-8")))
    kpi_files: list[Part] = []
    listings: list[str] = []
    for _, chunk in ordered_chunks(_render_kpis, range(len(site.summaries)), shared,
                                   chunk_size=KPI_CHUNK, min_items=PARALLEL_MIN_KPIS):
        yield listed(chunk.pages)
        last = chunk.pages.segment.last
        kpi_files.append(chunk.kpi_files)
        listings.append(chunk.listing)
    yield listed(single(methodology_page, site.methodology_page().encode("utf-8")))
    yield listed(single(sources_page, site.sources_page().encode("utf-8")))
    for part in kpi_files:
        yield listed(part)
        last = part.segment.last
    whole = ontology_json(released, listings)
    entries.append(FileEntry.of(ONTOLOGY_DOCUMENT, whole))
    yield single(MANIFEST, json_bytes(manifest(released, entries, previous_version, source_commit)))
    yield single(ONTOLOGY_DOCUMENT, whole)


def _nested(text: str) -> str:
    """A KPI file's JSON as an item of ontology.json's `kpis` list (two levels deeper)."""
    return "\n".join(f"    {line}" for line in text.rstrip("\n").split("\n"))


def ontology_json(released: ReleasedOntology, listings: Sequence[str]) -> bytes:
    """ontology.json, its `kpis` list joined from the chunks' listings (in the pages' order).

    The same bytes as `to_json` of the whole document (a test holds the two equal), without
    encoding every KPI a second time.
    """
    head = json_text({**ontology_header(released), "kpis": []})
    items = [listing for listing in listings if listing]
    if not items:
        return head.encode("utf-8")
    closing = '"kpis": []\n}\n'
    if not head.endswith(closing):
        raise ValueError("ontology.json must end with its kpis list")
    body = ",\n".join(items)
    return (head.removesuffix(closing) + f'"kpis": [\n{body}\n  ]\n}}\n').encode("utf-8")


def ontology_header(released: ReleasedOntology) -> dict[str, Any]:
    """ontology.json without its `kpis` list (which comes last)."""
    config = released.config
    return {
        "name": config.get("name"), "version": released.version,
        "releasedAt": released.released_at,
        "vocabularies": config.get("vocabularies"),
        "ontology": dict(config),
    }


def manifest(released: ReleasedOntology, files: Sequence[FileEntry],
             previous_version: str | None, source_commit: str | None) -> dict[str, Any]:
    """manifest.json: what was released, from where, and every file's sha256 and size."""
    return {
        "name": released.settings.name, "version": released.version,
        "releasedAt": released.released_at, "previousVersion": previous_version,
        "sourceCommit": source_commit, "toolVersion": __version__,
        "files": [{"path": file.path, "sha256": file.sha256, "size": file.size}
                  for file in sorted(files, key=lambda file: file.path)
                  if file.path != MANIFEST],
        "kpis": [{"rogueId": rogue_id, "version": item.version}
                 for rogue_id, item in sorted(released.kpis.items())],
    }


def docs_site(released: ReleasedOntology) -> Site:
    """The docs site of the release, prepared (its pages are rendered as the bundle is written)."""
    kpis = {rogue_id: item.kpi for rogue_id, item in released.kpis.items()}
    versions = {rogue_id: item.version for rogue_id, item in released.kpis.items()}
    return prepare_site(kpis, released.settings, rules=default_rules(released.settings),
                        versions=versions, ontology_version=released.version,
                        released_at=released.released_at, disputes=released.disputes)
