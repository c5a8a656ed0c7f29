"""Per-file validation results: read back from a content-hash cache, else computed (in parallel
when there are many).

What one KPI file gives on its own — its parsed data, or the YAML and JSON Schema findings that
stop it from being read — depends only on its path and bytes, the tool, the KPI schema and the
vocabularies. Those results are kept in `.ontology-cache/` at the repository root, so a warm
`validate` parses and schema-checks only the files that changed; cross-file rules run on
every run that is not replayed whole (`validation.replay`).

Safety:
- stale: the pack's name is a hash of the tool version, the KPI schema, the vocabularies of
  ontology.yaml and the size and mtime of the modules that compute the results; an entry is used
  only when the sha256 of the file's bytes matches the one stored with it;
- corrupted: the pack starts with a magic string and the sha256 of the rest; anything that does
  not check out (garbage, a truncated write, an unexpected shape) is ignored and rebuilt;
- concurrent: the pack is written to a temporary file and renamed over the old one, so readers
  see a whole pack, old or new; two runs that write at once each write a complete pack and the
  last rename wins, which costs the loser only its cache entries.
"""

from __future__ import annotations

import hashlib
import json
import marshal
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ontology_tools import __version__, yamlio
from ontology_tools.model import Finding, Severity
from ontology_tools.project.past import CACHE_DIR as CACHE_DIR
from ontology_tools.project.past import NO_CACHE_VARIABLE as NO_CACHE_VARIABLE
from ontology_tools.project.past import cache_disabled as cache_disabled
from ontology_tools.project.past import cache_folder, prepare_cache_folder
from ontology_tools.runtime.atomic import write_atomic
from ontology_tools.runtime.progress import Progress
from ontology_tools.runtime.sealed import file_signature, seal, unseal
from ontology_tools.schemas import SchemaError, schema, schema_errors

PACK_PREFIX = "results-"
VERDICT_PREFIX = "verdicts-"
VERDICT_SCHEMAS = ("ontology", "note", "dispute")  # the files checked whole on every run
FORMAT = b"ONTC0001"
PARALLEL_MIN_FILES = 500  # measured: 1,000 misses take 0.7 s on 2 cores, 1.0 s serially
CHUNK_FILES = 250


@dataclass(frozen=True)
class FileResult:
    """One KPI file on its own: its data when it parsed and matched the schema, else findings."""

    data: Mapping[str, Any] | None
    findings: tuple[Finding, ...]


def check_file(rel: str, data: bytes) -> FileResult:
    """Parse `data` with the fast loader and check it against the KPI schema."""
    try:
        parsed = yamlio.load_fast(data)
    except yamlio.YamlProblem as problem:
        return FileResult(None, (Finding(rel, problem.line, problem.col, Severity.ERROR,
                                         problem.rule, problem.message),))
    errors = list(schema_errors("kpi", parsed))
    if not errors:
        return FileResult(parsed, ())
    positions = yamlio.Positions(data.decode("utf-8"))  # one parse for all of them
    return FileResult(None, tuple(
        Finding(rel, *positions.locate(error.path, on_key=error.on_key), Severity.ERROR,
                "schema", error.message) for error in errors))


def _check_chunk(files: Mapping[str, bytes], rels: Sequence[str]) -> list[FileResult]:
    """`check_file` over one chunk of paths, in order (run by `parallel.ordered_chunks`)."""
    return [check_file(rel, files[rel]) for rel in rels]


def context_key(vocabularies: Any) -> str:
    """A hash of everything besides a file's bytes that its result depends on."""
    parts = {
        "format": FORMAT.decode(), "version": __version__, "schema": schema("kpi"),
        "vocabularies": vocabularies,
        "code": [file_signature(Path(module)) for module in (__file__, yamlio.__file__,
                                                               _schemas_file())],
    }
    text = json.dumps(parts, sort_keys=True, default=str, ensure_ascii=False)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:32]


def _schemas_file() -> str:
    from ontology_tools import schemas

    return schemas.__file__


class ResultCache:
    """One pack file of `{path: (sha256, data, findings)}` for one context key."""

    def __init__(self, folder: Path | None, context: str, prefix: str = PACK_PREFIX) -> None:
        self._folder = folder
        self._context = context
        self._prefix = prefix
        self._stored: dict[str, Any] = self._read() if folder is not None else {}
        self._kept: dict[str, Any] = {}
        self._changed = False

    @property
    def path(self) -> Path | None:
        """The pack file (None when caching is off)."""
        return None if self._folder is None else self._folder / f"{self._prefix}{self._context}"

    def _read(self) -> dict[str, Any]:
        path = self.path
        try:
            blob = path.read_bytes() if path is not None else b""
        except OSError:
            return {}
        return decode_pack(blob)

    def get(self, rel: str, digest: str) -> FileResult | None:
        """The stored result of `rel` when its bytes still hash to `digest`."""
        entry = self._stored.get(rel)
        if entry is None:
            return None
        try:
            stored_digest, data, findings = entry
            if stored_digest != digest:
                return None
            result = FileResult(data, tuple(
                Finding(rel, line, col, Severity(severity), rule, message)
                for line, col, severity, rule, message in findings))
        except (TypeError, ValueError):
            return None
        self._kept[rel] = entry
        return result

    def put(self, rel: str, digest: str, result: FileResult) -> None:
        """Remember a freshly computed result."""
        self._kept[rel] = (digest, result.data, [
            (f.line, f.col, str(f.severity), f.rule, f.message) for f in result.findings])
        self._changed = True

    def stored(self, key: str, digest: str) -> Any:
        """The raw entry stored under `key` for bytes hashing to `digest`, else None."""
        entry = self._stored.get(key)
        if not isinstance(entry, tuple) or len(entry) != 2 or entry[0] != digest:
            return None
        self._kept[key] = entry
        return entry[1]

    def store(self, key: str, digest: str, value: Any) -> None:
        """Remember `value` (marshal-able) for bytes hashing to `digest`."""
        self._kept[key] = (digest, value)
        self._changed = True

    def save(self) -> None:
        """Write the entries of this run (only those) if anything changed; never fail."""
        path = self.path
        if path is None or self._folder is None:
            return
        if not self._changed and len(self._kept) == len(self._stored):
            return
        try:
            prepare_cache_folder(self._folder)
            write_atomic(path, encode_pack(self._kept), durable=False)  # readers: whole packs
            _remove_other_packs(self._folder, self._prefix, path.name)
        except (OSError, ValueError):
            return


