"""The release journal: the whole release, decided before any source file is touched.

`.ontology-release.json` (git-ignored) records the target version and date, the commit the
release started from, the flags, every source file to write (with its exact text and sha256)
or delete, and the sha256 each of those files had before the release. A release that finds a
journal finishes it instead of planning again, but only while every file is as the release
left it (`pending.py`); `release --abandon` puts the files back from the starting commit, or
from the journal's own copy for a file the commit does not hold as it was.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ontology_tools.errors import OntologyError
from ontology_tools.gitrepo import blob_sha
from ontology_tools.runtime.atomic import remove_atomic, write_atomic

JOURNAL_NAME = ".ontology-release.json"
JOURNAL_FORMAT = 2


@dataclass(frozen=True)
class Journal:
    """A release decided but maybe not yet carried out."""

    version: str
    released_at: str
    previous_version: str | None
    base_commit: str | None
    tag: str
    commit: bool
    create_tag: bool
    out: str
    writes: Mapping[str, str] = field(default_factory=dict)
    deletes: tuple[str, ...] = ()
    section: str = ""
    # the sha256 of each written or deleted file before the release; None: it did not exist
    before: Mapping[str, str | None] = field(default_factory=dict)
    # pre-release texts the starting commit cannot give back (no git, or uncommitted edits
    # released with --allow-dirty)
    restore: Mapping[str, str] = field(default_factory=dict)
    allow_dirty: bool = False

    def to_json(self) -> str:
        """The journal file's text."""
        return json.dumps({
            "format": JOURNAL_FORMAT, "version": self.version, "releasedAt": self.released_at,
            "previousVersion": self.previous_version, "baseCommit": self.base_commit,
            "tag": self.tag, "commit": self.commit, "createTag": self.create_tag,
            "out": self.out, "section": self.section,
            "writes": [{"path": path, "sha256": sha256_text(text), "text": text}
                       for path, text in sorted(self.writes.items())],
            "deletes": sorted(self.deletes),
            "before": {path: self.before[path] for path in sorted(self.before)},
            "restore": [{"path": path, "sha256": sha256_text(text), "text": text}
                        for path, text in sorted(self.restore.items())],
            "allowDirty": self.allow_dirty,
        }, indent=2, ensure_ascii=False) + "\n"

    @classmethod
    def from_json(cls, text: str) -> Journal:
        """Read a journal file, checking each recorded text against its sha256."""
        raw: dict[str, Any] = json.loads(text)
        if raw.get("format") != JOURNAL_FORMAT:
            raise ValueError(f"unknown journal format {raw.get('format')!r}; it was written by "
                             "another version of ontology-tools")
        before = raw["before"]
        return cls(str(raw["version"]), str(raw["releasedAt"]), raw.get("previousVersion"),
                   raw.get("baseCommit"), str(raw["tag"]), bool(raw["commit"]),
                   bool(raw["createTag"]), str(raw["out"]), _texts(raw["writes"]),
                   tuple(str(p) for p in raw["deletes"]), str(raw.get("section", "")),
                   before={str(path): None if digest is None else str(digest)
                           for path, digest in before.items()},
                   restore=_texts(raw["restore"]), allow_dirty=bool(raw["allowDirty"]))

    @property
    def paths(self) -> tuple[str, ...]:
        """Every source path the release writes or deletes, sorted."""
        return tuple(sorted({*self.writes, *self.deletes}))


def _texts(items: list[dict[str, Any]]) -> dict[str, str]:
    """Path → text of journal entries, each checked against its recorded sha256."""
    texts = {}
    for item in items:
        if sha256_text(item["text"]) != item["sha256"]:
            raise ValueError(f"journal entry for {item['path']} is corrupt")
        texts[str(item["path"])] = str(item["text"])
    return texts


def sha256_text(text: str) -> str:
    """The sha256 of a text's UTF-8 bytes."""
    return sha256_bytes(text.encode("utf-8"))


def sha256_bytes(data: bytes) -> str:
    """The sha256 of some bytes."""
    return hashlib.sha256(data).hexdigest()


def pre_release_state(root: Path, paths: Iterable[str], base_blobs: Mapping[str, str]
                      ) -> tuple[dict[str, str | None], dict[str, str]]:
    """What each file holds before the release: its sha256 (None: absent), and its text
    where the starting commit (`base_blobs`: path → git blob id) does not hold those bytes."""
    before: dict[str, str | None] = {}
    restore: dict[str, str] = {}
    for path in paths:
        try:
            data = (root / path).read_bytes()
        except FileNotFoundError:
            before[path] = None
            continue
        before[path] = sha256_bytes(data)
        if base_blobs.get(path) != blob_sha(data):
            restore[path] = data.decode("utf-8")
    return before, restore


def journal_path(root: Path) -> Path:
    """Where the journal lives."""
    return root / JOURNAL_NAME


def read_journal(root: Path) -> Journal | None:
    """The pending journal, or None; a damaged one is an error that says what to do."""
    path = journal_path(root)
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        return None
    try:
        return Journal.from_json(text)
    except (ValueError, KeyError, TypeError, AttributeError) as err:
        raise OntologyError(f"{JOURNAL_NAME} cannot be read ({err}); inspect it, restore "
                            "ontology/ and changelog/ with git, then delete it to plan the "
                            "release again") from None


def write_journal(root: Path, journal: Journal) -> None:
    """Record the release atomically."""
    write_atomic(journal_path(root), journal.to_json())


def remove_journal(root: Path) -> None:
    """The release is complete."""
    remove_atomic(journal_path(root))
