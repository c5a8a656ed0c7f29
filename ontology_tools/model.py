"""The nouns of the toolkit: frozen values that carry no I/O."""

from __future__ import annotations

import enum
import functools
from collections.abc import Callable, Collection, Iterator, Mapping
from collections.abc import Set as AbstractSet
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

# the path rules live in layout.py; these names stay importable from here for the nouns' users
from ontology_tools.layout import KPI_ROOT as KPI_ROOT
from ontology_tools.layout import NOTES_DIR as NOTES_DIR
from ontology_tools.layout import ONTOLOGY_FILE as ONTOLOGY_FILE
from ontology_tools.layout import kpi_path_for as kpi_path_for
from ontology_tools.layout import rogue_id_for as rogue_id_for

if TYPE_CHECKING:
    from ontology_tools.kpi import Kpi


class Severity(enum.StrEnum):
    """How bad a finding is: errors fail `validate`, warnings do not."""

    ERROR = "error"
    WARNING = "warning"


class Bump(enum.IntEnum):
    """A semantic-version bump level, ordered so that max() picks the highest."""

    NONE = 0
    PATCH = 1
    MINOR = 2
    MAJOR = 3

    @property
    def label(self) -> str:
        """The lower-case name used in files and output: none, patch, minor, major."""
        return self.name.lower()

    @classmethod
    def parse(cls, text: str) -> Bump:
        """Read a level written as none, patch, minor or major."""
        try:
            return cls[text.upper()]
        except KeyError:
            raise ValueError(
                f"unknown bump level {text!r} (expected none, patch, minor or major)") from None


def level_label(blocking: bool, bump: Bump) -> str:
    """A change's or rule's level as policies and output write it: `blocking`, else the bump."""
    return "blocking" if blocking else bump.label


@dataclass(frozen=True, order=True)
class Finding:
    """One problem in one file, at the line and column of the offending YAML node (1-based)."""

    path: str
    line: int
    col: int
    severity: Severity
    rule: str
    message: str

    def render(self) -> str:
        """The editor-friendly one-line form: `path:line:col: severity rule-id message`."""
        return f"{self.path}:{self.line}:{self.col}: {self.severity} {self.rule} {self.message}"


class Status(enum.StrEnum):
    """What the next release does to one KPI; the value is what plans and changelogs say."""

    ADDED = "added"
    REMOVED = "removed"
    RENAMED = "renamed"
    RESTORED = "restored"
    CHANGED = "changed"

    @property
    def continues_version(self) -> bool:
        """True when the next version is the KPI's version bumped by its changes.

        An added KPI starts at the first version instead, and a removed one has none.
        """
        return self in (Status.CHANGED, Status.RENAMED, Status.RESTORED)

    @property
    def is_stamped(self) -> bool:
        """True when a release writes the next version into the KPI's file."""
        return self is not Status.REMOVED


class Scope(enum.StrEnum):
    """What a change rule versions: the KPI it is about, or only the ontology as a whole."""

    KPI = "kpi"
    ONTOLOGY = "ontology"


@dataclass(frozen=True)
class KpiDocument:
    """A parsed KPI source file: the stamps and the `kpi` content."""

    rogue_id: str
    path: str
    version: str | None
    released_at: str | None
    content: Mapping[str, Any]

    @functools.cached_property
    def kpi(self) -> Kpi:
        """The definition as a typed value, built the first time someone reads it."""
        from ontology_tools.kpi import Kpi  # not needed by a validate that hits its cache

        return Kpi.from_content(self.content)


@dataclass(frozen=True)
class KpiSource:
    """A KPI file in a snapshot, known by its digest before anyone parses it.

    `rogue_id` is the `kpi.rogueId` the file carries (read cheaply, see snapshots.py), not the
    id its path spells: a file at the wrong path is still the KPI it says it is.
    """

    rogue_id: str
    path: str
    digest: str
    read: Callable[[], bytes] = field(compare=False, repr=False)


