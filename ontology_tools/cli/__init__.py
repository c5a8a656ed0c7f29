"""The `ontology` command line: parse options, call one core function, hand the result on.

Core modules never import click; heavy modules are imported inside commands so that
`ontology --help` starts as fast as the interpreter allows.
"""

from __future__ import annotations

import functools
import os
import sys
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, NoReturn

import click

from ontology_tools import __version__
from ontology_tools.cli import options
from ontology_tools.render import REPORTERS, formats

if TYPE_CHECKING:
    from ontology_tools.project import Project


def fail(message: str, code: int = 1) -> NoReturn:
    """Print one clear sentence on stderr and exit."""
    click.echo(f"ontology: error: {message}", err=True)
    sys.exit(code)


class Group(click.Group):
    """Turns the toolkit's own errors into one line on stderr instead of a traceback."""

    def main(self, *args: Any, **kwargs: Any) -> Any:
        """Run the command line with streams that can print any text, even when closed."""
        from ontology_tools.runtime.terminal import prepare_streams

        prepare_streams()
        return super().main(*args, **kwargs)

    def invoke(self, ctx: click.Context) -> Any:
        from ontology_tools.errors import OntologyError

        try:
            return super().invoke(ctx)
        except OntologyError as err:
            fail(str(err), err.exit_code)
        except BrokenPipeError:
            raise  # click ends quietly with exit 1 when the reader of stdout has gone
        except OSError as err:
            where = f" {err.filename}" if err.filename else ""
            fail(f"cannot access{where}: {err.strerror or err}")
        except (click.exceptions.Exit, click.ClickException, click.Abort, SystemExit):
            raise
        except Exception as err:  # never a traceback; ONTOLOGY_DEBUG=1 shows it
            if os.environ.get("ONTOLOGY_DEBUG"):
                raise
            fail(f"internal error ({type(err).__name__}: {err}); please report it")


@dataclass(frozen=True)
class RootOption:
    """`--root` as given; the repository is looked up only when a command needs it."""

    root: Path | None


@click.group(cls=Group, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, "--version", prog_name="ontology")
@click.option("--root", type=click.Path(file_okay=False, path_type=Path),
              help="The repository (default: walk up from the current folder).")
@click.pass_context
def main(ctx: click.Context, root: Path | None) -> None:
    """Author, validate, version and release the board-KPI ontology."""
    ctx.obj = RootOption(root)


def pass_project(command: Callable[..., Any]) -> Callable[..., Any]:
    """Hand the command its Project: the repository it works on, found when the command runs."""

    @functools.wraps(command)
    def with_project(*args: Any, **kwargs: Any) -> Any:
        return command(current_project(), *args, **kwargs)

    return with_project


def current_project() -> Project:
    """The project of `--root`, or the one above the current folder; one per command."""
    from ontology_tools.project import Project, find_root

    option = click.get_current_context().find_object(RootOption)
    return Project(find_root((option.root if option else None) or Path.cwd()))


FROM_ADVICE = "; or compare with an explicit `--from VERSION|REF`"


def format_option(kind: str, choices: Sequence[str] | None = None) -> Callable[..., Any]:
    """`--format` with the formats the reporters of `kind` offer (default: text)."""
    return click.option("--format", "fmt", type=click.Choice(list(choices or formats(kind))),
                        default="text", show_default=True)


def report(kind: str, fmt: str, result: Any, **options: Any) -> None:
    """Print `result` with the reporter of `kind` for `fmt` on stdout."""
    click.echo(REPORTERS[kind][fmt](result, **options), nl=False)


@main.command()
@click.argument("paths", nargs=-1, type=click.Path(path_type=Path))
@format_option("findings")
@click.option("--no-cache", is_flag=True,
              help="Re-read every file; neither use nor update .ontology-cache/ "
              "(also ONTOLOGY_NO_CACHE=1).")
