"""A pending (interrupted) release: may it be finished, and how is it abandoned (SPEC 6.2).

A journal says what every file held before the release and what the release writes. After an
interruption each file is in one of three states: still as before, already as released, or
neither — edited by someone since. A rerun finishes the release only while HEAD is the commit
it started from (or the release commit it made) and no file is edited: otherwise finishing
would overwrite that work. `--abandon` puts back every file the release wrote, leaves edited
ones alone, removes the bundle it was writing, and never touches the history.
"""

from __future__ import annotations

import shutil
from collections.abc import Mapping
from dataclasses import dataclass
from enum import Enum
from pathlib import Path

from ontology_tools.errors import OntologyError
from ontology_tools.gitrepo import GitRepo
from ontology_tools.project.releases import TRAILER
from ontology_tools.release.bundle import folder_name
from ontology_tools.release.journal import Journal, remove_journal, sha256_bytes, sha256_text
from ontology_tools.runtime.atomic import (
    flush_to_disk,
    is_leftover,
    remove_atomic,
    remove_leftovers,
    write_atomic,
)

GUARDED_FOLDERS = ("ontology", "changelog")
SHORT = 7  # characters of a commit shown to people, as `git log --oneline` does


class FileState(Enum):
    """Where one file of a pending release stands."""

    BEFORE = "before"  # its pre-release bytes (or still absent when the release creates it)
    RELEASED = "released"  # the bytes the release writes (or gone when the release deletes it)
    EDITED = "edited"  # neither: changed after the interruption


def short(commit: str | None) -> str:
    """A commit as people read it; 'no commit' before the first one."""
    return commit[:SHORT] if commit else "(no commit)"


def file_state(root: Path, journal: Journal, path: str) -> FileState:
    """Compare one file's bytes now with what the journal says it held and will hold."""
    try:
        digest: str | None = sha256_bytes((root / path).read_bytes())
    except (FileNotFoundError, NotADirectoryError):
        digest = None
    released = sha256_text(journal.writes[path]) if path in journal.writes else None
    if digest == released:
        return FileState.RELEASED
    if digest == journal.before.get(path):
        return FileState.BEFORE
    return FileState.EDITED


def edited_files(root: Path, journal: Journal, repo: GitRepo | None) -> list[str]:
    """Files changed since the interruption, sorted: the journal's own files in neither of
    their two states, and (unless the release allowed a dirty tree) any other uncommitted
    source file — the bundle is built from the sources, so it would take that edit in."""
    edited = {path for path in journal.paths
              if file_state(root, journal, path) is FileState.EDITED}
    if repo is not None and repo.has_commits() and not journal.allow_dirty:
        ours = set(journal.paths)
        leftovers = {Path(path).name for path in ours}
        edited.update(path for path in repo.changed_files(GUARDED_FOLDERS)
                      if path not in ours and not is_leftover(Path(path).name, leftovers))
    return sorted(edited)


def is_release_commit(repo: GitRepo, commit: str, journal: Journal) -> bool:
    """True when `commit` is the one this journal's release makes: its message and trailer,
    and the starting commit as its only parent."""
    from ontology_tools.release.execute import commit_message

    parents = [journal.base_commit] if journal.base_commit else []
    return (repo.info(commit).message.strip() == commit_message(journal.version).strip()
            and repo.parents(commit) == parents)


def resume_refusal(root: Path, journal: Journal, repo: GitRepo | None) -> str | None:
    """Why the pending release must not be finished, or None when it may be.

    It may while HEAD is the commit it started from (or the release commit it made itself)
    and every source file is as it left them.
    """
    head = repo.head() if repo is not None else None
    moved = repo is not None and head != journal.base_commit and not (
        journal.commit and head is not None and is_release_commit(repo, head, journal))
    edited = edited_files(root, journal, repo)
    if not moved and not edited:
        return None
    where = (f"the interrupted release of {journal.version} started at commit "
             f"{short(journal.base_commit)} and HEAD is now {short(head)}")
    if moved:
        where += " (commits were made since)"
    if edited:
        more = f" and {len(edited) - 1} more" if len(edited) > 1 else ""
        where += f"; {edited[0]}{more} changed since the interruption"
    return (f"{where}: finishing it would overwrite that work, so nothing was written; "
            "run `ontology release --abandon` to discard the interrupted release")


@dataclass(frozen=True)
class Abandoned:
    """What `release --abandon` did."""

    version: str
    restored: tuple[str, ...]  # put back as they were before the release
    removed: tuple[str, ...]  # created by the release, removed
    kept: tuple[str, ...]  # changed since the release wrote them: left alone
    bundle: tuple[str, ...]  # the bundle folder and tarball removed
    notices: tuple[str, ...]  # what the user may still want to do


