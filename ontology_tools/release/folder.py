"""The bundle folder on disk: complete exactly when its manifest is there.

Thousands of files are written into it, by several processes at once, so each is written the
cheap way — a temporary name renamed into place (so a file is always old or new, never half),
nothing synced one by one — and the folder is made safe as a whole:
- an old manifest is removed before the first file is written, so no manifest ever describes
  files that are being replaced;
- a file already holding its bytes is left alone (a resumed release rewrites only what a crash
  left out);
- `complete` removes files the bundle does not have, flushes everything to disk, and only then
  writes the manifest, atomically and durably.
A crash at any point leaves a folder without a manifest, which a rerun of the release finishes
and `ontology verify` refuses.
"""

from __future__ import annotations

from collections.abc import Collection
from pathlib import Path

from ontology_tools.runtime.atomic import (
    flush_to_disk,
    remove_atomic,
    replace_quickly,
    write_atomic,
)


class BundleFolder:
    """One bundle folder being written; `store` is called in worker processes too."""

    def __init__(self, path: Path, manifest_name: str) -> None:
        self.path = path
        self._manifest_name = manifest_name
        self._fresh = not path.exists()
        self._made: set[Path] = set()
        self._manifest: bytes | None = None
        if not self._fresh:
            remove_atomic(path / manifest_name)

    def store(self, name: str, data: bytes) -> None:
        """Write one file (the manifest is kept back for `complete`)."""
        if name == self._manifest_name:
            self._manifest = data
            return
        target = self.path / name
        if not self._fresh and target.is_file() and target.read_bytes() == data:
            return
        folder = target.parent
        if folder not in self._made:
            folder.mkdir(parents=True, exist_ok=True)
            self._made.add(folder)
        replace_quickly(target, data)

    def complete(self, names: Collection[str]) -> None:
        """Remove strays, make every file durable, then write the manifest last."""
        if self._manifest is None:
            raise ValueError("the bundle has no manifest to complete it with")
        self._remove_strays({*names, self._manifest_name})
        flush_to_disk()
        write_atomic(self.path / self._manifest_name, self._manifest)

    def _remove_strays(self, names: Collection[str]) -> None:
        """Files the bundle does not have: a crash's leftovers, an earlier attempt's extras."""
        if self._fresh:
            return
        for path in sorted(self.path.rglob("*"), reverse=True):
            name = path.relative_to(self.path).as_posix()
            if path.is_file() and name not in names:
                path.unlink()
            elif path.is_dir() and not any(path.iterdir()):
                path.rmdir()
