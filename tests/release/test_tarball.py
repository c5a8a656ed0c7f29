"""The tarball: the tar stream Python's tarfile would write, one valid gzip member, any grouping."""

from __future__ import annotations

import gzip
import io
import shutil
import subprocess
import tarfile
import zlib

import pytest
from hypothesis import given
from hypothesis import strategies as st

from ontology_tools.release.tarball import (
    TarballWriter,
    archive_key,
    crc32_combine,
    folders_entered,
    release_epoch,
    segment,
)

TOP = "ontology-2.0.0"
DATE = "2026-06-01"
FILES = {
    "CHANGELOG.md": b"# Changelog\n",
    "docs/index.html": b"<!doctype html>\n" * 40,
    "docs/kpis/customers/logo_churn_rate.html": b"<p>churn</p>\n" * 300,
    "docs/kpis/sales/arr.html": "<p>ARR — café</p>\n".encode(),
    "docs/methodology.html": b"",
    "kpis/customers/logo_churn_rate.json": b'{"version": "2.0.0"}\n',
    "kpis/sales/arr.json": b'{"version": "1.1.0"}\n' * 1000,
    "manifest.json": b"{}\n",
    "ontology.json": b"[]\n",
}


def tarfile_stream(files: dict[str, bytes]) -> bytes:
    """What Python's tarfile writes for the same entries, in the same order."""
    buffer = io.BytesIO()
    mtime = release_epoch(DATE)
    with tarfile.open(fileobj=buffer, mode="w", format=tarfile.PAX_FORMAT) as archive:
        names = {""} | set(files)
        for path in files:
            parts = path.split("/")
            names.update("/".join(parts[:depth]) for depth in range(1, len(parts)))
        for name in sorted(names, key=lambda n: archive_key(n) if n else ()):
            info = tarfile.TarInfo(f"{TOP}/{name}" if name else TOP)
            info.mtime, info.uid, info.gid, info.uname, info.gname = mtime, 0, 0, "", ""
            if name in files:
                info.mode, info.size = 0o644, len(files[name])
                archive.addfile(info, io.BytesIO(files[name]))
            else:
                info.type, info.mode = tarfile.DIRTYPE, 0o755
                archive.addfile(info)
    return buffer.getvalue()


def written_file_by_file(files: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with TarballWriter(buffer, TOP, DATE) as writer:
        for path in sorted(files, key=archive_key):
            writer.add(path, files[path])
    return buffer.getvalue()


def written_in_segments(files: dict[str, bytes], size: int) -> bytes:
    """Runs of `size` files deflated on their own, as the rendering workers make them."""
    buffer = io.BytesIO()
    paths = sorted(files, key=archive_key)
    with TarballWriter(buffer, TOP, DATE) as writer:
        for start in range(0, len(paths), size):
            run = [(path, files[path]) for path in paths[start:start + size]]
            writer.add_segment(segment(TOP, release_epoch(DATE), writer.last, run))
    return buffer.getvalue()


def test_the_tar_stream_is_what_tarfile_writes() -> None:
    assert gzip.decompress(written_file_by_file(FILES)) == tarfile_stream(FILES)


@pytest.mark.parametrize("size", [1, 2, 4, 100])
def test_any_grouping_into_segments_gives_the_same_tar_stream(size: int) -> None:
    assert gzip.decompress(written_in_segments(FILES, size)) == tarfile_stream(FILES)


def test_the_same_grouping_gives_the_same_bytes() -> None:
    assert written_in_segments(FILES, 3) == written_in_segments(FILES, 3)


def test_gzip_header_has_no_name_and_no_time() -> None:
    data = written_file_by_file(FILES)
    assert data[:4] == b"\x1f\x8b\x08\x00" and data[4:8] == b"\x00\x00\x00\x00"


def test_members_read_back_with_the_release_date_and_no_owner() -> None:
    with tarfile.open(fileobj=io.BytesIO(written_in_segments(FILES, 2)), mode="r:gz") as archive:
        members = archive.getmembers()
        assert [m.name for m in members][:3] == [TOP, f"{TOP}/CHANGELOG.md", f"{TOP}/docs"]
        assert {(m.mtime, m.uid, m.gid, m.uname, m.gname) for m in members} == \
            {(release_epoch(DATE), 0, 0, "", "")}
        for path, data in FILES.items():
            extracted = archive.extractfile(f"{TOP}/{path}")
            assert extracted is not None and extracted.read() == data


@pytest.mark.skipif(shutil.which("tar") is None, reason="no tar on this machine")
def test_system_tar_lists_a_segmented_tarball() -> None:
    listed = subprocess.run(["tar", "-tzf", "-"], input=written_in_segments(FILES, 2),
                            capture_output=True, check=True).stdout.decode().splitlines()
    folders = 8  # the top, docs, docs/kpis, two domains there, kpis, two domains there
    assert f"{TOP}/kpis/sales/arr.json" in listed and len(listed) == len(FILES) + folders


def test_files_out_of_order_are_refused() -> None:
    writer = TarballWriter(io.BytesIO(), TOP, DATE)
    writer.add("kpis/sales/arr.json", b"{}")
    with pytest.raises(ValueError, match="out of order"):
        writer.add("docs/index.html", b"")
    with pytest.raises(ValueError, match="out of order"):
        segment(TOP, 0, None, [("b.txt", b""), ("a.txt", b"")])


def test_a_segment_made_for_another_place_is_refused() -> None:
    writer = TarballWriter(io.BytesIO(), TOP, DATE)
    writer.add("CHANGELOG.md", b"")
    misplaced = segment(TOP, 0, "docs/index.html", [("docs/kpis/a/b.html", b"")])
    with pytest.raises(ValueError, match="cannot follow CHANGELOG"):
        writer.add_segment(misplaced)


@pytest.mark.parametrize(("previous", "path", "entered"), [
    (None, "docs/kpis/sales/arr.html", ["docs", "docs/kpis", "docs/kpis/sales"]),
    ("docs/index.html", "docs/kpis/sales/arr.html", ["docs/kpis", "docs/kpis/sales"]),
    ("docs/kpis/sales/a.html", "docs/kpis/sales/b.html", []),
    ("docs/kpis/sales/b.html", "docs/methodology.html", []),
    ("docs/methodology.html", "kpis/sales/arr.json", ["kpis", "kpis/sales"]),
    ("kpis/sales/arr.json", "manifest.json", []),
])
def test_folders_are_entered_once_in_tree_order(previous: str | None, path: str,
                                                entered: list[str]) -> None:
    assert folders_entered(previous, path) == entered


@given(st.binary(max_size=3000), st.binary(max_size=3000))
def test_crc32_of_a_concatenation_from_the_parts(first: bytes, second: bytes) -> None:
    assert crc32_combine(zlib.crc32(first), zlib.crc32(second), len(second)) == \
        zlib.crc32(first + second)
