"""The release bundle: `ontology-<version>/` and its deterministic `.tar.gz`, as bytes first."""

from __future__ import annotations

import datetime as dt
import gzip
import hashlib
import io
import json
import tarfile
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ontology_tools import __version__, yamlio
from ontology_tools.canonical import ordered_kpi
from ontology_tools.errors import OntologyError
from ontology_tools.model import ONTOLOGY_FILE, rogue_id_for
from ontology_tools.project import Settings
from ontology_tools.release.changelog import CHANGELOG_FILE

MANIFEST = "manifest.json"
DOCS_SEAM = "docs/README.txt"


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
    """The stamped sources of the worktree, as the bundle publishes them."""
    config = _load(root / ONTOLOGY_FILE, ONTOLOGY_FILE)
    kpis: dict[str, ReleasedKpi] = {}
    for path in sorted((root / "ontology").glob("*/*.yaml")):
        rel = path.relative_to(root).as_posix()
        rogue_id = rogue_id_for(rel)
        if rogue_id is None:
            continue
        data = _load(path, rel)
        if not data.get("version") or not data.get("releasedAt"):
            raise OntologyError(f"{rel} has no release stamps; it cannot be bundled")
        kpis[rogue_id] = ReleasedKpi(rogue_id, str(data["version"]), str(data["releasedAt"]),
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


def bundle_files(released: ReleasedOntology, *, previous_version: str | None,
                 source_commit: str | None) -> dict[str, bytes]:
    """Every file of the bundle folder, by path inside it, manifest included."""
    stages = list(released.settings.vocabulary.stages)
    files: dict[str, bytes] = {}
    for rogue_id, item in sorted(released.kpis.items()):
        domain, _, slug = rogue_id.partition(".")
        files[f"kpis/{domain}/{slug}.json"] = kpi_release_bytes(item.kpi, item.version,
                                                                item.released_at, stages)
    files["ontology.json"] = to_json(_ontology_document(released, stages))
    files["CHANGELOG.md"] = released.changelog.encode("utf-8")
    files.update(docs_files(released))
    files[MANIFEST] = to_json(manifest(released, files, previous_version, source_commit))
    return dict(sorted(files.items()))


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


def manifest(released: ReleasedOntology, files: Mapping[str, bytes],
             previous_version: str | None, source_commit: str | None) -> dict[str, Any]:
    """manifest.json: what was released, from where, and every file's sha256 and size."""
    return {
        "name": released.settings.name, "version": released.version,
        "releasedAt": released.released_at, "previousVersion": previous_version,
        "sourceCommit": source_commit, "toolVersion": __version__,
        "files": [{"path": path, "sha256": hashlib.sha256(data).hexdigest(), "size": len(data)}
                  for path, data in sorted(files.items()) if path != MANIFEST],
        "kpis": [{"rogueId": rogue_id, "version": item.version}
                 for rogue_id, item in sorted(released.kpis.items())],
    }


def docs_files(released: ReleasedOntology) -> dict[str, bytes]:
    """The docs site under `docs/`, rendered in memory by the docs builder."""
    try:
        from ontology_tools.docs.site import default_rules, render_site
    except ImportError:  # SEAM: no docs builder in this installation; the bundle says so
        return {DOCS_SEAM: b"The documentation site was not built for this release.\n"}
    kpis = {rogue_id: item.kpi for rogue_id, item in released.kpis.items()}
    versions = {rogue_id: item.version for rogue_id, item in released.kpis.items()}
    pages = render_site(kpis, released.settings, rules=default_rules(released.settings),
                        versions=versions, ontology_version=released.version,
                        released_at=released.released_at)
    return {f"docs/{path}": text.encode("utf-8") for path, text in sorted(pages.items())}


def release_epoch(released_at: str) -> int:
    """Midnight UTC of the release date, in seconds: the one timestamp inside a tarball."""
    day = dt.date.fromisoformat(released_at)
    return int(dt.datetime(day.year, day.month, day.day, tzinfo=dt.UTC).timestamp())


def tarball_bytes(top: str, files: Mapping[str, bytes], released_at: str) -> bytes:
    """A deterministic .tar.gz of `files` under the folder `top`."""
    mtime = release_epoch(released_at)
    buffer = io.BytesIO()
    with gzip.GzipFile(filename="", mode="wb", fileobj=buffer, mtime=0,
                       compresslevel=9) as zipped, \
            tarfile.open(fileobj=zipped, mode="w", format=tarfile.PAX_FORMAT) as archive:
        for name in _entries(top, files):
            if name in files:
                data = files[name]
                archive.addfile(_info(f"{top}/{name}", tarfile.REGTYPE, 0o644, mtime, len(data)),
                                io.BytesIO(data))
            else:
                archive.addfile(_info(f"{top}/{name}" if name else top, tarfile.DIRTYPE,
                                      0o755, mtime, 0))
    return buffer.getvalue()


def _entries(top: str, files: Mapping[str, bytes]) -> list[str]:
    """Every folder and file path inside `top` ('' is `top` itself), sorted."""
    names = set(files) | {""}
    for path in files:
        parts = path.split("/")
        names.update("/".join(parts[:depth]) for depth in range(1, len(parts)))
    return sorted(names)


def _info(name: str, kind: bytes, mode: int, mtime: int, size: int) -> tarfile.TarInfo:
    info = tarfile.TarInfo(name)
    info.type = kind
    info.mode = mode
    info.mtime = mtime
    info.size = size
    info.uid = info.gid = 0
    info.uname = info.gname = ""
    return info
