"""Check, before any long work, that a command can write every file it will write.

A build that reads and extracts for minutes and then cannot write its database or its
HTML view has wasted those minutes: the commands call :func:`check_outputs` first. The
check is the real thing, not a guess from permission bits (root, ACLs and read-only
mounts each make those lie): a temporary file is created in the folder and removed.
"""

import errno
import os
import tempfile
from pathlib import Path

from kg.errors import KgError

__all__ = ["NotWritable", "cannot_write_in", "check_outputs", "check_writable"]


class NotWritable(KgError):
    """A file or folder a command must write cannot be written."""


def check_outputs(
    *,
    db: str | None = None,
    rejected: Path | None = None,
    cache: str | None = None,
    html: str | None = None,
) -> None:
    """Raise :class:`NotWritable`, naming the path and what to do, unless each given
    output can be written: the database (its lock, save and file), ``rejected.jsonl``,
    the extraction cache folder and the HTML view. A database file that is damaged or
    not a kg database raises :class:`~kg.errors.StoreError`."""
    if db is not None:
        from kg.store.rdb import check_database_file

        check_database_file(Path(db))  # a damaged database: say so before the long work
        check_writable(
            db,
            "the database",
            "choose a --db in a folder you can write (a read-only database can still be queried)",
            file_too=True,
        )
    if rejected is not None:
        check_writable(
            rejected, "the rejected records file", "it goes beside --db: choose another --db"
        )
    if cache is not None:
        check_writable(
            cache,
            "the extraction cache",
            "pass --cache DIR (a folder you can write) or --no-cache",
            folder=True,
        )
    if html is not None:
        check_writable(html, "the HTML view", "choose another path for --html")


def check_writable(
    path: str | Path, what: str, fix: str, *, folder: bool = False, file_too: bool = False
) -> None:
    """Raise :class:`NotWritable` unless ``path`` can be written (created or replaced).

    ``folder``: ``path`` is a folder files go in; otherwise a file, replaced by renaming
    a temporary file beside it. ``file_too``: an existing read-only file also counts
    as not writable (kg would otherwise replace it).
    """
    path = Path(path)
    where = path if folder else path.parent
    if not folder and path.is_dir():
        raise NotWritable(f"{path}: cannot write {what} there: it is a folder; {fix}")
    if file_too and path.is_file() and not os.access(path, os.W_OK):
        raise NotWritable(
            f"{path}: cannot write {what}: the file is read-only; make it writable "
            f"(chmod u+w {path}) or choose another path (it can still be read)"
        )
    problem = cannot_write_in(where)
    if problem is not None:
        raise NotWritable(f"{path}: cannot write {what}: {problem}; {fix}")


def cannot_write_in(folder: Path) -> str | None:
    """Say why files cannot be created in ``folder`` (made if missing), or None if they can.

    >>> cannot_write_in(Path(tempfile.gettempdir())) is None
    True
    """
    probe = Path(os.path.abspath(folder))
    while not probe.exists() and probe != probe.parent:  # created on write: test its parent
        probe = probe.parent
    if not probe.is_dir():
        return f"{probe} is a file, not a folder"
    try:
        fd, name = tempfile.mkstemp(prefix=".kg-write-test-", dir=probe)
    except OSError as e:
        reason = (e.strerror or str(e)).lower()
        if e.errno in (errno.EACCES, errno.EPERM):
            reason = "permission denied"
        return f"{reason} in {probe}"
    os.close(fd)
    os.unlink(name)
    return None
