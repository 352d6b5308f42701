"""Read HuggingFace Daily Papers JSON: the API's list, and one-record-per-file dumps.

Shapes read (one reader, since they name the same fields):

- the API (``/api/daily_papers?date=…``): an array of items, each with a ``paper``
  object holding ``id``, ``title``, ``summary``, ``authors`` ([{name}]),
  ``publishedAt``, ``upvotes``, ``githubRepo``, ``projectPage``, ``organization``;
- scraped records (``paper_id`` or ``arxiv_id``, ``title``, ``abstract``,
  ``authors``, ``github_url``, ``upvotes``, ``date``/``published_at``), one per
  file, as an array, or under a ``papers`` key.

Scraped abstracts may start with the page's AI summary (``summary_en``), which is
cut off, and carry a highlighter's spacing (``unit tests .``), which is cleaned.
"""

import json
import re
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import Any

from kg.errors import InputError
from kg.models import Paper
from kg.readers.base import (
    clean_spacing,
    clean_text,
    first_value,
    iso_day,
    iter_json_records,
    make_reject,
    paper_problem,
    split_names,
    strip_markup,
)
from kg.readers.ids import normalise_arxiv_id, paper_id

__all__ = ["looks_like_hf_json", "paper_from_hf", "read_hf_json"]

_API_ITEM = re.compile(r'"paper"\s*:\s*\{')
_SCRAPED = re.compile(r'"(?:summary_en|hf_url|paper_id|arxiv_id)"\s*:')
# More words than this in one "name" means the names were joined with spaces only.
_MAX_NAME_WORDS = 5


def looks_like_hf_json(head: str) -> bool:
    """Tell whether ``head`` starts a JSON document of Daily Papers records.

    >>> looks_like_hf_json('[{"paper": {"id": "2401.1", "summary": "…"}}]')
    True
    >>> looks_like_hf_json('{"paper_id": "2601.13097", "title": "RM-RF", "abstract": "…"}')
    True
    >>> looks_like_hf_json('{"id": "0704.0001", "abstract": "…", "versions": []}')
    False
    """
    text = head.lstrip("\ufeff \t\r\n")
    if not text.startswith(("[", "{")):
        return False
    return bool(_API_ITEM.search(text) and '"summary"' in text) or bool(_SCRAPED.search(text))


def read_hf_json(
    path: Path, *, source: str, errors: list[InputError] | None = None, **_: Any
) -> Iterator[Paper]:
    """Yield the papers of a Daily Papers JSON file (see the module docstring for shapes)."""
    reject = make_reject(source, errors)
    for line, label, record in iter_json_records(path, reject):
        where = f"{label}: " if label else ""
        if not isinstance(record, dict):
            reject(f"{where}expected a JSON object, got {type(record).__name__}", line=line)
            continue
        paper = paper_from_hf(record, source=source, line=line or 0)
        if isinstance(paper, str):
            reject(f"{where}{paper}", line=line, record=_short(record))
        else:
            yield paper


def paper_from_hf(record: Mapping[str, Any], *, source: str = "", line: int = 0) -> Paper | str:
    """Return the paper a Daily Papers record describes, or the reason it cannot be read.

    >>> paper_from_hf({"paper": {"id": "2401.00001", "title": "T", "summary": "An abstract.",
    ...     "authors": [{"name": "Ada"}], "upvotes": 3, "githubRepo": "https://github.com/a/b"}})
    ... # doctest: +ELLIPSIS
    Paper(id='arXiv:2401.00001', title='T', abstract='An abstract.', ...authors=('Ada',), ...)
    >>> paper_from_hf({"summary": "An abstract."})
    'missing field: title'
    """
    inner = record.get("paper")
    item: Mapping[str, Any] = inner if isinstance(inner, dict) else record
    title = strip_markup(clean_text(first_value(item, "title") or record.get("title")))
    abstract = strip_markup(
        clean_text(first_value(item, "summary", "abstract") or record.get("summary"))
    )
    summary = strip_markup(clean_text(first_value(item, "summary_en", "ai_summary")))
    if summary and abstract.startswith(summary) and len(abstract) > len(summary) + 20:
        abstract = abstract[len(summary) :].lstrip()
    abstract = clean_spacing(abstract)
    if problem := paper_problem(title, abstract):
        return problem
    arxiv = normalise_arxiv_id(str(first_value(item, "arxiv_id", "paper_id", "id") or ""))
    authors = tuple(
        a for a in split_names(item.get("authors")) if len(a.split()) <= _MAX_NAME_WORDS
    )
    organization = item.get("organization") or record.get("organization")
    org_name = org_handle = None
    if isinstance(organization, dict):
        org_name = clean_text(organization.get("fullname") or organization.get("name")) or None
        org_handle = clean_text(organization.get("name")) or None
    urls = tuple(
        dict.fromkeys(
            u.strip()
            for u in (
                first_value(item, "githubRepo", "github_url", "github"),
                first_value(item, "projectPage", "project_page"),
            )
            if isinstance(u, str) and u.strip()
        )
    )
    upvotes = first_value(item, "upvotes")
    listed = record.get("date") or (record.get("publishedAt") if inner else None)
    return Paper(
        id=paper_id(title, arxiv_id=arxiv),
        title=title,
        abstract=abstract,
        source=source,
        line=line,
        date=iso_day(listed),
        upvotes=upvotes if isinstance(upvotes, int) else None,
        authors_count=len(authors) or None,
        organization=org_name,
        organization_handle=org_handle,
        arxiv_id=arxiv,
        authors=authors,
        urls=urls,
        published=iso_day(first_value(item, "publishedAt", "published_at")),
    )


def _short(record: Mapping[str, Any]) -> str:
    return json.dumps(record, ensure_ascii=False)[:10_000]
