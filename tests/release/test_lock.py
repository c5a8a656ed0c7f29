"""The release lock: one release at a time, a dead owner's lock taken over, never a live one's.

The defect this pins: the lock was created empty and its pid written a moment later; a second
release reading it in between took it for a dead owner's, removed it, and both released at once
(seen as `git add` failing on git's own index.lock in the two-releases-at-once test).
"""

from __future__ import annotations

import os
import time
from pathlib import Path

import pytest

from ontology_tools.release import lock
from ontology_tools.release.lock import LOCK_NAME, ReleaseLocked


def test_the_lock_appears_with_its_pid_in_it(tmp_path: Path, monkeypatch: pytest.MonkeyPatch
                                             ) -> None:
    seen: list[str] = []
    real_link = os.link

    def watching_link(source: str | os.PathLike[str], target: str | os.PathLike[str]) -> None:
        real_link(source, target)
        seen.append(Path(target).read_text(encoding="ascii"))  # the instant it exists

    monkeypatch.setattr(os, "link", watching_link)
    with lock.held(tmp_path):
        assert seen == [f"{os.getpid()}\n"]
        assert sorted(p.name for p in tmp_path.iterdir()) == [LOCK_NAME]
    assert list(tmp_path.iterdir()) == []


def test_without_hard_links_the_lock_is_still_exclusive(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    def no_links(source: str | os.PathLike[str], target: str | os.PathLike[str]) -> None:
        raise OSError(1, "Operation not permitted")

    monkeypatch.setattr(os, "link", no_links)
    with lock.held(tmp_path):
        assert (tmp_path / LOCK_NAME).read_text("ascii") == f"{os.getpid()}\n"
        with pytest.raises(ReleaseLocked, match="another release is running"):
            lock.acquire(tmp_path)


def test_a_lock_being_filled_is_not_taken_over(tmp_path: Path) -> None:
    (tmp_path / LOCK_NAME).write_text("", encoding="ascii")
    with pytest.raises(ReleaseLocked, match=r"another release is running \(starting"):
        lock.acquire(tmp_path)
    assert (tmp_path / LOCK_NAME).read_text("ascii") == ""


def test_an_old_lock_without_a_pid_is_taken_over(tmp_path: Path) -> None:
    path = tmp_path / LOCK_NAME
    path.write_text("", encoding="ascii")
    old = time.time() - lock.UNREADABLE_GRACE_SECONDS - 5
    os.utime(path, (old, old))
    with lock.held(tmp_path):
        assert path.read_text("ascii") == f"{os.getpid()}\n"
    assert not path.exists()


def test_a_live_owner_keeps_the_lock_and_a_dead_ones_is_taken_over(tmp_path: Path) -> None:
    path = tmp_path / LOCK_NAME
    path.write_text(f"{os.getppid()}\n", encoding="ascii")
    with pytest.raises(ReleaseLocked, match=f"pid {os.getppid()}"):
        lock.acquire(tmp_path)
    path.write_text("999999999\n", encoding="ascii")
    with lock.held(tmp_path):
        assert path.read_text("ascii") == f"{os.getpid()}\n"