def abandon(root: Path, journal: Journal, repo: GitRepo | None) -> Abandoned:
    """Discard a pending release; refuse (nothing changed) when its commit already exists.

    Everything is decided before the first file is touched, so a refusal writes nothing, and
    the journal goes last, so an abandon that is itself interrupted can simply be run again.
    """
    _refuse_when_committed(repo, journal)
    plan = {path: file_state(root, journal, path) for path in journal.paths}
    originals = {path: _pre_release_bytes(repo, journal, path) for path, state in plan.items()
                 if state is FileState.RELEASED and journal.before.get(path) is not None}
    restored, removed = [], []
    for path, state in sorted(plan.items()):
        if state is not FileState.RELEASED:
            continue
        if path in originals:
            write_atomic(root / path, originals[path], durable=False)
            restored.append(path)
        else:
            remove_atomic(root / path)
            removed.append(path)
    _sweep_source_leftovers(root, journal)
    bundle = _remove_bundle(journal)
    flush_to_disk()
    remove_journal(root)
    kept = tuple(path for path, state in sorted(plan.items()) if state is FileState.EDITED)
    return Abandoned(journal.version, tuple(restored), tuple(removed), kept, bundle,
                     _notices(repo, journal))


def _refuse_when_committed(repo: GitRepo | None, journal: Journal) -> None:
    """Abandoning never rewrites history: a release commit already made is the user's call."""
    if repo is None or not journal.commit or not repo.has_commits():
        return
    made = next((info.sha for info, version in repo.commits_with_trailer(TRAILER)
                 if version == journal.version), None)
    if made is None or not is_release_commit(repo, made, journal):
        return
    tagged = repo.tag_commit(journal.tag) == made
    undo = f"`git reset --hard {short(journal.base_commit)}`" if journal.base_commit else \
        "remove the commit"
    if tagged:
        undo += f" and `git tag -d {journal.tag}`"
    raise OntologyError(
        f"the release commit {short(made)} of {journal.version}"
        f"{f' (tagged {journal.tag})' if tagged else ''} is already in the history and "
        "abandoning never rewrites history, so nothing was changed: run `ontology release` "
        f"to finish the release, or undo it yourself ({undo}) and run "
        "`ontology release --abandon` again")


def _pre_release_bytes(repo: GitRepo | None, journal: Journal, path: str) -> bytes:
    """A file's bytes before the release: the journal's copy, else the starting commit's."""
    expected = journal.before.get(path)
    if path in journal.restore:
        data: bytes | None = journal.restore[path].encode("utf-8")
    elif repo is not None and journal.base_commit is not None:
        data = repo.read(journal.base_commit, path)
    else:
        data = None
    if data is None or sha256_bytes(data) != expected:
        raise OntologyError(f"cannot put back {path}: neither the journal nor commit "
                            f"{short(journal.base_commit)} holds the bytes it had before the "
                            "release, so nothing was changed")
    return data


def _sweep_source_leftovers(root: Path, journal: Journal) -> None:
    """The temporary files an interrupted write of the journal's files left beside them."""
    folders: dict[Path, set[str]] = {}
    for path in journal.paths:
        target = root / path
        folders.setdefault(target.parent, set()).add(target.name)
    for folder, names in folders.items():
        remove_leftovers(folder, names)


def _remove_bundle(journal: Journal) -> tuple[str, ...]:
    """The bundle folder and tarball of the version: the preflight made sure neither existed
    (with content) when the release started, so whatever is there now is the release's."""
    out = Path(journal.out)
    folder = out / folder_name(journal.version)
    tarball = out / f"{folder_name(journal.version)}.tar.gz"
    removed = []
    if folder.is_dir() and not folder.is_symlink():
        shutil.rmtree(folder)
        removed.append(str(folder))
    if tarball.is_file() or tarball.is_symlink():
        tarball.unlink()
        removed.append(str(tarball))
    remove_leftovers(out, {tarball.name})
    return tuple(removed)


def _notices(repo: GitRepo | None, journal: Journal) -> tuple[str, ...]:
    """What abandoning leaves to the user: a moved HEAD, a tag of an undone release commit."""
    notices = []
    head = repo.head() if repo is not None else None
    if repo is not None and head != journal.base_commit:
        notices.append(f"HEAD moved from {short(journal.base_commit)} to {short(head)} since "
                       "the release started; its files are put back as they were at "
                       f"{short(journal.base_commit)}, so `git status` shows what to commit")
    if repo is not None and repo.tag_exists(journal.tag):
        notices.append(f"the tag {journal.tag} still exists; `git tag -d {journal.tag}` "
                       "removes it before the next release")
    return tuple(notices)


def describe_options(journal: Journal, given: Mapping[str, str]) -> str | None:
    """A note when a finishing rerun's options (`given`: option → value as this run would
    use it) differ from the interrupted run's, which are the ones used."""
    recorded = recorded_options(journal)
    differing = [f"{option} {given[option]}" for option in recorded
                 if option in given and given[option] != recorded[option]]
    if not differing:
        return None
    used = ", ".join(f"{option} {value}" for option, value in recorded.items())
    return (f"this run's {', '.join(differing)} differ{'s' * (len(differing) == 1)} from the "
            f"interrupted run's; the interrupted run's options are used ({used})")


def recorded_options(journal: Journal) -> dict[str, str]:
    """The interrupted run's options, as `describe_options` compares them."""
    return {"--date": journal.released_at, "--commit": _yes(journal.commit),
            "--tag": _yes(journal.create_tag), "--out": journal.out}


def _yes(flag: bool) -> str:
    return "yes" if flag else "no"
