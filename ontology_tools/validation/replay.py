"""The last run's findings, replayed when nothing that run read has changed since.

A `validate` of an unchanged ontology (the pre-commit hook, an editor's save, CI on a warm
cache) reaches the same findings every time: they are a function of the files under ontology/,
changelog/unreleased/ and changelog/disputes/, of what the repository's refs say about the last
release, and of the toolkit's code. A run's fingerprint hashes all of them:

- every entry under those folders, looked at without following links: a file by its path and
  the sha256 of its bytes (an edit of the same size and mtime still changes it), a link by its
  text, where it leads and whether that exists, a folder or special file by its kind; and the
  kind of the folders themselves, of changelog/ and of changelog/CHANGELOG.md;
- the repository's refs and shallow boundary (`gitrepo.ref_state`), and where the root lies;
- the tool version, the Python version, and the size, mtime and ctime of every file of the
  package (a new release of the code is a new fingerprint).

When the file `run-<fingerprint>` in `.ontology-cache/` is whole, its findings are the answer
and none of the checks, schemas or YAML parsers is imported: that keeps a warm `validate`
within twice a bare click start-up. Anything else — no git that can tell the refs, a damaged or
foreign file — is a miss, and the full run writes a new one. The fingerprint is taken before the
run reads anything, so a file edited during a run gives the next run a new fingerprint.
"""

from __future__ import annotations

import hashlib
import json
import marshal
import os
import stat
import sys
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path
from typing import Any

from ontology_tools import __version__
from ontology_tools.gitrepo import NOT_A_REPOSITORY, ref_state
from ontology_tools.layout import DISPUTES_DIR, KPI_ROOT, NOTES_DIR
from ontology_tools.model import Finding, Severity
from ontology_tools.project.past import cache_folder, prepare_cache_folder
from ontology_tools.runtime.sealed import seal, unseal
from ontology_tools.validation import Report

RUN_PREFIX = "run-"
FORMAT = b"ONTR0001"
WATCHED_FOLDERS = (KPI_ROOT, NOTES_DIR, DISPUTES_DIR)  # every entry below decides findings
WATCHED_PATHS = ("changelog", "changelog/CHANGELOG.md")  # their kind decides findings
PACKAGE = Path(__file__).resolve().parent.parent
READ_FLAGS = os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_NONBLOCK", 0)


def fingerprint(root: Path, package: Path = PACKAGE,
                stamp: list[Any] | None = None) -> str | None:
    """A hash of everything a run of `validate` under `root` reads; None when it cannot be
    told (git cannot name the refs, or `root` is in no repository).

    `stamp`, when given, is filled with what `unchanged_since` compares, each entry looked at
    just before its bytes are hashed.
    """
    refs = ref_state(root)
    if refs is None or refs == NOT_A_REPOSITORY:
        return None
    digest = hashlib.sha256()
    head = [FORMAT.decode(), __version__, sys.version, os.path.realpath(root), refs]
    if stamp is not None:
        stamp[:] = [refs]
    try:
        parts = (head, list(code_signature(package)), list(source_state(root, stamp)))
    except OSError:  # an entry that cannot be looked at: the full run reports it
        return None
    for part in parts:
        # ensure_ascii: a file name that is not UTF-8 (a surrogate) is hashed, not refused
        digest.update(json.dumps(part, ensure_ascii=True).encode("ascii") + b"\0")
    return digest.hexdigest()[:32]


# the libraries whose messages findings quote: an upgrade of one is a new fingerprint
QUOTED_LIBRARIES = ("jsonschema", "ruamel.yaml", "_ruamel_yaml")


def code_signature(package: Path) -> Iterator[list[Any]]:
    """Path, size, mtime and ctime of every file of the toolkit's package (bytecode aside), and
    of the entry file of each library whose messages the findings quote."""
    for name in QUOTED_LIBRARIES:
        yield [name, *_library_file(name)]
    for folder, subfolders, names in os.walk(package):
        subfolders[:] = sorted(name for name in subfolders if name != "__pycache__")
        for name in sorted(names):
            path = os.path.join(folder, name)
            info = os.lstat(path)
            yield [os.path.relpath(path, package), info.st_size, info.st_mtime_ns,
                   info.st_ctime_ns]


def unchanged_since(root: Path, stamp: Sequence[Any]) -> bool:
    """True when the refs and every watched entry are as `fingerprint` found them (its
    `stamp`): inode, size, times and kind, a link's target. Any write moves a file's ctime, so
    equal stamps mean nothing was written while a run read the files."""
    now: list[Any] = [ref_state(root)]
    try:
        list(source_state(root, now, describe=False))
    except OSError:
        return False
    return now == list(stamp)


def _stat(path: str) -> list[Any]:
    try:
        info = os.lstat(path)
    except FileNotFoundError:
        return ["missing"]
    kind = ("link" if stat.S_ISLNK(info.st_mode) else "folder" if stat.S_ISDIR(info.st_mode)
            else "file" if stat.S_ISREG(info.st_mode) else "special")
    target = os.readlink(path) if kind == "link" else None
    return [kind, info.st_ino, info.st_size, info.st_mtime_ns, info.st_ctime_ns, target]


