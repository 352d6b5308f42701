"""What the readers share: opening (gzip) files, streaming records, reporting rejects, cleaning.

Every reader takes a path and yields papers one at a time, so memory stays flat on
a file of any size: JSON lines and CSV are read a line at a time, a JSON array one
element at a time (:func:`iter_json_array`). A record is rejected with an
:class:`~kg.errors.InputError` naming the file and line (and keeping the raw
record), appended to ``errors`` when a list is given, raised otherwise.
"""

import codecs
import gzip
import html
import json
import re
from collections.abc import Callable, Iterable, Iterator, Mapping
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime
from pathlib import Path
from typing import IO, Any, cast

from kg.errors import InputError
from kg.terminal import without_escapes

__all__ = [
    "MAX_ABSTRACT_CHARS",
    "MAX_RECORD_BYTES",
    "Reject",
    "clean_spacing",
    "clean_text",
    "first_value",
    "has_bad_bytes",
    "iso_day",
    "iter_json_array",
    "iter_json_records",
    "iter_lines",
    "make_reject",
    "normalise_doi",
    "open_binary",
    "paper_problem",
    "parse_json",
    "read_head",
    "split_names",
    "strip_markup",
    "utf16_problem",
]

# A record bigger than this is rejected, not parsed: no abstract is 5 MB long, and
# spaCy would spend minutes on it.
MAX_RECORD_BYTES = 5_000_000
# An abstract longer than this is rejected: real abstracts stay under 5,000 characters,
# and spaCy refuses a text over its ``nlp.max_length`` (1,000,000) with error E088.
MAX_ABSTRACT_CHARS = 100_000
SNIFF_BYTES = 65_536
_CHUNK = 1 << 20
# A record is kept in rejected.jsonl up to this many characters.
_KEEP_CHARS = 10_000

Reject = Callable[..., None]


def make_reject(source: str, errors: list[InputError] | None) -> Reject:
    """Return ``reject(message, line=None, record=None)`` for one source file.

    >>> errors = []
    >>> make_reject("a.jsonl", errors)("missing title", line=3, record='{"x": 1}')
    >>> str(errors[0]), errors[0].record
    ('a.jsonl:3: missing title', '{"x": 1}')
    """

    def reject(message: str, line: int | None = None, record: str | None = None) -> None:
        if record is not None and len(record) > _KEEP_CHARS:
            record = record[:_KEEP_CHARS] + "…"
        error = InputError(message, path=source, line=line, record=record)
        if errors is None:
            raise error
        errors.append(error)

    return reject


def parse_json(text: str) -> Any:
    """``json.loads``, except that a number too long for ``int`` stays text, not an error.

    Python refuses to turn more than 4300 digits into an ``int`` (a ``ValueError`` that
    is not a ``JSONDecodeError``); no field kg reads is such a number.

    >>> parse_json('{"n": 12, "big": ' + "9" * 5000 + '}')["big"][:3]
    '999'
    """
    return json.loads(text, parse_int=_int)


def _int(digits: str) -> int | str:
    return int(digits) if len(digits) <= 4300 else digits


def open_binary(path: Path) -> IO[bytes]:
    """Open ``path`` for reading bytes, decompressing it on the fly when it is gzipped."""
    with path.open("rb") as probe:
        gzipped = probe.read(2) == b"\x1f\x8b"
    if gzipped:
        return cast(IO[bytes], gzip.open(path, "rb"))
    return path.open("rb")


def read_head(path: Path, size: int = SNIFF_BYTES) -> str:
    """Return the first ``size`` bytes of (decompressed) ``path`` as text, for sniffing."""
    with open_binary(path) as stream:
        try:
            data = stream.read(size)
        except (OSError, EOFError) as e:
            raise InputError(f"cannot read: {e}", path=str(path)) from e
    return data.decode("utf-8-sig", errors="replace")


def iter_lines(path: Path, reject: Reject) -> Iterator[tuple[int, str]]:
    """Yield ``(line number, text)`` for each non-blank line, without loading the file.

    A line longer than :data:`MAX_RECORD_BYTES` or not valid UTF-8 is rejected
    and skipped; a truncated gzip stream is reported after the lines read so far.
    """
    with open_binary(path) as stream:
        number = 0
        try:
            while True:
                raw = stream.readline(MAX_RECORD_BYTES + 1)
                if not raw:
                    return
                number += 1
                if len(raw) > MAX_RECORD_BYTES and not raw.endswith(b"\n"):
                    size = len(raw) + _skip_line(stream)
                    reject(
                        f"record of {size / 1e6:.1f} MB is over the "
                        f"{MAX_RECORD_BYTES / 1e6:.0f} MB limit; skipped",
                        line=number,
                        record=raw[:_KEEP_CHARS].decode("utf-8", errors="replace"),
                    )
                    continue
                if number == 1 and raw.startswith(codecs.BOM_UTF8):
                    raw = raw[len(codecs.BOM_UTF8) :]
                try:
                    text = raw.decode("utf-8")
                except UnicodeDecodeError as e:
                    reject(
                        f"not UTF-8 text (byte 0x{raw[e.start]:02x} at column {e.start + 1})",
                        line=number,
                        record=raw.decode("utf-8", errors="replace"),
                    )
                    continue
                if text.strip():
                    yield number, text
        except (OSError, EOFError) as e:
            reject(f"file is truncated or corrupt after line {number}: {e}", line=number + 1)


