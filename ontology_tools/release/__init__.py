"""`ontology release`: stamp, changelog, bundle, commit and tag, safely and repeatably (SPEC 6).

A release is decided in full first (`prepare.decide` → a Journal of every file's new bytes),
recorded in `.ontology-release.json`, then carried out in a fixed order (`execute.carry_out`).
A release that finds a journal finishes it instead of planning from a half-stamped tree.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, replace
from pathlib import Path

from ontology_tools.dates import release_date
from ontology_tools.errors import OntologyError
from ontology_tools.gitrepo import GitRepo
from ontology_tools.planning import Comparison
from ontology_tools.project import Project
from ontology_tools.release import lock
from ontology_tools.release.bundle import folder_name
from ontology_tools.release.execute import Outcome, carry_out
from ontology_tools.release.faults import StepCounter
from ontology_tools.release.journal import Journal, read_journal, write_journal
from ontology_tools.release.prepare import decide, tag_name
from ontology_tools.release.verify import VerifyReport, verify_bundle

GUARDED_FOLDERS = ("ontology", "changelog")

__all__ = ["ReleaseOptions", "ReleaseResult", "VerifyReport", "cut_release", "verify_bundle"]


@dataclass(frozen=True)
class ReleaseOptions:
    """The options of `ontology release`."""

    date: str | None = None
    dry_run: bool = False
    commit: bool = False
    tag: bool = False
    out: Path | None = None
    allow_dirty: bool = False


@dataclass(frozen=True)
class ReleaseResult:
    """What happened: nothing to do, a preview, or a release (maybe a resumed one)."""

    status: str  # nothing | dry-run | released
    summary: str
    plan_text: str = ""
    section: str = ""
    version: str | None = None
    released_at: str | None = None
    resumed: bool = False
    outcome: Outcome | None = None


def cut_release(project: Project, options: ReleaseOptions) -> ReleaseResult:
    """Run `ontology release` on the project."""
    root = project.root
    if options.dry_run:
        return _preview(project, options)
    steps = StepCounter()
    with lock.held(root):
        repo = project.repo
        pending = read_journal(root)
        if pending is not None:
            resumed = replace(pending, commit=pending.commit or options.commit or options.tag,
                              create_tag=pending.create_tag or options.tag)
            return _finish(root, resumed, repo, steps, resumed=True)
        comparison, released_at = _checked_plan(project, options)
        if comparison is None:
            return ReleaseResult("nothing", _nothing_message())
        journal = decide(root, comparison, released_at, base_commit=repo.head() if repo else None,
                         commit=options.commit or options.tag, create_tag=options.tag,
                         out=_out(root, options))
        write_journal(root, journal)
        steps.step()
        return _finish(root, journal, repo, steps, resumed=False)


def _out(root: Path, options: ReleaseOptions) -> Path:
    return (options.out if options.out is not None else root / "dist").resolve()


def _finish(root: Path, journal: Journal, repo: GitRepo | None, steps: StepCounter, *,
            resumed: bool) -> ReleaseResult:
    outcome = carry_out(root, journal, repo, steps)
    verb = "finished the interrupted release of" if resumed else "released"
    lines = [f"{verb} ontology {journal.version} ({journal.released_at})",
             f"  stamped and wrote {len(journal.writes)} source files, "
             f"deleted {len(journal.deletes)} change notes",
             f"  bundle {_shown(root, outcome.folder)}/",
             f"  tarball {_shown(root, outcome.tarball)} sha256 {outcome.tarball_sha256}"]
    if outcome.commit:
        lines.append(f"  commit {outcome.commit[:12]}")
    if outcome.tag:
        lines.append(f"  tag {outcome.tag} (not pushed)")
    return ReleaseResult("released", "\n".join(lines), section=journal.section,
                         version=journal.version, released_at=journal.released_at,
                         resumed=resumed, outcome=outcome)


def _shown(root: Path, path: Path) -> str:
    try:
        return path.relative_to(root).as_posix()
    except ValueError:
        return str(path)


def _nothing_message() -> str:
    return "nothing to release: no KPI or ontology change since the last release"


def _checked_plan(project: Project,
                  options: ReleaseOptions) -> tuple[Comparison | None, str]:
    """Every refusal of SPEC 6.2 that needs no writing, then the plan (None: nothing to do)."""
    from ontology_tools.baseline import validation_baseline
    from ontology_tools.planning import compare
    from ontology_tools.validation import validate

    root, repo = project.root, project.repo
    if (options.commit or options.tag) and repo is None:
        raise OntologyError(f"--commit and --tag need a git repository; {root} is not one")
    if repo is not None and not options.allow_dirty and not options.dry_run:
        dirty = repo.dirty(GUARDED_FOLDERS)
        if dirty:
            raise OntologyError(f"uncommitted changes under ontology/ or changelog/ "
                                f"({', '.join(dirty[:3])}{' …' if len(dirty) > 3 else ''}); "
                                "commit them or pass --allow-dirty")
    released_at = release_date(options.date, os.environ)
    # The per-file results come from `.ontology-cache/` where the bytes are unchanged, as for
    # `ontology validate` (ONTOLOGY_NO_CACHE=1 turns that off); cross-file rules always run.
    report = validate(root, baseline=validation_baseline(project), project=project)
    if report.errors:
        first = next(f for f in report.findings if f.severity == "error")
        raise OntologyError(f"validation found {report.errors} error(s), first {first.render()} "
                            "(run `ontology validate`)")
    comparison = compare(project)
    plan = comparison.plan
    if plan.blocking:
        raise OntologyError("release blocked: " + "; ".join(b.message for b in plan.blocking))
    if plan.is_empty or plan.next_version in (None, plan.version):
        return None, released_at
    _refuse_conflicts(root, comparison, repo, released_at, options)
    return comparison, released_at


def _refuse_conflicts(root: Path, comparison: Comparison, repo: GitRepo | None,
                      released_at: str, options: ReleaseOptions) -> None:
    """An earlier date, an existing tag, an existing bundle: refuse before writing anything."""
    version = str(comparison.plan.next_version)
    last_date = comparison.old.ontology.get("releasedAt")
    if last_date and released_at < str(last_date):
        raise OntologyError(f"release date {released_at} is earlier than the last release's "
                            f"({last_date})")
    tag = tag_name(comparison.new.ontology, version)
    if repo is not None and repo.tag_exists(tag):
        raise OntologyError(f"tag {tag} already exists; version {version} was released before")
    out = _out(root, options)
    folder = out / folder_name(version)
    tarball = out / f"{folder_name(version)}.tar.gz"
    if (folder.exists() and any(folder.iterdir())) or tarball.exists():
        raise OntologyError(f"a bundle for {version} already exists in {_shown(root, out)}; "
                            "move it away or pass --out DIR")


def _preview(project: Project, options: ReleaseOptions) -> ReleaseResult:
    """`--dry-run`: the plan and the changelog section, nothing written."""
    from ontology_tools.release.prepare import changelog_texts
    from ontology_tools.render.plan import as_text

    root = project.root
    pending = read_journal(root)
    if pending is not None:
        return ReleaseResult("dry-run", f"an interrupted release of {pending.version} "
                             f"({pending.released_at}) is pending; `ontology release` finishes "
                             "it", section=pending.section, version=pending.version,
                             released_at=pending.released_at)
    comparison, released_at = _checked_plan(project, options)
    if comparison is None:
        return ReleaseResult("nothing", _nothing_message())
    plan = comparison.plan
    version = str(plan.next_version)
    section, _ = changelog_texts(root, plan, version, released_at,
                                 str(comparison.new.ontology.get("name") or "the ontology"))
    return ReleaseResult("dry-run", f"dry run: would release ontology {version} ({released_at}); "
                         "nothing written", plan_text=as_text(plan, next_release=True),
                         section=section, version=version, released_at=released_at)
