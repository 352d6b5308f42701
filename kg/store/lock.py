"""One writer, or any number of readers, per database: an advisory lock file beside it
(``DB.lock``).

The lock is an ``flock`` on ``DB.lock``, which the kernel releases when its holder
exits, however it exits: a process killed with SIGKILL leaves at most an unlocked
file, never a lock that blocks the next run. A writer holds it exclusively; readers
(``shared=True``) hold it together, so that commands that only read share a warm server
(:mod:`kg.store.warm`). The holder writes its pid, command line and mode into the file
so that a refused process can say who is in the way.

Opening the same database twice in one process shares one lock: a reader opened while
this process writes shares the writer's lock; a writer cannot be opened while this
process only reads it.
"""

import contextlib
import fcntl
import json
import os
import sys
import time
from pathlib import Path

from kg.errors import StoreError

__all__ = ["DatabaseInUse", "DatabaseLock", "lock_path", "release", "try_lock"]

# lock file -> (fd, how many holders in this process, whether it is held shared)
_held: dict[Path, tuple[int, int, bool]] = {}
# Seconds a reader waits while another reader holds the lock alone: starting a server on a
# big database takes seconds (and up to two 60 s attempts when it does not answer).
_READERS_WAIT = 150.0


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
    """A lock on one database, held from :meth:`acquire` to :meth:`release`: exclusive, or
    with ``shared`` shared with other readers."""

    def __init__(self, db: str | Path, *, wait: float = 0.0, shared: bool = False):
        self.db = Path(db)
        self.path = lock_path(db)
        self.wait = wait
        self.shared = shared
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
            if held[2] and not self.shared:
                raise StoreError(
                    f"{self.db}: this process has it open for reading; close that store "
                    "before opening it to write"
                )
            _held[self.path] = (held[0], held[1] + 1, held[2])
            self._owned = True
            return
        # Readers hold the lock alone only briefly (to start the server, or as the last one
        # leaves), and so does a server's watchdog: wait for them rather than be refused.
        readers_wait = _READERS_WAIT if self.shared else max(self.wait, 2.0)
        fd = self._take(shared=self.shared, wait=self.wait, readers_wait=readers_wait)
        _held[self.path] = (fd, 1, self.shared)
        self._owned = True

    def _take(self, *, shared: bool, wait: float, readers_wait: float = 0.0) -> int:
        """Lock the file; wait up to ``wait`` seconds, or ``readers_wait`` while only readers
        hold it; return the descriptor."""
        start = time.monotonic()
        while True:
            try:
                fd = try_lock(self.path, shared=shared)
            except OSError as e:  # a read-only folder, or no folder
                raise StoreError(
                    f"{self.db}: cannot create its lock file {self.path} "
                    f"({(e.strerror or str(e)).lower()}); a database is written only in a "
                    "folder you can write: choose another --db (a read-only database can "
                    "still be queried)"
                ) from e
            if fd is not None:
                break
            waited = time.monotonic() - start
            if waited >= wait and (waited >= readers_wait or not _held_by_readers(self.path)):
                raise DatabaseInUse(f"{self.db}: the database is in use by {_holder(self.path)}")
            time.sleep(0.05)
        # "reader": the holder only reads (it may hold the lock alone while it starts the
        # server), so that another reader waits for it rather than being refused. Readers
        # sharing the lock each add a line; whoever holds it alone writes the only one.
        record = json.dumps({"pid": os.getpid(), "command": _command(), "reader": self.shared})
        if shared:
            with open(self.path, "a", encoding="utf-8") as f:  # O_APPEND: lines never mix
                f.write(record + "\n")
        else:
            os.ftruncate(fd, 0)
            os.pwrite(fd, (record + "\n").encode("utf-8"), 0)
        return fd

    def exclusively(self) -> None:
        """Hold the lock exclusively (a reader about to start the server), waiting while
        other readers hold it; :meth:`share` gives it back."""
        fd, count, shared = _held[self.path]
        if not shared:
            return
        if count > 1:
            raise StoreError(f"{self.db}: cannot start its server while this process reads it")
        # Let the shared lock go first: two readers upgrading at once would wait on each other.
        _held.pop(self.path)
        self._owned = False
        os.close(fd)
        fd = self._take(shared=False, wait=self.wait, readers_wait=_READERS_WAIT)
        _held[self.path] = (fd, 1, True)
        self._owned = True

    def share(self) -> None:
        """Turn the exclusive hold :meth:`exclusively` took back into a shared one."""
        held = _held.get(self.path)
        if self._owned and held is not None and held[2] and held[1] == 1:
            fcntl.flock(held[0], fcntl.LOCK_SH)  # a downgrade: nothing can conflict with it

    def alone(self) -> bool:
        """Whether no other process holds the lock: for a reader about to leave, tried by
        taking it exclusively (a refused try may drop the hold: call it just before
        :meth:`release`)."""
        held = _held.get(self.path)
        if not self._owned or held is None:
            return False
        try:
            fcntl.flock(held[0], fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            return False
        return True

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
        fd, count, shared = _held.pop(self.path)
        if count > 1:
            _held[self.path] = (fd, count - 1, shared)
            return
        release(self.path, fd)


def release(path: Path, fd: int) -> None:
    """Let go of the lock on ``path`` held by ``fd``; the last holder removes the file.

    It is removed while still held exclusively: a process waiting on this file then sees
    that it was replaced and tries again (see try_lock). A reader that other readers
    still share the lock with leaves it in place.
    """
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        os.close(fd)
        return
    try:
        path.unlink(missing_ok=True)
    finally:
        os.close(fd)


def try_lock(path: Path, *, shared: bool = False) -> int | None:
    """Return a descriptor holding ``path``'s lock (shared or exclusive), or None when
    another process holds it so."""
    path.parent.mkdir(parents=True, exist_ok=True)
    mode = fcntl.LOCK_SH if shared else fcntl.LOCK_EX
    while True:
        fd = os.open(path, os.O_RDWR | os.O_CREAT | os.O_CLOEXEC, 0o666)
        try:
            fcntl.flock(fd, mode | fcntl.LOCK_NB)
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


def _records(path: Path) -> list[dict[str, object]]:
    """The holders the lock file names, those still running first."""
    records = []
    for line in path.read_text("utf-8").splitlines():
        with contextlib.suppress(ValueError):
            record = json.loads(line)
            if isinstance(record, dict) and "pid" in record:
                records.append(record)
    return sorted(records, key=lambda r: not _running(r["pid"]))


def _running(pid: object) -> bool:
    try:
        os.kill(int(str(pid)), 0)
    except (ValueError, ProcessLookupError):
        return False
    except OSError:
        return True
    return True


def _held_by_readers(path: Path) -> bool:
    """Whether the lock file names a reader (which holds it for a short command)."""
    try:
        records = _records(path)
    except OSError:
        return False
    return bool(records) and bool(records[0].get("reader"))


def _holder(path: Path) -> str:
    """Describe the process named in the lock file: ``process 42 (kg build ...)``."""
    for _ in range(20):  # the holder writes its name just after taking the lock
        try:
            record = _records(path)[0]
            return f"process {int(str(record['pid']))} ({record['command']})"
        except (OSError, ValueError, KeyError, TypeError, IndexError):
            time.sleep(0.025)
    return "another process (it has not written its name yet)"


def _command() -> str:
    """This process's command line, ``kg build page.txt --db kg.db``, cut to 200 characters."""
    argv = [Path(sys.argv[0]).name if sys.argv else "python", *sys.argv[1:]]
    text = " ".join(argv)
    return text if len(text) <= 200 else text[:199] + "…"