@pass_project
def validate(project: Project, paths: Sequence[Path], fmt: str, no_cache: bool) -> None:
    """Check KPI files, ontology.yaml and change notes: schema and cross-file rules.

    With PATHs, only findings in those files (or folders) are reported; the whole ontology is
    still read so that cross-file rules stay exact. Exit 1 when there is an error.
    """
    from ontology_tools.project.past import cache_disabled
    from ontology_tools.render.findings import summary
    from ontology_tools.validation import validate_project

    use_cache = not cache_disabled(no_cache)
    found = validate_project(project, _selected_paths(project.root, paths) if paths else None,
                             use_cache=use_cache)
    report("findings", fmt, found.findings, files=found.files)
    if fmt != "json":  # the JSON document holds its own summary
        click.echo(summary(found.findings, found.files), err=True)
    sys.exit(1 if found.errors else 0)


def _selected_paths(root: Path, paths: Sequence[Path]) -> set[str] | None:
    """The repository paths `validate PATH...` reports on, as given: a link is its own path
    (never the place it leads), a folder stands for everything under it; None for the root."""
    selected: set[str] = set()
    for path in paths:
        given = Path(os.path.abspath(path))
        if not os.path.lexists(given):
            fail(f"{path}: no such file or folder", 2)
        located = Path(os.path.realpath(given.parent)) / given.name  # the last step unresolved
        if located == root or given.resolve() == root:
            return None
        try:
            selected.add(located.relative_to(root).as_posix())
        except ValueError:
            fail(f"{path} is outside the repository {root}", 2)
    return selected


def _relative_files(root: Path, paths: Sequence[Path]) -> set[str]:
    selected: set[str] = set()
    for path in paths:
        absolute = path.resolve()
        if not absolute.exists():
            fail(f"{path}: no such file or folder", 2)
        try:
            relative = absolute.relative_to(root)
        except ValueError:
            fail(f"{path} is outside the repository {root}", 2)
        if absolute.is_dir():
            selected.update(p.relative_to(root).as_posix() for p in absolute.rglob("*.yaml"))
        else:
            selected.add(relative.as_posix())
    return selected


@main.command("fmt")
@click.argument("paths", nargs=-1, type=click.Path(path_type=Path))
@click.option("--check", is_flag=True, help="Write nothing; exit 1 if a file would change.")
@pass_project
def fmt_command(project: Project, paths: Sequence[Path], check: bool) -> None:
    """Rewrite KPI files into canonical key order and style, keeping comments.

    \b
    What fmt guarantees for every file it writes:
    - the new YAML parses to the same data, but for the canonical orders
      (key order; suggestedForStages in the order of vocabularies.stages);
    - running fmt again changes nothing;
    - every comment stays with its node: above a key stays above that key,
      at the end of a line stays on that node's line, between list items
      stays between the same items, at the end of the file stays at the end;
    - flow and JSON-style files become the canonical block style (comments
      inside a flow collection move onto the block lines of their items);
    - a file it cannot format is left as it is and reported as
      `path:line:col: error rule-id message`, the finding validate gives.
    """
    from ontology_tools.edit.fmt import format_kpi_files

    selected = _relative_files(project.root, paths) if paths else {
        p.relative_to(project.root).as_posix() for p in (project.root / "ontology").rglob("*.yaml")}
    run = format_kpi_files(project.root, selected, list(project.settings.vocabulary.stages),
                           write=not check)
    for problem in run.problems:
        click.echo(problem, err=True)
    for rel in run.changed:
        click.echo(f"{'would reformat' if check else 'reformatted'} {rel}")
    changed, broken = run.changed, len(run.problems)
    click.echo(f"{len(changed)} file{'s' * (len(changed) != 1)} "
               f"{'would be ' if check else ''}reformatted, {broken} could not be formatted",
               err=True)
    sys.exit(1 if broken or (check and changed) else 0)


@main.command()
@click.argument("domain", type=options.DOMAIN)
@click.argument("slug", type=options.SLUG)
@click.option("--label", help="The defaultLabel (default: the slug in title case).")
@click.option("--owner", help="The default owning function.")
@pass_project
def new(project: Project, domain: str, slug: str, label: str | None, owner: str | None) -> None:
    """Write a valid editorial-tier skeleton at ontology/DOMAIN/SLUG.yaml.

    DOMAIN must be one of ontology.yaml's domains; DOMAIN and SLUG are lower-case letters,
    digits and underscores, starting with a letter.
    """
    from ontology_tools.dates import today_utc
    from ontology_tools.edit.new import new_kpi

    settings = project.settings
    if domain not in settings.vocabulary.domains:
        raise click.BadParameter(f"unknown domain {domain!r} (expected one of "
                                 f"{', '.join(settings.vocabulary.domains)}; add it to "
                                 "ontology.yaml first)", param_hint="'DOMAIN'")
    path = new_kpi(project.root, settings, domain, slug, label=label, owner=owner,
                   today=today_utc())
    click.echo(f"wrote {path.relative_to(project.root).as_posix()}")


