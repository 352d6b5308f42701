"""Errors raised by kg; the CLI turns each into one line on stderr.

::

    KgError
     ├─ InputError   unreadable or malformed input (names the file and line)
     ├─ StoreError   graph store unreachable, refused or failed (never shows a password)
     ├─ FetchError   a download failed after its retries (names the URL and the status)
     ├─ ModelError   a trained model kg cannot use (names its folder and how to fix it)
     └─ QueryError   unknown query, missing or malformed parameter, Cypher failure
"""

__all__ = ["FetchError", "InputError", "KgError", "ModelError", "QueryError", "StoreError"]


class KgError(Exception):
    """Base class of every error kg raises on purpose."""


class InputError(KgError):
    """Input that cannot be read, with the file and line where it went wrong.

    >>> str(InputError("bad title", path="page.txt", line=12))
    'page.txt:12: bad title'
    >>> str(InputError("file is empty", path="page.txt"))
    'page.txt: file is empty'
    """

    def __init__(
        self,
        message: str,
        *,
        path: str | None = None,
        line: int | None = None,
        record: str | None = None,
    ):
        self.message = message
        self.path = path
        self.line = line
        self.record = record  # the rejected record's raw text, when a reader could keep it
        where = path or ""
        if path and line is not None:
            where = f"{path}:{line}"
        super().__init__(f"{where}: {message}" if where else message)


class StoreError(KgError):
    """The graph store could not be opened, reached or written."""


class FetchError(KgError):
    """A download failed: the server refused it, or kept failing after every retry."""


class ModelError(KgError):
    """A trained model that this version of kg cannot load or use."""


class QueryError(KgError):
    """A query could not be found, parameterised or run."""
