"""Read generic records — JSON lines, a JSON array or CSV — through a field mapping.

A mapping names, for each :class:`~kg.models.Paper` field, the record field(s) it
comes from: ``title=paper_title,abstract=summary,urls=github+project``. ``+``
joins several fields, ``a.b`` reaches into a nested object. Fields the mapping
leaves out are looked for under common names (:data:`DEFAULT_FIELDS`), so a file
with ``title`` and ``abstract`` columns needs no mapping at all.
"""

import csv
import io
import json
import re
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import Any

from kg.errors import InputError
from kg.models import Paper
from kg.readers.base import (
    MAX_RECORD_BYTES,
    Reject,
    clean_text,
    iso_day,
    iter_json_records,
    iter_lines,
    make_reject,
    normalise_doi,
    open_binary,
    paper_problem,
    parse_json,
    split_names,
    strip_markup,
)
from kg.readers.ids import normalise_arxiv_id, paper_id

__all__ = [
    "DEFAULT_FIELDS",
    "FIELDS",
    "looks_like_records",
    "paper_from_record",
    "parse_field_map",
    "read_records",
]

# Paper fields a mapping may fill, and the record fields tried when it does not say.
DEFAULT_FIELDS: dict[str, tuple[str, ...]] = {
    "title": ("title", "Title", "paper_title"),
    "abstract": ("abstract", "Abstract", "summary", "abstractText"),
    "authors": ("authors", "author", "Authors", "Author"),
    "affiliations": ("affiliations", "aff_unique_norm", "aff", "organizations"),
    "doi": ("doi", "DOI"),
    "arxiv_id": ("arxiv_id", "arxiv", "arXiv", "eprint"),
    "published": ("published", "publication_date", "date", "year"),
    "urls": ("github", "code", "code_url", "project", "project_page"),
    "upvotes": ("upvotes",),
}
FIELDS = tuple(DEFAULT_FIELDS)


def parse_field_map(text: str | None) -> dict[str, tuple[str, ...]]:
    """Parse ``--map title=name,abstract=summary,urls=github+project``.

    >>> parse_field_map("title=name, urls=github+project")
    {'title': ('name',), 'urls': ('github', 'project')}
    >>> parse_field_map("colour=red")
    Traceback (most recent call last):
    ...
    kg.errors.InputError: --map: unknown field 'colour'; use title, abstract, authors, ...
    """
    mapping: dict[str, tuple[str, ...]] = {}
    for pair in (text or "").split(","):
        if not pair.strip():
            continue
        target, sep, fields = pair.partition("=")
        target = target.strip()
        if not sep or not fields.strip():
            raise InputError(f"--map: expected FIELD=COLUMN, got {pair.strip()!r}")
        if target not in DEFAULT_FIELDS:
            raise InputError(
                f"--map: unknown field {target!r}; use {', '.join(FIELDS[:3])}, ... "
                f"(one of {', '.join(FIELDS)})"
            )
        mapping[target] = tuple(f.strip() for f in fields.split("+") if f.strip())
    return mapping


def looks_like_records(head: str) -> bool:
    """Tell whether ``head`` starts JSON or CSV records with a ``title`` field.

    >>> looks_like_records('[{"title": "T", "abstract": "A"}]')
    True
    >>> looks_like_records("id,Title,Abstract\\n1,T,A\\n")
    True
    >>> looks_like_records("Dear diary")
    False
    """
    text = head.lstrip("\ufeff \t\r\n")
    if text.startswith(("[", "{")):
        empty = re.fullmatch(r"\[\s*\]\s*", text) is not None  # nothing to read, nothing wrong
        return empty or bool(re.search(r'"(?:title|Title)"\s*:', text))
    header = text.split("\n", 1)[0]
    return "title" in (cell.strip().strip('"').casefold() for cell in re.split(r"[,\t]", header))


def read_records(
    path: Path,
    *,
    source: str,
    errors: list[InputError] | None = None,
    fields: Mapping[str, tuple[str, ...]] | None = None,
    **_: Any,
) -> Iterator[Paper]:
    """Yield a paper per record of a JSON lines, JSON array or CSV file, one at a time."""
    reject = make_reject(source, errors)
    mapping = {**DEFAULT_FIELDS, **(fields or {})}
    combine = frozenset(["urls", *(fields or {})])
    for line, label, record, raw in _records(path, reject):
        where = f"{label}: " if label else ""
        if not isinstance(record, dict):
            reject(f"{where}expected an object, got {type(record).__name__}", line=line)
            continue
        paper = paper_from_record(record, mapping, combine, source=source, line=line or 0)
        if isinstance(paper, str):
            reject(f"{where}{paper}", line=line, record=raw or json.dumps(record)[:10_000])
        else:
            yield paper


