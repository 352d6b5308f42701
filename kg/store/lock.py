"""One process at a time per database: an advisory lock file beside it (``DB.lock``).

The lock is an ``flock`` on ``DB.lock``, which the kernel releases when its holder
exits, however it exits: a process killed with SIGKILL leaves at most an unlocked
file, never a lock that blocks the next run. The holder writes its pid and command
line into the file so that a refused process can say who is in the way.

Opening the same database twice in one process shares one lock.
"""

import fcntl
import json
import os
import sys
import time
from pathlib import Path

from kg.errors import StoreError

__all__ = ["DatabaseInUse", "DatabaseLock", "lock_path"]

_held: dict[Path, tuple[int, int]] = {}  # lock file -> (fd, how many holders in this process)


class DatabaseInUse(StoreError):
    """Another process holds the database."""


def lock_path(db: str | Path) -> Path:
    """Return the lock file of the database ``db``.

    >>> lock_path("/data/kg.db").name
    'kg.db.lock'
    """
    path = Path(db).resolve()
    return path.with_name(path.name + ".lock")


class DatabaseLock:
    """An exclusive lock on one database, held from :meth:`acquire` to :meth:`release`."""

    def __init__(self, db: str | Path, *, wait: float = 0.0):
        self.db = Path(db)
        self.path = lock_path(db)
        self.wait = wait
        self._owned = False

    def __enter__(self) -> "DatabaseLock":
        self.acquire()
        return self

    def __exit__(self, *exc: object) -> None:
        self.release()

    def acquire(self) -> None:
        """Take the lock, waiting up to ``wait`` seconds; raise :class:`DatabaseInUse`."""
        if self._owned:
            return
        held = _held.get(self.path)
        if held is not None:
            _held[self.path] = (held[0], held[1] + 1)
            self._owned = True
            return
        deadline = time.monotonic() + self.wait
        while True:
            try:
                fd = _try_lock(self.path)
            except OSError as e:  # a read-only folder, or no folder
                raise StoreError(
                    f"{self.db}: cannot create its lock file {self.path} "
                    f"({(e.strerror or str(e)).lower()}); a database is written only in a "
                    "folder you can write: choose another --db (a read-only database can "
                    "still be queried)"
                ) from e
            if fd is not None:
                break
            if time.monotonic() >= deadline:
                raise DatabaseInUse(f"{self.db}: the database is in use by {_holder(self.path)}")
            time.sleep(0.1)
        record = {"pid": os.getpid(), "command": _command()}
        os.ftruncate(fd, 0)
        os.pwrite(fd, json.dumps(record).encode("utf-8"), 0)
        _held[self.path] = (fd, 1)
        self._owned = True

    @property
    def holders(self) -> int:
        """How many open stores of this process share the lock (0 when it is not held)."""
        held = _held.get(self.path)
        return held[1] if held and self._owned else 0

    def release(self) -> None:
        """Let the lock go (the last holder in this process removes the file)."""
        if not self._owned:
            return
        self._owned = False
        fd, count = _held.pop(self.path)
        if count > 1:
            _held[self.path] = (fd, count - 1)
            return
        # Remove the file while still holding the lock: a process waiting on this file
        # then sees that it was replaced and tries again (see _try_lock).
        try:
            self.path.unlink(missing_ok=True)
        finally:
            os.close(fd)


def _try_lock(path: Path) -> int | None:
    """Return a descriptor holding ``path``'s lock, or None when another process holds it."""
    path.parent.mkdir(parents=True, exist_ok=True)
    while True:
        fd = os.open(path, os.O_RDWR | os.O_CREAT | os.O_CLOEXEC, 0o666)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            os.close(fd)
            return None
        except BaseException:
            os.close(fd)
            raise
        try:
            same = os.stat(path).st_ino == os.fstat(fd).st_ino
        except FileNotFoundError:
            same = False
        if same:
            return fd
        os.close(fd)  # the holder removed the file as we opened it: lock the new one


def _holder(path: Path) -> str:
    """Describe the process named in the lock file: ``process 42 (kg build ...)``."""
    for _ in range(20):  # the holder writes its name just after taking the lock
        try:
            record = json.loads(path.read_text("utf-8"))
            return f"process {int(record['pid'])} ({record['command']})"
        except (OSError, ValueError, KeyError, TypeError):
            time.sleep(0.025)
    return "another process (it has not written its name yet)"


def _command() -> str:
    """This process's command line, ``kg build page.txt --db kg.db``, cut to 200 characters."""
    argv = [Path(sys.argv[0]).name if sys.argv else "python", *sys.argv[1:]]
    text = " ".join(argv)
    return text if len(text) <= 200 else text[:199] + "…"