def encode_pack(entries: Mapping[str, Any]) -> bytes:
    """Magic, the sha256 of the payload, the payload."""
    return seal(FORMAT, marshal.dumps(dict(entries)))


def decode_pack(blob: bytes) -> dict[str, Any]:
    """The entries of a pack; {} for anything that is not a whole, intact pack."""
    payload = unseal(FORMAT, blob)
    if payload is None:
        return {}
    try:
        entries = marshal.loads(payload)
    except (EOFError, ValueError, TypeError):
        return {}
    return entries if isinstance(entries, dict) else {}


def _remove_other_packs(folder: Path, prefix: str, keep: str) -> None:
    """Packs of another context (an older schema, vocabulary or tool) can never be used again."""
    for other in folder.glob(f"{prefix}*"):
        if other.name != keep:
            other.unlink(missing_ok=True)


class SchemaVerdicts:
    """The JSON Schema errors of the files checked whole on every run (ontology.yaml, notes,
    disputes), kept by the sha256 of their bytes: a warm run never loads jsonschema for them.

    The verdict depends only on the bytes (the fast loader is deterministic) and the schema, so
    the pack's name hashes the tool version, those schemas and this module's code.
    """

    def __init__(self, root: Path, use_cache: bool = True) -> None:
        enabled = use_cache and not cache_disabled()
        self._cache = ResultCache(cache_folder(root) if enabled else None, _verdict_key(),
                                  VERDICT_PREFIX)

    def errors(self, name: str, rel: str, data: bytes, instance: Any) -> list[SchemaError]:
        """`schema_errors(name, instance)` for a file whose bytes are `data`, stored or computed."""
        key = f"{name}\0{rel}"
        digest = hashlib.sha256(data).hexdigest()
        stored = self._cache.stored(key, digest)
        if stored is not None:
            try:
                return [SchemaError(tuple(path), message, on_key)
                        for path, message, on_key in stored]
            except (TypeError, ValueError):
                pass
        found = list(schema_errors(name, instance))
        self._cache.store(key, digest, [(tuple(e.path), e.message, e.on_key) for e in found])
        return found

    def save(self) -> None:
        """Write the verdicts of this run if anything changed; never fail."""
        self._cache.save()


def _verdict_key() -> str:
    parts = {"format": FORMAT.decode(), "version": __version__,
             "schemas": [schema(name) for name in VERDICT_SCHEMAS],
             "code": [file_signature(Path(module)) for module in (__file__, yamlio.__file__,
                                                                   _schemas_file())]}
    text = json.dumps(parts, sort_keys=True, default=str, ensure_ascii=False)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:32]


def file_results(root: Path, files: Mapping[str, bytes], vocabularies: Any, *,
                 use_cache: bool = True) -> dict[str, FileResult]:
    """`check_file` of every file, from the cache where the bytes are unchanged.

    The result has the keys of `files` in their order, however the work was spread.
    """
    enabled = use_cache and not cache_disabled()
    cache = ResultCache(cache_folder(root) if enabled else None, context_key(vocabularies))
    digests = {rel: hashlib.sha256(data).hexdigest() for rel, data in files.items()}
    results: dict[str, FileResult] = {}
    misses: list[str] = []
    for rel in files:
        hit = cache.get(rel, digests[rel])
        if hit is None:
            misses.append(rel)
        else:
            results[rel] = hit
    with Progress("validating", len(files)) as progress:
        progress.advance(len(results))
        for rel, result in _compute(misses, files, progress.advance):
            results[rel] = result
            cache.put(rel, digests[rel], result)
    cache.save()
    return {rel: results[rel] for rel in files}


def _compute(rels: Sequence[str], files: Mapping[str, bytes],
             advance: Callable[[int], None]) -> Iterator[tuple[str, FileResult]]:
    """Serially, or in chunks over the cores when there are enough files to pay for it."""
    if not rels:
        return  # a warm run: not even the worker machinery (multiprocessing) is imported
    from ontology_tools.runtime.parallel import ordered_chunks

    for chunk, results in ordered_chunks(_check_chunk, rels, files, chunk_size=CHUNK_FILES,
                                         min_items=PARALLEL_MIN_FILES):
        yield from zip(chunk, results, strict=True)
        advance(len(chunk))
