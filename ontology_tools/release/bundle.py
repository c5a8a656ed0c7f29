"""The release bundle's content: `ontology-<version>/`, file by file, from the stamped sources."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ontology_tools import __version__, yamlio
from ontology_tools.canonical import ordered_kpi
from ontology_tools.docs.site import (
    INDEX_PAGE,
    METHODOLOGY_PAGE,
    Site,
    default_rules,
    prepare_site,
)
from ontology_tools.errors import OntologyError
from ontology_tools.model import ONTOLOGY_FILE, rogue_id_for
from ontology_tools.parallel import ordered_chunks
from ontology_tools.project import Settings
from ontology_tools.release.changelog import CHANGELOG_FILE
from ontology_tools.release.tarball import archive_key, file_member, release_epoch
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


def to_json(value: Any) -> bytes:
    """The one JSON style of the bundle: two-space indent, UTF-8, a final newline."""
    return (json.dumps(value, indent=2, ensure_ascii=False) + "\n").encode("utf-8")


def kpi_release_bytes(kpi: Mapping[str, Any], version: str, released_at: str,
                      stages: Sequence[str]) -> bytes:
    """`kpis/<domain>/<slug>.json`: exactly version, releasedAt and the kpi in canonical order."""
    return to_json({"version": version, "releasedAt": released_at,
                    "kpi": ordered_kpi(kpi, stages)})


def read_released(root: Path) -> ReleasedOntology:
    """The stamped sources of the worktree, as the bundle publishes them.

    The KPI files are read through validation's per-file results: the ones a release did not
    stamp come from `.ontology-cache/` (filled by the release's own validation), the rest are
    parsed and schema-checked again, over the cores when there are many.
    """
    config = _load(root / ONTOLOGY_FILE, ONTOLOGY_FILE)
    ids = {path.relative_to(root).as_posix(): rogue_id
           for path in sorted((root / "ontology").glob("*/*.yaml"))
           if (rogue_id := rogue_id_for(path.relative_to(root).as_posix())) is not None}
    results = file_results(root, {rel: (root / rel).read_bytes() for rel in ids},
                           config.get("vocabularies"))
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
    changelog = changelog_path.read_text(encoding="utf-8") if changelog_path.exists() else ""
    return ReleasedOntology(config, kpis, changelog)


def _load(path: Path, rel: str) -> dict[str, Any]:
    try:
        data = yamlio.load_fast(path.read_bytes())
    except yamlio.YamlProblem as problem:
        raise OntologyError(f"{rel}:{problem}") from None
    if not isinstance(data, dict):
        raise OntologyError(f"{rel} is not a mapping")
    return data


@dataclass(frozen=True)
class Rendered:
    """A bundle file as it leaves the renderer: already stored, with its tar member and digest."""

    path: str
    member: bytes
    sha256: str
    size: int


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

    def render(self, path: str, data: bytes) -> Rendered:
        """Store one file and describe it for the tarball and the manifest."""
        self.store(path, data)
        return Rendered(path, file_member(self.top, self.mtime, path, data),
                        hashlib.sha256(data).hexdigest(), len(data))


def _render_kpis(shared: _Shared, indexes: Sequence[int]) -> tuple[list[Rendered], list[Rendered]]:
    """The KPIs of a chunk (indexes into the site's views): their docs pages and JSON files."""
    pages, kpi_files = [], []
    for index in indexes:
        view = shared.site.views[index]
        item = shared.released.kpis[view.rogue_id]
        pages.append(shared.render(f"{DOCS_FOLDER}/{view.page}",
                                   shared.site.kpi_page(view).encode("utf-8")))
        kpi_files.append(shared.render(kpi_file_path(view.rogue_id), kpi_release_bytes(
            item.kpi, item.version, item.released_at, shared.stages)))
    return pages, kpi_files


def bundle_stream(released: ReleasedOntology, *, top: str, previous_version: str | None,
                  source_commit: str | None, store: Store) -> Iterator[Rendered]:
    """Render every file of the bundle folder `top`, hand each to `store`, yield them in order.

    The order is the tarball's (`archive_key`). The KPI pages and JSON files are rendered,
    stored and turned into tar members in chunks over the cores, and handed on as they come,
    so the bundle is never held in memory as a whole. The manifest is rendered last of all,
    from the digests of the others, and yielded in its place.
    """
    site = docs_site(released)
    shared = _Shared(released, site, tuple(released.settings.vocabulary.stages), top,
                     release_epoch(released.released_at), store)
    listed: list[Rendered] = []

    def listing(item: Rendered) -> Rendered:
        listed.append(item)
        return item

    yield listing(shared.render(CHANGELOG_FILE_NAME, released.changelog.encode("utf-8")))
    yield listing(shared.render(f"{DOCS_FOLDER}/{INDEX_PAGE}",
                                site.index_page().encode("utf-8")))
    kpi_files: list[Rendered] = []
    for _, (pages, files) in ordered_chunks(_render_kpis, range(len(site.views)), shared,
                                            chunk_size=KPI_CHUNK, min_items=PARALLEL_MIN_KPIS):
        for page in pages:
            yield listing(page)
        kpi_files.extend(files)
    yield listing(shared.render(f"{DOCS_FOLDER}/{METHODOLOGY_PAGE}",
                                site.methodology_page().encode("utf-8")))
    for item in sorted(kpi_files, key=lambda file: archive_key(file.path)):
        yield listing(item)
    whole = shared.render(ONTOLOGY_DOCUMENT, to_json(_ontology_document(released, shared.stages)))
    listed.append(whole)
    yield shared.render(MANIFEST, to_json(manifest(released, listed, previous_version,
                                                   source_commit)))
    yield whole


def kpi_file_path(rogue_id: str) -> str:
    """`kpis/<domain>/<slug>.json`."""
    domain, _, slug = rogue_id.partition(".")
    return f"kpis/{domain}/{slug}.json"


def _ontology_document(released: ReleasedOntology, stages: Sequence[str]) -> dict[str, Any]:
    config = released.config
    return {
        "name": config.get("name"), "version": released.version,
        "releasedAt": released.released_at,
        "vocabularies": config.get("vocabularies"),
        "ontology": dict(config),
        "kpis": [{"version": item.version, "releasedAt": item.released_at,
                  "kpi": ordered_kpi(item.kpi, stages)}
                 for _, item in sorted(released.kpis.items())],
    }


def manifest(released: ReleasedOntology, files: Sequence[Rendered],
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
                        released_at=released.released_at)
