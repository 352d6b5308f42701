"""The embedded default store: FalkorDB run in-process through ``falkordblite``.

FalkorDB speaks openCypher and is schemaless like Neo4j. ``falkordblite``
starts a private ``redis-server`` with the FalkorDB module, listening on a unix
socket next to nothing but a temp folder, and persists the graph to ``path``
(a Redis RDB file).

Traps handled here (measured with falkordblite 0.11):

* redis-py's default 5 s socket timeout made long writes time out and be
  retried, duplicating nodes: we pass ``socket_timeout=None``.
* The server outlives a SIGKILLed parent. Its ``<path>.settings`` file names its
  pid; on open we reuse a live one (and shut it down on close when we are its
  last client) and clear the record of a dead one.
* No ``CREATE CONSTRAINT`` and no ``IF NOT EXISTS``: :meth:`ensure_schema` creates
  plain indexes and ignores "already indexed".
"""

import contextlib
import json
import os
import shutil
import signal
import time
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from kg.errors import StoreError
from kg.store.base import Result

__all__ = ["FalkorStore"]

GRAPH_NAME = "kg"
_INDEXES = (
    "CREATE INDEX FOR (p:Paper) ON (p.id)",
    "CREATE INDEX FOR (e:Entity) ON (e.key)",
    "CREATE INDEX FOR (r:Repository) ON (r.url)",
    "CREATE INDEX FOR (a:Author) ON (a.key)",
)


class FalkorStore:
    """A graph kept in one file, queried with openCypher through an embedded FalkorDB."""

    def __init__(self, path: str | Path):
        self.path = Path(path).resolve()
        if self.path.is_dir():
            raise StoreError(f"{path}: is a directory; --db must name a database file")
        if self.path.exists() and not _looks_like_rdb(self.path):
            raise StoreError(
                f"{path}: exists but is not a kg database (FalkorDB/Redis RDB file); "
                "choose another --db path"
            )
        self.path.parent.mkdir(parents=True, exist_ok=True)
        _clear_stale_server(self.path)
        try:
            from redislite.falkordb_client import FalkorDB

            self._db = FalkorDB(str(self.path), socket_timeout=None)
            self._graph = self._db.select_graph(GRAPH_NAME)
        except Exception as e:  # redislite raises plain Exceptions on start failures
            raise StoreError(f"cannot start the embedded FalkorDB for {path}: {e}") from e

    def __enter__(self) -> "FalkorStore":
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def run(self, cypher: str, params: Mapping[str, Any] | None = None) -> Result:
        """Run one Cypher statement; nodes and relationships come back as property dicts."""
        from redis.exceptions import RedisError

        try:
            result = self._graph.query(cypher, dict(params or {}))
        except RedisError as e:
            raise StoreError(f"FalkorDB ({self.path.name}) refused the query: {e}") from e
        columns = [str(h[1]) for h in result.header] if result.header else []
        rows = [[_plain(value) for value in row] for row in result.result_set]
        return Result(columns, rows)

    def ensure_schema(self) -> None:
        """Create the lookup indexes the write queries MERGE on, once."""
        from redis.exceptions import ResponseError

        for statement in _INDEXES:
            try:
                self._graph.query(statement)
            except ResponseError as e:
                if "already indexed" not in str(e):
                    raise StoreError(f"cannot create index ({statement}): {e}") from e

    def save(self) -> None:
        """Write the graph to the database file now."""
        self._db.client.save()

    def close(self) -> None:
        """Save, then stop the embedded server unless another process still uses it."""
        db = getattr(self, "_db", None)
        if db is None:
            return
        self._db = None
        _shutdown(db.client, Path(f"{self.path}.settings"))


def _shutdown(client: Any, settings: Path) -> None:
    """Save, stop the redis-server behind ``client`` and remove its files, quickly.

    A graceful ``SHUTDOWN`` returns only after the FalkorDB module's threads wind
    down (about 4 s per close, measured with falkordblite 0.11), and redislite's
    own cleanup then polls for a process that, in a container whose init does not
    reap orphans, stays a zombie. ``SAVE`` writes the RDB file atomically
    (temporary file, then rename), so after it the server can simply be killed.
    """
    import psutil
    from redis.exceptions import RedisError

    pidfile = Path(client.pidfile) if client.pidfile else None
    try:
        if client._connection_count() > 1:  # another process is using the database
            client.connection_pool.disconnect()
            return
        client.save()
        pid = int(pidfile.read_text().strip()) if pidfile and pidfile.exists() else 0
    except (RedisError, OSError, ValueError):
        pid = 0
    client.connection_pool.disconnect()
    if pid:
        with contextlib.suppress(ProcessLookupError):
            os.kill(pid, signal.SIGKILL)
        _wait_until_gone(pid, psutil)
    if pidfile is not None:
        shutil.rmtree(pidfile.parent, ignore_errors=True)
    settings.unlink(missing_ok=True)
    # Nothing left for redislite's atexit/__del__ cleanup to do.
    client.pidfile = None
    client.redis_dir = None
    client.cleanupregistry = False


def _wait_until_gone(pid: int, psutil: Any, timeout: float = 10.0) -> None:
    """Wait until ``pid`` has exited (a zombie counts: it holds no files or sockets)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            if psutil.Process(pid).status() == psutil.STATUS_ZOMBIE:
                return
        except psutil.NoSuchProcess:
            return
        time.sleep(0.01)


def _plain(value: Any) -> Any:
    """Turn FalkorDB nodes/edges into property dicts so results print and serialise."""
    properties = getattr(value, "properties", None)
    if isinstance(properties, dict):
        labels = getattr(value, "labels", None) or [getattr(value, "relation", "")]
        return {"_labels": list(labels), **properties}
    if isinstance(value, list):
        return [_plain(v) for v in value]
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    return value


def _looks_like_rdb(path: Path) -> bool:
    with path.open("rb") as f:
        head = f.read(5)
    return head == b"REDIS" or head == b""


def _clear_stale_server(path: Path) -> None:
    """Remove the server record left by a killed process when its server is gone.

    A live server is left alone: redislite reconnects to it.
    """
    settings = Path(f"{path}.settings")
    if not settings.exists():
        return
    try:
        pidfile = json.loads(settings.read_text())["pidfile"]
        pid = int(Path(pidfile).read_text().strip())
        os.kill(pid, 0)
    except (OSError, ValueError, KeyError, json.JSONDecodeError):
        settings.unlink(missing_ok=True)
