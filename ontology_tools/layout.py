"""Where things live in the repository, and which of its files the toolkit may read.

One home for every path rule: rogueId <-> KPI path, the change-notes folder, what a note may be
called, and the file-kind rule of SPEC 8 — the toolkit reads only regular files that lie inside
the repository. A symbolic link under `ontology/` or `changelog/` is never followed (one that
leads outside would print another file's bytes; one that stays inside would make git, the
bundle and the worktree disagree, and a release would replace it with a copy), a folder named
like a YAML file is not a KPI, and each of them is a finding that names it. And where the
toolkit may put what it builds: an output folder (`release --out`, `docs --out`) lies outside the
sources and is not the repository root (SPEC 6.2, 7.2).
"""

from __future__ import annotations

import enum
import errno
import os
import re
import stat
from dataclasses import dataclass
from pathlib import Path

from ontology_tools.errors import OntologyError

KPI_ROOT = "ontology"
ONTOLOGY_FILE = "ontology/ontology.yaml"
NOTES_DIR = "changelog/unreleased"
DISPUTES_DIR = "changelog/disputes"
DISPUTE_SUFFIX = ".yaml"
DISPUTE_ID = re.compile(r"^D-([0-9]{4})-([0-9]{3,})$")  # D-YYYY-NNN: a dispute's id and file stem
NOTE_SUFFIX = ".yaml"
KPI_SUFFIX = ".yaml"
IGNORED_NAMES = frozenset({".gitkeep", ".DS_Store"})
NOTE_NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_-]*(?:\.[A-Za-z0-9_-]+)*$")
NOTE_NAME_MAX = 100


def rogue_id_for(path: str) -> str | None:
    """`ontology/<domain>/<slug>.yaml` → `<domain>.<slug>`; None for any other path."""
    parts = path.split("/")
    if len(parts) != 3 or parts[0] != KPI_ROOT or not parts[2].endswith(KPI_SUFFIX):
        return None
    return f"{parts[1]}.{parts[2].removesuffix(KPI_SUFFIX)}"


def kpi_path_for(rogue_id: str) -> str:
    """`<domain>.<slug>` → `ontology/<domain>/<slug>.yaml`."""
    domain, _, slug = rogue_id.partition(".")
    return f"{KPI_ROOT}/{domain}/{slug}{KPI_SUFFIX}"


def bundle_kpi_path(rogue_id: str) -> str:
    """`<domain>.<slug>` → `kpis/<domain>/<slug>.json`: the KPI's file in a bundle (and beside
    the docs' pages)."""
    domain, _, slug = rogue_id.partition(".")
    return f"kpis/{domain}/{slug}.json"


def dispute_file_id(path: str) -> str:
    """`changelog/disputes/<id>.yaml` → `<id>`: the id a dispute file's name gives it."""
    return path.rsplit("/", 1)[-1].removesuffix(DISPUTE_SUFFIX)


class EntryKind(enum.Enum):
    """What a directory entry is, as far as reading it is concerned."""

    FILE = "file"
    FOLDER = "folder"
    LINK_INSIDE = "link inside the repository"
    LINK_OUTSIDE = "link outside the repository"
    LINK_DANGLING = "dangling link"
    NOT_A_FOLDER = "not a folder"  # a file (or other entry) where a folder belongs
    SPECIAL = "special file"


LINKS = frozenset({EntryKind.LINK_INSIDE, EntryKind.LINK_OUTSIDE, EntryKind.LINK_DANGLING})


@dataclass(frozen=True)
class PathProblem:
    """Why an entry is not read: a validation rule id and one sentence."""

    rule: str
    message: str


