"""A warm `ontology validate` of the shipped ontology against a bare click start-up.

    python benchmarks/startup.py [--repeat 15]

The repository is cloned into a temporary folder (tags and history included, so the stamp
check and the lifecycle rules have their last release); two untimed runs fill
`.ontology-cache/` and write the bytecode, then `ontology validate` and
`python -c "import click"` run in turn, `--repeat` times each, and the medians are printed
side by side as a markdown row. Bytecode is allowed (PYTHONDONTWRITEBYTECODE is dropped): an
installed tool has it, and so has click.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPOSITORY = Path(__file__).resolve().parent.parent
TARGET_RATIO = 2.0  # issue 13: a warm validate within twice a bare click start-up


def executable(name: str) -> str:
    """The console script installed beside this interpreter."""
    beside = Path(sys.executable).parent / name
    return str(beside) if beside.exists() else name


def environment() -> dict[str, str]:
    """This environment, with bytecode allowed and the cache left on."""
    return {name: value for name, value in os.environ.items()
            if name not in ("PYTHONDONTWRITEBYTECODE", "ONTOLOGY_NO_CACHE")}


def wall_time(command: list[str], cwd: Path, env: dict[str, str]) -> float:
    """Seconds one run of `command` takes; it must succeed."""
    start = time.perf_counter()
    subprocess.run(command, cwd=cwd, env=env, check=True, capture_output=True)
    return time.perf_counter() - start


def measure(repeat: int) -> tuple[float, float]:
    """Median seconds of a warm validate and of `import click`, measured in turn."""
    env = environment()
    validate = [executable("ontology"), "validate"]
    click = [sys.executable, "-c", "import click"]
    with tempfile.TemporaryDirectory() as folder:
        clone = Path(folder) / "ontology-tools"
        subprocess.run(["git", "clone", "-q", str(REPOSITORY), str(clone)], check=True)
        for _ in range(2):  # fill the cache, write the bytecode
            wall_time(validate, clone, env)
        warm: list[float] = []
        bare: list[float] = []
        for _ in range(repeat):
            warm.append(wall_time(validate, clone, env))
            bare.append(wall_time(click, clone, env))
    return statistics.median(warm), statistics.median(bare)


def main() -> None:
    """Measure and print the row."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=15)
    repeat = parser.parse_args().repeat
    warm, bare = measure(repeat)
    ratio = warm / bare
    print(f"| command | median of {repeat} | ratio | target |")
    print("|---|---|---|---|")
    print(f"| `python3 -c \"import click\"` | {bare * 1000:.0f} ms | 1.0× | |")
    print(f"| warm `ontology validate` (shipped ontology) | {warm * 1000:.0f} ms | "
          f"{ratio:.1f}× | ≤ {TARGET_RATIO:.0f}× {'met' if ratio <= TARGET_RATIO else 'NOT met'} |")


if __name__ == "__main__":
    main()