def iter_json_records(path: Path, reject: Reject) -> Iterator[tuple[int | None, str, Any]]:
    """Yield ``(line, label, value)`` for each record of a JSON document.

    A top-level array is streamed element by element; an object with a ``papers``
    list yields its papers (the label says ``record N``); any other object is one
    record. Malformed elements are rejected and reading goes on after them.
    """
    with open_binary(path) as stream:
        first = stream.read(1)
        while (first and first.isspace()) or first == b"\xef":  # skip whitespace and a BOM
            if first == b"\xef":
                stream.read(2)
            first = stream.read(1)
        if first == b"[":
            for line, value in iter_json_array(stream, reject, skipped=b"["):
                yield line, "", value
            return
        data = first + stream.read()
    if first == b"{" and _is_json_lines(data):
        for number, raw in enumerate(data.split(b"\n"), start=1):
            if not raw.strip():
                continue
            try:
                yield number, "", parse_json(raw.decode("utf-8"))
            except UnicodeDecodeError as e:
                reject(f"not UTF-8 text (byte 0x{raw[e.start]:02x})", line=number)
            except json.JSONDecodeError as e:
                reject(f"malformed JSON: {e.msg} (column {e.colno})", line=number)
        return
    try:
        document = parse_json(data.decode("utf-8"))
    except UnicodeDecodeError as e:
        line = data.count(b"\n", 0, e.start) + 1
        reject(f"not UTF-8 text (byte 0x{data[e.start]:02x})", line=line)
        return
    except json.JSONDecodeError as e:
        reject(f"malformed JSON: {e.msg} (column {e.colno})", line=e.lineno)
        return
    if isinstance(document, dict) and isinstance(document.get("papers"), list):
        for index, value in enumerate(document["papers"], start=1):
            yield None, f"record {index}", value
    else:
        yield 1, "", document


def iter_json_array(
    stream: IO[bytes], reject: Reject, *, skipped: bytes = b""
) -> Iterator[tuple[int, Any]]:
    """Yield ``(line, element)`` for each element of the JSON array in ``stream``.

    Reads a chunk at a time, so a 1 GB array needs memory for one element only.
    ``skipped`` is what the caller already read (the opening ``[``). A malformed
    element is rejected and reading resumes at the next ``}, {``; a file that
    ends inside an element is reported as truncated.
    """
    decoder = codecs.getincrementaldecoder("utf-8")(errors="surrogateescape")
    decode = json.JSONDecoder(parse_int=_int).raw_decode
    buf = decoder.decode(skipped)
    pos = buf.index("[") + 1 if "[" in buf else 0
    counted = [0, 1]  # a position in buf and the line number there (lines counted once)
    eof = False
    chunk = _CHUNK

    def line_of(at: int) -> int:
        counted[1] += buf.count("\n", counted[0], at)
        counted[0] = at
        return counted[1]

    def more() -> bool:
        nonlocal buf, eof, pos, chunk
        if eof:
            return False
        data = stream.read(chunk)
        chunk = min(chunk * 2, 64 * _CHUNK) if len(buf) - pos > chunk else _CHUNK
        if not data:
            eof = True
            buf += decoder.decode(b"", final=True)
            return True
        if pos > _CHUNK:  # drop what was consumed
            line_of(pos)
            buf, pos, counted[0] = buf[pos:], 0, 0
        buf += decoder.decode(data)
        return True

    while True:
        while pos < len(buf) and (buf[pos].isspace() or buf[pos] == ","):
            pos += 1
        if pos >= len(buf):
            if not more():
                reject("file is truncated: the JSON array is not closed", line=line_of(pos))
                return
            continue
        if buf[pos] == "]":
            return
        start = pos
        try:
            value, end = decode(buf, pos)
        except json.JSONDecodeError as e:
            incomplete = len(buf) - e.pos < _CHUNK or e.msg.startswith("Unterminated string")
            if not eof and incomplete and more():
                continue
            # more() may drop what lies before ``pos``: offsets below are taken from ``pos``.
            line, bad = line_of(start), e.pos - start
            resume = _RESYNC.search(buf, pos + bad)
            while resume is None and more():
                resume = _RESYNC.search(buf, pos + bad)
            if resume is None:
                what = "file is truncated inside a record" if eof else "malformed JSON"
                reject(f"{what}: {e.msg}", line=line, record=buf[pos : pos + _KEEP_CHARS])
                return
            reject(f"malformed JSON: {e.msg}", line=line, record=buf[pos : resume.start() + 1])
            pos = resume.end() - 1
            continue
        pos = end
        line = line_of(start)
        if end - start > MAX_RECORD_BYTES:
            reject(
                f"record of {(end - start) / 1e6:.1f} MB is over the "
                f"{MAX_RECORD_BYTES / 1e6:.0f} MB limit; skipped",
                line=line,
                record=buf[start : start + _KEEP_CHARS],
            )
            continue
        yield line, value


