"""Read papers from source files: check the bytes, detect the format, hand over to a reader."""

import json
import shutil
import stat
import tempfile
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from kg.atomic import atomic_open
from kg.errors import InputError
from kg.models import Paper
from kg.readers import (
    looks_like_arxiv_atom,
    looks_like_arxiv_snapshot,
    looks_like_bibtex,
    looks_like_daily_page,
    looks_like_hf_json,
    looks_like_records,
    parse_daily_page,
    read_arxiv_atom,
    read_arxiv_snapshot,
    read_bibtex,
    read_hf_json,
    read_records,
)
from kg.readers.base import SNIFF_BYTES, open_binary, read_head, utf16_problem

__all__ = [
    "FORMATS",
    "Format",
    "detect_format",
    "input_files",
    "read_papers",
    "read_text",
    "write_rejected",
]

_Reader = Callable[..., Iterator[Paper]]


@dataclass(frozen=True, slots=True)
class Format:
    """One input format: how to recognise its first bytes, and its reader."""

    sniff: Callable[[str], bool]
    read: _Reader
    description: str


def _read_daily_page(
    path: Path, *, source: str, errors: list[InputError] | None = None, **_: Any
) -> Iterator[Paper]:
    # A byte that is not UTF-8 costs only the paper it falls in (the page is read whole).
    text = read_text(path, bad_bytes="surrogateescape")
    return parse_daily_page(text, source=source, errors=errors)


# format name -> format. Detection tries them in this order (most specific first).
FORMATS: dict[str, Format] = {
    "daily-page": Format(
        looks_like_daily_page, _read_daily_page, "HuggingFace Daily Papers page text"
    ),
    "arxiv-atom": Format(looks_like_arxiv_atom, read_arxiv_atom, "arXiv API Atom XML"),
    "arxiv-snapshot": Format(
        looks_like_arxiv_snapshot, read_arxiv_snapshot, "arXiv metadata snapshot JSON lines"
    ),
    "hf-daily": Format(looks_like_hf_json, read_hf_json, "HuggingFace Daily Papers JSON"),
    "bibtex": Format(looks_like_bibtex, read_bibtex, "BibTeX with abstracts"),
    "records": Format(
        looks_like_records, read_records, "JSON lines, JSON array or CSV with --map fields"
    ),
}
# Names in a folder that are documentation, not data.
_SKIPPED_NAMES = ("readme", "source", "license", "licence", "changelog")


def read_text(path: str | Path, *, bad_bytes: str = "strict") -> str:
    """Return a source file's text, refusing empty, binary and non-UTF-8 files with the reason.

    ``bad_bytes="surrogateescape"`` keeps bytes that are not UTF-8 as lone surrogates
    (see :func:`kg.readers.base.has_bad_bytes`) for the reader to reject where they are.
    """
    path = Path(path)
    _check_readable(path)
    try:
        with open_binary(path) as stream:
            data = stream.read()
    except (OSError, EOFError) as e:
        raise InputError(f"cannot read: {e}", path=str(path)) from e
    if not data.strip():
        raise InputError("file is empty", path=str(path))
    if problem := utf16_problem(data):
        raise InputError(problem, path=str(path))
    if b"\x00" in data[:65536]:
        raise InputError("binary file (contains NUL bytes), expected text", path=str(path))
    try:
        text = data.decode("utf-8-sig", errors=bad_bytes)
    except UnicodeDecodeError as e:
        line = data.count(b"\n", 0, e.start) + 1
        raise InputError(
            f"not UTF-8 text (byte 0x{data[e.start]:02x} at offset {e.start})",
            path=str(path),
            line=line,
        ) from None
    return text


def detect_format(text: str, *, source: str = "<text>") -> str:
    """Return the name of the first format whose sniffer accepts ``text`` (a file's head)."""
    for name, fmt in FORMATS.items():
        if fmt.sniff(text):
            return name
    raise InputError(
        "unrecognised format: expected one of "
        + "; ".join(f"{name} ({fmt.description})" for name, fmt in FORMATS.items())
        + ". Force one with --format",
        path=source,
        line=1,
    )


