"""The release journal: the whole release, decided before any source file is touched.

`.ontology-release.json` (git-ignored) records the target version and date, the commit the
release started from, the flags, and every source file to write (with its exact text and
sha256) or delete. A release that finds a journal finishes it instead of planning again.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ontology_tools.atomic import remove_atomic, write_atomic
from ontology_tools.errors import OntologyError

JOURNAL_NAME = ".ontology-release.json"
JOURNAL_FORMAT = 1


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
        }, indent=2, ensure_ascii=False) + "\n"

    @classmethod
    def from_json(cls, text: str) -> Journal:
        """Read a journal file, checking each recorded text against its sha256."""
        raw: dict[str, Any] = json.loads(text)
        if raw.get("format") != JOURNAL_FORMAT:
            raise ValueError(f"unknown journal format {raw.get('format')!r}")
        writes = {}
        for item in raw["writes"]:
            if sha256_text(item["text"]) != item["sha256"]:
                raise ValueError(f"journal entry for {item['path']} is corrupt")
            writes[str(item["path"])] = str(item["text"])
        return cls(str(raw["version"]), str(raw["releasedAt"]), raw.get("previousVersion"),
                   raw.get("baseCommit"), str(raw["tag"]), bool(raw["commit"]),
                   bool(raw["createTag"]), str(raw["out"]), writes,
                   tuple(str(p) for p in raw["deletes"]), str(raw.get("section", "")))

    @property
    def paths(self) -> tuple[str, ...]:
        """Every source path the release writes or deletes, sorted."""
        return tuple(sorted({*self.writes, *self.deletes}))


def sha256_text(text: str) -> str:
    """The sha256 of a text's UTF-8 bytes."""
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


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
    except (ValueError, KeyError, TypeError) as err:
        raise OntologyError(f"{JOURNAL_NAME} is damaged ({err}); inspect it, then delete it "
                            "to plan the release again") from None


def write_journal(root: Path, journal: Journal) -> None:
    """Record the release atomically."""
    write_atomic(journal_path(root), journal.to_json())


def remove_journal(root: Path) -> None:
    """The release is complete."""
    remove_atomic(journal_path(root))