PROBLEMS = {
    EntryKind.LINK_OUTSIDE: PathProblem(
        "path-outside-repository", "a symbolic link that leads outside the repository; nothing "
        "is read through it (put the file or folder itself here)"),
    EntryKind.LINK_INSIDE: PathProblem(
        "path-symlink", "a symbolic link; sources are regular files in real folders (git keeps "
        "the link, not what it points to, and a release would replace it with a copy)"),
    EntryKind.LINK_DANGLING: PathProblem(
        "path-not-a-file", "a symbolic link to nothing; sources are regular files in real "
        "folders"),
    EntryKind.FOLDER: PathProblem(
        "path-not-a-file", "a folder named like a YAML file; a KPI is a file "
        "ontology/<domain>/<slug>.yaml"),
    EntryKind.NOT_A_FOLDER: PathProblem(
        "path-not-a-folder", "not a folder, and nothing in it is read; move it away so the "
        "folder can be made"),
    EntryKind.SPECIAL: PathProblem(
        "path-not-a-file", "not a regular file; sources must be regular files"),
}


@dataclass(frozen=True)
class Entry:
    """One directory entry under the repository root, by its relative POSIX path."""

    path: str
    kind: EntryKind

    @property
    def problem(self) -> PathProblem | None:
        """Why the toolkit refuses to read this entry as a source file; None for a file."""
        return PROBLEMS.get(self.kind)

    def refusal(self) -> PathRefused:
        """The error a command other than `validate` raises for this entry."""
        return PathRefused(self.path, self.problem or PROBLEMS[EntryKind.SPECIAL])


class PathRefused(OntologyError):
    """A source path the toolkit will not read: a link, a folder, outside the repository."""

    def __init__(self, path: str, problem: PathProblem) -> None:
        super().__init__(f"{path}: {problem.message} (run `ontology validate`)")
        self.path = path
        self.problem = problem


def is_inside(root: Path, path: Path) -> bool:
    """True when `path`, all links resolved, lies inside `root` (links resolved too)."""
    real_root = os.path.realpath(root)
    real = os.path.realpath(path)
    return real == real_root or real.startswith(real_root.rstrip(os.sep) + os.sep)


def _link_kind(root: Path, path: Path) -> EntryKind:
    if not is_inside(root, path):
        return EntryKind.LINK_OUTSIDE
    return EntryKind.LINK_INSIDE if os.path.exists(path) else EntryKind.LINK_DANGLING


def _entry_kind(root: Path, entry: os.DirEntry[str]) -> EntryKind:
    """The kind of a scandir entry; links are looked at, never followed."""
    if entry.is_symlink():
        return _link_kind(root, Path(entry.path))
    if entry.is_dir(follow_symlinks=False):
        return EntryKind.FOLDER
    if entry.is_file(follow_symlinks=False):
        return EntryKind.FILE
    return EntryKind.SPECIAL


def source_entries(root: Path) -> list[Entry]:
    """Every entry under ontology/ but ontology.yaml, sorted: files, links, odd folders.

    Folders are descended (never through a link); a folder is listed itself only when it is
    named like a KPI file. One `scandir` per folder: file types come with the listing, so
    10,000 KPI files cost no extra system call each.
    """
    found: list[Entry] = []
    folders = [(root / KPI_ROOT, KPI_ROOT)]
    while folders:
        folder, relative = folders.pop()
        try:
            entries = list(os.scandir(folder))
        except (FileNotFoundError, NotADirectoryError):
            continue
        for item in entries:
            path = f"{relative}/{item.name}"
            kind = _entry_kind(root, item)
            if kind is EntryKind.FOLDER:
                folders.append((Path(item.path), path))
                if item.name.endswith(KPI_SUFFIX):
                    found.append(Entry(path, kind))
            elif item.name not in IGNORED_NAMES and path != ONTOLOGY_FILE:
                found.append(Entry(path, kind))
    return sorted(found, key=lambda entry: entry.path)


def entry_at(root: Path, relative: str) -> Entry:
    """The entry at one path, looked at without following it (for a path given by a user)."""
    path = root / relative
    if os.path.islink(path):
        return Entry(relative, _link_kind(root, path))
    if not is_inside(root, path):  # a folder above it is a link that leaves the repository
        return Entry(relative, EntryKind.LINK_OUTSIDE)
    mode = os.lstat(path).st_mode
    kind = EntryKind.FILE if stat.S_ISREG(mode) else (
        EntryKind.FOLDER if stat.S_ISDIR(mode) else EntryKind.SPECIAL)
    return Entry(relative, kind)