LEVELS = click.Choice(["patch", "minor", "major"])


def _print_plan(plan: Any, fmt: str, *, next_release: bool, **options: Any) -> None:
    from ontology_tools.runtime.terminal import color_wanted

    report("plan", fmt, plan, next_release=next_release, color=color_wanted(sys.stdout),
           **options)


def _fail_on(plan: Any, level: str | None, kpis: Sequence[str]) -> None:
    """Exit 1 on a blocker or a bump at `level`, counting only the KPIs asked for (if any)."""
    from ontology_tools.model import Bump

    only = set(kpis) or None
    if plan.blocked(only) or (level is not None and plan.bump_of(only) >= Bump.parse(level)):
        sys.exit(1)


def _require_known(kpis: Sequence[str], comparison: Any) -> None:
    """An id that neither snapshot holds is a usage error, not an empty diff (SPEC 8)."""
    for rogue_id in kpis:
        if rogue_id not in comparison.old.sources and rogue_id not in comparison.new.sources:
            raise click.BadParameter(
                f"no KPI {rogue_id!r} in {comparison.old.ref} or {comparison.new.ref}",
                param_hint="'--kpi'")


@main.command()
@click.option("--from", "from_spec", metavar="REF",
              help="A git ref, bundle folder or tarball (default: the last release).")
@click.option("--to", "to_spec", metavar="REF", default="WORKTREE", show_default=True,
              help="A git ref, bundle, or WORKTREE.")
@click.option("--kpi", "kpis", multiple=True, metavar="ID", help="Only this KPI (repeatable).")
@format_option("plan")
@click.option("--fail-on", type=LEVELS, help="Exit 1 when the bump reaches this level.")
@pass_project
def diff(project: Project, from_spec: str | None, to_spec: str, kpis: Sequence[str], fmt: str,
         fail_on: str | None) -> None:
    """Classify every change between two snapshots of the ontology."""
    from ontology_tools.classify.comparison import compare

    if fmt == "html" and len(kpis) != 1:
        fail("--format html is the review page of one KPI: pass exactly one --kpi", 2)
    comparison = compare(project, from_spec, to_spec, only=set(kpis) or None,
                         advice=FROM_ADVICE if from_spec is None else "")
    _require_known(kpis, comparison)
    review = _review_of(project, comparison, kpis[0]) if fmt == "html" else {}
    _print_plan(comparison.plan, fmt, next_release=False, **review)
    _fail_on(comparison.plan, fail_on, kpis)


def _review_of(project: Project, comparison: Any, rogue_id: str) -> dict[str, Any]:
    """What the review page shows beside the plan: the releases between, whole definitions."""
    from ontology_tools.render.review import plan_definitions
    from ontology_tools.review.history import releases_between

    return {"history": releases_between(project, rogue_id, comparison.old.version,
                                        comparison.new.version),
            "definitions": plan_definitions(comparison.plan, comparison.old, comparison.new)}


@main.command()
@click.option("--from", "from_spec", metavar="REF",
              help="Compare from this release, git ref or bundle instead of the last release.")
@click.option("--kpi", "kpis", multiple=True, metavar="ID", help="Only this KPI (repeatable).")
@format_option("plan")
@click.option("--fail-on", type=LEVELS, help="Exit 1 when the bump reaches this level.")
@pass_project
def plan(project: Project, from_spec: str | None, kpis: Sequence[str], fmt: str,
         fail_on: str | None) -> None:
    """What the next release would be: the last release against the worktree."""
    from ontology_tools.classify.comparison import compare

    comparison = compare(project, from_spec, only=set(kpis) or None,
                         advice=FROM_ADVICE if from_spec is None else "")
    _require_known(kpis, comparison)
    _print_plan(comparison.plan, fmt, next_release=True)
    _fail_on(comparison.plan, fail_on, kpis)


