"""Worktree, git ref or release bundle → Snapshot. Files are hashed here and parsed on demand.

A snapshot keys its KPIs by the `kpi.rogueId` each file carries, not by the file's name: a file
renamed to `win rate.yaml` is still `sales.win_rate` (validate reports the misplaced file). The
id is read cheaply: a match on the canonical layout (`kpi:` then `  rogueId: …` on the next line)
and a full parse only for files laid out otherwise; ids are remembered by blob id, so a file
whose bytes one snapshot has already identified is not read again by the next one. Files equal
on both sides of a diff are still never parsed.

Only regular files inside the repository are read (see layout.py): a KPI path that is a link,
a folder or a special file is refused with the message `validate` gives as its finding.
"""

from __future__ import annotations

import json
import os
import re
import tarfile
from collections.abc import Callable, Mapping
from functools import lru_cache
from pathlib import Path
from typing import Any

from ontology_tools import layout, yamlio
from ontology_tools.errors import OntologyError
from ontology_tools.gitrepo import Blob, GitRepo, blob_sha
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
# the canonical layout (what `fmt` and `new` write): `kpi:` and its first key, rogueId, on the
# next line; any other layout is parsed in full to find the id
_CANONICAL_ID = re.compile(rb"^kpi:(?:[ ]+#[^\r\n]*|[ ]*)\r?\n[ ]+rogueId:[ ]+"
                           rb"([a-z][a-z0-9_]*\.[a-z][a-z0-9_]*)(?:[ ]+#[^\r\n]*|[ ]*)\r?$",
                           re.MULTILINE)
# content id (git blob id of the bytes) → the rogueId those bytes carry (None: they carry none);
# content-addressed, so it is right for any repository and never goes stale
_IDS_BY_BLOB: dict[str, str | None] = {}
_LEARNT_WORKTREES: set[str] = set()


def _yaml_document(source: KpiSource) -> KpiDocument:
    data = yamlio.load_or_refuse(source.read(), source.path)
    if not isinstance(data, dict) or not isinstance(data.get("kpi"), dict):
        raise OntologyError(f"{source.path}: not a KPI file (run `ontology validate`)")
    return KpiDocument(source.rogue_id, source.path, _text(data.get("version")),
                       _text(data.get("releasedAt")), data["kpi"])


def _text(value: Any) -> str | None:
    return None if value is None else str(value)


def _cached(parse: Callable[[KpiSource], KpiDocument]) -> Callable[[KpiSource], KpiDocument]:
    return lru_cache(maxsize=None)(parse)


def carried_id(data: bytes) -> str | None:
    """The `kpi.rogueId` a KPI file's bytes carry (YAML or JSON), or None when there is none."""
    match = _CANONICAL_ID.search(data)
    if match is not None:
        return match.group(1).decode("ascii")
    try:
        document = _json_or_yaml(data)
    except yamlio.YamlProblem:
        return None
    kpi = document.get("kpi") if isinstance(document, dict) else None
    rogue_id = kpi.get("rogueId") if isinstance(kpi, dict) else None
    return rogue_id if isinstance(rogue_id, str) and rogue_id else None


def _json_or_yaml(data: bytes) -> Any:
    """A bundle's JSON with the JSON parser (much faster), anything else with the YAML one."""
    if data.lstrip()[:1] == b"{":
        try:
            return json.loads(data)
        except ValueError:
            pass  # not JSON after all (or a number beyond Python's limit): YAML says why
    return yamlio.load_fast(data)


def _identified(blob: str, read: Callable[[], bytes]) -> str | None:
    """`carried_id` of the bytes with git blob id `blob`, read only if not seen before."""
    if blob not in _IDS_BY_BLOB:
        _IDS_BY_BLOB[blob] = carried_id(read())
    return _IDS_BY_BLOB[blob]


def _learn_worktree_ids(root: Path) -> None:
    """Remember the id of every KPI file on disk by its blob id (once per worktree and run).

    Most blobs of a ref are files the worktree still holds: reading those from disk costs a
    hundredth of what reading them from the object store does, one by one.
    """
    key = os.path.realpath(root)
    if key in _LEARNT_WORKTREES:
        return
    _LEARNT_WORKTREES.add(key)
    for entry in layout.source_entries(root):
        if entry.problem is not None or rogue_id_for(entry.path) is None:
            continue
        try:
            data = layout.read_entry(root, entry)
        except (OSError, OntologyError):
            continue  # gone or swapped since the listing: the object store still has it
        _IDS_BY_BLOB.setdefault(blob_sha(data), carried_id(data))


