"""Worktree, git ref or release bundle → Snapshot. Files are hashed here and parsed on demand."""

from __future__ import annotations

import json
import tarfile
from collections.abc import Callable, Mapping
from functools import lru_cache
from pathlib import Path
from typing import Any

from ontology_tools import yamlio
from ontology_tools.errors import OntologyError
from ontology_tools.gitrepo import GitRepo, blob_sha
from ontology_tools.model import (
    NOTES_DIR,
    ONTOLOGY_FILE,
    Bump,
    KpiDocument,
    KpiSource,
    Note,
    Snapshot,
    Waiver,
    rogue_id_for,
)

WORKTREE = "WORKTREE"
EMPTY = "EMPTY"


def load_yaml(data: bytes, where: str) -> Any:
    """Parse YAML read for a diff; a broken file is an error that points at validate."""
    try:
        return yamlio.load_fast(data)
    except yamlio.YamlProblem as problem:
        raise OntologyError(f"{where}:{problem.line}:{problem.col}: {problem.message} "
                            "(run `ontology validate`)") from None


def _yaml_document(source: KpiSource) -> KpiDocument:
    data = load_yaml(source.read(), source.path)
    if not isinstance(data, dict) or not isinstance(data.get("kpi"), dict):
        raise OntologyError(f"{source.path}: not a KPI file (run `ontology validate`)")
    return KpiDocument(source.rogue_id, source.path, _text(data.get("version")),
                       _text(data.get("releasedAt")), data["kpi"])


def _text(value: Any) -> str | None:
    return None if value is None else str(value)


def _cached(parse: Callable[[KpiSource], KpiDocument]) -> Callable[[KpiSource], KpiDocument]:
    return lru_cache(maxsize=None)(parse)


def worktree(root: Path, config: Mapping[str, Any] | None = None) -> Snapshot:
    """The files on disk (`config`: ontology.yaml when the caller has already parsed it)."""
    if config is None:
        config = load_yaml((root / ONTOLOGY_FILE).read_bytes(), ONTOLOGY_FILE)
    sources: dict[str, KpiSource] = {}
    for path in sorted((root / "ontology").glob("*/*.yaml")):
        rel = path.relative_to(root).as_posix()
        rogue_id = rogue_id_for(rel)
        if rogue_id is None:
            continue
        data = path.read_bytes()
        sources[rogue_id] = KpiSource(rogue_id, rel, blob_sha(data), _constant(data))
    notes = tuple(read_note(p.relative_to(root).as_posix(), p.read_bytes())
                  for p in sorted((root / NOTES_DIR).glob("*.yaml")))
    return Snapshot(WORKTREE, _mapping(config), sources, _cached(_yaml_document), None, notes)


def _constant(data: bytes) -> Callable[[], bytes]:
    return lambda: data


def _mapping(value: Any) -> Mapping[str, Any]:
    return value if isinstance(value, dict) else {}


def at_ref(repo: GitRepo, ref: str, label: str | None = None) -> Snapshot:
    """The ontology at a git ref, read from the object store (no checkout)."""
    commit = repo.resolve(ref)
    config_bytes = repo.read(commit, ONTOLOGY_FILE)
    if config_bytes is None:
        raise OntologyError(f"git ref {ref!r} has no {ONTOLOGY_FILE}")
    sources = {}
    for path, blob in repo.blobs(commit, "ontology").items():
        rogue_id = rogue_id_for(path)
        if rogue_id is not None:
            sources[rogue_id] = KpiSource(rogue_id, path, blob.sha, blob.read)
    notes = tuple(read_note(path, blob.read()) for path, blob
                  in sorted(repo.blobs(commit, NOTES_DIR).items()) if path.endswith(".yaml"))
    config = load_yaml(config_bytes, f"{ref}:{ONTOLOGY_FILE}")
    return Snapshot(label or ref, _mapping(config), sources, _cached(_yaml_document), commit,
                    notes)


