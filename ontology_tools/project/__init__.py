"""The project a command works on: where it lives, its settings, its repository and releases."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ontology_tools.errors import OntologyError
from ontology_tools.model import ONTOLOGY_FILE

if TYPE_CHECKING:
    from ontology_tools.gitrepo import GitRepo
    from ontology_tools.model import Snapshot
    from ontology_tools.project.baseline import Baseline
    from ontology_tools.project.past import PastFacts
    from ontology_tools.project.releases import ReleaseIndex
    from ontology_tools.yamlio import YamlProblem


class ProjectError(OntologyError):
    """The ontology could not be found or read; the message names what was looked for."""


def find_root(start: Path) -> Path:
    """Walk up from `start` to the folder holding `ontology/ontology.yaml`."""
    start = start.resolve()
    for folder in (start, *start.parents):
        if (folder / ONTOLOGY_FILE).is_file():
            return folder
    raise ProjectError(f"no {ONTOLOGY_FILE} in {start} or any folder above it "
                       "(run inside the repository or pass --root DIR)")


@dataclass(frozen=True)
class Vocabulary:
    """The controlled values a KPI is checked against, in their declared order."""

    domains: Mapping[str, str]
    stages: Mapping[str, str]
    owning_functions: Sequence[str]
    field_types: Mapping[str, str]
    units: Mapping[str, str]
    maturities: Mapping[str, str]
    relevance_levels: Mapping[str, str]
    time_bases: Mapping[str, str]
    production_kinds: Mapping[str, str]
    tiers: Mapping[str, str]

    @classmethod
    def from_config(cls, vocab: Mapping[str, Any]) -> Vocabulary:
        """Read `vocabularies` of ontology.yaml; a missing part is empty (validation reports it)."""

        def labels(key: str) -> Mapping[str, str]:
            value = vocab.get(key)
            return {str(k): str(v) for k, v in value.items()} if isinstance(value, dict) else {}

        owners = vocab.get("owningFunctions")
        return cls(
            domains=labels("domains"), stages=labels("stages"),
            owning_functions=[str(o) for o in owners] if isinstance(owners, list) else [],
            field_types=labels("fieldTypes"), units=labels("units"),
            maturities=labels("maturities"), relevance_levels=labels("stageRelevanceLevels"),
            time_bases=labels("timeBases"), production_kinds=labels("productionKinds"),
            tiers=labels("tiers"),
        )


@dataclass(frozen=True)
class Settings:
    """The project-wide settings of ontology.yaml."""

    name: str
    publisher: str
    tag_prefix: str
    require_notes: bool
    policy: Mapping[str, str]
    vocabulary: Vocabulary

    @classmethod
    def from_config(cls, config: Mapping[str, Any]) -> Settings:
        """Interpret an ontology.yaml mapping, with the SPEC's defaults."""
        vocab = config.get("vocabularies")
        policy = config.get("policy")
        return cls(
            name=str(config.get("name") or "ontology"),
            publisher=str(config.get("publisher") or "the editors"),
            tag_prefix=str(config.get("tagPrefix", "v") or ""),
            require_notes=config.get("requireNotes", True) is not False,
            policy={str(k): str(v) for k, v in policy.items()} if isinstance(policy, dict) else {},
            vocabulary=Vocabulary.from_config(vocab if isinstance(vocab, dict) else {}),
        )


class Project:
    """One command's view of the repository, each part computed at most once, when first asked.

    The CLI builds it; the core receives it, so nothing opens the repository or parses
    `ontology.yaml` a second time.
    """

    def __init__(self, root: Path) -> None:
        self.root = root
        self._past: PastFacts | None = None

    @cached_property
    def config_bytes(self) -> bytes:
        """The bytes of ontology.yaml, read once (never through a link, see layout.py)."""
        from ontology_tools.layout import read_file

        try:
            return read_file(self.root, ONTOLOGY_FILE)
        except OSError as err:
            raise ProjectError(f"{ONTOLOGY_FILE}: cannot read it ({err.strerror})") from None

    @cached_property
    def loaded_config(self) -> tuple[Any, YamlProblem | None]:
        """ontology.yaml parsed once with the fast loader, or why it does not parse."""
        from ontology_tools import yamlio

        try:
            return yamlio.load_fast(self.config_bytes), None
        except yamlio.YamlProblem as problem:
            return None, problem

    @property
    def config(self) -> Mapping[str, Any]:
        """ontology.yaml as a mapping; an error naming line and column when it does not parse."""
        config, problem = self.loaded_config
        if problem is not None:
            raise ProjectError(f"{ONTOLOGY_FILE}:{problem.line}:{problem.col}: "
                               f"{problem.message} (run `ontology validate`)")
        return config if isinstance(config, dict) else {}

    @cached_property
    def settings(self) -> Settings:
        """The project-wide settings."""
        return Settings.from_config(self.config)

    @cached_property
    def repo(self) -> GitRepo | None:
        """The git repository, opened once (None outside one)."""
        from ontology_tools.gitrepo import GitRepo

        return GitRepo.open(self.root)

    @cached_property
    def releases(self) -> ReleaseIndex:
        """Every release the repository holds."""
        from ontology_tools.project.releases import ReleaseIndex

        return ReleaseIndex(self.repo, self.settings.tag_prefix)

    @cached_property
    def baseline(self) -> Baseline:
        """The last release (SPEC 6.3), or the reason it cannot be found."""
        from ontology_tools.project.baseline import find_baseline

        return find_baseline(self)

    def past_facts(self, use_cache: bool = True) -> PastFacts:
        """What validation needs of the last release, remembered in `.ontology-cache/` unless
        `use_cache` is False; the first call decides, later calls share it."""
        if self._past is None:
            from ontology_tools.project.past import PastFacts

            self._past = PastFacts.open(self, use_cache)
        return self._past

    def save_past_facts(self) -> None:
        """Remember what this command learnt of the past (nothing if it asked nothing)."""
        if self._past is not None:
            self._past.save()

    @cached_property
    def worktree(self) -> Snapshot:
        """The files on disk."""
        from ontology_tools import snapshots

        return snapshots.worktree(self.root, self.config)

    def snapshot(self, spec: str) -> Snapshot:
        """What a `--from`/`--to`/`--at` value names (see `refs.resolve`)."""
        from ontology_tools.project.refs import resolve

        return resolve(self, spec)