def _keyed(sources: dict[str, KpiSource], rogue_id: str, path: str, digest: str,
           read: Callable[[], bytes], where: str = "") -> None:
    """Add a source under its id; two files carrying one id cannot be told apart."""
    other = sources.get(rogue_id)
    if other is not None:
        raise OntologyError(f"{other.path} and {path}{where} both carry rogueId {rogue_id!r} "
                            "(run `ontology validate`)")
    sources[rogue_id] = KpiSource(rogue_id, path, digest, read)


def worktree(root: Path, config: Mapping[str, Any] | None = None) -> Snapshot:
    """The files on disk, regular files inside the repository only (`config`: ontology.yaml
    when the caller has already parsed it)."""
    if config is None:
        config = yamlio.load_or_refuse(layout.read_file(root, ONTOLOGY_FILE), ONTOLOGY_FILE)
    sources: dict[str, KpiSource] = {}
    _LEARNT_WORKTREES.add(os.path.realpath(root))
    for entry in layout.kpi_entries(root):  # other paths: validate reports them, none is read
        path_id = rogue_id_for(entry.path) or entry.path
        data = layout.read_entry(root, entry)
        digest = blob_sha(data)
        _IDS_BY_BLOB.setdefault(digest, carried_id(data))
        _keyed(sources, _IDS_BY_BLOB[digest] or path_id, entry.path, digest, _constant(data))
    notes = tuple(read_note(entry.path, layout.read_entry(root, entry))
                  for entry in layout.note_file_entries(root))
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
    sources: dict[str, KpiSource] = {}
    shown = label or ref  # how output names it: a version or the ref as typed, not a hash
    for path, blob in repo.blobs(commit, "ontology").items():
        path_id = rogue_id_for(path)
        if path_id is None:
            continue
        _refuse_link(blob, shown)
        if blob.sha not in _IDS_BY_BLOB:
            _learn_worktree_ids(repo.root)
        _keyed(sources, _identified(blob.sha, blob.read) or path_id, path, blob.sha, blob.read,
               f" at {shown}")
    notes = []
    for path, blob in sorted(repo.blobs(commit, NOTES_DIR).items()):
        if path.endswith(".yaml"):
            _refuse_link(blob, shown)
            notes.append(read_note(path, blob.read()))
    config = yamlio.load_or_refuse(config_bytes, f"{ref}:{ONTOLOGY_FILE}")
    return Snapshot(label or ref, _mapping(config), sources, _cached(_yaml_document), commit,
                    tuple(notes))


def _refuse_link(blob: Blob, ref: str) -> None:
    """A link committed as a KPI or note: its blob is a path, not a file to read."""
    if blob.is_link:
        raise OntologyError(f"{blob.path} at {ref}: "
                            f"{layout.PROBLEMS[layout.EntryKind.LINK_INSIDE].message}")


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
    sources: dict[str, KpiSource] = {}
    for name, read in files.items():
        rel = name.removeprefix(base)
        parts = rel.split("/")
        if len(parts) == 3 and parts[0] == "kpis" and parts[2].endswith(".json"):
            path_id = f"{parts[1]}.{parts[2].removesuffix('.json')}"
            data = read()
            blob = blob_sha(data)
            _keyed(sources, _identified(blob, _constant(data)) or path_id, rel, "bundle:" + blob,
                   read)
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
                for p in sorted(path.rglob("*")) if p.is_file() and not p.is_symlink()}
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
    raw = yamlio.load_or_refuse(data, path)
    if not isinstance(raw, dict) or not isinstance(raw.get("kpis"), list):
        raise OntologyError(f"{path}: not a change note (run `ontology validate`)")
    waive = tuple(Waiver(str(w.get("rule")), str(w.get("justification", "")),
                         Bump.parse(str(w.get("bump", "patch"))))
                  for w in raw.get("waive") or [] if isinstance(w, dict))
    bump = raw.get("bump")
    return Note(path, tuple(str(k) for k in raw["kpis"]), str(raw.get("summary", "")).strip(),
                _text(raw.get("dispute")), Bump.parse(str(bump)) if bump else None, waive)


