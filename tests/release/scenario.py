"""Repositories in known release states, and ways to look at them, for the release tests."""

from __future__ import annotations

import hashlib
import os
import shutil
import subprocess
import sys
from pathlib import Path

from ontology_tools.validation.cache import CACHE_DIR
from tests.conftest import FIXTURES, REPO, git, run_cli
from tests.disputes.records import record_dispute
from tests.support.gitenv import GIT_ENV, isolated_git

FIRST_DATE = "2026-05-20"
SECOND_DATE = "2026-06-01"
CHURN = "ontology/customers/logo_churn_rate.yaml"
ARR = "ontology/sales/arr.yaml"
FORMULA_NOTE = "changelog/unreleased/churn-formula.yaml"
TIER_NOTE = "changelog/unreleased/arr-published.yaml"
NEW_FORMULA = ("Logos lost in the period divided by logos active at period start, counting "
               "parent accounts only.")


def first_release(root: Path, *args: str) -> None:
    """Release everything as 1.0.0, committed and tagged."""
    result = run_cli(root, "release", "--date", FIRST_DATE, "--tag", *args)
    assert result.exit_code == 0, result.output


def change_formula(root: Path) -> None:
    """A formula change (major) with its note, and a comment that must survive stamping."""
    path = root / CHURN
    text = path.read_text(encoding="utf-8")
    start = text.index("  formula: >-\n")
    end = text.index("  whyItMatters:")
    text = (text[:start] + f"  # Agreed with the board in May.\n  formula: >-\n    {NEW_FORMULA}\n"
            + text[end:])
    path.write_text("# Churn definitions are owned by Finance.\n" + text, encoding="utf-8")
    (root / FORMULA_NOTE).parent.mkdir(parents=True, exist_ok=True)
    (root / FORMULA_NOTE).write_text(
        "kpis: [customers.logo_churn_rate]\n"
        "summary: Count parent accounts only, as the board asked.\n"
        "dispute: D-2026-012\n", encoding="utf-8")
    record_dispute(root, "D-2026-012", "customers.logo_churn_rate")


def promote_tier(root: Path) -> None:
    """An editorial → published promotion (minor) with its note and a waiver."""
    path = root / ARR
    text = path.read_text(encoding="utf-8")
    old = text[text.index("  definitionSource:\n"):text.index("  formula:")]
    new = ("  definitionSource:\n"
           "    tier: published\n"
           "    sourceName: SaaS Metrics Standard\n"
           "    sourceUrl: https://example.org/saas-metrics\n"
           "    sectionRef: null\n"
           "    publicationDate: 2025-11-01\n"
           "    attributionNotice: Adapted from the SaaS Metrics Standard.\n")
    path.write_text(text.replace(old, new), encoding="utf-8")
    (root / TIER_NOTE).write_text(
        "kpis: [sales.arr]\n"
        "summary: ARR now follows the published SaaS Metrics Standard.\n"
        "waive:\n"
        "  - rule: source-changed\n"
        "    justification: The new citation is part of the promotion itself.\n"
        "    bump: none\n", encoding="utf-8")


def commit_all(root: Path, message: str) -> None:
    """Commit every change to the sources of a test repository (never the bundles)."""
    git(root, "add", "-A", "--", *(f for f in ("ontology", "changelog") if (root / f).exists()))
    git(root, "commit", "-q", "-m", message)


def second_release_ready(root: Path) -> None:
    """After the first release: a formula change and a tier promotion, committed."""
    first_release(root)
    change_formula(root)
    promote_tier(root)
    commit_all(root, "Change the churn formula; promote ARR")


def prepare_second_release(root: Path, home: Path) -> None:
    """The mini ontology as a new repository at `root`, its build output git-ignored as in the
    project, released as 1.0.0 and ready for 2.0.0; built with git isolated in `home`, as a
    module-scoped fixture must."""
    shutil.copytree(FIXTURES / "mini", root)
    with isolated_git(home):
        for args in (("init", "-q", "-b", "main"), ("add", "-A"),
                     ("commit", "-q", "-m", "Initial")):
            git(root, *args)
        ignore_build_output(root)
        second_release_ready(root)