def kpi_entries(root: Path) -> list[Entry]:
    """The entries at KPI paths, ontology/<domain>/<slug>.yaml, sorted: what every command but
    `validate` reads. A link, a folder or a special file there, or a link anywhere under
    ontology/ (a linked domain folder), is refused with `validate`'s message for it, so nothing
    is read through it and nothing is skipped silently."""
    entries = []
    for entry in source_entries(root):
        at_kpi_path = rogue_id_for(entry.path) is not None
        if entry.problem is not None and (at_kpi_path or entry.kind in LINKS):
            raise entry.refusal()  # a linked domain folder hides its KPIs: never skipped
        if at_kpi_path:
            entries.append(entry)
    return entries


def unreadable_folder(root: Path, relative: str) -> Entry | None:
    """The folder `relative` as an entry when it (or a folder above it) must not be read: a
    link that leaves the repository or leads nowhere, or something that is not a folder. None
    when it may be read or is absent."""
    path = root / relative
    if not os.path.lexists(path):
        return None
    if not is_inside(root, path):
        return Entry(relative, EntryKind.LINK_OUTSIDE)
    if not path.exists():  # a link to nothing: not "no folder", or its files would vanish
        return Entry(relative, EntryKind.LINK_DANGLING)
    if not path.is_dir():
        return Entry(relative, EntryKind.NOT_A_FOLDER)
    return None


def note_entries(root: Path) -> list[Entry]:
    """Every entry of changelog/unreleased/ but the ignored names, sorted; [] without one."""
    folder = root / NOTES_DIR
    unreadable = unreadable_folder(root, NOTES_DIR)
    if unreadable is not None:
        return [unreadable]
    try:
        entries = list(os.scandir(folder))
    except (FileNotFoundError, NotADirectoryError):
        return []
    return sorted((Entry(f"{NOTES_DIR}/{item.name}", _entry_kind(root, item))
                   for item in entries if item.name not in IGNORED_NAMES),
                  key=lambda entry: entry.path)


def note_file_entries(root: Path) -> list[Entry]:
    """The change notes every command but `validate` reads, sorted. A notes folder that cannot
    be read (`unreadable_folder`) is refused with `validate`'s message for it, so notes are
    never read through it nor skipped silently; a stray file is passed by (`validate` names it)."""
    entries = note_entries(root)
    for entry in entries:
        if entry.path == NOTES_DIR:
            raise entry.refusal()
    return [entry for entry in entries if is_note(entry)]


def is_note(entry: Entry) -> bool:
    """True for an entry that other commands take as a change note: a `.yaml` name."""
    return entry.path != NOTES_DIR and entry.path.endswith(NOTE_SUFFIX)


def stray_note_problem(entry: Entry) -> PathProblem | None:
    """What is wrong with an entry of changelog/unreleased/; None for a change note file."""
    name = entry.path.rsplit("/", 1)[-1]
    if entry.kind is EntryKind.FILE:
        if name.endswith(NOTE_SUFFIX):
            return None
        if name.endswith(".yml"):
            return PathProblem("note-stray-file", f"change notes end in {NOTE_SUFFIX}, so this "
                               f"one is never read: rename it to "
                               f"{name.removesuffix('.yml')}{NOTE_SUFFIX}")
        return PathProblem("note-stray-file", f"not a change note, and never read: {NOTES_DIR}/ "
                           f"holds only change notes named <name>{NOTE_SUFFIX}")
    if entry.kind is EntryKind.FOLDER:
        return PathProblem("note-stray-file", f"a folder, and never read: {NOTES_DIR}/ holds "
                           f"only change notes named <name>{NOTE_SUFFIX}")
    return entry.problem


