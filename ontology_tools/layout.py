"""Where the toolkit may put what it builds: the repository's path rules (SPEC 2, 6.2, 7.2)."""

from __future__ import annotations

from pathlib import Path

from ontology_tools.errors import OntologyError

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
