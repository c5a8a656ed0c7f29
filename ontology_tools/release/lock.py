"""One release at a time: a lock file created exclusively, holding the owner's pid.

The lock appears with its pid already in it (written to a temporary file, then hard-linked
into place, which fails when a lock exists): a lock created empty and filled a moment later
could be read in between by a second release, taken for a dead owner's and removed, and two
releases would then run at once.
"""

from __future__ import annotations

import contextlib
import os
import time
from collections.abc import Iterator
from pathlib import Path

from ontology_tools.errors import OntologyError

LOCK_NAME = ".ontology-release.lock"
# A lock without a readable pid is taken over only once it is this old: younger, it may be
# one that an older version of the toolkit, or a file system without hard links, is filling.
UNREADABLE_GRACE_SECONDS = 10.0


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
    """The lock's text and pid (0 when unreadable), or None when the lock vanished meanwhile."""
    try:
        text = path.read_text(encoding="ascii", errors="replace")
    except FileNotFoundError:
        return None
    digits = text.strip()
    return text, int(digits) if digits.isdigit() else 0


def _try_create(path: Path) -> bool:
    """Create the lock holding our pid; False when a lock exists."""
    pid = f"{os.getpid()}\n"
    temporary = path.with_name(f"{path.name}.{os.getpid()}.tmp")
    try:
        with open(temporary, "w", encoding="ascii") as handle:
            handle.write(pid)
            handle.flush()
            os.fsync(handle.fileno())
        try:
            os.link(temporary, path)
        except FileExistsError:
            return False
        except OSError:  # no hard links here: create exclusively, then write
            return _create_exclusively(path, pid)
        return True
    finally:
        temporary.unlink(missing_ok=True)


def _create_exclusively(path: Path, pid: str) -> bool:
    try:
        fd = os.open(path, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o644)
    except FileExistsError:
        return False
    with os.fdopen(fd, "w", encoding="ascii") as handle:
        handle.write(pid)
        handle.flush()
        os.fsync(handle.fileno())
    return True


def _abandoned(path: Path, pid: int) -> bool:
    """True when the lock's owner is gone: its pid is dead, or it never wrote one in time."""
    if pid > 0:
        return not _pid_alive(pid)
    try:
        age = time.time() - path.stat().st_mtime
    except FileNotFoundError:
        return False
    return age > UNREADABLE_GRACE_SECONDS


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
        if not _abandoned(path, pid):
            who = f"pid {pid}" if pid else "starting"
            raise ReleaseLocked(f"another release is running ({who}, lock {LOCK_NAME}); "
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