def _library_file(name: str) -> list[Any]:
    """Where a library's entry file lies, with its size and times (found, never imported: not
    even the parent of a dotted name)."""
    from importlib.machinery import PathFinder

    search: list[str] | None = None
    spec = None
    for part in name.split("."):
        spec = PathFinder.find_spec(part, search)
        if spec is None:
            return ["missing"]
        search = list(spec.submodule_search_locations or [])
    origin = spec.origin if spec is not None else None
    if not origin or not os.path.exists(origin):
        return ["missing"]
    info = os.stat(origin)
    return [origin, info.st_size, info.st_mtime_ns, info.st_ctime_ns]


def source_state(root: Path, stamp: list[Any] | None = None, *,
                 describe: bool = True) -> Iterator[list[Any]]:
    """Every watched path and every entry below the watched folders, each described (what
    decides the findings); each one's `_stat` is appended to `stamp` first, when given."""
    def looked_at(path: str) -> list[Any]:
        info = _stat(path)
        if stamp is not None:
            stamp.append([path, *info])
        return _describe(path, info) if describe else info

    for relative in (*WATCHED_PATHS, *WATCHED_FOLDERS):
        yield [relative, *looked_at(os.path.join(root, relative))]
    for relative in WATCHED_FOLDERS:
        yield from _entries(os.path.join(root, relative), relative, looked_at)


def _entries(folder: str, relative: str,
             look: Callable[[str], list[Any]]) -> Iterator[list[Any]]:
    """The entries of `folder` (reached as `validate` reaches it), folders descended but
    never a link, each as `look` describes it."""
    try:
        names = sorted(os.listdir(folder))
    except (FileNotFoundError, NotADirectoryError):
        return
    for name in names:
        path = os.path.join(folder, name)
        description = look(path)
        yield [f"{relative}/{name}", *description]
        if description[0] == "folder":
            yield from _entries(path, f"{relative}/{name}", look)


def _describe(path: str, info: list[Any]) -> list[Any]:
    """What decides the findings of one path (its `_stat` already taken): its kind, and its
    bytes or where it leads."""
    kind = info[0]
    if kind == "link":
        return ["link", info[5], os.path.realpath(path), os.path.exists(path)]
    if kind == "file":
        return ["file", _content_digest(path)]
    if kind == "special":
        return ["special", stat.S_IFMT(os.lstat(path).st_mode)]
    return [kind]  # "folder" or "missing"


def _content_digest(path: str) -> str:
    """The sha256 of a regular file's bytes, never read through a link (or a FIFO)."""
    fd = os.open(path, READ_FLAGS)
    try:
        digest = hashlib.sha256()
        while chunk := os.read(fd, 1 << 20):
            digest.update(chunk)
        return digest.hexdigest()
    finally:
        os.close(fd)


def run_file(root: Path, key: str) -> Path | None:
    """Where the findings of the run with fingerprint `key` are kept (None: nowhere, see
    `cache_folder`)."""
    folder = cache_folder(root)
    return None if folder is None else folder / f"{RUN_PREFIX}{key}"


def recall(root: Path, key: str) -> Report | None:
    """The report of the run with fingerprint `key`; None when none is kept whole."""
    path = run_file(root, key)
    if path is None:
        return None
    try:
        payload = unseal(FORMAT, path.read_bytes())
    except OSError:
        return None
    if payload is None:
        return None
    try:
        return _decode(marshal.loads(payload))
    except (EOFError, ValueError, TypeError, KeyError):
        return None


def _decode(stored: Any) -> Report:
    """A report from its stored form; raises ValueError (or TypeError) on any other shape."""
    files, rows = stored["files"], stored["findings"]
    if not isinstance(files, int) or not isinstance(rows, list):
        raise ValueError("not a stored run")
    findings = []
    for path, line, col, severity, rule, message in rows:
        if not (isinstance(path, str) and isinstance(line, int) and isinstance(col, int)
                and isinstance(rule, str) and isinstance(message, str)):
            raise ValueError("not a stored finding")
        findings.append(Finding(path, line, col, Severity(severity), rule, message))
    return Report(tuple(findings), files)


def remember(root: Path, key: str, report: Report) -> None:
    """Keep `report` as the run with fingerprint `key`, replacing any other; never fail."""
    from ontology_tools.runtime.atomic import write_atomic  # only a run that writes needs it

    path = run_file(root, key)
    if path is None:
        return
    stored = {"files": report.files, "findings": [
        (f.path, f.line, f.col, str(f.severity), f.rule, f.message) for f in report.findings]}
    try:
        prepare_cache_folder(path.parent)
        write_atomic(path, seal(FORMAT, marshal.dumps(stored)), durable=False)
        for other in path.parent.glob(f"{RUN_PREFIX}*"):
            if other != path:
                other.unlink(missing_ok=True)
    except (OSError, ValueError):
        return