def tree_bytes(root: Path) -> dict[str, bytes]:
    """Every file of a repository outside .git, by relative path.

    `.ontology-cache/` is left out: it is validation's private, self-ignoring cache, which any
    command that validates may fill (a refused release has validated the ontology first).
    """
    return {p.relative_to(root).as_posix(): p.read_bytes()
            for p in sorted(root.rglob("*"))
            if p.is_file() and ".git" not in p.parts and CACHE_DIR not in p.parts}


def state(root: Path) -> tuple[dict[str, bytes], str, str, str]:
    """Files, git status, HEAD and tags: what `nothing written` compares."""
    return (tree_bytes(root), git(root, "status", "--porcelain", "--untracked-files=all"),
            git(root, "rev-parse", "HEAD"), git(root, "tag", "-l"))


def sha256_file(path: Path) -> str:
    """The sha256 of a file's bytes."""
    return sha256_bytes(path.read_bytes())


def sha256_bytes(data: bytes) -> str:
    """The sha256 of some bytes."""
    return hashlib.sha256(data).hexdigest()


def run_module(root: Path, *args: str, env: dict[str, str] | None = None
               ) -> subprocess.CompletedProcess[str]:
    """`python -m ontology_tools --root ROOT ARGS` in a child process."""
    return subprocess.run([sys.executable, "-m", "ontology_tools", "--root", str(root), *args],
                          capture_output=True, text=True, env=child_env(env), timeout=120)


def child_env(extra: dict[str, str] | None = None) -> dict[str, str]:
    """The test's environment, the package on the path and a fixed git identity."""
    path = os.pathsep.join(p for p in (str(REPO), os.environ.get("PYTHONPATH", "")) if p)
    return {**os.environ, **GIT_ENV, "PYTHONPATH": path, **(extra or {})}


def ignore_build_output(root: Path) -> None:
    """Commit a .gitignore like the project's own: bundles, journal and lock are not sources,
    so `git status --porcelain` of a released repository is empty."""
    (root / ".gitignore").write_text("/dist/\n/.ontology-release.json\n/.ontology-release.lock\n",
                                     encoding="utf-8")
    git(root, "add", ".gitignore")
    git(root, "commit", "-q", "-m", "Ignore build output")


def kill_release(base: Path, where: Path, step: int, *args: str) -> Path:
    """A copy of `base` whose `release ARGS` was SIGKILLed after `step` write steps."""
    import shutil
    import signal

    from ontology_tools.release.faults import FAULT_VARIABLE

    shutil.copytree(base, where)
    killed = run_module(where, "release", *args, env={FAULT_VARIABLE: str(step)})
    assert killed.returncode == -signal.SIGKILL, (step, killed.stdout, killed.stderr)
    return where


def release_steps(root: Path, version: str, *, commit: bool) -> int:
    """How many write steps the finished release of `root` took (journal, each source file,
    each note deletion, commit and tag, each bundle file, the manifest, the tarball, the
    journal's removal): the kill points of the fault tests."""
    import json

    manifest = json.loads((root / f"dist/ontology-{version}/manifest.json").read_text("utf-8"))
    sources = 5  # two stamped KPIs, ontology.yaml, CHANGELOG.md, changelog/<version>.json
    notes = 2
    return 1 + sources + notes + (2 if commit else 0) + len(manifest["files"]) + 1 + 1 + 1


def committed_bytes(root: Path, folders: tuple[str, ...] = ("ontology", "changelog"),
                    ref: str = "HEAD") -> dict[str, bytes]:
    """Every file under `folders` as commit `ref` holds it."""
    listing = git(root, "ls-tree", "-r", "--name-only", ref, "--", *folders).splitlines()
    return {path: subprocess.run(["git", "show", f"{ref}:{path}"], cwd=root, check=True,
                                 capture_output=True).stdout for path in listing}


def worktree_bytes(root: Path, folders: tuple[str, ...] = ("ontology", "changelog")
                   ) -> dict[str, bytes]:
    """Every file under `folders` on disk (temporary leftovers included: none may remain)."""
    return {path: data for path, data in tree_bytes(root).items()
            if path.split("/", 1)[0] in folders}