def dispute_entries(root: Path) -> list[Entry]:
    """Every entry of changelog/disputes/ but the ignored names, sorted.

    Only a regular `*.yaml` file is ever read; anything else is named by
    `dispute_entry_problem` (a file of another name is a `dispute-stray-file`). When the
    folder itself cannot be read (`unreadable_folder`), that is the one entry: nothing under it
    is listed. [] without a disputes folder.
    """
    unreadable = unreadable_folder(root, DISPUTES_DIR)
    if unreadable is not None:
        return [unreadable]
    try:
        listing = list(os.scandir(root / DISPUTES_DIR))
    except (FileNotFoundError, NotADirectoryError):
        return []
    found = []
    for item in listing:
        if item.name in IGNORED_NAMES:
            continue
        found.append(Entry(f"{DISPUTES_DIR}/{item.name}", _entry_kind(root, item)))
    return sorted(found, key=lambda entry: entry.path)


DISPUTE_STRAY_FILE = "dispute-stray-file"
DISPUTE_FOLDER_PROBLEM = PathProblem(
    "path-not-a-file", f"a folder; {DISPUTES_DIR}/ holds only dispute files named "
    f"<id>{DISPUTE_SUFFIX}")


def dispute_entry_problem(entry: Entry) -> PathProblem | None:
    """Why an entry of changelog/disputes/ is not read as a dispute; None for a dispute file."""
    if entry.kind is EntryKind.FOLDER:
        return DISPUTE_FOLDER_PROBLEM
    name = entry.path.rsplit("/", 1)[-1]
    if entry.kind is not EntryKind.FILE or (name.endswith(DISPUTE_SUFFIX)
                                            and DISPUTE_ID.match(dispute_file_id(name))):
        return entry.problem
    stem = name.removesuffix(".yml")
    if name.endswith(".yml") and DISPUTE_ID.match(stem):
        hint = f"rename it to {stem}{DISPUTE_SUFFIX}"
    else:
        hint = (f"{DISPUTES_DIR}/ holds only dispute files named <id>{DISPUTE_SUFFIX}, the id "
                "as D-YYYY-NNN (`ontology dispute open` names them)")
    return PathProblem(DISPUTE_STRAY_FILE, f"not a dispute file, and never read: {hint}")


def dispute_file_entries(root: Path) -> list[Entry]:
    """The dispute files every command but `validate` reads, sorted; a link or a folder in
    changelog/disputes/ (or the folder leading outside) is refused with `validate`'s message
    for it, so nothing is read through it and nothing is skipped silently."""
    entries = []
    for entry in dispute_entries(root):
        problem = dispute_entry_problem(entry)
        if problem is not None and problem.rule == DISPUTE_STRAY_FILE:
            continue  # a file that is not a dispute: `validate` names it, others pass it by
        if problem is not None:
            raise PathRefused(entry.path, problem)
        entries.append(entry)
    return entries


def note_name_problem(name: str) -> str | None:
    """Why `name` cannot be a note's file stem (a path separator, `..`, a suffix); None if ok."""
    if "/" in name or "\\" in name or ".." in name:
        return (f"note name {name!r} must be a plain file name: no path separator and no '..' "
                f"(the note is written to {NOTES_DIR}/<name>{NOTE_SUFFIX})")
    if name.endswith((NOTE_SUFFIX, ".yml")):
        return f"note name {name!r} is the stem only: leave out the {NOTE_SUFFIX} suffix"
    if len(name) > NOTE_NAME_MAX or not NOTE_NAME.match(name):
        return (f"note name {name!r} must be letters, digits, '-', '_' and '.', starting with a "
                f"letter or digit, at most {NOTE_NAME_MAX} characters")
    return None