def _note_name(_ctx: click.Context, _param: click.Parameter, value: str | None) -> str | None:
    """--name is a plain file stem: a path separator or `..` is a usage error (exit 2)."""
    from ontology_tools.layout import note_name_problem

    problem = None if value is None else note_name_problem(value)
    if problem is not None:
        raise click.BadParameter(problem)
    return value


@main.command()
@click.option("--kpi", "kpis", multiple=True, required=True, metavar="ID",
              help="A KPI the note explains (repeatable).")
@click.option("-m", "--message", "summary", required=True, type=options.TEXT,
              help="The summary for the changelog.")
@click.option("--dispute", metavar="REF", help="The dispute this change answers, e.g. D-2026-007.")
@click.option("--bump", type=LEVELS, help="Declare a level (may raise, never lower).")
@click.option("--waive", "waivers", multiple=True, type=options.WAIVER,
              help="Lower RULE (a rule of `ontology rules`) to patch, with a justification "
              "(repeatable).")
@click.option("--name", callback=_note_name,
              help="The note's file name without .yaml: letters, digits, '-', '_', '.' "
              "(default: from the KPI and summary).")
@pass_project
def note(project: Project, kpis: Sequence[str], summary: str, dispute: str | None, bump: str | None,
         waivers: Sequence[Any], name: str | None) -> None:
    """Write a change note into changelog/unreleased/."""
    from ontology_tools.edit.note import write_note
    from ontology_tools.model import Bump

    known = set(project.worktree.sources) | set(project.baseline.snapshot.sources) \
        | project.releases.past_ids
    path = write_note(project.root, list(kpis), summary, known=known, dispute=dispute,
                      bump=Bump.parse(bump) if bump else None, waive=list(waivers), name=name)
    click.echo(f"wrote {path.relative_to(project.root).as_posix()}")


@main.command()
@click.option("--from", "from_spec", metavar="REF", help="Default: the last release.")
@format_option("plan", ["text", "markdown", "github"])
@pass_project
def check(project: Project, from_spec: str | None, fmt: str) -> None:
    """The pull-request gate: validate, diff, and require a proper note for each change."""
    from ontology_tools.validation.gate import run_gate

    result = run_gate(project, from_spec, advice=FROM_ADVICE if from_spec is None else "")
    report("findings", "github" if fmt == "github" else "text", result.report.findings)
    if result.plan is not None:
        _print_plan(result.plan, fmt, next_release=True)
    for problem in result.problems:
        click.echo(f"check: {problem}", err=True)
    click.echo("check passed" if result.passed else "check failed", err=True)
    sys.exit(0 if result.passed else 1)


@main.command()
@click.argument("rogue_id", metavar="ID")
@click.option("--source-name", required=True, help="The standard's name.")
@click.option("--source-url", help="Where the standard is published.")
@click.option("--section-ref", help="The section of the standard.")
@click.option("--publication-date", required=True, type=options.DATE)
@click.option("--attribution", help="The attribution notice.")
@pass_project
def promote(project: Project, rogue_id: str, source_name: str, source_url: str | None,
            section_ref: str | None, publication_date: str, attribution: str | None) -> None:
    """Back-attribution: move a KPI from the editorial to the published tier."""
    from ontology_tools.edit.promote import Attribution
    from ontology_tools.edit.promote import promote as run

    path = run(project.root, rogue_id, Attribution(source_name, publication_date, source_url,
                                              section_ref, attribution))
    click.echo(f"promoted {rogue_id} in {path.relative_to(project.root).as_posix()} "
               "(a minor bump at the next release); write a note with `ontology note`")


@main.command()
@click.argument("rogue_id", metavar="ID")
@format_option("history")
@pass_project
def history(project: Project, rogue_id: str, fmt: str) -> None:
    """Every release in which a KPI's version changed, newest first (follows renames)."""
    from ontology_tools.review.history import kpi_history

    report("history", fmt, kpi_history(project, rogue_id, disputes=True))


@main.command()
@format_option("rules")
@click.option("--policy/--no-policy", default=True,
              help="Apply ontology.yaml's policy overrides (default) or show the defaults.")
def rules(fmt: str, policy: bool) -> None:
    """The catalog of change rules and validation rules.

    Inside a repository the levels include ontology.yaml's policy overrides.
    """
    from ontology_tools.project import ProjectError

    try:
        overrides = current_project().settings.policy if policy else {}
    except ProjectError:
        overrides = {}
    report("rules", fmt, overrides)


