"""Read the Atom XML feed the arXiv API returns (``export.arxiv.org/api/query``).

Each ``<entry>`` is parsed on its own, so a malformed or truncated entry is
rejected with its line while the others are still read.
"""

import re
import xml.etree.ElementTree as ET
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from kg.errors import InputError
from kg.models import Paper
from kg.readers.base import (
    MAX_RECORD_BYTES,
    clean_text,
    has_bad_bytes,
    iso_day,
    make_reject,
    normalise_doi,
    open_binary,
    paper_problem,
    strip_markup,
)
from kg.readers.ids import normalise_arxiv_id, paper_id

__all__ = ["looks_like_arxiv_atom", "read_arxiv_atom"]

ATOM = "{http://www.w3.org/2005/Atom}"
ARXIV = "{http://arxiv.org/schemas/atom}"
_FEED_START = re.compile(r"<feed\b[^>]*>")
_ENTRY = re.compile(r"<entry\b.*?(?:</entry>|(?=<entry\b)|\Z)", re.S)
_DEFAULT_FEED = (
    '<feed xmlns="http://www.w3.org/2005/Atom" xmlns:arxiv="http://arxiv.org/schemas/atom" '
    'xmlns:opensearch="http://a9.com/-/spec/opensearch/1.1/">'
)


def looks_like_arxiv_atom(head: str) -> bool:
    """Tell whether ``head`` starts an Atom feed.

    >>> looks_like_arxiv_atom('<?xml version="1.0"?>\\n<feed xmlns="http://www.w3.org/2005/Atom">')
    True
    >>> looks_like_arxiv_atom("<html><body>")
    False
    """
    return "<feed" in head[:4096] and "http://www.w3.org/2005/Atom" in head[:4096]


def read_arxiv_atom(
    path: Path, *, source: str, errors: list[InputError] | None = None, **_: Any
) -> Iterator[Paper]:
    """Yield the papers of an arXiv API Atom feed, in feed order."""
    reject = make_reject(source, errors)
    with open_binary(path) as stream:
        data = stream.read()
    text = data.decode("utf-8", errors="surrogateescape")
    feed = _FEED_START.search(text)
    wrapper = feed.group() if feed else _DEFAULT_FEED
    if not feed:
        reject("no <feed> element: not an Atom document", line=1)
    elif has_bad_bytes((wrapper,)):
        reject("not UTF-8 text in the <feed> element", line=text.count("\n", 0, feed.start()) + 1)
        wrapper = _DEFAULT_FEED
    newlines = 0
    counted = 0
    for match in _ENTRY.finditer(text):
        newlines += text.count("\n", counted, match.start())
        counted = match.start()
        line = newlines + 1
        raw = match.group()
        if len(raw) > MAX_RECORD_BYTES:
            reject(f"entry of {len(raw) / 1e6:.1f} MB is over the limit; skipped", line=line)
            continue
        if not raw.rstrip().endswith("</entry>"):
            reject("entry is truncated (no </entry>)", line=line, record=raw)
            continue
        if has_bad_bytes((raw,)):
            reject(
                "not UTF-8 text in this entry",
                line=line,
                record=raw.encode("utf-8", errors="surrogateescape").decode(
                    "utf-8", errors="replace"
                ),
            )
            continue
        try:
            root = ET.fromstring(f"{wrapper}{raw}</feed>")
        except ET.ParseError as e:
            row = e.position[0] + line - 1
            reject(f"malformed XML: {e}", line=row, record=raw)
            continue
        entry = root.find(f"{ATOM}entry")
        if entry is None:
            continue
        paper = _paper(entry, source=source, line=line)
        if isinstance(paper, str):
            reject(paper, line=line, record=raw)
        else:
            yield paper


def _paper(entry: ET.Element, *, source: str, line: int) -> Paper | str:
    entry_id = entry.findtext(f"{ATOM}id", "")
    title = strip_markup(clean_text(entry.findtext(f"{ATOM}title")))
    if "api/errors" in entry_id:
        return f"the arXiv API returned an error: {clean_text(entry.findtext(f'{ATOM}summary'))}"
    abstract = strip_markup(clean_text(entry.findtext(f"{ATOM}summary")))
    if problem := paper_problem(title, abstract):
        return problem
    arxiv = normalise_arxiv_id(entry_id)
    authors: list[str] = []
    affiliations: list[str] = []
    for author in entry.findall(f"{ATOM}author"):
        if name := clean_text(author.findtext(f"{ATOM}name")):
            authors.append(name)
        for aff in author.findall(f"{ARXIV}affiliation"):
            if text := clean_text(aff.text):
                affiliations.append(text)
    return Paper(
        id=paper_id(title, arxiv_id=arxiv),
        title=title,
        abstract=abstract,
        source=source,
        line=line,
        authors_count=len(authors) or None,
        arxiv_id=arxiv,
        authors=tuple(dict.fromkeys(authors)),
        affiliations=tuple(dict.fromkeys(affiliations)),
        doi=normalise_doi(entry.findtext(f"{ARXIV}doi")),
        published=iso_day(entry.findtext(f"{ATOM}published")),
    )
