"""Benchmark `ontology` against its peers on generated ontologies; print a markdown table.

    python benchmarks/run.py --n 1000 [--n 10000] [--repeat 3] [--release tool|stamp]

For each N a repository is generated in a temporary folder (see generate.py), then each command
runs as a subprocess `--repeat` times on the same files; the table shows the median wall time,
the ratio to the command's peer and the peak resident memory (`/usr/bin/time`'s maximum RSS,
or the growth of `getrusage(RUSAGE_CHILDREN)` when it is missing).
"""

from __future__ import annotations

import argparse
import os
import platform
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from generate import GIT_IDENTITY, generate  # noqa: E402

TIME_BINARY = Path("/usr/bin/time")
RELEASE_TAG = "v1.0.0"


def executable(name: str) -> str:
    """The console script installed beside this interpreter (no version-manager shims)."""
    beside = Path(sys.executable).parent / name
    if beside.exists():
        return str(beside)
    found = shutil.which(name)
    if found is None:
        raise SystemExit(f"{name} is not installed")
    return found


@dataclass(frozen=True)
class Sample:
    """One run: wall seconds and peak RSS in MiB (None when unknown)."""

    seconds: float
    peak_mib: float | None


@dataclass(frozen=True)
class Case:
    """A command to time, what it is compared with, and what must happen before each run."""

    name: str
    argv: Sequence[str]
    cwd: Path
    peer: str | None = None
    prepare: Callable[[int], Sequence[str] | None] | None = field(default=None, compare=False)
    ok_codes: tuple[int, ...] = (0,)


@dataclass(frozen=True)
class Row:
    """A measured case: the median of its samples."""

    case: Case
    seconds: float
    peak_mib: float | None


def measure(argv: Sequence[str], cwd: Path, ok_codes: tuple[int, ...]) -> Sample:
    """Run once; wall time from the parent, peak RSS from /usr/bin/time or getrusage."""
    env = {**os.environ, **GIT_IDENTITY}
    env.pop("ONTOLOGY_NO_CACHE", None)
    use_time = TIME_BINARY.exists()
    with tempfile.NamedTemporaryFile("r", suffix=".rss") as rss_file:
        full = [str(TIME_BINARY), "-q", "-f", "%M", "-o", rss_file.name, *argv] if use_time \
            else list(argv)
        before = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
        start = time.perf_counter()
        done = subprocess.run(full, cwd=cwd, env=env, stdout=subprocess.DEVNULL,
                              stderr=subprocess.PIPE)
        seconds = time.perf_counter() - start
        after = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
        if done.returncode not in ok_codes:
            raise SystemExit(f"{' '.join(argv)} exited {done.returncode}:\n"
                             f"{done.stderr.decode(errors='replace')[-2000:]}")
        peak: float | None
        if use_time:
            peak = int(rss_file.read().split()[-1]) / 1024
        else:
            peak = after / 1024 if after > before else None
    return Sample(seconds, peak)


def run_case(case: Case, repeat: int) -> Row:
    """`repeat` samples of one case → its medians."""
    samples = []
    for attempt in range(repeat):
        argv = case.argv
        if case.prepare is not None:
            argv = case.prepare(attempt) or argv
        samples.append(measure(argv, case.cwd, case.ok_codes))
        print(f"  {case.name}: {samples[-1].seconds:.3f} s", file=sys.stderr)
    peaks = [s.peak_mib for s in samples if s.peak_mib is not None]
    return Row(case, statistics.median(s.seconds for s in samples),
               statistics.median(peaks) if peaks else None)


def supports_no_cache(ontology: str) -> bool:
    """True when this version of `ontology validate` has --no-cache."""
    shown = subprocess.run([ontology, "validate", "--help"], capture_output=True, text=True)
    return "--no-cache" in shown.stdout