def split_names(value: Any) -> tuple[str, ...]:
    """Split a list or a joined string of names (``;``, ``,`` or `` and ``), dropping blanks.

    >>> split_names("Jake Snell;Kevin Swersky; Richard Zemel")
    ('Jake Snell', 'Kevin Swersky', 'Richard Zemel')
    >>> split_names("A. Vaswani, N. Shazeer and N. Parmar")
    ('A. Vaswani', 'N. Shazeer', 'N. Parmar')
    >>> split_names([{"name": "Ada Lovelace"}, "Alan Turing", ""])
    ('Ada Lovelace', 'Alan Turing')
    """
    if value is None:
        return ()
    if isinstance(value, list | tuple):
        items = [v.get("name", "") if isinstance(v, dict) else str(v) for v in value]
    elif isinstance(value, str):
        pattern = r";" if ";" in value else r",|\s+and\s+"
        items = re.split(pattern, value)
    else:
        return ()
    names = (" ".join(item.split()) for item in items)
    return tuple(dict.fromkeys(n for n in names if n))


def clean_text(text: Any) -> str:
    """Collapse whitespace and drop terminal escapes; anything but a string becomes ``""``.

    >>> clean_text("  Deep\\n  \\x1b[1mlearning\\x1b[0m ")
    'Deep learning'
    """
    return " ".join(without_escapes(text).split()) if isinstance(text, str) else ""


# HTML tags a scraped title or abstract may carry; other ``<...>`` text (``x<y and z>w``)
# stays. Block tags become a space, inline ones nothing.
_TAG = re.compile(
    r"</?(?:(a|b|i|u|s|em|strong|sub|sup|span|code|tt|small|big|font|mark|del|ins|abbr|cite|q)"
    r"|(p|br|hr|div|li|ul|ol|h[1-6]|blockquote|pre|table|tr|td|th))"
    r"(?:\s+[\w:-]+(?:\s*=\s*(?:\"[^\"]*\"|'[^']*'|[^\s>]+))?)*\s*/?>",
    re.I,
)
_ENTITY = re.compile(r"&(?:#\d{1,7}|#[xX][0-9a-fA-F]{1,6}|[A-Za-z][A-Za-z0-9]{1,31});")


def strip_markup(text: str) -> str:
    """Read HTML in a title or abstract as text: drop known tags, decode entities.

    Terminal escapes and control characters go too (NUL stays, for the record to be
    rejected).

    >>> strip_markup("<b>XSSNet</b> beats R&amp;D<br/>models &lt;3 and x<y")
    'XSSNet beats R&D models <3 and x<y'
    >>> strip_markup("on \\x1b[31mRedNet")
    'on RedNet'
    """
    if "<" in text:
        text = _TAG.sub(lambda m: " " if m.group(2) else "", text)
    if "&" in text:
        text = _ENTITY.sub(lambda m: html.unescape(m.group()), text)
    return " ".join(without_escapes(text).split())


def paper_problem(title: str, abstract: str) -> str | None:
    """Return why a record with this (cleaned) title and abstract cannot be a paper, or None.

    A title-only record is a paper (its abstract is ``""``).

    >>> paper_problem("T", ""), paper_problem("", "A.")
    (None, 'missing field: title')
    >>> paper_problem("T", "a" + chr(0) + "b")
    'NUL character (U+0000) in the title or abstract: the record is corrupt, not text'
    """
    if not title:
        return "missing field: title"
    if has_bad_bytes((title, abstract)):
        return "not UTF-8 text in the title or abstract"
    if "\x00" in title or "\x00" in abstract:
        return "NUL character (U+0000) in the title or abstract: the record is corrupt, not text"
    if len(abstract) > MAX_ABSTRACT_CHARS:
        return (
            f"abstract of {len(abstract):,} characters is over the "
            f"{MAX_ABSTRACT_CHARS:,}-character limit; skipped"
        )
    return None


