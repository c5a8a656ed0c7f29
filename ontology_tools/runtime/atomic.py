"""Atomic writes: a file is either its old bytes or its new bytes, never half of either."""

from __future__ import annotations

import contextlib
import os
import tempfile
from collections.abc import Collection, Iterator
from pathlib import Path
from typing import BinaryIO

TEMPORARY_SUFFIX = ".tmp"


def write_atomic(path: Path, data: bytes | str, *, durable: bool = True) -> None:
    """Write `data` to a temporary file beside `path`, flush it to disk, then rename it over.

    With `durable=False` the rename is still atomic but nothing is fsynced: for many files whose
    writer calls `flush_to_disk()` once at the end (thousands of fsyncs cost minutes).
    """
    payload = data.encode("utf-8") if isinstance(data, str) else data
    with atomic_stream(path, durable=durable) as handle:
        handle.write(payload)


def naming(err: OSError, path: Path) -> OSError:
    """The same error, naming the file being written rather than its temporary name.

    A user can act on "ontology/sales/arr.yaml: Permission denied"; the temporary file's name
    (which is gone by then) helps no one.
    """
    return OSError(err.errno, err.strerror or str(err), str(path))


@contextlib.contextmanager
def atomic_stream(path: Path, *, durable: bool = True) -> Iterator[BinaryIO]:
    """A file written piece by piece that appears at `path` whole, or not at all.

    The pieces go to a temporary file beside `path`, named `.<name>.<random>.tmp` (what
    `remove_leftovers` recognises after a crash); it takes the old file's permissions and is
    renamed over `path` only when the block ends without error. `durable` as for `write_atomic`.
    """
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=TEMPORARY_SUFFIX,
                                   dir=path.parent)
    except OSError as err:
        raise naming(err, path) from None
    try:
        with os.fdopen(fd, "wb") as handle:
            yield handle
            handle.flush()
            if durable:
                os.fsync(handle.fileno())
        os.chmod(tmp, path.stat().st_mode & 0o777 if path.exists() else 0o644)
        os.replace(tmp, path)
    except OSError as err:
        Path(tmp).unlink(missing_ok=True)
        # an error of the caller's own (reading another file) names that file: keep it
        if err.filename not in (None, tmp, str(path)):
            raise
        raise naming(err, path) from None
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    if durable:
        _sync_folder(path.parent)


def replace_quickly(path: Path, data: bytes) -> None:
    """Atomic like `write_atomic`, with the fewest system calls: for thousands of new files.

    The folder must exist. The temporary name is unique per process (no random name to find),
    nothing is fsynced (the writer calls `flush_to_disk()` once for all), and the file gets the
    usual permissions for new files rather than those of the file it replaces.
    """
    temporary = path.with_name(f".{path.name}.{os.getpid()}{TEMPORARY_SUFFIX}")
    try:
        with open(temporary, "wb") as handle:
            handle.write(data)
        os.replace(temporary, path)
    except OSError as err:
        temporary.unlink(missing_ok=True)
        raise naming(err, path) from None
    except BaseException:
        temporary.unlink(missing_ok=True)
        raise


def remove_leftovers(folder: Path, names: Collection[str]) -> None:
    """Remove the temporary files interrupted atomic writes of `names` left in `folder`.

    One listing of the folder, however many names (a glob per file is quadratic).
    """
    if not folder.is_dir():
        return
    wanted = set(names)
    for entry in folder.iterdir():
        if is_leftover(entry.name, wanted):
            with contextlib.suppress(FileNotFoundError):
                entry.unlink()


def is_leftover(name: str, targets: Collection[str]) -> bool:
    """True when `name` is the temporary file of an atomic write of one of `targets`."""
    # `.<target name>.<random or pid>.tmp`
    return name.startswith(".") and name.endswith(TEMPORARY_SUFFIX) and \
        name[1:-len(TEMPORARY_SUFFIX)].rpartition(".")[0] in targets


def flush_to_disk() -> None:
    """Make every write so far durable at once (after a batch of `durable=False` writes)."""
    os.sync()


def remove_atomic(path: Path) -> None:
    """Delete a file if it is there (a rename-free delete is already all-or-nothing)."""
    path.unlink(missing_ok=True)
    _sync_folder(path.parent)


def _sync_folder(folder: Path) -> None:
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)
