"""The diff peer: load every KPI of two commits and DeepDiff the two whole trees.

    python benchmarks/deepdiff_peer.py REPO FROM_REF TO_REF

Files are read from the object store with one `git cat-file --batch`, parsed with ruamel.yaml's
safe (libyaml C) loader, and compared as `{path: document}` dicts. Prints how many paths differ.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path
from typing import Any


def tree_files(repo: Path, ref: str) -> list[str]:
    """Every KPI file under ontology/ at `ref`."""
    listing = subprocess.run(["git", "ls-tree", "-r", "--name-only", ref, "--", "ontology"],
                             cwd=repo, check=True, capture_output=True, text=True).stdout
    return [line for line in listing.splitlines()
            if line.endswith(".yaml") and line.count("/") == 2]


def read_blobs(repo: Path, ref: str, paths: list[str]) -> dict[str, bytes]:
    """The bytes of each path at `ref`, in one `git cat-file --batch` call."""
    request = "".join(f"{ref}:{path}\n" for path in paths).encode()
    output = subprocess.run(["git", "cat-file", "--batch"], cwd=repo, input=request,
                            check=True, capture_output=True).stdout
    blobs: dict[str, bytes] = {}
    offset = 0
    for path in paths:
        header_end = output.index(b"\n", offset)
        size = int(output[offset:header_end].split()[2])
        start = header_end + 1
        blobs[path] = output[start:start + size]
        offset = start + size + 1
    return blobs


def load_tree(repo: Path, ref: str) -> dict[str, Any]:
    """`{path: parsed document}` for every KPI at `ref`."""
    from ruamel.yaml import YAML

    yaml = YAML(typ="safe")
    return {path: yaml.load(data) for path, data
            in read_blobs(repo, ref, tree_files(repo, ref)).items()}


def main() -> None:
    """Command line entry point."""
    from deepdiff import DeepDiff

    repo, old_ref, new_ref = Path(sys.argv[1]), sys.argv[2], sys.argv[3]
    diff = DeepDiff(load_tree(repo, old_ref), load_tree(repo, new_ref))
    changed = {str(path).split("]")[0] for paths in diff.values() for path in paths}
    print(f"{len(changed)} files differ")


if __name__ == "__main__":
    main()
