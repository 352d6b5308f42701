"""Write files so that none is ever left half-written under its final name."""

import os
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TextIO

__all__ = ["atomic_open"]


@contextmanager
def atomic_open(path: Path) -> Iterator[TextIO]:
    """Open a temporary text file beside ``path``; rename it to ``path`` on success.

    On any error (or interrupt) the temporary file is removed and ``path`` is left
    as it was. The file gets the usual mode (``0666`` less the umask), not
    ``mkstemp``'s ``0600``, so other users and tools (``neo4j-admin``) can read it.
    """
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="") as f:
            yield f
        umask = os.umask(0)
        os.umask(umask)
        os.chmod(tmp, 0o666 & ~umask)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
