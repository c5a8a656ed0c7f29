"""Every GitPython call: read trees at a ref, find releases, commit and tag. Never a push."""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ontology_tools.errors import OntologyError


@dataclass(frozen=True)
class Blob:
    """A file in a git tree: its path, its blob id, and how to read it."""

    path: str
    sha: str
    read: Callable[[], bytes]
    mode: str = "100644"  # git's file mode: 120000 is a symbolic link, stored as its target

    @property
    def is_link(self) -> bool:
        """True for a symbolic link (its blob holds the target's name, not a file)."""
        return self.mode == "120000"


@dataclass(frozen=True)
class CommitInfo:
    """What a reviewer needs to know of a commit."""

    sha: str
    author: str
    email: str
    date: str  # ISO 8601 with offset
    message: str


class GitRepo:
    """The repository that holds the ontology, read through the object store."""

    def __init__(self, repo: Any, root: Path) -> None:
        self._repo = repo
        self.root = root

    @classmethod
    def open(cls, root: Path) -> GitRepo | None:
        """The git repository whose work tree is `root`, or None when there is none."""
        import git

        try:
            repo = git.Repo(root, search_parent_directories=True)
        except (git.InvalidGitRepositoryError, git.NoSuchPathError):
            return None
        if repo.bare or repo.working_tree_dir is None:
            return None
        return cls(repo, root)

    def _prefix(self) -> str:
        """The path of the ontology root inside the work tree ('' when they are the same)."""
        top = Path(str(self._repo.working_tree_dir)).resolve()
        relative = self.root.resolve().relative_to(top).as_posix()
        return "" if relative == "." else relative + "/"

    def has_commits(self) -> bool:
        """False in a freshly initialised repository."""
        try:
            self._repo.head.commit  # noqa: B018
        except ValueError:
            return False
        return True

    def resolve(self, ref: str) -> str:
        """The commit sha a ref names; an OntologyError naming the ref otherwise."""
        import git

        try:
            return str(self._repo.commit(ref).hexsha)
        except (git.BadName, ValueError, git.BadObject) as err:
            hint = ("; this clone is shallow, so it may lie in the history not fetched "
                    "(`git fetch --unshallow --tags`)" if self.is_shallow() else "")
            raise OntologyError(f"git ref {ref!r} does not name a commit{hint}") from err

    def blobs(self, ref: str, folder: str) -> dict[str, Blob]:
        """Every file under `folder` (relative to the ontology root) at `ref`."""
        commit = self.resolve(ref)
        prefix = self._prefix()
        where = prefix + folder
        # one `git ls-tree` lists 10,000 entries in a tenth of the time a GitPython traversal
        # takes; each blob is read from the object store only if someone asks for it
        listing = str(self._repo.git.ls_tree("-r", "-z", "--full-tree", commit,
                                             *(["--", where] if where else [])))
        found: dict[str, Blob] = {}
        for entry in listing.split("\0"):
            meta, _, full_path = entry.partition("\t")
            fields = meta.split()
            if len(fields) != 3 or fields[1] != "blob":
                continue
            path = full_path[len(prefix):]
            found[path] = Blob(path, fields[2], self._object_reader(fields[2]), fields[0])
        return found

    def _object_reader(self, sha: str) -> Callable[[], bytes]:
        odb = self._repo.odb

        def read() -> bytes:
            data: bytes = odb.stream(bytes.fromhex(sha)).read()
            return data

        return read

    def read(self, ref: str, path: str) -> bytes | None:
        """One file's bytes at `ref`, or None when it is not there."""
        commit = self._repo.commit(self.resolve(ref))
        try:
            blob = commit.tree / (self._prefix() + path)
        except KeyError:
            return None
        data: bytes = blob.data_stream.read()
        return data

    def tag_exists(self, name: str) -> bool:
        """True when a tag of that name exists."""
        return any(tag.name == name for tag in self._repo.tags)

    def tag_commit(self, name: str) -> str | None:
        """The commit a tag points at, or None."""
        for tag in self._repo.tags:
            if tag.name == name:
                return str(tag.commit.hexsha)
        return None

    def tags(self) -> dict[str, str]:
        """Every tag name → the commit it points at."""
        return {str(tag.name): str(tag.commit.hexsha) for tag in self._repo.tags}


    def commits_with_trailer(self, key: str) -> Iterator[tuple[CommitInfo, str]]:
        """Every commit on HEAD carrying `key: value`, newest first, with the value."""
        if not self.has_commits():
            return
        for commit in self._repo.iter_commits("HEAD", grep=f"{key}:", fixed_strings=True):
            for line in str(commit.message).splitlines():
                if line.startswith(f"{key}:"):
                    yield _info(commit), line.partition(":")[2].strip()
                    break

    def info(self, ref: str) -> CommitInfo:
        """Author, date and message of a commit."""
        return _info(self._repo.commit(self.resolve(ref)))

    def head(self) -> str | None:
        """The sha of HEAD, or None before the first commit."""
        return str(self._repo.head.commit.hexsha) if self.has_commits() else None

    def changed_files(self, folders: Sequence[str]) -> list[str]:
        """Uncommitted files under these folders, relative to the ontology root, sorted.

        Exact names (`-z`: no quoting), both names of a rename, staged, unstaged or untracked.
        """
        prefix = self._prefix()
        output = str(self._repo.git.status("--porcelain", "-z", "--untracked-files=all", "--",
                                           *(prefix + folder for folder in folders)))
        names: set[str] = set()
        entries = iter(output.split("\0"))
        for entry in entries:
            if len(entry) < 4:
                continue
            names.add(entry[3:])
            if entry[0] in "RC":  # a rename or copy: the next field is the old name
                names.add(next(entries, ""))
        return sorted(name[len(prefix):] for name in names if name.startswith(prefix))

    def parents(self, ref: str) -> list[str]:
        """The parent commits of a commit, first parent first."""
        return [str(parent.hexsha) for parent in self._repo.commit(self.resolve(ref)).parents]

    def commit(self, paths: Sequence[str], message: str) -> str:
        """Commit exactly `paths` (added, changed or deleted) with `message`; return the sha."""
        import tempfile  # here, not at the top: a warm `validate` imports this module

        if not paths:  # an empty pathspec would mean every file of the repository
            raise OntologyError("nothing to commit: no paths given")
        prefix = self._prefix()
        listing = b"".join(f"{prefix}{path}".encode() + b"\0" for path in paths)
        # The paths go through a file, not the command line: a first release of a large
        # ontology commits tens of thousands of them, more than an argument list may hold.
        with tempfile.TemporaryFile() as spec, \
                self._repo.git.custom_environment(GIT_LITERAL_PATHSPECS="1"):
            spec.write(listing)
            for command, options in (("add", ["--all"]),
                                     ("commit", ["-q", "--no-verify", "-m", message])):
                spec.seek(0)
                getattr(self._repo.git, command)(*options, "--pathspec-from-file=-",
                                                 "--pathspec-file-nul", istream=spec)
        return str(self._repo.head.commit.hexsha)

    def create_tag(self, name: str, message: str, ref: str = "HEAD") -> None:
        """An annotated tag."""
        self._repo.create_tag(name, ref=ref, message=message)

    def commit_dated(self, paths: Sequence[str], message: str, when: str) -> str:
        """`commit`, author and committer dates fixed to `when` (ISO 8601) for repeatability."""
        with self._repo.git.custom_environment(GIT_AUTHOR_DATE=when, GIT_COMMITTER_DATE=when):
            return self.commit(paths, message)

    def create_tag_verbatim(self, name: str, message: str, when: str, ref: str = "HEAD") -> None:
        """An annotated tag whose message is kept exactly (markdown `#` lines included)."""
        import tempfile

        # The message goes through a file: a first release's changelog section lists every KPI,
        # far more than one command-line argument may hold (128 KiB on Linux).
        with tempfile.TemporaryFile() as text, \
                self._repo.git.custom_environment(GIT_COMMITTER_DATE=when):
            text.write(message.encode("utf-8"))
            text.seek(0)
            self._repo.git.tag("-a", "--cleanup=verbatim", "-F", "-", name, ref, istream=text)

    def tracked(self, path: str) -> bool:
        """True when `path` is in HEAD's tree."""
        return self.has_commits() and self.read("HEAD", path) is not None

    def log(self, paths: Sequence[str], upto: str = "HEAD",
            after: str | None = None) -> Iterator[CommitInfo]:
        """Commits in (after, upto] that touched any of `paths`, newest first."""
        if not self.has_commits():
            return
        prefix = self._prefix()
        revisions = f"{after}..{upto}" if after else upto
        for commit in self._repo.iter_commits(revisions, paths=[prefix + p for p in paths]):
            yield _info(commit)

    def is_shallow(self) -> bool:
        """True in a shallow clone, whose history stops short of the first commit."""
        return str(self._repo.git.rev_parse("--is-shallow-repository")).strip() == "true"