def cases(repo: Path, scratch: Path) -> list[Case]:
    """Every command of the benchmark, peers first."""
    ontology = executable("ontology")
    kpi_files = sorted(p.relative_to(repo).as_posix()
                       for p in (repo / "ontology").glob("*/*.yaml"))
    schema = str(HERE.parent / "schemas" / "kpi.schema.json")
    cache = repo / ".ontology-cache"

    def clear_cache(_: int) -> None:
        shutil.rmtree(cache, ignore_errors=True)

    def fresh_copy(attempt: int) -> Sequence[str]:
        copy = scratch / f"release-copy-{attempt}"
        shutil.rmtree(copy, ignore_errors=True)
        shutil.copytree(repo, copy, symlinks=True)
        shutil.rmtree(copy / ".ontology-cache", ignore_errors=True)
        return [ontology, "--root", str(copy), "release", "--commit", "--tag",
                "--date", "2026-02-02", "--out", str(copy / "dist")]

    found = [
        Case("check-jsonschema (every KPI file)",
             [executable("check-jsonschema"), "--schemafile", schema, *kpi_files], repo),
        Case("ontology validate, cold (cache cleared)", [ontology, "validate"], repo,
             peer="check-jsonschema (every KPI file)", prepare=clear_cache),
        Case("ontology validate, warm (nothing changed)", [ontology, "validate"], repo,
             peer="check-jsonschema (every KPI file)"),
    ]
    if supports_no_cache(ontology):
        found.append(Case("ontology validate --no-cache", [ontology, "validate", "--no-cache"],
                          repo, peer="check-jsonschema (every KPI file)"))
    found += [
        Case("DeepDiff of the two whole trees",
             [sys.executable, str(HERE / "deepdiff_peer.py"), str(repo), RELEASE_TAG, "HEAD"],
             repo),
        Case(f"ontology diff --from {RELEASE_TAG} --to HEAD",
             [ontology, "diff", "--from", RELEASE_TAG, "--to", "HEAD"], repo,
             peer="DeepDiff of the two whole trees"),
        Case("ontology release --dry-run", [ontology, "release", "--dry-run",
                                            "--date", "2026-02-02"], repo,
             peer="ontology validate, cold (cache cleared)", prepare=clear_cache),
        Case("ontology release (throwaway copy, cold cache)", [ontology, "release"], repo,
             peer="ontology validate, cold (cache cleared)", prepare=fresh_copy),
        Case("python -c pass", [sys.executable, "-c", "pass"], repo),
        Case("ontology --help", [ontology, "--help"], repo, peer="python -c pass"),
    ]
    return found


def table(n: int, rows: Sequence[Row]) -> str:
    """The markdown table of one N."""
    by_name = {row.case.name: row for row in rows}
    lines = [f"### N = {n:,} KPIs", "",
             "| command | median wall (s) | ratio to peer | peer | peak RSS (MiB) |",
             "|---|---:|---:|---|---:|"]
    for row in rows:
        peer = by_name.get(row.case.peer) if row.case.peer else None
        ratio = f"{row.seconds / peer.seconds:.2f}×" if peer else "—"
        rss = f"{row.peak_mib:.0f}" if row.peak_mib is not None else "?"
        lines.append(f"| `{row.case.name}` | {row.seconds:.3f} | {ratio} | "
                     f"{row.case.peer or '—'} | {rss} |")
    return "\n".join(lines) + "\n"


def machine() -> str:
    """CPU model, cores, memory and Python: no host names or paths."""
    cpu = "unknown CPU"
    memory = "unknown"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal"):
                memory = f"{int(line.split()[1]) / 1024 / 1024:.1f} GiB"
                break
    except OSError:
        pass
    return (f"{cpu}, {os.cpu_count()} cores, {memory} RAM, Python {platform.python_version()}, "
            f"{platform.system()}")


def bench(n: int, repeat: int, release: str, keep: bool) -> str:
    """Generate the ontology of size `n`, run every case, return its table."""
    scratch = Path(tempfile.mkdtemp(prefix=f"ontology-bench-{n}-"))
    try:
        repo = scratch / "repo"
        start = time.perf_counter()
        generate(repo, n, seed=7, release=release)
        print(f"generated {n} KPIs in {time.perf_counter() - start:.1f} s", file=sys.stderr)
        rows = [run_case(case, repeat) for case in cases(repo, scratch)]
        return table(n, rows)
    finally:
        if keep:
            print(f"kept {scratch}", file=sys.stderr)
        else:
            shutil.rmtree(scratch, ignore_errors=True)


def main(argv: Sequence[str] | None = None) -> None:
    """Command line entry point."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, action="append", help="KPI count (repeatable).")
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--release", choices=("tool", "stamp"), default="tool",
                        help="How generate.py makes the first release.")
    parser.add_argument("--keep", action="store_true", help="Keep the generated repositories.")
    args = parser.parse_args(argv)
    print(f"Machine: {machine()}\n")
    for n in args.n or [1000]:
        print(bench(n, args.repeat, args.release, args.keep), flush=True)


if __name__ == "__main__":
    main()
