"""Read papers from source files: check the bytes, detect the format, hand over to a reader."""

from collections.abc import Callable, Iterator
from pathlib import Path

from kg.errors import InputError
from kg.models import Paper
from kg.readers import looks_like_daily_page, parse_daily_page

__all__ = ["FORMATS", "detect_format", "read_papers", "read_text"]

_Parser = Callable[..., Iterator[Paper]]
# format name -> (content sniffer, parser). Detection tries them in this order.
FORMATS: dict[str, tuple[Callable[[str], bool], _Parser]] = {
    "daily-page": (looks_like_daily_page, parse_daily_page),
}


def read_text(path: str | Path) -> str:
    """Return a source file's text, refusing empty, binary and non-UTF-8 files with the reason."""
    path = Path(path)
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        raise InputError("no such file", path=str(path)) from None
    except IsADirectoryError:
        raise InputError("is a directory, not a file", path=str(path)) from None
    except OSError as e:
        raise InputError(f"cannot read: {e.strerror}", path=str(path)) from e
    if not data.strip():
        raise InputError("file is empty", path=str(path))
    if b"\x00" in data[:65536]:
        raise InputError("binary file (contains NUL bytes), expected text", path=str(path))
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as e:
        line = data.count(b"\n", 0, e.start) + 1
        raise InputError(
            f"not UTF-8 text (byte 0x{data[e.start]:02x} at offset {e.start})",
            path=str(path),
            line=line,
        ) from None
    return text


def detect_format(text: str, *, source: str = "<text>") -> str:
    """Return the name of the first format whose sniffer accepts ``text``."""
    for name, (sniff, _) in FORMATS.items():
        if sniff(text):
            return name
    raise InputError(
        "unrecognised format: expected a HuggingFace Daily Papers page "
        "(header 'Daily Papers', then title / abstract / '·' / date blocks)",
        path=source,
        line=1,
    )


def read_papers(
    path: str | Path, *, format: str | None = None, errors: list[InputError] | None = None
) -> Iterator[Paper]:
    """Yield the papers in ``path``.

    ``format`` forces a reader (see :data:`FORMATS`); by default it is detected
    from the content. With an ``errors`` list, malformed records are appended to
    it and every good record is still yielded; without one the first raises.
    """
    source = str(path)
    text = read_text(path)
    if format is None:
        format = detect_format(text, source=source)
    elif format not in FORMATS:
        raise InputError(f"unknown format {format!r}; choose from {', '.join(FORMATS)}")
    _, parse = FORMATS[format]
    yield from parse(text, source=source, errors=errors)
