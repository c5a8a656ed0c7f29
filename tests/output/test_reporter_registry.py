"""The reporter registry: each entry resolves, reads only its options, is what the CLI offers."""

from __future__ import annotations

import importlib
import inspect
import subprocess
import sys

import click
import pytest

from ontology_tools.cli import main
from ontology_tools.model import Bump, Change, Finding, KpiPlan, Plan, Severity, Status
from ontology_tools.render import REPORTERS, Reporter, formats
from ontology_tools.render.findings import as_json, as_text
from ontology_tools.render.plan import as_text as plan_text

OLD, NEW = ("Count of customer logos with an active paid contract.",
            "Count of customer accounts with an active paid contract.")
PLAN = Plan("v1.2.0", "1.2.0", "WORKTREE", "1.2.0", "2.0.0", Bump.MAJOR, (),
            (KpiPlan("customers.total_customers", Status.CHANGED, "1.2.0", "2.0.0", Bump.MAJOR,
                     (Change("formula-changed", Bump.MAJOR, "formula", OLD, NEW,
                             "formula changed"),)),), ())

ENTRIES = [(kind, fmt, reporter) for kind, by_format in REPORTERS.items()
           for fmt, reporter in by_format.items()]


@pytest.mark.parametrize(("kind", "fmt", "reporter"), ENTRIES,
                         ids=[f"{kind}-{fmt}" for kind, fmt, _ in ENTRIES])
def test_every_reporter_is_a_function_taking_the_result_and_its_options(
        kind: str, fmt: str, reporter: Reporter) -> None:
    module, name = reporter.target.split(":")
    function = getattr(importlib.import_module(module), name)
    parameters = inspect.signature(function).parameters
    positional = [p for p in parameters.values()
                  if p.kind in (p.POSITIONAL_ONLY, p.POSITIONAL_OR_KEYWORD)
                  and p.default is p.empty and p.name not in reporter.takes]
    assert len(positional) == 1, f"{kind} {fmt}: {reporter.target} must take one result"
    for option in reporter.takes:
        assert option in parameters, f"{kind} {fmt}: {reporter.target} has no {option!r}"


def test_the_registry_imports_no_reporter_until_one_is_called() -> None:
    code = ("import sys, ontology_tools.render as r; r.formats('plan');"
            "print(sorted(m for m in sys.modules if m.startswith('ontology_tools.render.')))")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                          check=True, timeout=60)
    assert done.stdout.strip() == "[]"


def test_options_reach_only_the_reporters_that_read_them() -> None:
    reporter = REPORTERS["plan"]["text"]
    coloured = reporter(PLAN, color=True, next_release=True, history=(), project=None)
    assert coloured == plan_text(PLAN, color=True, next_release=True)
    assert "\x1b[" in str(coloured)
    assert REPORTERS["plan"]["json"](PLAN, color=True, next_release=True) \
        == REPORTERS["plan"]["json"](PLAN)


def test_findings_reporters_share_one_call() -> None:
    found = [Finding("ontology/a/b.yaml", 3, 5, Severity.ERROR, "schema", "bad value")]
    assert REPORTERS["findings"]["text"](found, files=7) == as_text(found)
    assert REPORTERS["findings"]["json"](found, files=7) == as_json(found, 7)
    assert '"files": 7' in str(REPORTERS["findings"]["json"](found, files=7))


def _format_choices(*path: str) -> list[str]:
    command: click.Command = main
    for name in path:
        assert isinstance(command, click.Group)
        command = command.commands[name]
    option = next(p for p in command.params if p.name == "fmt")
    assert isinstance(option.type, click.Choice)
    return list(option.type.choices)


@pytest.mark.parametrize(("path", "kind"), [
    (("validate",), "findings"), (("diff",), "plan"), (("plan",), "plan"),
    (("history",), "history"), (("rules",), "rules"), (("show",), "show"),
    (("dispute", "list"), "disputes"), (("dispute", "show"), "dispute")])
def test_each_command_offers_exactly_the_formats_of_its_reporters(
        path: tuple[str, ...], kind: str) -> None:
    assert _format_choices(*path) == formats(kind)


def test_check_offers_formats_that_both_its_reporters_have() -> None:
    choices = _format_choices("check")
    assert set(choices) <= set(formats("plan"))
    assert all(fmt in formats("findings") or fmt == "markdown" for fmt in choices)


def test_a_json_document_reporter_writes_the_document_with_the_one_encoder() -> None:
    """history and dispute show register their document builders: `records.json_text` writes
    them, two-space indent, characters kept, one final newline (SPEC 6.1)."""
    from ontology_tools.records import json_text
    from ontology_tools.review.history import History, history_document

    history = History("customers.total_customers", ())
    report = REPORTERS["history"]["json"](history, color=True)
    assert report == json_text(history_document(history))
    assert str(report).endswith("}\n") and not str(report).endswith("\n\n")