def paper_from_record(
    record: Mapping[str, Any],
    mapping: Mapping[str, tuple[str, ...]],
    combine: frozenset[str] = frozenset(["urls"]),
    *,
    source: str = "",
    line: int = 0,
) -> Paper | str:
    """Return the paper a record describes through ``mapping``, or why it cannot be read.

    A target in ``combine`` takes every listed field that has a value; the others
    take the first.

    >>> p = paper_from_record({"title": "T", "abstract": "A.", "author": "Ada;Alan",
    ...     "aff_unique_norm": "MIT;;Google", "github": "https://github.com/a/b"}, DEFAULT_FIELDS)
    >>> p.authors, p.affiliations, p.urls
    (('Ada', 'Alan'), ('MIT', 'Google'), ('https://github.com/a/b',))
    """

    def get(target: str) -> list[Any]:
        found = []
        for name in mapping.get(target, ()):
            value = _lookup(record, name)
            if value not in (None, "", [], {}):
                found.append(value)
                if target not in combine:
                    break
        return found

    title = strip_markup(clean_text(next(iter(get("title")), "")))
    abstract = strip_markup(clean_text(next(iter(get("abstract")), "")))
    if problem := paper_problem(title, abstract):
        return problem
    arxiv = normalise_arxiv_id(str(next(iter(get("arxiv_id")), "")))
    authors = split_names(next(iter(get("authors")), None))
    affiliations = tuple(dict.fromkeys(a for v in get("affiliations") for a in split_names(v)))
    urls = tuple(
        dict.fromkeys(
            u
            for v in get("urls")
            for u in (v if isinstance(v, list) else re.split(r"[\s;,]+", str(v)))
            if isinstance(u, str) and u.startswith(("http://", "https://"))
        )
    )
    upvotes = next(iter(get("upvotes")), None)
    return Paper(
        id=paper_id(title, arxiv_id=arxiv),
        title=title,
        abstract=abstract,
        source=source,
        line=line,
        upvotes=int(str(upvotes)) if str(upvotes).isdigit() else None,
        authors_count=len(authors) or None,
        arxiv_id=arxiv,
        authors=authors,
        affiliations=affiliations,
        doi=normalise_doi(next(iter(get("doi")), None)),
        urls=urls,
        published=iso_day(next(iter(get("published")), None)),
    )


def _records(path: Path, reject: Reject) -> Iterator[tuple[int | None, str, Any, str | None]]:
    """Yield ``(line, label, record, raw text)`` whatever the container."""
    with open_binary(path) as stream:
        head = stream.read(4096).decode("utf-8-sig", errors="replace").lstrip()
    if head.startswith("["):
        for line, label, value in iter_json_records(path, reject):
            yield line, label, value, None
    elif head.startswith("{") and _first_line_is_json(head):
        for line, text in iter_lines(path, reject):
            try:
                yield line, "", parse_json(text), text
            except json.JSONDecodeError as e:
                reject(f"malformed JSON: {e.msg} (column {e.colno})", line=line, record=text)
    elif head.startswith("{"):
        for line, label, value in iter_json_records(path, reject):
            yield line, label, value, None
    else:
        yield from _csv_records(path, reject)


def _csv_records(path: Path, reject: Reject) -> Iterator[tuple[int | None, str, Any, str | None]]:
    csv.field_size_limit(MAX_RECORD_BYTES)
    with open_binary(path) as binary:
        stream = io.TextIOWrapper(
            binary, encoding="utf-8-sig", errors="surrogateescape", newline=""
        )
        first = stream.readline()
        dialect = "excel-tab" if first.count("\t") > first.count(",") else "excel"
        header = next(csv.reader([first], dialect=dialect), [])
        reader = csv.reader(stream, dialect=dialect)
        while True:
            try:
                row = next(reader)
            except StopIteration:
                return
            except csv.Error as e:
                reject(f"malformed CSV: {e}", line=reader.line_num + 1)
                continue
            if not any(cell.strip() for cell in row):
                continue
            line = reader.line_num + 1  # the header was read apart
            if len(row) != len(header):
                reject(
                    f"expected {len(header)} columns, found {len(row)}",
                    line=line,
                    record=",".join(row),
                )
                continue
            yield line, "", dict(zip(header, row, strict=True)), ",".join(row)


def _first_line_is_json(head: str) -> bool:
    first = head.split("\n", 1)[0]
    try:
        return isinstance(parse_json(first), dict)
    except ValueError:
        return "\n" not in head and len(head) >= 4096  # one long first line: JSON lines too


def _lookup(record: Mapping[str, Any], name: str) -> Any:
    value: Any = record
    for part in name.split("."):
        if not isinstance(value, Mapping):
            return None
        value = value.get(part)
    return value
