"""Validate time against the number of findings in one file (SPEC 8: one parse per file).

`ontology validate --no-cache` runs on a copy of tests/fixtures/mini whose sales/arr.yaml lists
N unknown owning functions, one a line (N findings), and on mini as it is (a valid file). The
target: 1,000 findings cost at most 3x the valid file. The in-process time of `validate()` is
shown beside it: it also grows with the file's size (N list items to parse and schema-check),
linearly. Before positions came from one parse, each finding re-parsed the file with the
pure-Python composer (quadratic: 300 findings in a 2.3 kB file took 20 s).

    python benchmarks/findings_scaling.py [--findings 1000]... [--repeat 5]
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Sequence
from pathlib import Path

HERE = Path(__file__).resolve().parent
MINI = HERE.parent / "tests" / "fixtures" / "mini"
ARR = "ontology/sales/arr.yaml"
TARGET_RATIO = 3.0


def ontology_with_findings(folder: Path, findings: int) -> Path:
    """mini, with `findings` unknown owners in arr.yaml, one a line (0: mini as it is)."""
    shutil.copytree(MINI, folder)
    if findings:
        path = folder / ARR
        owners = "".join(f"    - Nobody{i}\n" for i in range(findings))
        text = path.read_text(encoding="utf-8")
        path.write_text(text.replace("  defaultOwningFunctions: [Finance]\n",
                                     "  defaultOwningFunctions:\n" + owners), encoding="utf-8")
    return folder


def time_command(root: Path, repeat: int) -> float:
    """Median wall seconds of `ontology --root ROOT validate --no-cache` as a subprocess."""
    argv = [sys.executable, "-m", "ontology_tools", "--root", str(root), "validate",
            "--no-cache"]
    env = {**os.environ, "PYTHONPATH": str(HERE.parent)}
    samples = []
    for _ in range(repeat):
        start = time.perf_counter()
        subprocess.run(argv, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        samples.append(time.perf_counter() - start)
    return statistics.median(samples)


def time_in_process(root: Path, repeat: int) -> tuple[float, int]:
    """Median seconds of `validate(root)` without the cache, and how many findings it gave."""
    from ontology_tools.validation import validate

    samples, found = [], 0
    for _ in range(repeat):
        start = time.perf_counter()
        report = validate(root, use_cache=False)
        samples.append(time.perf_counter() - start)
        found = len(report.findings)
    return statistics.median(samples), found


def main(argv: Sequence[str] | None = None) -> None:
    """Print the table of RESULTS.md's findings section; exit 1 above the target."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--findings", type=int, action="append",
                        help="Findings in the file (repeatable; default 100, 300 and 1000).")
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args(argv)
    sys.path.insert(0, str(HERE.parent))
    scratch = Path(tempfile.mkdtemp(prefix="ontology-findings-"))
    worst = 0.0
    try:
        valid_root = ontology_with_findings(scratch / "valid", 0)
        valid = time_command(valid_root, args.repeat)
        valid_inner, _ = time_in_process(valid_root, args.repeat)
        print("| findings in arr.yaml | its size (kB) | `ontology validate` (s) | ratio to valid "
              "| `validate()` in process (ms) |")
        print("|---:|---:|---:|---:|---:|")
        print(f"| 0 (valid) | {(valid_root / ARR).stat().st_size / 1000:.1f} | {valid:.3f} | "
              f"1.00× | {valid_inner * 1000:.1f} |")
        for count in args.findings or [100, 300, 1000]:
            root = ontology_with_findings(scratch / f"n{count}", count)
            seconds = time_command(root, args.repeat)
            inner, found = time_in_process(root, args.repeat)
            if found != count:
                raise SystemExit(f"expected {count} findings, validate gave {found}")
            worst = max(worst, seconds / valid)
            print(f"| {count:,} | {(root / ARR).stat().st_size / 1000:.1f} | {seconds:.3f} | "
                  f"{seconds / valid:.2f}× | {inner * 1000:.1f} |")
    finally:
        shutil.rmtree(scratch, ignore_errors=True)
    if worst > TARGET_RATIO:
        raise SystemExit(f"findings took {worst:.2f}x the valid file (target ≤ "
                         f"{TARGET_RATIO:.0f}x)")


if __name__ == "__main__":
    main()