def note_path(root: Path, name: str) -> Path:
    """Where the note called `name` is written; refuses a name that is not a plain stem, and a
    notes folder that leads outside the repository (nothing is written through it)."""
    problem = note_name_problem(name)
    if problem is not None:
        raise OntologyError(problem)
    unreadable = unreadable_folder(root, NOTES_DIR)  # outside, to nothing, or not a folder
    if unreadable is not None:
        raise unreadable.refusal()
    return root / NOTES_DIR / f"{name}{NOTE_SUFFIX}"


def read_entry(root: Path, entry: Entry) -> bytes:
    """The bytes of a listed entry: only a regular file, and never through a link.

    The listing never descended a link; `O_NOFOLLOW` and the type check on the open file
    keep a file swapped for a link (or a folder) since the listing from being read.
    """
    if entry.problem is not None:
        raise entry.refusal()
    return _read_regular(root, entry.path)


def read_file(root: Path, relative: str) -> bytes:
    """The bytes of a fixed path such as ontology/ontology.yaml, only inside the repository."""
    path = root / relative
    if os.path.islink(path) or not is_inside(root, path):
        kind = _link_kind(root, path) if os.path.islink(path) else EntryKind.LINK_OUTSIDE
        raise Entry(relative, kind).refusal()
    if os.path.isdir(path):
        raise Entry(relative, EntryKind.FOLDER).refusal()
    return _read_regular(root, relative)


def _read_regular(root: Path, relative: str) -> bytes:
    # plain os calls on a joined string: pathlib and a file object per file cost more than the
    # read itself when a command reads 10,000 KPI files
    path = os.path.join(root, relative)
    # O_NONBLOCK: opening a FIFO put where a file was expected must not hang the command
    flags = os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_NONBLOCK", 0)
    try:
        fd = os.open(path, flags)
    except OSError as err:
        if err.errno == errno.ELOOP:  # the final component became a link after listing
            raise Entry(relative, _link_kind(root, Path(path))).refusal() from None
        raise
    try:
        info = os.fstat(fd)
        if not stat.S_ISREG(info.st_mode):
            raise Entry(relative, EntryKind.SPECIAL).refusal()
        chunks = []
        while chunk := os.read(fd, max(info.st_size, 1) + 1):
            chunks.append(chunk)
        return b"".join(chunks)
    finally:
        os.close(fd)


# Folders that hold what people write and git tracks: a build output there would mix with the
# sources (a bundle under ontology/ is read back by `validate` as hundreds of broken KPIs).
PROTECTED_FOLDERS = ("ontology", "changelog", "schemas", ".git")


class OutputFolderError(OntologyError):
    """An output folder (`--out`) that is not a folder, or lies where the sources are."""


def check_output_folder(root: Path, out: Path, *, label: str | None = None) -> Path:
    """The resolved output folder, or OutputFolderError naming the path and the rule it breaks.

    An output folder is a folder or absent (created on demand), lies outside ontology/,
    changelog/, schemas/ and .git/, and is not the repository root itself. Symbolic links are
    followed first, so a link into ontology/ is refused like ontology/ itself. `label` is how
    the message names the folder (default `--out <out>`).
    """
    root = root.resolve()
    folder = out.resolve()
    shown = label or f"--out {out}"
    if folder.exists() and not folder.is_dir():
        raise OutputFolderError(f"{shown} is a file, not a folder")
    blocker = _first_file_above(folder)
    if blocker is not None:
        raise OutputFolderError(f"{shown} cannot be a folder: {blocker} is a file")
    if folder == root:
        raise OutputFolderError(f"{shown} is the repository root; choose a folder such as dist/")
    for name in PROTECTED_FOLDERS:
        protected = root / name
        if folder == protected or folder.is_relative_to(protected):
            raise OutputFolderError(f"{shown} lies inside {name}/, which holds the "
                                    "repository's sources; choose a folder such as dist/")
    return folder


def _first_file_above(folder: Path) -> Path | None:
    """The nearest existing ancestor of a missing folder, when it is a file (no folder can
    be made below it)."""
    for parent in folder.parents:
        if parent.exists():
            return None if parent.is_dir() else parent
    return None