def input_files(path: str | Path) -> list[Path]:
    """Return ``path``, or every data file under it when it is a folder (sorted, recursive).

    Hidden files and README/SOURCE/LICENSE files are left out.
    """
    path = Path(path)
    if not path.is_dir():
        return [path]
    return sorted(
        p
        for p in path.rglob("*")
        if p.is_file()
        and not any(part.startswith(".") for part in p.relative_to(path).parts)
        and not p.name.casefold().startswith(_SKIPPED_NAMES)
    )


def read_papers(
    path: str | Path,
    *,
    format: str | None = None,
    errors: list[InputError] | None = None,
    fields: Mapping[str, tuple[str, ...]] | None = None,
) -> Iterator[Paper]:
    """Yield the papers in ``path``: a file (gzipped or not) or a folder of files.

    ``format`` forces a reader (see :data:`FORMATS`); by default it is detected
    from each file's content. ``fields`` maps Paper fields to record fields for
    the ``records`` format (see :func:`kg.readers.parse_field_map`). With an
    ``errors`` list, malformed records are appended to it and every good record
    is still yielded; without one the first raises. Papers are yielded as they
    are read: nothing holds the whole file.
    """
    if format is not None and format not in FORMATS:
        raise InputError(f"unknown format {format!r}; choose from {', '.join(FORMATS)}")
    files = input_files(path)
    if not files:
        raise InputError("directory holds no data files", path=str(path))
    for file in files:
        source = str(file)
        with tempfile.TemporaryDirectory(prefix="kg-pipe-") as spool:
            try:
                _check_readable(file)
                readable = _spooled(file, Path(spool))
                head = read_head(readable)
                if not head.strip():
                    raise InputError("file is empty", path=source)
                if "\x00" in head:
                    with open_binary(readable) as stream:
                        problem = utf16_problem(stream.read(SNIFF_BYTES))
                    raise InputError(
                        problem or "binary file (contains NUL bytes), expected text", path=source
                    )
                name = format or _detect_file_format(readable, head, source=source)
            except InputError as e:
                if errors is None or len(files) == 1:
                    raise
                errors.append(e)  # one bad file in a folder does not stop the others
                continue
            yield from FORMATS[name].read(readable, source=source, errors=errors, fields=fields)


def write_rejected(errors: Iterable[InputError], path: str | Path) -> int:
    """Write one JSON line per rejected record (source, line, reason, record); return the count."""
    count = 0
    with atomic_open(Path(path)) as out:
        for error in errors:
            row = {
                "source": error.path,
                "line": error.line,
                "reason": error.message,
                "record": error.record,
            }
            out.write(json.dumps(row, ensure_ascii=False) + "\n")
            count += 1
    return count


def _spooled(path: Path, spool: Path) -> Path:
    """Return ``path``, or a copy of it in ``spool`` when it can be read only once (a pipe).

    Sniffing reads a file's head, then its reader opens it again: ``kg build <(cat f)``
    would find the pipe drained. A copy on disk keeps memory flat on a large stream.
    """
    try:
        regular = stat.S_ISREG(path.stat().st_mode)
    except OSError as e:
        raise InputError(f"cannot read: {e}", path=str(path)) from e
    if regular:
        return path
    copy = spool / "input"
    try:
        with path.open("rb") as stream, atomic_open(copy, "wb") as out:
            shutil.copyfileobj(stream, out)
    except OSError as e:
        raise InputError(f"cannot read: {e}", path=str(path)) from e
    return copy


def _detect_file_format(path: Path, head: str, *, source: str | None = None) -> str:
    source = source or str(path)
    try:
        return detect_format(head, source=source)
    except InputError:
        if "\ufffd" in head:  # say why nothing matched: the bytes are not UTF-8
            with open_binary(path) as stream:
                data = stream.read(len(head.encode()) + 4)
            try:
                data.decode("utf-8")
            except UnicodeDecodeError as e:
                if e.start < len(data) - 4:
                    line = data.count(b"\n", 0, e.start) + 1
                    message = f"not UTF-8 text (byte 0x{data[e.start]:02x} at offset {e.start})"
                    raise InputError(message, path=source, line=line) from None
        raise


def _check_readable(path: Path) -> None:
    if not path.exists():
        raise InputError("no such file", path=str(path))
    if path.is_dir():
        raise InputError("is a directory, not a file", path=str(path))
