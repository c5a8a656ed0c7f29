"""Repositories with a release history, built the way editors and release managers build them."""

from __future__ import annotations

import json
import os
import subprocess
from pathlib import Path
from typing import Any

from tests.classify.conftest import edit_kpi, edit_yaml
from tests.conftest import GIT_ENV, git, run_cli
from tests.support.renames import rename_churned_files

OLD, NEW = "customers.customers_churned", "customers.churned_customers"
ARR = "sales.arr"
CHURN_FORMULA = ("Logos active at period start and not active at period end, excluding "
                 "downgrades to a free plan.")


def commit_all(root: Path, message: str = "Edit the ontology", *,
               author: str | None = None) -> None:
    """Commit everything, as `author` when given (name <name@example.com>)."""
    if not git(root, "status", "--porcelain"):
        return
    env = dict(os.environ, **GIT_ENV)
    if author is not None:
        env.update(GIT_AUTHOR_NAME=author, GIT_AUTHOR_EMAIL=f"{author.split()[0].lower()}@x.org")
    subprocess.run(["git", "add", "-A"], cwd=root, check=True, env=env)
    subprocess.run(["git", "commit", "-q", "-m", message], cwd=root, check=True, env=env)


def release(root: Path, date: str, *options: str) -> str:
    """`ontology release --date DATE OPTIONS` (default `--commit --tag`); its stdout."""
    commit_all(root)
    result = run_cli(root, "release", "--date", date, *(options or ("--commit", "--tag")))
    assert result.exit_code == 0, result.stdout + result.stderr
    return result.stdout


def note(root: Path, kpi: str, summary: str, *extra: str) -> None:
    """`ontology note --kpi KPI -m SUMMARY EXTRA`."""
    result = run_cli(root, "note", "--kpi", kpi, "-m", summary, *extra)
    assert result.exit_code == 0, result.stderr


def change_churn_formula(root: Path) -> None:
    """A major change to customers.customers_churned, with its note."""
    edit_kpi(root, OLD, lambda kpi: kpi.__setitem__("formula", CHURN_FORMULA))
    note(root, OLD, "Free-plan downgrades are not churn.")


def rename_churned(root: Path) -> None:
    """customers.customers_churned becomes customers.churned_customers (supersedes the old id)."""
    rename_churned_files(root)
    note(root, NEW, "Renamed for the board pack.")
    for rogue_id in ("customers.total_customers", "customers.logo_churn_rate"):
        note(root, rogue_id, "Follow the rename.")


def set_config(root: Path, key: str, value: Any) -> None:
    """Edit one top-level key of ontology.yaml by hand."""
    edit_yaml(root / "ontology" / "ontology.yaml", lambda doc: doc.__setitem__(key, value))


def json_of(root: Path, *args: str) -> Any:
    """Run a command with `--format json` and parse what it printed."""
    result = run_cli(root, *args, "--format", "json")
    assert result.exit_code in (0, 1), result.stdout + result.stderr
    return json.loads(result.stdout)
