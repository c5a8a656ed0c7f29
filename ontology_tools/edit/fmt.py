"""`ontology fmt`: a KPI file rewritten into the canonical layout, or refused with a finding.

What `fmt` guarantees, each checked on every file before anything is written:

1. the new text parses to the same data as the old one, but for the canonical reorderings
   (key order, and `suggestedForStages` in the order of `vocabularies.stages`);
2. formatting the new text again changes nothing;
3. every comment is still there, beside the node it belongs to (see `edit.tree`);
4. flow and JSON-style files come out in the canonical block style (see `edit.emit`);
5. a file it cannot read is refused with the finding `validate` reports for it, nothing written.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ontology_tools import canonical, yamlio
from ontology_tools.edit.emit import EmitError, emit
from ontology_tools.edit.tree import ReadError, read_document
from ontology_tools.errors import OntologyError
from ontology_tools.layout import entry_at
from ontology_tools.model import Finding, Severity, rogue_id_for


class FormatRefusal(OntologyError):
    """A file `fmt` will not rewrite, with the rule and place a finding names."""

    def __init__(self, rule: str, message: str, line: int = 1, col: int = 1) -> None:
        super().__init__(message)
        self.rule, self.message, self.line, self.col = rule, message, line, col

    def finding(self, path: str) -> Finding:
        """The refusal as `path:line:col: error rule-id message`."""
        return Finding(path, self.line, self.col, Severity.ERROR, self.rule, self.message)


class FormatBug(OntologyError):
    """The rewrite failed one of fmt's own checks: a bug in fmt, so nothing is written."""

    def __str__(self) -> str:
        return f"{super().__str__()}; the file was left as it is (a bug in fmt: please report it)"


def format_text(text: str, stages: Sequence[str]) -> str:
    """The canonical form of a KPI file's decoded text; FormatRefusal if it cannot be read."""
    try:
        data = yamlio.load_text(text)
        document = read_document(text)
    except yamlio.YamlProblem as problem:
        raise FormatRefusal(problem.rule, problem.message, problem.line, problem.col) from None
    except ReadError as err:
        raise FormatBug(f"fmt cannot read this file's layout: {err}") from None
    try:
        result = emit(document, stages)
    except EmitError as err:
        raise FormatBug(f"fmt cannot write this file back: {err}") from None
    _check(data, document.comments(), result, stages)
    return result


def _check(data: Any, comments: list[str], result: str, stages: Sequence[str]) -> None:
    """Refuse a rewrite that changed data or comments, or that a second run would change."""
    try:
        written = yamlio.load_text(result)
        again = read_document(result)
    except (yamlio.YamlProblem, ReadError) as problem:
        raise FormatBug(f"fmt wrote YAML it cannot read back ({problem})") from None
    if not same_data(written, canonical.in_canonical_order(data, stages)):
        raise FormatBug("fmt would have changed the file's data")
    if _fragments(again.comments()) != _fragments(comments):
        raise FormatBug("fmt would have lost or split a comment")
    if emit(again, stages) != result:
        raise FormatBug("fmt would not leave its own output as it is")


_COMMENT_JOIN = re.compile(r" +(?=#)")


def _fragments(comments: list[str]) -> list[str]:
    """Comments as a sorted multiset of `#…` pieces: two end-of-line comments that land on one
    line read back as a single comment."""
    return sorted(piece for comment in comments for piece in _COMMENT_JOIN.split(comment))


def same_data(a: Any, b: Any) -> bool:
    """Equal plain data, types included (`1`, `1.0` and `true` differ), NaN equal to NaN."""
    if type(a) is not type(b):
        return False
    if isinstance(a, dict):
        return a.keys() == b.keys() and all(same_data(a[key], b[key]) for key in a)
    if isinstance(a, list):
        return len(a) == len(b) and all(same_data(x, y) for x, y in zip(a, b, strict=True))
    if isinstance(a, float) and math.isnan(a):
        return math.isnan(b)
    return bool(a == b)


def format_file(path: Path, stages: Sequence[str], *, write: bool) -> bool:
    """Bring one KPI file into canonical form; True when it was (or would be) changed."""
    from ontology_tools.runtime.atomic import write_atomic

    if path.is_symlink() or not path.is_file():
        raise FormatRefusal("path-not-a-file", "not a regular file; fmt rewrites only KPI "
                            "files that are not symbolic links or folders")
    try:
        data = path.read_bytes()
    except OSError as err:
        raise OntologyError(f"cannot read the file ({err.strerror})") from None
    try:
        text = yamlio.decode(data)
    except yamlio.YamlProblem as problem:
        raise FormatRefusal(problem.rule, problem.message, problem.line, problem.col) from None
    result = format_text(text, stages)
    if result.encode("utf-8") == data:
        return False
    if write:
        try:
            write_atomic(path, result)
        except OSError as err:
            raise OntologyError(f"cannot write the file ({err.strerror})") from None
    return True


@dataclass(frozen=True)
class FormatRun:
    """What one `fmt` run did: the files it rewrote (or would), and one line per file it could
    not format (the finding `validate` gives, or the error)."""

    changed: tuple[str, ...]
    problems: tuple[str, ...]


def format_kpi_files(root: Path, relatives: Iterable[str], stages: Sequence[str], *,
                     write: bool) -> FormatRun:
    """Format every KPI file among `relatives` (paths under `root`; other files are passed by),
    in path order; a link, a folder or a file outside is refused, never read."""
    changed: list[str] = []
    problems: list[str] = []
    for rel in sorted(r for r in relatives if rogue_id_for(r)):
        refused = entry_at(root, rel).problem  # never through a link, never a folder
        try:
            if refused is not None:
                raise FormatRefusal(refused.rule, refused.message)
            if format_file(root / rel, stages, write=write):
                changed.append(rel)
        except FormatRefusal as refusal:
            problems.append(refusal.finding(rel).render())
        except OntologyError as err:
            problems.append(f"{rel}: {err}")
    return FormatRun(tuple(changed), tuple(problems))
