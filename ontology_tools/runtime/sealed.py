"""Sealed cache files: a magic string, the sha256 of the payload, the payload.

A reader takes a file's payload only when the whole file checks out, so garbage, a truncated
write or a file of another format reads as nothing and is rebuilt, never half-used.
"""

from __future__ import annotations

import hashlib
from pathlib import Path

DIGEST_BYTES = 32


def seal(magic: bytes, payload: bytes) -> bytes:
    """`payload` behind `magic` and its sha256."""
    return magic + hashlib.sha256(payload).digest() + payload


def unseal(magic: bytes, blob: bytes) -> bytes | None:
    """The payload of a sealed file with this `magic`; None for anything that does not check out."""
    head = len(magic) + DIGEST_BYTES
    if len(blob) < head or not blob.startswith(magic):
        return None
    payload = blob[head:]
    if hashlib.sha256(payload).digest() != blob[len(magic):head]:
        return None
    return payload


def file_signature(path: Path) -> tuple[int, int]:
    """(size, mtime in ns) of a code file a cache depends on; (0, 0) when it cannot be read."""
    try:
        info = path.stat()
    except OSError:
        return 0, 0
    return info.st_size, info.st_mtime_ns
