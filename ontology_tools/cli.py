"""The `ontology` command line: parse options, call one core function, hand the result on.

Core modules never import click; heavy modules are imported inside commands so that
`ontology --help` starts as fast as the interpreter allows.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, NoReturn

import click

from ontology_tools import __version__

if TYPE_CHECKING:
    from ontology_tools.project import Settings


@dataclass(frozen=True)
class Workspace:
    """The repository a command works on."""

    root: Path

    def settings(self) -> Settings:
        """The project's ontology.yaml, read with the fast loader."""
        from ontology_tools import yamlio
        from ontology_tools.errors import OntologyError
        from ontology_tools.model import ONTOLOGY_FILE
        from ontology_tools.project import Settings

        try:
            config = yamlio.load_fast((self.root / ONTOLOGY_FILE).read_bytes())
        except yamlio.YamlProblem as problem:
            raise OntologyError(f"{ONTOLOGY_FILE}:{problem}") from None
        return Settings.from_config(config if isinstance(config, dict) else {})


def fail(message: str, code: int = 1) -> NoReturn:
    """Print one clear sentence on stderr and exit."""
    click.echo(f"ontology: error: {message}", err=True)
    sys.exit(code)


class Group(click.Group):
    """Turns the toolkit's own errors into one line on stderr instead of a traceback."""

    def invoke(self, ctx: click.Context) -> Any:
        from ontology_tools.errors import OntologyError

        try:
            return super().invoke(ctx)
        except OntologyError as err:
            fail(str(err))
        except OSError as err:
            where = f" {err.filename}" if err.filename else ""
            fail(f"cannot access{where}: {err.strerror or err}")
        except (click.exceptions.Exit, click.ClickException, click.Abort, SystemExit):
            raise
        except Exception as err:  # never a traceback; ONTOLOGY_DEBUG=1 shows it
            if os.environ.get("ONTOLOGY_DEBUG"):
                raise
            fail(f"internal error ({type(err).__name__}: {err}); please report it")


@click.group(cls=Group, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, "--version", prog_name="ontology")
@click.option("--root", type=click.Path(file_okay=False, path_type=Path),
              help="The repository (default: walk up from the current folder).")
@click.pass_context
def main(ctx: click.Context, root: Path | None) -> None:
    """Author, validate, version and release the board-KPI ontology."""
    if ctx.resilient_parsing or ctx.invoked_subcommand is None:
        return
    from ontology_tools.errors import OntologyError
    from ontology_tools.project import find_root

    try:
        ctx.obj = Workspace(find_root(root or Path.cwd()))
    except OntologyError as err:
        fail(str(err))


pass_workspace = click.make_pass_decorator(Workspace)
FINDING_FORMATS = click.Choice(["text", "json", "github"])


@main.command()
@click.argument("paths", nargs=-1, type=click.Path(path_type=Path))
@click.option("--format", "fmt", type=FINDING_FORMATS, default="text", show_default=True)
@pass_workspace
def validate(ws: Workspace, paths: Sequence[Path], fmt: str) -> None:
    """Check KPI files, ontology.yaml and change notes: schema and cross-file rules.

    With PATHs, only findings in those files (or folders) are reported; the whole ontology is
    still read so that cross-file rules stay exact. Exit 1 when there is an error.
    """
    from ontology_tools.render import findings as render
    from ontology_tools.validation import validate as run

    report = run(ws.root, only=_relative_files(ws.root, paths) if paths else None,
                 baseline=_baseline(ws))
    if fmt == "json":
        click.echo(render.as_json(report.findings, report.files), nl=False)
    else:
        click.echo(render.FORMATTERS[fmt](report.findings), nl=False)
        click.echo(render.summary(report.findings, report.files), err=True)
    sys.exit(1 if report.errors else 0)


def _baseline(ws: Workspace) -> Any:
    from ontology_tools.baseline import release_baseline

    return release_baseline(ws.root)


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
@pass_workspace
def fmt_command(ws: Workspace, paths: Sequence[Path], check: bool) -> None:
    """Rewrite KPI files into canonical key order and style, keeping comments."""
    from ontology_tools.canonical import format_file
    from ontology_tools.errors import OntologyError
    from ontology_tools.model import rogue_id_for
    from ontology_tools.yamlio import YamlProblem

    stages = list(ws.settings().vocabulary.stages)
    selected = _relative_files(ws.root, paths) if paths else {
        p.relative_to(ws.root).as_posix() for p in (ws.root / "ontology").rglob("*.yaml")}
    changed, broken = [], 0
    for rel in sorted(r for r in selected if rogue_id_for(r)):
        try:
            if format_file(ws.root / rel, stages, write=not check):
                changed.append(rel)
        except (YamlProblem, OntologyError) as problem:
            broken += 1
            click.echo(f"{rel}:{problem}", err=True)
        except Exception as err:  # the round-trip parser rejects what the fast one accepted
            broken += 1
            click.echo(f"{rel}: cannot format: {str(err).splitlines()[0]}", err=True)
    for rel in changed:
        click.echo(f"{'would reformat' if check else 'reformatted'} {rel}")
    click.echo(f"{len(changed)} file{'s' * (len(changed) != 1)} "
               f"{'would be ' if check else ''}reformatted, {broken} could not be read", err=True)
    sys.exit(1 if broken or (check and changed) else 0)


@main.command()
@click.argument("domain")
@click.argument("slug")
@click.option("--label", help="The defaultLabel (default: the slug in title case).")
@click.option("--owner", help="The default owning function.")
@pass_workspace
def new(ws: Workspace, domain: str, slug: str, label: str | None, owner: str | None) -> None:
    """Write a valid editorial-tier skeleton at ontology/DOMAIN/SLUG.yaml."""
    import datetime as dt

    from ontology_tools.scaffold import new_kpi

    path = new_kpi(ws.root, ws.settings(), domain, slug, label=label, owner=owner,
                   today=dt.datetime.now(dt.UTC).date())
    click.echo(f"wrote {path.relative_to(ws.root).as_posix()}")