def utf16_problem(data: bytes) -> str | None:
    """Tell, from a file's first bytes, whether it is UTF-16 text, and how to convert it.

    >>> utf16_problem("title".encode("utf-16"))[:12]
    'UTF-16 text:'
    >>> utf16_problem(b"title") is None
    True
    """
    sample = data[:4096]
    bom = sample.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE))
    pairs = len(sample) // 2
    if not bom and pairs >= 2:
        even, odd = sample[0 : pairs * 2 : 2], sample[1 : pairs * 2 : 2]
        bom = (even.count(0) > 0.9 * pairs and odd.count(0) == 0) or (
            odd.count(0) > 0.9 * pairs and even.count(0) == 0
        )
    if bom:
        return "UTF-16 text: convert to UTF-8 (e.g. iconv -f UTF-16 -t UTF-8 FILE > FILE.utf8)"
    return None


_SPACE_BEFORE = re.compile(r"(?<=\S) +([.,;:!?%)\]])(?=\s|$|[.,;:)\]])")
_SPACE_AFTER = re.compile(r"([(\[]) +(?=\S)")


def clean_spacing(text: str) -> str:
    """Remove the spaces a highlighter left before punctuation and inside brackets.

    >>> clean_spacing("unit tests . We use ( PEFT via LoRA ), and code coverage , too")
    'unit tests. We use (PEFT via LoRA), and code coverage, too'
    >>> clean_spacing("a ratio of 0.5 and .NET")
    'a ratio of 0.5 and .NET'
    """
    return _SPACE_AFTER.sub(r"\1", _SPACE_BEFORE.sub(r"\1", text))


def normalise_doi(value: Any) -> str | None:
    """Return a DOI in lower case without its resolver prefix, or None.

    >>> normalise_doi("https://doi.org/10.1145/3292500.3330701")
    '10.1145/3292500.3330701'
    >>> normalise_doi("not a doi") is None
    True
    """
    if not isinstance(value, str):
        return None
    match = re.search(r"10\.\d{4,9}/\S+", value)
    return match.group().rstrip(".").casefold() if match else None


def iso_day(value: Any) -> str | None:
    """Return the ISO day of a date written as ISO 8601, RFC 2822 or a bare year.

    >>> iso_day("2026-02-24T18:51:04.000Z"), iso_day("Mon, 2 Apr 2007 19:18:42 GMT")
    ('2026-02-24', '2007-04-02')
    >>> iso_day(2017), iso_day("someday")
    ('2017', None)
    """
    if isinstance(value, int) and 1000 < value < 3000:
        return str(value)
    if not isinstance(value, str) or not value.strip():
        return None
    text = value.strip()
    if match := re.match(r"^(\d{4})-(\d{2})-(\d{2})", text):
        return match.group()
    if re.fullmatch(r"\d{4}", text):
        return text
    try:
        return parsedate_to_datetime(text).astimezone(UTC).date().isoformat()
    except (TypeError, ValueError, IndexError):
        pass
    try:
        return datetime.strptime(text, "%Y/%m/%d").date().isoformat()
    except ValueError:
        return None


def has_bad_bytes(values: Iterable[Any]) -> bool:
    """Tell whether any string holds bytes that were not UTF-8 (decoded as surrogates)."""
    for value in values:
        if isinstance(value, str) and not value.isascii():
            try:
                value.encode("utf-8")  # lone surrogates cannot be encoded; fast, in C
            except UnicodeEncodeError:
                return True
    return False


def first_value(record: Mapping[str, Any], *keys: str) -> Any:
    """Return the first of ``keys`` whose value in ``record`` is not empty."""
    for key in keys:
        value = record.get(key)
        if value not in (None, "", [], {}):
            return value
    return None


# Where the next element of an array of objects starts after a malformed one.
_RESYNC = re.compile(r"\}\s*,\s*\{")


def _is_json_lines(data: bytes) -> bool:
    """Tell whether ``data`` (starting with ``{``) is one JSON object per line."""
    first, _, rest = data.partition(b"\n")
    if not rest.strip():
        return False
    try:
        return isinstance(parse_json(first.decode("utf-8", errors="replace")), dict)
    except ValueError:
        return False


def _skip_line(stream: IO[bytes]) -> int:
    """Read to the end of the current line without keeping it; return the bytes skipped."""
    skipped = 0
    while True:
        raw = stream.readline(_CHUNK)
        skipped += len(raw)
        if not raw or raw.endswith(b"\n"):
            return skipped
