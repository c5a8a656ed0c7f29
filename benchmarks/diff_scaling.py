"""Does `ontology diff` cost what the change costs? The same number of edited KPIs in ontologies
of different sizes, and different numbers of edits in one ontology, timed side by side.

    python benchmarks/diff_scaling.py [--sizes 1000 10000] [--changes 100] [--repeat 3]

Each ontology is generated, released (stamped, committed, tagged v1.0.0), then exactly
`--changes` KPIs are edited in one commit; `ontology diff --from v1.0.0 --to HEAD` is timed.
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from generate import (  # noqa: E402
    GIT_IDENTITY,
    edited,
    git,
    make_kpis,
    release_by_stamping,
    render,
    stamp_lines,
    write_tree,
)

KINDS = ("formula", "label", "stage", "tier")


def released_repository(root: Path, n: int, seed: int) -> list[Any]:
    """A released ontology of `n` KPIs; returns its KPIs."""
    root.mkdir(parents=True)
    kpis = make_kpis(n, seed)
    write_tree(root, kpis)
    git(root, "init", "-q", "-b", "main")
    git(root, "add", "-A")
    git(root, "commit", "-q", "-m", f"Initial ontology of {n} KPIs")
    release_by_stamping(root, kpis)
    return kpis


def edit_exactly(root: Path, kpis: Sequence[Any], count: int, seed: int) -> None:
    """One commit that edits exactly `count` KPIs."""
    rng = random.Random(seed)
    for turn, index in enumerate(sorted(rng.sample(range(len(kpis)), count))):
        kpi = kpis[index]
        (root / kpi.path).write_text(render(edited(kpi, KINDS[turn % 4], rng), stamp_lines()),
                                     encoding="utf-8")
    git(root, "commit", "-q", "-am", f"Edit {count} KPIs")


def time_diff(root: Path, repeat: int) -> float:
    """Median wall time of `ontology diff --from v1.0.0 --to HEAD --format json`."""
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        subprocess.run([sys.executable, "-m", "ontology_tools", "--root", str(root), "diff",
                        "--from", "v1.0.0", "--to", "HEAD", "--format", "json"],
                       check=True, stdout=subprocess.DEVNULL,
                       env={**os.environ, **GIT_IDENTITY})
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def main(argv: Sequence[str] | None = None) -> None:
    """Print a markdown table: KPIs, changed KPIs, diff time, and time per changed KPI."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[1000, 10000])
    parser.add_argument("--changes", type=int, nargs="+", default=[100])
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args(argv)
    print("| KPIs | changed | diff (s, median) |")
    print("|---:|---:|---:|")
    with tempfile.TemporaryDirectory(prefix="diff-scaling-") as scratch:
        for n in args.sizes:
            for count in args.changes:
                root = Path(scratch) / f"n{n}-c{count}"
                kpis = released_repository(root, n, seed=7)
                edit_exactly(root, kpis, min(count, n), seed=11)
                print(f"| {n:,} | {count:,} | {time_diff(root, args.repeat):.2f} |", flush=True)


if __name__ == "__main__":
    main()
