"""What validation asks of the last release, remembered between runs in `.ontology-cache/`.

The stamp check and the lifecycle rules need the past: the blob ids and stamps of the released
KPI files, every id a release held, what each release published. Reading them takes GitPython
(its import alone costs more than a whole warm run), yet the answers only change when the
repository's refs do. So the answers a run needed are kept in one file whose name hashes what
decides them — HEAD's commit and every ref (`gitrepo.ref_state`), the shallow and grafts
files, ontology.yaml's `version` and `tagPrefix`, the tool version and the code that computes
them — and a later run with the same key reads them from there, opening the repository only
for a question no earlier run asked.

Nothing is remembered while the baseline is missing: its diagnosis looks at the worktree too.
A file that does not read back whole and well-formed is ignored and rebuilt.
"""

from __future__ import annotations

import hashlib
import json
import os
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

from ontology_tools import __version__
from ontology_tools.errors import OntologyError
from ontology_tools.model import Stamp
from ontology_tools.runtime.sealed import file_signature

if TYPE_CHECKING:
    from ontology_tools.project import Project
    from ontology_tools.project.disputes import KpiReleases
    from ontology_tools.project.releases import DamagedRecord

CACHE_DIR = ".ontology-cache"
PAST_PREFIX = "past-"
NO_CACHE_VARIABLE = "ONTOLOGY_NO_CACHE"
FORMAT = "ONTP0001"
GITIGNORE = b"# written by ontology validate: the cache is never committed\n*\n"
_CODE = ("__init__.py", "baseline.py", "disputes.py", "past.py", "releases.py")

T = TypeVar("T")


def cache_folder(root: Path) -> Path | None:
    """`.ontology-cache/` under `root`, when the toolkit may read and write there: absent, or a
    real folder. None when it is a link (it could lead outside the repository, or into the
    sources) or anything but a folder: then nothing is cached, and nothing breaks."""
    folder = root / CACHE_DIR
    if os.path.islink(folder) or (os.path.lexists(folder) and not folder.is_dir()):
        return None
    return folder


def prepare_cache_folder(folder: Path) -> None:
    """Create the cache folder with a `.gitignore` of `*`: never committed, even without a root
    entry (raises OSError when it cannot be written)."""
    from ontology_tools.runtime.atomic import write_atomic  # only a run that writes needs it

    folder.mkdir(parents=True, exist_ok=True)
    marker = folder / ".gitignore"
    if not marker.exists():
        write_atomic(marker, GITIGNORE, durable=False)


def cache_disabled(no_cache: bool = False, environ: Mapping[str, str] | None = None) -> bool:
    """True with --no-cache or ONTOLOGY_NO_CACHE=1."""
    environ = os.environ if environ is None else environ
    return no_cache or environ.get(NO_CACHE_VARIABLE, "").strip() not in ("", "0")


class PastFacts:
    """The last release's facts validation needs, from the cache file or else from git."""

    def __init__(self, project: Project, path: Path | None) -> None:
        self._project = project
        self.path = path
        self._facts: dict[str, Any] = _read(path) if path is not None else {}
        self._changed = False
        self._decoded: dict[str, Any] = {}  # each fact checked and decoded once per run
        self.parsed: set[str] = set()  # ids whose released file this run had to read

    @classmethod
    def open(cls, project: Project, use_cache: bool = True) -> PastFacts:
        """The facts of `project`, remembered unless caching is off or git cannot tell."""
        key = past_key(project) if use_cache and not cache_disabled() else None
        folder = cache_folder(project.root)
        path = None if key is None or folder is None else folder / f"{PAST_PREFIX}{key}"
        return cls(project, path)

    def _fact(self, name: str, compute: Callable[[], T], encode: Callable[[T], Any],
              decode: Callable[[Any], T]) -> T:
        if name in self._decoded:
            known: T = self._decoded[name]
            return known
        value = self._decode(name, decode)
        if value is None:
            value = compute()
            self._facts[name] = encode(value)
            self._changed = True
        self._decoded[name] = value
        return value

    def _decode(self, name: str, decode: Callable[[Any], T]) -> T | None:
        """A stored fact, checked; None when absent, hand-edited or foreign."""
        if name not in self._facts:
            return None
        try:
            return decode(self._facts[name])
        except (TypeError, ValueError, KeyError, AttributeError):
            return None

    @property
    def found(self) -> bool:
        """True when ontology.yaml's `version` names a release the repository holds (or none)."""
        if self._facts.get("found") is True:
            return True
        found = self._project.baseline.missing is None
        if found:
            self._facts["found"] = True
            self._changed = True
        return found

    def digests(self) -> Mapping[str, str]:
        """The git blob id of each KPI file of the last release, by id."""
        return self._fact("digests", lambda: {rogue_id: source.digest for rogue_id, source
                                              in self._project.baseline.snapshot.sources.items()},
                          dict, _str_map)

    def stamp(self, rogue_id: str) -> Stamp | None:
        """The stamps the last release wrote into a KPI's file; None when it cannot be read."""
        stamps = self._facts.setdefault("stamps", {})
        if not isinstance(stamps, dict):
            stamps = self._facts["stamps"] = {}
        stored = stamps.get(rogue_id, False)
        if stored is None:
            return None
        if isinstance(stored, list) and len(stored) == 2 and all(
                part is None or isinstance(part, str) for part in stored):
            return Stamp(stored[0], stored[1])
        stamp = self._read_stamp(rogue_id)
        stamps[rogue_id] = None if stamp is None else [stamp.version, stamp.released_at]
        self._changed = True
        return stamp

    def _read_stamp(self, rogue_id: str) -> Stamp | None:
        self.parsed.add(rogue_id)
        try:
            document = self._project.baseline.snapshot.document(rogue_id)
        except OntologyError:
            return None
        return Stamp(document.version, document.released_at)

    def past_ids(self) -> frozenset[str]:
        """Every KPI id that any release held or named."""
        return self._fact("past_ids", lambda: self._project.releases.past_ids, sorted,
                          _str_set)

    def shallow(self) -> bool:
        """True in a shallow clone: releases before its first commit may be missing."""
        return self._fact("shallow", lambda: self._project.releases.shallow, bool, _flag)

    def kpi_releases(self) -> KpiReleases:
        """What each release published (only asked while the baseline is found; incomplete in
        a shallow clone)."""
        from ontology_tools.project.disputes import kpi_releases

        def compute() -> KpiReleases:
            version = self._project.config.get("version")
            return kpi_releases(self._project.releases, str(version) if version else None)

        return self._fact("kpi_releases", compute, _encode_releases, _decode_releases)

    def save(self) -> None:
        """Write what this run learnt, if anything and if the baseline is found; never fail."""
        if self.path is None or not self._changed or self._facts.get("found") is not True:
            return
        folder = self.path.parent
        try:
            prepare_cache_folder(folder)
            from ontology_tools.runtime.atomic import write_atomic  # only a run that writes

            body = json.dumps({"format": FORMAT, "facts": self._facts}, sort_keys=True)
            write_atomic(self.path, body.encode("utf-8"), durable=False)
            for other in folder.glob(f"{PAST_PREFIX}*"):
                if other != self.path:
                    other.unlink(missing_ok=True)
        except (OSError, ValueError):
            return
        self._changed = False


