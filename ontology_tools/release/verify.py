"""`ontology verify BUNDLE`: a bundle folder or tarball against its own manifest and schemas."""

from __future__ import annotations

import hashlib
import json
import tarfile
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ontology_tools.errors import OntologyError
from ontology_tools.release.bundle import MANIFEST
from ontology_tools.runtime.progress import Progress
from ontology_tools.schemas import schema_errors


@dataclass(frozen=True)
class VerifyReport:
    """The files checked and every problem found, one line each."""

    bundle: str
    checked: int
    problems: tuple[str, ...]

    @property
    def ok(self) -> bool:
        """True when the bundle is exactly what its manifest says."""
        return not self.problems


def verify_bundle(path: Path) -> VerifyReport:
    """Check every file's sha256 and size, missing and extra files, and the two schemas.

    A manifest of any shape (not JSON, not an object, `files` not a list of entries) gives
    problems naming it, never an exception.
    """
    files = _bundle_files(path)
    if MANIFEST not in files:
        raise OntologyError(f"{path} is not a release bundle (no {MANIFEST} at its top)")
    manifest, unreadable = _read_json(files[MANIFEST])
    if unreadable:
        return VerifyReport(str(path), 0, (f"{MANIFEST}: {unreadable}",))
    problems = [*_schema_problems(MANIFEST, "manifest", manifest)]
    listed = _listed(manifest)
    with Progress("verifying", len(files)) as progress:
        if listed is not None:
            problems += _file_problems(files, listed, progress.advance)
        for name, data in sorted(files.items()):
            if name.startswith("kpis/") and name.endswith(".json"):
                problems += _kpi_problems(name, data)
            elif name.startswith("disputes/") and name.endswith(".json"):
                problems += _kpi_problems(name, data, "dispute")
    return VerifyReport(str(path), len(files), tuple(problems))


def _read_json(data: bytes) -> tuple[Any, str | None]:
    """The parsed document, or None and why it could not be read."""
    try:
        return json.loads(data), None
    except ValueError as err:  # includes bytes that are not UTF-8
        return None, f"not valid JSON ({err})"
    except RecursionError:
        return None, "not readable JSON (nested too deeply)"


def _listed(manifest: Any) -> dict[str, Mapping[str, Any]] | None:
    """The manifest's entries by path; None when `files` is not a list (the schema says so)."""
    entries = manifest.get("files") if isinstance(manifest, dict) else None
    if not isinstance(entries, list):
        return None
    return {str(entry.get("path")): entry for entry in entries if isinstance(entry, dict)}


def _file_problems(files: Mapping[str, bytes], listed: Mapping[str, Mapping[str, Any]],
                   advance: Callable[[int], None]) -> Iterator[str]:
    for name in sorted(set(files) | set(listed)):
        advance(1)
        if name == MANIFEST:
            continue
        if name not in files:
            yield f"{name}: missing (listed in the manifest)"
            continue
        if name not in listed:
            yield f"{name}: extra file (not in the manifest)"
            continue
        data, entry = files[name], listed[name]
        if len(data) != entry.get("size"):
            yield f"{name}: size {len(data)} differs from the manifest's {entry.get('size')}"
        digest = hashlib.sha256(data).hexdigest()
        if digest != entry.get("sha256"):
            yield f"{name}: sha256 {digest} differs from the manifest's {entry.get('sha256')}"


def _kpi_problems(name: str, data: bytes, schema: str = "kpi-release") -> Iterator[str]:
    document, unreadable = _read_json(data)
    if unreadable:
        yield f"{name}: {unreadable}"
        return
    yield from _schema_problems(name, schema, document)


def _schema_problems(name: str, schema: str, instance: Any) -> Iterator[str]:
    for error in schema_errors(schema, instance):
        yield f"{name}: {error.message} ({schema}.schema.json)"


def _bundle_files(path: Path) -> dict[str, bytes]:
    """The bundle's files by path inside its top folder."""
    if path.is_dir():
        return {p.relative_to(path).as_posix(): p.read_bytes()
                for p in sorted(path.rglob("*")) if p.is_file()}
    if not path.is_file():
        raise OntologyError(f"{path}: no such bundle folder or tarball")
    try:
        with tarfile.open(path, "r:gz") as archive:
            members = [m for m in archive.getmembers() if m.isfile()]
            tops = {m.name.split("/", 1)[0] for m in archive.getmembers()}
            if len(tops) != 1:
                raise OntologyError(f"{path}: a bundle tarball holds exactly one top folder")
            found = {}
            for member in members:
                top, sep, inside = member.name.partition("/")
                if not sep:
                    raise OntologyError(f"{path}: {member.name!r} lies outside the bundle's "
                                        f"top folder {top!r}")
                handle = archive.extractfile(member)
                found[inside] = handle.read() if handle else b""
            return found
    except (tarfile.TarError, OSError, EOFError) as err:
        raise OntologyError(f"{path} is not a readable bundle tarball ({err})") from None
