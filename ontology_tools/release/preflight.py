"""The release preflight: everything that could stop a release is checked before it writes.

A refusal here leaves nothing behind. Once the journal is written, only what cannot be
foreseen (a full disk, a file changed by someone meanwhile) stops a release, and then running
`release` again finishes it, or `release --abandon` discards it.
"""

from __future__ import annotations

import os
from pathlib import Path

from ontology_tools.errors import OntologyError
from ontology_tools.refformat import tag_name_problem
from ontology_tools.release.bundle import folder_name
from ontology_tools.release.journal import JOURNAL_NAME, Journal


def preflight(root: Path, journal: Journal) -> None:
    """Refuse, naming the path or value, unless every write of the release can be made."""
    check_tag_name(journal.tag)
    folders = _Folders(root)
    for path in (JOURNAL_NAME, *journal.paths):
        folders.check_file(root / path)
    out = Path(journal.out)
    top = folder_name(journal.version)
    folders.check_folder(out / top)
    folders.check_file(out / f"{top}.tar.gz")


def check_tag_name(tag: str) -> None:
    """Refuse a tag name git would refuse: the release would commit, then fail to tag."""
    problem = tag_name_problem(tag)
    if problem is not None:
        raise OntologyError(f"the release's tag name {tag!r} is not a valid git tag name "
                            f"({problem}); fix tagPrefix in ontology/ontology.yaml; nothing "
                            "was written")


class _Folders:
    """Writability checks, each folder looked at once (a first release writes thousands of
    files into a few folders)."""

    def __init__(self, root: Path) -> None:
        self._root = root
        self._checked: set[Path] = set()

    def check_file(self, target: Path) -> None:
        """`target` can be replaced atomically: it is absent or a writable file, and the
        folder it goes into can take a new name."""
        if target.is_dir():
            self._refuse(target, "is a folder where the release writes a file")
        if target.exists() and not os.access(target, os.W_OK):
            self._refuse(target, "is read-only")
        self.check_folder(target.parent)

    def check_folder(self, folder: Path) -> None:
        """`folder` is a writable folder, or can be created inside the nearest one that is."""
        if folder in self._checked:
            return
        existing = next(p for p in (folder, *folder.parents) if p.exists() or p.is_symlink())
        if not existing.is_dir():
            self._refuse(existing, "is a file where the release needs a folder")
        if not os.access(existing, os.W_OK | os.X_OK):
            self._refuse(existing, "is a read-only folder and the release writes into it")
        self._checked.add(folder)

    def _refuse(self, path: Path, why: str) -> None:
        raise OntologyError(f"{self._shown(path)} {why}; nothing was written")

    def _shown(self, path: Path) -> str:
        try:
            relative = path.relative_to(self._root).as_posix()
        except ValueError:
            return str(path)
        return f"{relative}/" if path.is_dir() and relative != "." else relative
