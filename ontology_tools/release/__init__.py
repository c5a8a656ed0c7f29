"""`ontology release`: stamp, changelog, bundle, commit and tag, safely and repeatably (SPEC 6).

A release is decided in full first (`prepare.decide` → a Journal of every file's new bytes),
checked by one preflight (`preflight.py`), recorded in `.ontology-release.json`, then carried
out in a fixed order (`execute.carry_out`). A release that finds a journal finishes it instead
of planning from a half-stamped tree — only while HEAD and the sources are as it left them
(`pending.py`); `abandon_release` discards it.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

from ontology_tools.classify.comparison import Comparison
from ontology_tools.dates import release_date
from ontology_tools.errors import OntologyError
from ontology_tools.gitrepo import GitRepo
from ontology_tools.layout import check_output_folder
from ontology_tools.project import Project
from ontology_tools.release import lock
from ontology_tools.release.bundle import folder_name
from ontology_tools.release.execute import Outcome, carry_out
from ontology_tools.release.faults import StepCounter
from ontology_tools.release.journal import Journal, read_journal, write_journal
from ontology_tools.release.pending import (
    GUARDED_FOLDERS,
    Abandoned,
    abandon,
    describe_options,
    resume_refusal,
)
from ontology_tools.release.preflight import check_tag_name, preflight
from ontology_tools.release.prepare import decide, tag_name
from ontology_tools.release.verify import VerifyReport, verify_bundle

__all__ = ["Abandoned", "ReleaseOptions", "ReleaseResult", "VerifyReport", "abandon_release",
           "cut_release", "verify_bundle"]


class ReleaseInterrupted(OntologyError):
    """A release failed after it started writing; its journal lets a rerun finish it."""


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
    notices: tuple[str, ...] = ()


def cut_release(project: Project, options: ReleaseOptions) -> ReleaseResult:
    """Run `ontology release` on the project.

    An invalid `--out` raises `layout.OutputFolderError` before anything else is looked at.
    """
    root = project.root.resolve()
    out = _out(root, options)
    if options.dry_run:
        return _preview(project, options)
    steps = StepCounter()
    with lock.held(root):
        repo = project.repo
        pending = read_journal(root)
        if pending is not None:
            refusal = resume_refusal(root, pending, repo)
            if refusal is not None:
                raise OntologyError(refusal)
            preflight(root, pending)
            notice = describe_options(pending, _given_options(options, out))
            return _finish(root, pending, repo, steps, resumed=True,
                           notices=(notice,) if notice else ())
        comparison, released_at = _checked_plan(project, options)
        if comparison is None:
            return ReleaseResult("nothing", _nothing_message())
        head = repo.head() if repo else None
        journal = decide(root, comparison, released_at, base_commit=head,
                         base_blobs=_blob_ids(repo, head), commit=options.commit or options.tag,
                         create_tag=options.tag, out=out, allow_dirty=options.allow_dirty)
        preflight(root, journal)
        write_journal(root, journal)
        steps.step()
        return _finish(root, journal, repo, steps, resumed=False)


def abandon_release(project: Project) -> Abandoned | None:
    """`ontology release --abandon`: discard the pending release (None: there is none)."""
    root = project.root.resolve()
    with lock.held(root):
        pending = read_journal(root)
        if pending is None:
            return None
        return abandon(root, pending, project.repo)


def _out(root: Path, options: ReleaseOptions) -> Path:
    """The bundle's folder, checked by the layout rules (SPEC 6.2)."""
    if options.out is not None:
        return check_output_folder(root, options.out)
    return check_output_folder(root, root / "dist", label="dist")


def _given_options(options: ReleaseOptions, out: Path) -> dict[str, str]:
    """This run's options as a finishing rerun compares them with the interrupted run's."""
    return {"--date": release_date(options.date, os.environ),
            "--commit": "yes" if options.commit or options.tag else "no",
            "--tag": "yes" if options.tag else "no", "--out": str(out)}


def _blob_ids(repo: GitRepo | None, head: str | None) -> dict[str, str]:
    """Path → git blob id of every source file at `head` ({} without git or commits)."""
    if repo is None or head is None:
        return {}
    return {path: blob.sha for folder in GUARDED_FOLDERS
            for path, blob in repo.blobs(head, folder).items()}


def _finish(root: Path, journal: Journal, repo: GitRepo | None, steps: StepCounter, *,
            resumed: bool, notices: tuple[str, ...] = ()) -> ReleaseResult:
    try:
        outcome = carry_out(root, journal, repo, steps)
    except OSError as err:
        where = _shown(root, Path(err.filename)) if err.filename else "a release file"
        raise ReleaseInterrupted(f"could not write {where} ({err.strerror or err}); "
                                 f"{_pending_advice(journal)}") from None
    except OntologyError as err:
        raise ReleaseInterrupted(f"{err}; {_pending_advice(journal)}") from None
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
                         resumed=resumed, outcome=outcome, notices=notices)


def _pending_advice(journal: Journal) -> str:
    return (f"the release of {journal.version} is pending: run `ontology release` again to "
            "finish it, or `ontology release --abandon` to discard it")


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
    from ontology_tools.classify.comparison import compare
    from ontology_tools.project.baseline import validation_baseline
    from ontology_tools.validation import validate

    root, repo = project.root, project.repo
    if (options.commit or options.tag) and repo is None:
        raise OntologyError(f"--commit and --tag need a git repository; {root} is not one")
    if repo is not None and not options.allow_dirty and not options.dry_run:
        dirty = repo.changed_files(GUARDED_FOLDERS)
        if dirty:
            raise OntologyError(f"uncommitted changes under ontology/ or changelog/ "
                                f"({', '.join(dirty[:3])}{' …' if len(dirty) > 3 else ''}); "
                                "commit them or pass --allow-dirty")
    if repo is not None and not options.dry_run and project.releases.shallow:
        # an id removed before the clone's first commit would restart at 1.0.0 here: one id,
        # one version, one content holds only with the whole history in view
        raise OntologyError("this clone is shallow: a release needs the whole history to "
                            "continue every KPI's versions; fetch it with "
                            "`git fetch --unshallow --tags`")
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
    check_tag_name(tag)
    if repo is not None and repo.tag_exists(tag):
        raise OntologyError(f"tag {tag} already exists; version {version} was released before")
    out = _out(root, options)
    folder = out / folder_name(version)
    tarball = out / f"{folder_name(version)}.tar.gz"
    # a file where the folder goes is the preflight's to name
    if (folder.is_dir() and any(folder.iterdir())) or tarball.exists():
        raise OntologyError(f"a bundle for {version} already exists in {_shown(root, out)}; "
                            "move it away or pass --out DIR")


def _preview(project: Project, options: ReleaseOptions) -> ReleaseResult:
    """`--dry-run`: the plan and the changelog section, nothing written."""
    from ontology_tools.release.prepare import changelog_texts
    from ontology_tools.render.plan import as_text

    root = project.root
    pending = read_journal(root)
    if pending is not None:
        refusal = resume_refusal(root, pending, project.repo)
        then = "`ontology release` finishes it, `ontology release --abandon` discards it" \
            if refusal is None else refusal
        return ReleaseResult("dry-run", f"an interrupted release of {pending.version} "
                             f"({pending.released_at}) is pending; {then}",
                             section=pending.section, version=pending.version,
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
