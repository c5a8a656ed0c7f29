"""Decide a release without touching anything: the date, the checks, every file's new text."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from pathlib import Path

from ontology_tools.classify.comparison import Comparison
from ontology_tools.errors import OntologyError
from ontology_tools.model import ONTOLOGY_FILE, Plan, kpi_path_for
from ontology_tools.records import release_record
from ontology_tools.release.changelog import CHANGELOG_FILE, insert_section, render_section
from ontology_tools.release.disputes import changelog_part, dispute_writes, resolved_disputes
from ontology_tools.release.journal import Journal, pre_release_state
from ontology_tools.release.stamp import stamp_kpi_text, stamp_ontology_text
from ontology_tools.runtime.parallel import ordered_chunks

STAMP_CHUNK = 250
PARALLEL_MIN_STAMPS = 500


def tag_name(config: Mapping[str, object], version: str) -> str:
    """`<tagPrefix><version>`."""
    prefix = config.get("tagPrefix", "v")
    return f"{prefix or ''}{version}"


def stamped_texts(root: Path, plan: Plan, version: str, released_at: str) -> dict[str, str]:
    """The new text of every KPI the release stamps, and of ontology.yaml.

    Stamped over the cores when there are many (a first release stamps every KPI).
    """
    stamps = [(kpi_path_for(kpi.rogue_id), kpi.next_version) for kpi in plan.kpis
              if kpi.status.is_stamped and kpi.next_version]
    texts: dict[str, str] = {}
    for chunk, stamped in ordered_chunks(_stamp_chunk, stamps, (root, released_at),
                                         chunk_size=STAMP_CHUNK, min_items=PARALLEL_MIN_STAMPS):
        texts.update(zip((path for path, _ in chunk), stamped, strict=True))
    texts[ONTOLOGY_FILE] = stamp_ontology_text(_read(root, ONTOLOGY_FILE), version, released_at)
    return texts


def _stamp_chunk(where: tuple[Path, str], stamps: Sequence[tuple[str, str]]) -> list[str]:
    root, released_at = where
    return [stamp_kpi_text(_read(root, path), next_version, released_at)
            for path, next_version in stamps]


def _read(root: Path, path: str) -> str:
    return (root / path).read_bytes().decode("utf-8")


def changelog_texts(root: Path, plan: Plan, version: str, released_at: str,
                    name: str) -> tuple[str, dict[str, str]]:
    """The new section, and the new text of CHANGELOG.md and changelog/<version>.json."""
    section = render_section(plan, version, released_at) + \
        changelog_part(resolved_disputes(root, plan))
    existing = root / CHANGELOG_FILE
    current = existing.read_bytes().decode("utf-8") if existing.exists() else None
    return section, {
        CHANGELOG_FILE: insert_section(current, section, name),
        f"changelog/{version}.json": release_record(plan, released_at),
    }


def consumed_notes(plan: Plan) -> tuple[str, ...]:
    """The change notes applied to KPIs of this release: deleted by it."""
    return tuple(sorted({note.file for kpi in plan.kpis for note in kpi.notes}))


def decide(root: Path, comparison: Comparison, released_at: str, *, base_commit: str | None,
           base_blobs: Mapping[str, str], commit: bool, create_tag: bool, out: Path,
           allow_dirty: bool = False) -> Journal:
    """The complete release as a journal: nothing is written here.

    `base_blobs` are the git blob ids of the starting commit's files (path → id; empty without
    git): a file the release touches whose bytes are not among them has its text kept in the
    journal, so `release --abandon` can put it back.
    """
    plan = comparison.plan
    version = plan.next_version
    if version is None:
        raise OntologyError("the plan has no next version")
    config = comparison.new.ontology
    writes = stamped_texts(root, plan, version, released_at)
    section, changelog = changelog_texts(root, plan, version, released_at,
                                         str(config.get("name") or "the ontology"))
    writes.update(changelog)
    writes.update(dispute_writes(root, resolved_disputes(root, plan), version))
    deletes = consumed_notes(plan)
    before, restore = pre_release_state(root, sorted({*writes, *deletes}), base_blobs)
    return Journal(version=version, released_at=released_at, previous_version=plan.version,
                   base_commit=base_commit, tag=tag_name(config, version), commit=commit,
                   create_tag=create_tag, out=str(out), writes=writes, deletes=deletes,
                   section=section, before=before, restore=restore, allow_dirty=allow_dirty)
