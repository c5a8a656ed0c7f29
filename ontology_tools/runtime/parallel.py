"""Work spread over the machine's cores: chunks in forked worker processes, results in order.

The one place that starts worker processes. Workers are forked, so they inherit the shared,
read-only `context` (every KPI's data, the docs views ...) without pickling it; only the chunks
and their results cross the pipes. A sliding window bounds how far the workers run ahead of a
slow consumer, so results never pile up in memory. Where forking is not available, on one core,
or for little work, the same function runs in this process, chunk by chunk, with the same
results in the same order.
"""

from __future__ import annotations

import multiprocessing
import os
import threading
import time
from collections import deque
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import Future, ProcessPoolExecutor
from typing import Any, TypeVar

Context = TypeVar("Context")
Item = TypeVar("Item")
Result = TypeVar("Result")

WINDOW_PER_WORKER = 2
PARENT_CHECK_SECONDS = 1.0

_shared: Any = None


def workers_available() -> int:
    """How many worker processes may run: the cores, or 1 where processes cannot be forked."""
    if "fork" not in multiprocessing.get_all_start_methods():
        return 1
    return os.cpu_count() or 1


def chunked(items: Sequence[Item], size: int) -> list[Sequence[Item]]:
    """`items` cut into consecutive chunks of at most `size`."""
    return [items[start:start + size] for start in range(0, len(items), max(1, size))]


def ordered_chunks(work: Callable[[Context, Sequence[Item]], Result], items: Sequence[Item],
                   context: Context, *, chunk_size: int,
                   min_items: int) -> Iterator[tuple[Sequence[Item], Result]]:
    """`work(context, chunk)` for each chunk of `items`, yielded in order with its chunk.

    In forked workers when there are at least `min_items` items and more than one core; `work`
    must be a module-level function (it is sent to the workers by name).
    """
    chunks = chunked(items, chunk_size)
    workers = min(workers_available(), len(chunks))
    if len(items) < min_items or workers < 2:
        for chunk in chunks:
            yield chunk, work(context, chunk)
        return
    yield from _in_workers(work, chunks, context, workers)


def _in_workers(work: Callable[[Context, Sequence[Item]], Result],
                chunks: Sequence[Sequence[Item]], context: Context,
                workers: int) -> Iterator[tuple[Sequence[Item], Result]]:
    fork = multiprocessing.get_context("fork")
    with ProcessPoolExecutor(max_workers=workers, mp_context=fork, initializer=_receive,
                             initargs=(context, os.getpid())) as pool:
        pending: deque[tuple[Sequence[Item], Future[Result]]] = deque()
        upcoming = iter(chunks)
        for chunk in upcoming:
            pending.append((chunk, pool.submit(_run, work, chunk)))
            if len(pending) >= workers * WINDOW_PER_WORKER:
                break
        while pending:
            chunk, future = pending.popleft()
            result = future.result()
            following = next(upcoming, None)
            if following is not None:
                pending.append((following, pool.submit(_run, work, following)))
            yield chunk, result


def _receive(context: Any, parent: int) -> None:
    """Worker start-up: keep the inherited context (forked, so it was never pickled).

    A worker whose parent is gone (killed, say, in the middle of a release) exits instead of
    waiting forever for work.
    """
    global _shared
    _shared = context
    threading.Thread(target=_exit_with, args=(parent,), daemon=True).start()


def _exit_with(parent: int) -> None:
    while os.getppid() == parent:
        time.sleep(PARENT_CHECK_SECONDS)
    os._exit(1)


def _run(work: Callable[[Any, Sequence[Any]], Any], chunk: Sequence[Any]) -> Any:
    return work(_shared, chunk)
