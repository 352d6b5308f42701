"""Merge the records of one paper read from several sources into one :class:`Paper`.

Two records are the same paper when they share an arXiv id; failing that a DOI;
failing that a normalised title (:func:`kg.readers.ids.normalise_title`). Records whose
arXiv ids (or DOIs) differ are never merged, whatever their titles.
"""

from collections.abc import Iterable
from dataclasses import replace

from kg.models import Paper
from kg.readers.ids import normalise_title, paper_id

__all__ = ["identity_keys", "merge_papers", "merge_two"]

# Titles shorter than this ("Introduction", "Erratum") say too little to merge on.
_MIN_TITLE_KEY = 12


def identity_keys(paper: Paper) -> list[tuple[str, str]]:
    """Return the keys a paper is matched on, strongest first.

    >>> identity_keys(Paper(id="x", title="Attention Is All You Need", abstract="",
    ...     arxiv_id="1706.03762", doi="10.5555/3295222.3295349"))
    [('arxiv', '1706.03762'), ('doi', '10.5555/3295222.3295349'),
     ('title', 'attention is all you need')]
    """
    keys = []
    if paper.arxiv_id:
        keys.append(("arxiv", paper.arxiv_id))
    if paper.doi:
        keys.append(("doi", paper.doi))
    title = normalise_title(paper.title)
    if len(title) >= _MIN_TITLE_KEY:
        keys.append(("title", title))
    return keys


def merge_papers(papers: Iterable[Paper]) -> list[Paper]:
    """Return one paper per distinct paper in ``papers``, in first-seen order, fields merged.

    >>> a = Paper(id="title:1", title="A Study of Things", abstract="Short.", upvotes=3)
    >>> b = Paper(id="arXiv:2401.00001", title="A study of things", abstract="Longer text.",
    ...     arxiv_id="2401.00001", authors=("Ada",))
    >>> [(p.id, p.abstract, p.upvotes, p.authors) for p in merge_papers([a, b])]
    [('arXiv:2401.00001', 'Longer text.', 3, ('Ada',))]
    """
    merged: list[Paper] = []
    index: dict[tuple[str, str], int] = {}
    for paper in papers:
        slot = _match(paper, merged, index)
        if slot is None:
            slot = len(merged)
            merged.append(paper)
        else:
            merged[slot] = merge_two(merged[slot], paper)
        for key in identity_keys(merged[slot]):
            index.setdefault(key, slot)
    return merged


def merge_two(first: Paper, second: Paper) -> Paper:
    """Return ``first`` completed with what ``second`` knows.

    Single values keep ``first``'s when it has one; the longer abstract wins (a
    source may carry only a summary); upvotes take the higher count; authors,
    affiliations and links are united in order. The id is the arXiv one when
    either knows the arXiv id.
    """
    arxiv = first.arxiv_id or second.arxiv_id
    authors = _union(first.authors, second.authors)
    return replace(
        first,
        id=paper_id(first.title, arxiv_id=arxiv) if arxiv else first.id,
        title=first.title or second.title,
        abstract=max(first.abstract, second.abstract, key=len),
        date=first.date or second.date,
        upvotes=max((v for v in (first.upvotes, second.upvotes) if v is not None), default=None),
        authors_count=len(authors) or first.authors_count or second.authors_count,
        organization=first.organization or second.organization,
        organization_handle=first.organization_handle or second.organization_handle,
        arxiv_id=arxiv,
        authors=authors,
        affiliations=_union(first.affiliations, second.affiliations),
        doi=first.doi or second.doi,
        urls=_union(first.urls, second.urls),
        published=first.published or second.published,
    )


def _match(paper: Paper, merged: list[Paper], index: dict[tuple[str, str], int]) -> int | None:
    for key in identity_keys(paper):
        slot = index.get(key)
        if slot is not None and _compatible(merged[slot], paper):
            return slot
    return None


def _compatible(a: Paper, b: Paper) -> bool:
    """Two different arXiv ids, or two different DOIs, are two different papers."""
    if a.arxiv_id and b.arxiv_id and a.arxiv_id != b.arxiv_id:
        return False
    return not (a.doi and b.doi and a.doi != b.doi)


def _union(first: tuple[str, ...], second: tuple[str, ...]) -> tuple[str, ...]:
    """Items of both, in order; spellings that differ only in case or spacing count once."""
    seen: dict[str, str] = {}
    for item in (*first, *second):
        seen.setdefault(normalise_title(item) or item, item)
    return tuple(seen.values())
