"""Carry out a journal: idempotent steps in a fixed order, each safe to repeat after a crash."""

from __future__ import annotations

import hashlib
from collections.abc import Collection
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

from ontology_tools.errors import OntologyError
from ontology_tools.gitrepo import GitRepo
from ontology_tools.project.releases import TRAILER
from ontology_tools.release.bundle import MANIFEST, bundle_stream, folder_name, read_released
from ontology_tools.release.faults import StepCounter
from ontology_tools.release.folder import BundleFolder
from ontology_tools.release.journal import Journal, remove_journal
from ontology_tools.release.tarball import TarballWriter
from ontology_tools.runtime.atomic import (
    atomic_stream,
    flush_to_disk,
    remove_atomic,
    remove_leftovers,
    write_atomic,
)
from ontology_tools.runtime.progress import Progress

BUNDLE_EXTRA_FILES = 5  # index, methodology, ontology.json, CHANGELOG.md, manifest


@dataclass(frozen=True)
class Outcome:
    """What a finished release left behind."""

    folder: Path
    tarball: Path
    tarball_sha256: str
    commit: str | None
    tag: str | None


def commit_message(version: str) -> str:
    """`Release ontology <version>`, a blank line, and the release trailer."""
    return f"Release ontology {version}\n\n{TRAILER}: {version}\n"


def release_timestamp(released_at: str) -> str:
    """The release date at midnight UTC, used as the commit and tag date."""
    return f"{released_at}T00:00:00+00:00"


def carry_out(root: Path, journal: Journal, repo: GitRepo | None,
              steps: StepCounter) -> Outcome:
    """Sources, then commit, tag and bundle; then the journal goes."""
    write_sources(root, journal, steps)
    commit = commit_release(repo, journal, steps) if journal.commit else None
    tag = tag_release(repo, journal, steps) if journal.create_tag else None
    source_commit = commit
    folder, tarball, digest = write_bundle(root, journal, source_commit, steps)
    remove_journal(root)
    steps.step()
    return Outcome(folder, tarball, digest, commit, tag)


def write_sources(root: Path, journal: Journal, steps: StepCounter) -> None:
    """Every stamped source, the changelog files, then the consumed notes' deletion.

    Each file is replaced atomically; they are made durable together by one flush at the end
    (a first release writes thousands, and one fsync each cost minutes): until the journal is
    removed, a rerun after any crash writes again whatever is not there.
    """
    writes = sorted(journal.writes.items())
    for folder, names in _by_folder(root, [path for path, _ in writes]).items():
        remove_leftovers(folder, names)
    with Progress("writing sources", len(writes)) as progress:
        for path, text in writes:
            ensure_bytes(root / path, text.encode("utf-8"), durable=False, sweep=False)
            steps.step()
            progress.advance()
    flush_to_disk()
    for path in journal.deletes:
        target = root / path
        if target.exists():
            remove_atomic(target)
        steps.step()


def ensure_bytes(target: Path, data: bytes, *, durable: bool = True,
                 sweep: bool = True) -> bool:
    """Write `data` atomically unless the file already holds it; clear leftovers of a crash.

    `sweep=False` when the caller has already removed a whole folder's leftovers (a glob per
    file in a folder of thousands is quadratic).
    """
    if sweep:
        sweep_leftovers(target)
    if target.is_file() and target.read_bytes() == data:
        return False
    write_atomic(target, data, durable=durable)
    return True


def _require_repo(repo: GitRepo | None) -> GitRepo:
    if repo is None:
        raise OntologyError("--commit and --tag need a git repository")
    return repo


def commit_release(repo: GitRepo | None, journal: Journal, steps: StepCounter) -> str:
    """One commit of exactly the release's files, unless HEAD already is that commit."""
    repo = _require_repo(repo)
    head = repo.head()
    trailer = f"{TRAILER}: {journal.version}"
    if head is not None and head != journal.base_commit and \
            trailer in repo.info(head).message.splitlines():
        return head
    paths = [*sorted(journal.writes), *(p for p in journal.deletes if repo.tracked(p))]
    sha = repo.commit_dated(paths, commit_message(journal.version),
                            release_timestamp(journal.released_at))
    steps.step()
    return sha


def tag_release(repo: GitRepo | None, journal: Journal, steps: StepCounter) -> str:
    """The annotated tag on the release commit, its message the changelog section."""
    repo = _require_repo(repo)
    head = repo.head()
    if repo.tag_exists(journal.tag):
        if repo.tag_commit(journal.tag) != head:
            raise OntologyError(f"tag {journal.tag} already exists on another commit")
        return journal.tag
    repo.create_tag_verbatim(journal.tag, journal.section, release_timestamp(journal.released_at))
    steps.step()
    return journal.tag


def write_bundle(root: Path, journal: Journal, source_commit: str | None,
                 steps: StepCounter) -> tuple[Path, Path, str]:
    """The bundle folder (file by file, manifest last) and its tarball, in one streaming pass.

    Files are stored and added to the tarball as they are rendered; the tarball grows in a
    temporary file that replaces the old one only when it is whole. One write step per file.
    """
    released = read_released(root)
    out = Path(journal.out)
    top = folder_name(journal.version)
    tarball = out / f"{top}.tar.gz"
    sweep_leftovers(tarball)
    folder = BundleFolder(out / top, MANIFEST)
    names: set[str] = set()
    # a page and a JSON file per KPI, and a handful of others: the count only guides the bar
    expected = 2 * len(released.kpis) + BUNDLE_EXTRA_FILES
    with atomic_stream(tarball) as handle, Progress("writing the bundle", expected) as progress:
        hashing = _HashingWriter(handle)
        with TarballWriter(hashing, top, journal.released_at) as archive:
            for part in bundle_stream(released, top=top, previous_version=journal.previous_version,
                                      source_commit=source_commit, store=folder.store):
                archive.add_segment(part.segment)
                for entry in part.files:
                    names.add(entry.path)
                    if entry.path != MANIFEST:
                        steps.step()
                progress.advance(len(part.files))
        folder.complete(names)
        steps.step()
    steps.step()
    return folder.path, tarball, hashing.hexdigest()


class _HashingWriter:
    """A write-only stream that passes bytes on and keeps their sha256."""

    def __init__(self, target: BinaryIO) -> None:
        self._target = target
        self._digest = hashlib.sha256()

    def write(self, data: bytes, /) -> int:
        self._digest.update(data)
        return self._target.write(data)

    def hexdigest(self) -> str:
        """The sha256 of everything written so far."""
        return self._digest.hexdigest()


def sweep_leftovers(target: Path) -> None:
    """Remove the temporary files an interrupted write of `target` left beside it."""
    remove_leftovers(target.parent, {target.name})


def _by_folder(root: Path, paths: Collection[str]) -> dict[Path, set[str]]:
    folders: dict[Path, set[str]] = {}
    for path in paths:
        target = root / path
        folders.setdefault(target.parent, set()).add(target.name)
    return folders
