"""Write files so that none is ever left half-written under its final name.

Every file kg writes (views, exports, neo4j-admin CSVs, ``rejected.jsonl``, fetched
responses) goes through :func:`atomic_open`: a temporary file beside the target,
renamed over it once complete. The temporary name carries the writer's pid
(``.NAME.PID.XXXX.tmp``), so one left by a killed writer is recognised and removed
by the next write of the same file.
"""

import os
import re
import tempfile
from collections.abc import Iterator
from contextlib import AbstractContextManager, contextmanager
from pathlib import Path
from typing import IO, Any, BinaryIO, Literal, TextIO, overload

from kg.interrupt import deferred

__all__ = ["atomic_open"]

_TEMP_NAME = re.compile(r"\..+\.(\d+)\.[a-z0-9_]+\.tmp")  # what mkstemp makes below


@overload
def atomic_open(path: Path, mode: Literal["w"] = "w") -> AbstractContextManager[TextIO]: ...
@overload
def atomic_open(path: Path, mode: Literal["wb"]) -> AbstractContextManager[BinaryIO]: ...
def atomic_open(path: Path, mode: str = "w") -> AbstractContextManager[Any]:
    """Open a temporary file beside ``path`` (text, or bytes with ``mode="wb"``); rename it
    to ``path`` on success.

    On any error (or interrupt) the temporary file is removed and ``path`` is left
    as it was. The file gets the usual mode (``0666`` less the umask), not
    ``mkstemp``'s ``0600``, so other users and tools (``neo4j-admin``) can read it.
    """
    if mode not in ("w", "wb"):
        raise ValueError(f"mode must be 'w' or 'wb', not {mode!r}")
    return _atomic(Path(path), mode)


@contextmanager
def _atomic(path: Path, mode: str) -> Iterator[IO[Any]]:
    path.parent.mkdir(parents=True, exist_ok=True)
    _remove_left_by_dead_writers(path)
    tmp = ""
    try:
        with deferred():  # a SIGTERM right after mkstemp must still find ``tmp`` to remove
            fd, tmp = tempfile.mkstemp(
                prefix=f".{path.name}.{os.getpid()}.", suffix=".tmp", dir=path.parent
            )
        if mode == "wb":
            with os.fdopen(fd, "wb") as f:
                yield f
        else:
            with os.fdopen(fd, "w", encoding="utf-8", newline="") as f:
                yield f
        umask = os.umask(0)
        os.umask(umask)
        os.chmod(tmp, 0o666 & ~umask)
        os.replace(tmp, path)
    except BaseException:
        if tmp:
            Path(tmp).unlink(missing_ok=True)
        raise


def _remove_left_by_dead_writers(path: Path) -> None:
    """Remove ``.NAME.PID.XXXX.tmp`` files in ``path``'s folder whose writer no longer runs."""
    for temp in path.parent.glob(".*.tmp"):
        found = _TEMP_NAME.fullmatch(temp.name)
        if found is None or int(found.group(1)) == os.getpid():
            continue
        try:
            os.kill(int(found.group(1)), 0)
        except ProcessLookupError:
            temp.unlink(missing_ok=True)
        except OSError:  # alive, someone else's
            continue