@main.command()
@click.option("--out", type=click.Path(file_okay=False, path_type=Path),
              help="The folder to write the site into (default: dist/docs in the repository); "
                   "a folder outside ontology/, changelog/ and schemas/, not the repository "
                   "root (else exit 2).")
@pass_project
def docs(project: Project, out: Path | None) -> None:
    """Build the static documentation site: an index, a page per KPI, the methodology, sources.

    The KPI JSON files are written beside the pages, so the Machine-readable links work.
    """
    from ontology_tools.render.docs.sources import write_docs

    out = _output_folder(project.root, out, project.root / "dist" / "docs")
    written = write_docs(project, out)
    pages, removed = written.pages, written.removed
    stale = f"; removed {len(removed)} stale file{'s' * (len(removed) != 1)}" if removed else ""
    click.echo(f"wrote {len(pages)} page{'s' * (len(pages) != 1)} to {out}{stale}")


@main.command()
@click.option("--date", "date", type=options.DATE,
              help="The release date (default: SOURCE_DATE_EPOCH, else today in UTC).")
@click.option("--dry-run", is_flag=True, help="Print the plan and the changelog; write nothing.")
@click.option("--commit", is_flag=True, help="Commit exactly the files the release wrote.")
@click.option("--tag", is_flag=True, help="Also create the annotated tag (implies --commit).")
@click.option("--out", type=click.Path(file_okay=False, path_type=Path),
              help="Where the bundle goes (default: dist/); a folder outside ontology/, "
                   "changelog/ and schemas/, not the repository root (else exit 2).")
@click.option("--allow-dirty", is_flag=True,
              help="Release even with uncommitted changes under ontology/ or changelog/.")
@click.option("--abandon", is_flag=True,
              help="Discard an interrupted release: put back the files it wrote, remove its "
                   "bundle and journal. Exit 0 also when none is pending.")
@pass_project
def release(project: Project, date: str | None, dry_run: bool, commit: bool, tag: bool,
            out: Path | None, allow_dirty: bool, abandon: bool) -> None:
    """Stamp versions, write the changelog and the bundle; optionally commit and tag.

    An interrupted release is finished by the next `release` (with the interrupted run's
    options) while HEAD and the sources are as it left them; otherwise it is refused, and
    `release --abandon` discards it.
    """
    from ontology_tools.layout import OutputFolderError
    from ontology_tools.release import ReleaseOptions, cut_release

    if abandon:
        _abandon(project, date=date, dry_run=dry_run, commit=commit, tag=tag, out=out,
                 allow_dirty=allow_dirty)
        return
    try:
        result = cut_release(project, ReleaseOptions(date=date, dry_run=dry_run, commit=commit,
                                                     tag=tag, out=out, allow_dirty=allow_dirty))
    except OutputFolderError as err:
        fail(str(err), 2 if out is not None else 1)
    for notice in result.notices:
        click.echo(f"ontology: note: {notice}", err=True)
    if result.plan_text:
        click.echo(result.plan_text, nl=False)
    if result.status == "dry-run" and result.section:
        click.echo("\n" + result.section, nl=False)
    click.echo(result.summary)


def _abandon(project: Project, **others: object) -> None:
    """`release --abandon`, which takes no other option."""
    from ontology_tools.release import abandon_release

    given = [f"--{name.replace('_', '-')}" for name, value in others.items()
             if value not in (None, False)]
    if given:
        raise click.UsageError(f"--abandon takes no other option (got {', '.join(given)})")
    done = abandon_release(project)
    if done is None:
        click.echo("nothing to abandon: no interrupted release is pending")
        return
    click.echo(f"abandoned the interrupted release of ontology {done.version}")
    for label, paths in (("put back", done.restored), ("removed", done.removed),
                         ("removed the bundle", done.bundle)):
        if paths:
            click.echo(f"  {label}: {', '.join(_relative(project.root, p) for p in paths)}")
    for path in done.kept:
        click.echo(f"ontology: note: {path} was changed after the release wrote it; "
                   "left alone", err=True)
    for notice in done.notices:
        click.echo(f"ontology: note: {notice}", err=True)


