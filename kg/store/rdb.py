"""The database file itself: is it a complete FalkorDB save, and why would a server not load it.

An RDB file starts with ``REDIS`` and a four-digit version, and (since version 5) ends
with the EOF opcode ``0xFF`` and an 8-byte checksum. Checking both ends costs two small
reads and catches a foreign file and a truncated one before a server is started; damage
in the middle is reported by the server, whose log :func:`load_failure` reads.
"""

import re
from pathlib import Path

from kg.errors import StoreError

__all__ = ["check_database_file", "damaged", "load_failure"]


def check_database_file(path: Path, *, shown: str | None = None) -> str:
    """Say what ``path`` holds: ``"missing"``, ``"empty"`` or ``"database"``.

    Raises :class:`StoreError`, leaving the file as it is, when it is not an RDB file
    (not a kg database) or does not end as a complete save does (damaged: truncated).
    """
    shown = shown or str(path)
    try:
        size = path.stat().st_size
        if size == 0:
            return "empty"
        with path.open("rb") as f:
            head = f.read(9)
            f.seek(max(size - 9, 0))
            tail = f.read(9)
    except FileNotFoundError:
        return "missing"
    except OSError as e:
        raise StoreError(f"{shown}: cannot read the database ({e.strerror or e})") from e
    if re.fullmatch(rb"REDIS\d{4}", head) is None:
        raise StoreError(
            f"{shown}: exists but is not a kg database (FalkorDB/Redis RDB file); "
            "choose another --db path, or move it away"
        )
    # Since RDB version 5 a save ends with the EOF opcode (0xFF) and an 8-byte checksum.
    if int(head[5:]) >= 5 and (size < 18 or tail[0] != 0xFF):
        raise StoreError(damaged(shown, f"cut short: {size} bytes, with no end-of-file mark"))
    return "database"


def damaged(shown: str, why: str) -> str:
    """The message for a damaged database file: what is wrong, and what to do."""
    return (
        f"{shown}: the database file is damaged ({why}); it was left as it is: restore it "
        f"from a copy, or move it away (mv {shown} {shown}.damaged) and rebuild it with kg build"
    )


def load_failure(log: Path) -> str | None:
    """The reason a server's log gives for failing to load its file, if it gives one."""
    try:
        lines = log.read_text("utf-8", errors="replace").splitlines()
    except OSError:
        return None
    signs = ("Short read", "RDB", "Bad file format", "checksum", "Unexpected EOF")
    for line in lines:
        if any(sign in line for sign in signs) and "#" in line:
            return line.split("#", 1)[1].strip().rstrip(".")
    return None