def _info(commit: Any) -> CommitInfo:
    return CommitInfo(sha=str(commit.hexsha), author=str(commit.author.name),
                      email=str(commit.author.email),
                      date=commit.committed_datetime.isoformat(), message=str(commit.message))


NOT_A_REPOSITORY = "no repository"


def ref_state(root: Path) -> str | None:
    """Everything that decides which releases `root`'s repository holds, as text, read by two
    `git` processes (a few ms each, where importing GitPython alone costs ~170 ms).

    It names the work tree's top folder, HEAD's commit and every ref (tags peeled), and holds the
    shallow and grafts files (deepening a clone changes the history HEAD reaches).
    `NOT_A_REPOSITORY` outside any repository; None when git cannot tell (no git executable,
    a bare repository, any other failure): then nothing may be taken from a cache.
    """
    where = _git_output(root, "rev-parse", "--show-toplevel", "--git-path", "shallow",
                        "--git-path", "info/grafts")
    if where is None:
        return None
    if not where[0]:
        return NOT_A_REPOSITORY if b"not a git repository" in where[2] else None
    lines = where[1].decode("utf-8", "surrogateescape").splitlines()
    refs = _git_output(root, "show-ref", "--head", "--dereference")
    if len(lines) != 3 or refs is None or (not refs[0] and refs[2]):  # no ref: exit 1, silent
        return None
    parts = [lines[0], refs[1].decode("utf-8", "surrogateescape")]
    for name in lines[1:]:
        try:
            parts.append((root / name).read_bytes().decode("utf-8", "surrogateescape"))
        except FileNotFoundError:
            parts.append("")
        except OSError:
            return None
    return "\0".join(parts)


def _git_output(root: Path, *args: str) -> tuple[bool, bytes, bytes] | None:
    """(succeeded, stdout, stderr) of one `git` command in `root`; None if git cannot run."""
    import os
    import subprocess

    environment = {**os.environ, "LC_ALL": "C"}  # stderr is matched in English
    try:
        done = subprocess.run(["git", *args], cwd=root, capture_output=True, timeout=60,
                              env=environment, check=False)
    except (OSError, subprocess.SubprocessError):
        return None
    return done.returncode == 0, done.stdout, done.stderr


def blob_sha(data: bytes) -> str:
    """The id git gives a blob with these bytes, so worktree files compare with tree entries."""
    import hashlib

    return hashlib.sha1(b"blob %d\0" % len(data) + data, usedforsecurity=False).hexdigest()
