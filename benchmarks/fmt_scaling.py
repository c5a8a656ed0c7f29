"""How `fmt` scales with the size of one KPI file: 20 kB, 200 kB and 2 MB.

    python benchmarks/fmt_scaling.py [--runs 3]

Each file is a real KPI with its keys shuffled, grown by a long `relatedKpiIds` list and a long
mapping of extra keys, with comments above keys, at the ends of lines and between items. fmt's
core (`ontology_tools.edit.fmt.format_text`, with all its checks) is timed on the text, the
median of `--runs`; the command line refuses files over 256 kB, so the 2 MB file is timed
there. Prints the time per kB and its ratio to the smallest file's: a linear fmt stays near 1.
"""

from __future__ import annotations

import argparse
import random
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from ontology_tools.edit.fmt import format_text

STAGES = ["preSeed", "seed", "seriesA", "seriesB", "seriesC", "public"]
SIZES = {"20 kB": 20_000, "200 kB": 200_000, "2 MB": 2_000_000}
KPI_LINES = [
    "  rogueId: sales.arr",
    "  slug: arr",
    "  domain: sales  # the folder",
    "  defaultLabel: ARR",
    "  # The prose below is one long line on purpose.\n"
    "  description: Annual recurring revenue from active subscriptions, normalised to twelve "
    "months and counted on the reporting date, excluding one-off services and usage overages.",
    "  fieldType: currency",
    "  unit: USD  # always dollars",
    "  maturity: general",
    "  suggestedForStages: [public, seed, seriesC, seriesA, seriesB]",
    "  defaultOwningFunctions: [Finance]",
    "  stageRelevance: {seed: recommended, preSeed: optional, seriesA: core, seriesB: core, "
    "seriesC: core, public: core}",
    "  formula: >-\n    Sum of annualised recurring subscription revenue on the reporting date.",
    "  whyItMatters: Boards read it every quarter.  # short on purpose",
    "  interpretationGuidance: Compare with the company's own trailing trend.",
    "  metricBasis: {production: primary, timeBasis: point_in_time}",
]


def kpi_file(size: int, seed: int = 7) -> str:
    """A KPI file of about `size` characters, keys shuffled, comments everywhere."""
    rng = random.Random(seed)
    count = max(1, size // 74)  # one related id and one extra key take about 74 characters
    related = ["  relatedKpiIds:  # the KPIs a board reads beside this one"]
    extras = ["  extraNotes:"]
    for index in range(count):
        if index % 5 == 0:
            related.append(f"    # group {index // 5}")
        paired = "  # paired" if index % 3 == 0 else ""
        related.append(f"    - customers.kpi_{index:06d}{paired}")
        if index % 4 == 0:
            extras.append(f"    # about note {index}")
        extras.append(f"    note{index:06d}: {rng.choice(['short', 'a longer value'])}"
                      + ("  # checked" if index % 2 == 0 else ""))
    entries = [*KPI_LINES, "\n".join(related), "\n".join(extras)]
    rng.shuffle(entries)
    return "# ARR, as the board reads it.\nkpi:\n" + "\n".join(entries) + "\n# The end.\n"


def median_seconds(text: str, runs: int) -> float:
    """The median wall time of formatting `text`."""
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        format_text(text, STAGES)
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    print("| file | size (kB) | median (s) | ms per kB | per-kB ratio to 20 kB |")
    print("|---|---:|---:|---:|---:|")
    first: float | None = None
    for label, size in SIZES.items():
        text = kpi_file(size)
        kilobytes = len(text.encode("utf-8")) / 1000
        seconds = median_seconds(text, args.runs)
        per_kb = seconds * 1000 / kilobytes
        first = first or per_kb
        print(f"| {label} | {kilobytes:,.0f} | {seconds:.3f} | {per_kb:.2f} | "
              f"{per_kb / first:.2f}× |", flush=True)


if __name__ == "__main__":
    main()