def empty(name: str = "ontology") -> Snapshot:
    """The ontology before its first release: nothing at all."""
    return Snapshot(EMPTY, {"name": name, "version": None}, {}, _yaml_document)


def bundle(path: Path) -> Snapshot:
    """A release bundle: an `ontology-<version>/` folder or its `.tar.gz`."""
    files = _bundle_files(path)
    manifest_name = next((name for name in files if name.endswith("manifest.json")
                          and name.count("/") <= 1), None)
    if manifest_name is None:
        raise OntologyError(f"{path} is not a release bundle (no manifest.json)")
    base = manifest_name.removesuffix("manifest.json")
    manifest = json.loads(files[manifest_name]())
    sources = {}
    for name, read in files.items():
        rel = name.removeprefix(base)
        parts = rel.split("/")
        if len(parts) == 3 and parts[0] == "kpis" and parts[2].endswith(".json"):
            rogue_id = f"{parts[1]}.{parts[2].removesuffix('.json')}"
            sources[rogue_id] = KpiSource(rogue_id, rel, "bundle:" + blob_sha(read()), read)
    config = {"name": manifest.get("name"), "version": manifest.get("version"),
              "releasedAt": manifest.get("releasedAt")}
    ontology_json = files.get(base + "ontology.json")
    if ontology_json is not None:
        config.update(_mapping(json.loads(ontology_json()).get("ontology")))
    return Snapshot(str(path), config, sources, _cached(_json_document))


def _json_document(source: KpiSource) -> KpiDocument:
    try:
        data = json.loads(source.read())
    except ValueError as err:
        raise OntologyError(f"{source.path}: not valid JSON ({err})") from None
    return KpiDocument(source.rogue_id, source.path, _text(data.get("version")),
                       _text(data.get("releasedAt")), data.get("kpi", {}))


def _bundle_files(path: Path) -> dict[str, Callable[[], bytes]]:
    if path.is_dir():
        return {p.relative_to(path).as_posix(): _file_reader(p)
                for p in sorted(path.rglob("*")) if p.is_file()}
    try:
        with tarfile.open(path, "r:gz") as archive:
            return {member.name: _constant(_extract(archive, member))
                    for member in archive.getmembers() if member.isfile()}
    except (tarfile.TarError, OSError) as err:
        raise OntologyError(f"{path} is not a readable release tarball ({err})") from None


def _file_reader(path: Path) -> Callable[[], bytes]:
    return path.read_bytes


def _extract(archive: tarfile.TarFile, member: tarfile.TarInfo) -> bytes:
    handle = archive.extractfile(member)
    return handle.read() if handle is not None else b""


def read_note(path: str, data: bytes) -> Note:
    """A change note file → Note (validation has already checked its shape)."""
    raw = load_yaml(data, path)
    if not isinstance(raw, dict) or not isinstance(raw.get("kpis"), list):
        raise OntologyError(f"{path}: not a change note (run `ontology validate`)")
    waive = tuple(Waiver(str(w.get("rule")), str(w.get("justification", "")),
                         Bump.parse(str(w.get("bump", "patch"))))
                  for w in raw.get("waive") or [] if isinstance(w, dict))
    bump = raw.get("bump")
    return Note(path, tuple(str(k) for k in raw["kpis"]), str(raw.get("summary", "")).strip(),
                _text(raw.get("dispute")), Bump.parse(str(bump)) if bump else None, waive)


def open_snapshot(root: Path, spec: str, repo: GitRepo | None) -> Snapshot:
    """WORKTREE, a bundle folder or tarball, or a git ref."""
    if spec == WORKTREE:
        return worktree(root)
    if spec == EMPTY:
        return empty()
    candidate = Path(spec)
    if candidate.exists() and (candidate.is_dir() or candidate.name.endswith((".tar.gz", ".tgz"))):
        return bundle(candidate)
    if repo is None:
        raise OntologyError(f"{spec!r} is not a bundle and {root} is not a git repository")
    return at_ref(repo, spec)
