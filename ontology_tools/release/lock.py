"""One release at a time: a lock file created exclusively, holding the owner's pid."""

from __future__ import annotations

import contextlib
import os
from collections.abc import Iterator
from pathlib import Path

from ontology_tools.errors import OntologyError

LOCK_NAME = ".ontology-release.lock"


class ReleaseLocked(OntologyError):
    """Another release holds the lock."""


def _pid_alive(pid: int) -> bool:
    if pid <= 0:
        return False
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def _owner(path: Path) -> tuple[str, int] | None:
    """The lock's text and pid, or None when the lock vanished meanwhile."""
    try:
        text = path.read_text(encoding="ascii", errors="replace")
    except FileNotFoundError:
        return None
    digits = text.strip()
    return text, int(digits) if digits.isdigit() else 0


def _try_create(path: Path) -> bool:
    try:
        fd = os.open(path, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o644)
    except FileExistsError:
        return False
    with os.fdopen(fd, "w", encoding="ascii") as handle:
        handle.write(f"{os.getpid()}\n")
        handle.flush()
        os.fsync(handle.fileno())
    return True


def acquire(root: Path) -> Path:
    """Create the lock or raise ReleaseLocked; a lock whose pid is dead is taken over."""
    path = root / LOCK_NAME
    for _ in range(3):
        if _try_create(path):
            return path
        owner = _owner(path)
        if owner is None:
            continue
        text, pid = owner
        if _pid_alive(pid):
            raise ReleaseLocked(f"another release is running (pid {pid}, lock {LOCK_NAME}); "
                                "wait for it to finish")
        again = _owner(path)
        if again is not None and again[0] == text:  # still the same stale lock: take it over
            with contextlib.suppress(FileNotFoundError):
                path.unlink()
    raise ReleaseLocked(f"could not take the release lock {LOCK_NAME}; try again")


def release(path: Path) -> None:
    """Remove the lock if it is still ours."""
    owner = _owner(path)
    if owner is not None and owner[1] == os.getpid():
        with contextlib.suppress(FileNotFoundError):
            path.unlink()


@contextlib.contextmanager
def held(root: Path) -> Iterator[Path]:
    """The release lock for the duration of a `with` block."""
    path = acquire(root)
    try:
        yield path
    finally:
        release(path)