def past_key(project: Project) -> str | None:
    """A hash of everything the past facts depend on; None when git cannot tell the refs."""
    from ontology_tools.gitrepo import ref_state

    refs = ref_state(project.root)
    if refs is None:
        return None
    config = project.config
    here = Path(__file__).parent
    parts = {"format": FORMAT, "version": __version__, "refs": refs,
             "released": str(config.get("version") or ""),
             "tagPrefix": project.settings.tag_prefix,
             "code": [file_signature(here / name) for name in _CODE]}
    text = json.dumps(parts, sort_keys=True, ensure_ascii=False)
    return hashlib.sha256(text.encode("utf-8", "surrogateescape")).hexdigest()[:32]


def _read(path: Path) -> dict[str, Any]:
    """The facts of a whole, well-formed file; {} for anything else."""
    try:
        loaded = json.loads(path.read_bytes())
    except (OSError, ValueError):
        return {}
    if not isinstance(loaded, dict) or loaded.get("format") != FORMAT:
        return {}
    facts = loaded.get("facts")
    return facts if isinstance(facts, dict) else {}


def _str_map(value: Any) -> dict[str, str]:
    if not isinstance(value, dict) or not all(
            isinstance(k, str) and isinstance(v, str) for k, v in value.items()):
        raise ValueError("not a map of strings")
    return value


def _str_set(value: Any) -> frozenset[str]:
    if not isinstance(value, list) or not all(isinstance(item, str) for item in value):
        raise ValueError("not a list of strings")
    return frozenset(value)


def _flag(value: Any) -> bool:
    if not isinstance(value, bool):
        raise ValueError("not a flag")
    return value


def _encode_releases(releases: KpiReleases) -> dict[str, Any]:
    return {"releases": list(releases.releases),
            "versions": {k: dict(v) for k, v in releases.versions.items()},
            "changed": {k: sorted(v) for k, v in releases.changed.items()},
            "complete": releases.complete,
            "unknown": {k: None if v is None else sorted(v) for k, v in releases.unknown.items()},
            "damaged": [[d.version, d.commit, d.problem, d.line, d.col]
                        for d in releases.damaged]}


def _decode_releases(value: Any) -> KpiReleases:
    from ontology_tools.project.disputes import KpiReleases

    names = value["releases"]
    _str_set(names)  # raises unless a list of strings
    if not isinstance(value["complete"], bool):
        raise ValueError("not a flag")
    return KpiReleases(tuple(names), {k: _str_map(v) for k, v in value["versions"].items()},
                       {k: _str_set(v) for k, v in value["changed"].items()},
                       complete=value["complete"],
                       unknown={k: None if v is None else _str_set(v)
                                for k, v in value["unknown"].items()},
                       damaged=tuple(_damaged(item) for item in value["damaged"]))


def _damaged(item: Any) -> DamagedRecord:
    from ontology_tools.project.releases import DamagedRecord

    version, commit, problem, line, col = item
    if not all(isinstance(text, str) for text in (version, commit, problem)) or not all(
            isinstance(number, int) for number in (line, col)):
        raise ValueError("not a damaged record")
    return DamagedRecord(version, commit, problem, line, col)