def _relative(root: Path, path: str) -> str:
    """A path as the user reads it: relative to the repository when it lies inside."""
    where = Path(path)
    try:
        return where.resolve().relative_to(root.resolve()).as_posix() if where.is_absolute() \
            else where.as_posix()
    except ValueError:
        return path


def _output_folder(root: Path, out: Path | None, default: Path) -> Path:
    """`--out` checked by the layout rules: exit 2 for a bad --out, 1 for a bad default."""
    from ontology_tools.layout import OutputFolderError, check_output_folder

    try:
        if out is None:
            return check_output_folder(root, default, label=_relative(root, str(default)))
        return check_output_folder(root, out)
    except OutputFolderError as err:
        fail(str(err), 2 if out is not None else 1)


@main.command()
@click.argument("bundle", type=click.Path(exists=True, path_type=Path))
def verify(bundle: Path) -> None:
    """Check a release bundle (folder or tarball) against its manifest and the schemas."""
    from ontology_tools.release import verify_bundle

    verified = verify_bundle(bundle)
    for problem in verified.problems:
        click.echo(f"{verified.bundle}: {problem}", err=True)
    if not verified.ok:
        fail(f"{len(verified.problems)} problem(s) in {verified.bundle}")
    click.echo(f"{verified.bundle}: {verified.checked} files match the manifest")


# --- disputes (SPEC 7.3) ------------------------------------------------------------------------

def usage_errors(command: Callable[..., Any]) -> Callable[..., Any]:
    """A malformed value or an id that names nothing is a usage error: one sentence, exit 2."""

    @functools.wraps(command)
    def checked(*args: Any, **kwargs: Any) -> Any:
        from ontology_tools.project.disputes import DisputeValueError

        try:
            return command(*args, **kwargs)
        except DisputeValueError as err:
            fail(str(err), 2)

    return checked


def _dispute_releases(project: Project) -> Any:
    """What each release published, for the dispute commands."""
    from ontology_tools.project.disputes import KpiReleases
    from ontology_tools.validation.dispute_rules import project_releases

    return project_releases(project) or KpiReleases()


def _known_kpis(project: Project) -> frozenset[str]:
    """Every KPI id that exists in the worktree or existed in a release."""
    from ontology_tools.review.dispute_review import known_kpis

    return known_kpis(project.worktree.sources, project.releases.past_ids)


def _today() -> str:
    from ontology_tools.dates import today_utc

    return today_utc().isoformat()


@main.group(cls=Group)
def dispute() -> None:
    """Record challenges to KPI definitions, and their decisions (changelog/disputes/)."""


@dispute.command("open")
@click.argument("kpis", nargs=-1, required=True, metavar="ID...")
@click.option("--claim", required=True, help="What is disputed, and on what grounds.")
@click.option("--by", "raised_by", required=True, help="Who raised it (free text).")
@click.option("--date", type=options.DATE, help="When it was raised (default: today, UTC).")
@click.option("--against", metavar="VERSION",
              help="The KPI version disputed (default: the version in force on --date).")
@click.option("--evidence", "evidence", multiple=True, metavar="TITLE=URL",
              help="A document the claim rests on (repeatable).")
@pass_project
@usage_errors
def dispute_open(project: Project, kpis: Sequence[str], claim: str, raised_by: str,
                 date: str | None, against: str | None, evidence: Sequence[str]) -> None:
    """Write changelog/disputes/D-<year>-<n>.yaml with the next free number; print its id."""
    from ontology_tools.edit.dispute import Claim, check_claim, open_dispute, parse_evidence
    from ontology_tools.project.disputes import DisputeValueError
    from ontology_tools.review.dispute_review import default_against

    releases = _dispute_releases(project)
    known = _known_kpis(project)
    raised_at = date or _today()
    request = Claim(tuple(kpis), claim, raised_by, raised_at, against, parse_evidence(evidence))
    check_claim(request, known)
    if against is None:
        request = Claim(request.kpis, claim, raised_by, raised_at,
                        default_against(request.kpis, raised_at, project.releases, releases),
                        request.evidence)
    else:
        for rogue_id in request.kpis:
            if against not in releases.held(rogue_id):
                raise DisputeValueError(f"--against {against!r}: {rogue_id} was never released "
                                        "at that version")
    opened = open_dispute(project.root, request, known)
    click.echo(opened.id)
    click.echo(f"wrote {opened.file}", err=True)


