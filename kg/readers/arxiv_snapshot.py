"""Read the arXiv metadata snapshot (Kaggle ``arxiv-metadata-oai-snapshot.json``).

One JSON object per line: ``id``, ``title``, ``abstract``, ``authors`` (one
string), ``authors_parsed`` ([last, first, suffix]), ``categories``, ``doi``,
``versions`` ([{version, created}]) and ``update_date``. The file is read a line
at a time, so its size does not matter.
"""

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from kg.errors import InputError
from kg.models import Paper
from kg.readers.base import (
    clean_text,
    iso_day,
    iter_lines,
    make_reject,
    normalise_doi,
    paper_problem,
    parse_json,
    split_names,
    strip_markup,
)
from kg.readers.ids import normalise_arxiv_id, paper_id

__all__ = ["looks_like_arxiv_snapshot", "paper_from_snapshot", "read_arxiv_snapshot"]


def looks_like_arxiv_snapshot(head: str) -> bool:
    """Tell whether the first line of ``head`` is an arXiv snapshot record.

    >>> looks_like_arxiv_snapshot('{"id": "0704.0001", "title": "T", "abstract": "A", '
    ...     '"versions": [], "update_date": "2008-11-13"}\\n{"id": ')
    True
    >>> looks_like_arxiv_snapshot('{"title": "T", "abstract": "A"}')
    False
    """
    first = head.lstrip("\ufeff \t\r\n").split("\n", 1)[0]
    try:
        record = parse_json(first)
    except ValueError:
        return False
    return (
        isinstance(record, dict)
        and {"id", "abstract"} <= record.keys()
        and bool({"versions", "update_date", "authors_parsed"} & record.keys())
    )


def read_arxiv_snapshot(
    path: Path, *, source: str, errors: list[InputError] | None = None, **_: Any
) -> Iterator[Paper]:
    """Yield the papers of an arXiv snapshot file, one line at a time."""
    reject = make_reject(source, errors)
    for line, text in iter_lines(path, reject):
        try:
            record = parse_json(text)
        except json.JSONDecodeError as e:
            reject(f"malformed JSON: {e.msg} (column {e.colno})", line=line, record=text)
            continue
        if not isinstance(record, dict):
            reject(f"expected a JSON object, got {type(record).__name__}", line=line, record=text)
            continue
        paper = paper_from_snapshot(record, source=source, line=line)
        if isinstance(paper, str):
            reject(paper, line=line, record=text)
        else:
            yield paper


def paper_from_snapshot(record: dict[str, Any], *, source: str = "", line: int = 0) -> Paper | str:
    """Return the paper a snapshot record describes, or why it cannot be read.

    >>> p = paper_from_snapshot({"id": "0704.0001", "title": "Calculation of\\n  QCD",
    ...     "abstract": "  We compute.\\n", "authors": "C. Balazs, E. L. Berger and C.-P. Yuan",
    ...     "versions": [{"version": "v1", "created": "Mon, 2 Apr 2007 19:18:42 GMT"}]})
    >>> p.id, p.title, p.published
    ('arXiv:0704.0001', 'Calculation of QCD', '2007-04-02')
    >>> p.authors
    ('C. Balazs', 'E. L. Berger', 'C.-P. Yuan')
    """
    title = strip_markup(clean_text(record.get("title")))
    abstract = strip_markup(clean_text(record.get("abstract")))
    if problem := paper_problem(title, abstract):
        return problem
    arxiv = normalise_arxiv_id(str(record.get("id") or ""))
    if arxiv is None:
        return f"not an arXiv id: {record.get('id')!r}"
    parsed = record.get("authors_parsed")
    if isinstance(parsed, list) and parsed:
        authors = tuple(
            dict.fromkeys(
                " ".join(" ".join(str(p) for p in (a[1], a[0], *a[2:]) if p).split())
                for a in parsed
                if isinstance(a, list) and len(a) >= 2
            )
        )
    else:
        authors = split_names(record.get("authors"))
    versions = record.get("versions")
    created = versions[0].get("created") if isinstance(versions, list) and versions else None
    return Paper(
        id=paper_id(title, arxiv_id=arxiv),
        title=title,
        abstract=abstract,
        source=source,
        line=line,
        authors_count=len(authors) or None,
        arxiv_id=arxiv,
        authors=authors,
        doi=normalise_doi(record.get("doi")),
        published=iso_day(created) or iso_day(record.get("update_date")),
    )
