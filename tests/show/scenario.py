"""A repository a dispute reviewer reads: four releases, an upheld and a rejected dispute, a
rename, a deprecation and a removal. Built once per test module (the tests only read it)."""

from __future__ import annotations

import shutil
from dataclasses import dataclass
from pathlib import Path

from tests.classify.conftest import edit_kpi
from tests.conftest import FIXTURES, git, run_cli
from tests.support.renames import rename_churned_files

OLD, NEW = "customers.customers_churned", "customers.churned_customers"
RETIRED, SUCCESSOR = "customers.logo_retention_rate", "customers.logo_churn_rate"
DATES = {"1.0.0": "2026-05-01", "2.0.0": "2026-06-01", "3.0.0": "2026-07-01",
         "4.0.0": "2026-08-01"}
NEW_FORMULA = ("Logos active at period start and not active at period end, excluding "
               "downgrades to a free plan.")
HOSTILE_CLAIM = ('<script>alert("claim")</script><img src=x onerror="alert(1)"> '
                 "Churn counts *free* downgrades | twice & more.")
UPHELD_CLAIM = "Downgrades to a free plan are counted as churn, which overstates it."


@dataclass(frozen=True)
class Released:
    """The repository, and the 1.0.0 bundle folder as the first release wrote it."""

    root: Path
    first_bundle: Path
    upheld: str
    rejected: str


def ok(root: Path, *args: str) -> str:
    """Run a command that must succeed; its standard output."""
    result = run_cli(root, *args)
    assert result.exit_code == 0, f"{args}: {result.stdout}{result.stderr}"
    return result.stdout


def release(root: Path, version: str) -> None:
    """Commit the edits and release them, committed and tagged."""
    if git(root, "status", "--porcelain"):
        git(root, "add", "-A")
        git(root, "commit", "-q", "-m", f"Edits for {version}")
    ok(root, "release", "--tag", "--date", DATES[version])
    assert git(root, "tag", "-l", f"v{version}") == f"v{version}"


def rename(root: Path) -> None:
    """OLD becomes NEW (it supersedes OLD); the KPIs that relate to it follow."""
    rename_churned_files(root)


def build(tmp: Path) -> Released:
    """Four releases: 1.0.0 everything; 2.0.0 OLD's formula (upheld dispute); 3.0.0 OLD renamed
    to NEW, RETIRED deprecated in favour of SUCCESSOR; 4.0.0 RETIRED removed."""
    root = tmp / "ontology-repo"
    shutil.copytree(FIXTURES / "mini", root)
    git(root, "init", "-q", "-b", "main")
    git(root, "add", "-A")
    git(root, "commit", "-q", "-m", "Initial ontology")
    release(root, "1.0.0")
    first_bundle = tmp / "kept-1.0.0"
    shutil.copytree(root / "dist" / "ontology-1.0.0", first_bundle)

    upheld = ok(root, "dispute", "open", OLD, "--claim", UPHELD_CLAIM, "--by",
                "Audit committee, Acme Corp", "--date", "2026-05-10").strip()
    rejected = ok(root, "dispute", "open", OLD, "--claim", HOSTILE_CLAIM, "--by",
                  "<b>An analyst</b>", "--date", "2026-05-12",
                  "--evidence", "Spreadsheet=https://example.org/sheet?a=1&b=<2>").strip()
    edit_kpi(root, OLD, lambda kpi: kpi.__setitem__("formula", NEW_FORMULA))
    ok(root, "note", "--kpi", OLD, "-m", "Free-plan downgrades are not churn.",
       "--dispute", upheld)
    ok(root, "dispute", "resolve", upheld, "--upheld", "--summary",
       "Free-plan downgrades no longer count as churn.", "--date", "2026-05-20")
    ok(root, "dispute", "resolve", rejected, "--rejected", "--summary",
       "Double counting was not found in the audit.", "--date", "2026-05-25")
    release(root, "2.0.0")

    rename(root)
    edit_kpi(root, RETIRED, lambda kpi: kpi.insert(len(kpi), "deprecation", {
        "date": "2026-06-15", "reason": "Read logo churn instead.", "replacedBy": SUCCESSOR}))
    ok(root, "note", "--kpi", NEW, "-m", "Renamed for consistency with the board pack.")
    ok(root, "note", "--kpi", RETIRED, "-m", "Deprecated in favour of logo churn.")
    for rogue_id in ("customers.total_customers", SUCCESSOR):
        ok(root, "note", "--kpi", rogue_id, "-m", "Follow the rename of churned customers.")
    release(root, "3.0.0")

    (root / "ontology/customers/logo_retention_rate.yaml").unlink()
    for rogue_id in ("customers.total_customers", SUCCESSOR):
        edit_kpi(root, rogue_id, lambda kpi: kpi.__setitem__(
            "relatedKpiIds", [r for r in kpi["relatedKpiIds"] if r != RETIRED]))
        ok(root, "note", "--kpi", rogue_id, "-m", "Logo retention is gone.")
    ok(root, "note", "--kpi", RETIRED, "-m", "Removed after its deprecation.")
    release(root, "4.0.0")
    return Released(root, first_bundle, upheld, rejected)