@dataclass(frozen=True)
class Snapshot:
    """The ontology at one point: the worktree, a git ref or a release bundle."""

    ref: str
    ontology: Mapping[str, Any]
    sources: Mapping[str, KpiSource]
    parse: Callable[[KpiSource], KpiDocument] = field(compare=False, repr=False)
    commit: str | None = None
    notes: tuple[Note, ...] = ()
    # The version of the release this snapshot is (a release's commit or bundle), else None:
    # then its stamps are what that release wrote, and a plan to it reads its versions there.
    release: str | None = None

    @property
    def version(self) -> str | None:
        """The ontology version recorded in this snapshot, if it was ever released."""
        value = self.ontology.get("version")
        return str(value) if value else None

    def ids(self) -> Iterator[str]:
        """Every KPI id in this snapshot, sorted."""
        return iter(sorted(self.sources))

    def document(self, rogue_id: str) -> KpiDocument:
        """Parse one KPI (only when someone asks for it)."""
        return self.parse(self.sources[rogue_id])


@dataclass(frozen=True)
class Waiver:
    """A note's permission to lower a rule's level, with the reason why."""

    rule: str
    justification: str
    bump: Bump = Bump.PATCH


@dataclass(frozen=True)
class Note:
    """A change note in changelog/unreleased/: why some KPIs changed."""

    file: str
    kpis: tuple[str, ...]
    summary: str
    dispute: str | None = None
    bump: Bump | None = None
    waive: tuple[Waiver, ...] = ()


@dataclass(frozen=True)
class Change:
    """One classified difference: which rule, what bump, where, from what to what."""

    rule: str
    bump: Bump
    path: str
    old: Any
    new: Any
    message: str
    blocking: bool = False
    waived_by: Waiver | None = None

    @property
    def level(self) -> str:
        """What policies and output call its level: `blocking`, else the bump's label."""
        return level_label(self.blocking, self.bump)


@dataclass(frozen=True)
class KpiPlan:
    """What the next release does to one KPI."""

    rogue_id: str
    status: Status
    version: str | None
    next_version: str | None
    bump: Bump
    changes: tuple[Change, ...]
    notes: tuple[Note, ...] = ()
    computed_bump: Bump = Bump.NONE
    renamed_from: tuple[str, ...] = ()
    label: str | None = None


@dataclass(frozen=True)
class ReleasedKpi:
    """What the releases remember of a KPI id that the baseline no longer holds (SPEC 6.3)."""

    version: str  # the highest version the id ever had
    content: Mapping[str, Any]  # its `kpi` mapping as last released


@dataclass(frozen=True)
class Blocker:
    """Something that stops a release until an editor acts."""

    message: str
    rogue_id: str | None = None
    rule: str | None = None


@dataclass(frozen=True)
class Plan:
    """The whole next release, as plain data: printed by diff/plan, applied by release."""

    from_ref: str
    from_version: str | None
    to_ref: str
    version: str | None
    next_version: str | None
    bump: Bump
    ontology_changes: tuple[Change, ...]
    kpis: tuple[KpiPlan, ...]
    blocking: tuple[Blocker, ...]
    unused_notes: tuple[Note, ...] = ()
    to_version: str | None = None  # the release `to_ref` is, when it is one (SPEC 6.3)

    @property
    def is_empty(self) -> bool:
        """True when nothing changed at all."""
        return not self.kpis and not self.ontology_changes

    def bump_of(self, only: Collection[str] | None = None) -> Bump:
        """The bump a threshold compares: of the KPIs in `only`, else of the whole ontology."""
        if only is None:
            return self.bump
        return max((kpi.bump for kpi in self.kpis if kpi.rogue_id in only), default=Bump.NONE)

    def blocked(self, only: Collection[str] | None = None) -> bool:
        """True when something blocks: among the KPIs in `only`, else anywhere."""
        if only is None:
            return bool(self.blocking)
        return any(blocker.rogue_id in only for blocker in self.blocking)


@dataclass(frozen=True)
class Stamp:
    """What the last release wrote into a KPI file."""

    version: str | None
    released_at: str | None


@dataclass(frozen=True)
class ValidationBaseline:
    """What the last release says: the stamps it wrote and every id that ever existed.

    `digests` are the git blob ids of the released KPI files: a worktree file with the same id
    still carries the release's stamps, so they are read from the worktree, not the release.
    """

    stamps: Mapping[str, Stamp]
    past_ids: AbstractSet[str]
    digests: Mapping[str, str] = field(default_factory=dict)
    missing: str | None = None  # why the last release cannot be found (SPEC 6.3)
    version_edited: bool = False  # the cause: ontology.yaml's version was edited by hand
    history_gap: str | None = None  # the last release is here, but not all before it (shallow)
