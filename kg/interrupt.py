"""Stop cleanly on SIGTERM, SIGINT and SIGHUP: unwind so the database is saved, never mid-save.

:func:`install` (called by the ``kg`` entry point) turns these signals into an
:class:`Interrupted` exception, raised in the main thread between two statements, so
every ``finally`` runs and the embedded store saves and stops its server. Code that
must not be cut in half (starting or stopping that server) runs under :func:`deferred`:
a signal arriving there is held and raised when the block ends.
"""

import signal
from collections.abc import Iterator
from contextlib import contextmanager
from types import FrameType

__all__ = ["Interrupted", "deferred", "install"]

_depth = 0  # how many deferred() blocks are open
_pending: int | None = None  # a signal received inside one, raised when the last one ends
_raised = False  # one Interrupted per run: a second signal must not cut the clean-up short


class Interrupted(BaseException):
    """The process was asked to stop (SIGTERM, SIGINT / Ctrl-C, or SIGHUP: terminal closed).

    A :class:`BaseException`, like :class:`KeyboardInterrupt`, so that no
    ``except Exception`` swallows it.

    >>> str(Interrupted(signal.SIGTERM))
    'interrupted by SIGTERM'
    """

    def __init__(self, signum: int):
        super().__init__(signum)
        self.signum = signum

    @property
    def name(self) -> str:
        return signal.Signals(self.signum).name

    def __str__(self) -> str:
        return f"interrupted by {self.name}"


def install() -> None:
    """Make SIGTERM, SIGINT and SIGHUP raise :class:`Interrupted` in the main thread."""
    global _raised
    _raised = False
    for signum in (signal.SIGTERM, signal.SIGINT, signal.SIGHUP):
        signal.signal(signum, _handle)


@contextmanager
def deferred() -> Iterator[None]:
    """Hold SIGTERM/SIGINT/SIGHUP until the block ends, then raise :class:`Interrupted`.

    Only signals handled by :func:`install` are held; without it this does nothing.
    """
    global _depth, _pending
    _depth += 1
    try:
        yield
    finally:
        _depth -= 1
        if _depth == 0 and _pending is not None:
            signum, _pending = _pending, None
            _raise(signum)


def _handle(signum: int, frame: FrameType | None) -> None:
    global _pending
    if _depth:
        _pending = signum
        return
    _raise(signum)


def _raise(signum: int) -> None:
    global _raised
    if _raised:  # already stopping: let the clean-up finish
        return
    _raised = True
    raise Interrupted(signum)