@dispute.command("resolve")
@click.argument("dispute_id", metavar="DISPUTE")
@click.option("--upheld", "status", flag_value="upheld", help="The definition changes.")
@click.option("--rejected", "status", flag_value="rejected", help="The definition stands.")
@click.option("--withdrawn", "status", flag_value="withdrawn", help="The claim was withdrawn.")
@click.option("--summary", required=True, help="The decision, for the record.")
@click.option("--date", type=options.DATE, help="When it was decided (default: today, UTC).")
@pass_project
@usage_errors
def dispute_resolve(project: Project, dispute_id: str, status: str | None, summary: str,
                    date: str | None) -> None:
    """Record the decision: --upheld (a change note must name the dispute), --rejected or
    --withdrawn."""
    from ontology_tools.edit.dispute import Decision, resolve_dispute
    from ontology_tools.project.disputes import DisputeStatus, find_dispute, read_disputes
    from ontology_tools.review.dispute_review import released_note_of

    if status is None:
        fail("say the decision: --upheld, --rejected or --withdrawn", 2)
    found = find_dispute(read_disputes(project.root), dispute_id)
    decision = Decision(DisputeStatus(status), summary, date or _today())
    released_in = released_note_of(found.id, project.releases) \
        if decision.status is DisputeStatus.UPHELD else None
    resolved = resolve_dispute(project.root, found, decision, project.worktree.notes,
                               released_in)
    after = f", resolved by release {released_in}" if released_in else (
        "; the release that consumes its note records the version"
        if resolved.status is DisputeStatus.UPHELD else "")
    click.echo(f"{resolved.id} {resolved.status.value}{after}")


@dispute.command("list")
@click.option("--status", type=click.Choice(["open", "upheld", "rejected", "withdrawn"]))
@click.option("--kpi", metavar="ID", help="Only disputes of this KPI.")
@format_option("disputes")
@pass_project
@usage_errors
def dispute_list(project: Project, status: str | None, kpi: str | None, fmt: str) -> None:
    """Every dispute, oldest first."""
    from ontology_tools.project.disputes import DisputeValueError, read_disputes
    from ontology_tools.review.dispute_review import only_kpis

    records = read_disputes(project.root)
    if kpi is not None and kpi not in _known_kpis(project) | {k for d in records for k in d.kpis}:
        raise DisputeValueError(f"--kpi {kpi!r}: no such KPI in the worktree or any release")
    report("disputes", fmt, only_kpis(records, kpi, status))


@dispute.command("show")
@click.argument("dispute_id", metavar="DISPUTE")
@format_option("dispute")
@pass_project
@usage_errors
def dispute_show(project: Project, dispute_id: str, fmt: str) -> None:
    """The review page: claim, evidence, the definition as it stood, what changed since, the
    decision."""
    from ontology_tools.project.disputes import find_dispute, read_disputes
    from ontology_tools.review.dispute_review import review_dispute

    found = find_dispute(read_disputes(project.root), dispute_id)
    report("dispute", fmt, review_dispute(project, found, _dispute_releases(project)))


# --- the definition as it stood (SPEC 7.4) -----------------------------------------------------

@main.command()
@click.argument("rogue_id", metavar="ID")
@click.option("--at", "at", metavar="VERSION|DATE|REF",
              help="A release (1.3.0 or v1.3.0), the release in force on a YYYY-MM-DD date, a "
              "git ref or WORKTREE (default: the last release).")
@format_option("show")
@pass_project
def show(project: Project, rogue_id: str, at: str | None, fmt: str) -> None:
    """A KPI as it stood at a release, a date or a ref (follows renames; says what it shows).

    --format json prints exactly the bytes of that release's bundle file, --format yaml the
    source file as the release committed it; which release was shown goes to stderr.
    """
    from ontology_tools.review.show import resolve_point, show_kpi

    shown = show_kpi(project, rogue_id, resolve_point(project, at))  # usage errors exit 2
    report("show", fmt, shown, project=project)
    if fmt != "text":  # the text says what it shows; the files and the page do not
        click.echo(f"showing {shown.resolved}", err=True)
