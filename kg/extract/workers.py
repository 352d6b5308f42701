"""Extraction in several processes, each with its own pipeline, results in input order."""

import multiprocessing
from collections import Counter, deque
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from itertools import islice
from multiprocessing.pool import AsyncResult
from typing import TYPE_CHECKING

from spacy.language import Language

from kg.extract.pipeline import PaperExtraction, extract, load_nlp
from kg.models import Mention, Paper, Repository

if TYPE_CHECKING:
    from kg.cache import ExtractionCache

__all__ = ["ExtractionCounts", "extract_all", "extract_parallel"]

_NLP: Language | None = None  # one pipeline per worker process
# Chunks sent ahead per worker: enough to keep them busy, few enough to keep memory flat.
_AHEAD = 4


@dataclass(slots=True)
class ExtractionCounts:
    """How many papers :func:`extract_all` extracted and how many it took from the cache."""

    extracted: int = 0
    cached: int = 0


def extract_all(
    papers: Sequence[Paper],
    *,
    workers: int = 1,
    ner: bool = True,
    cache: "ExtractionCache | None" = None,
    counts: ExtractionCounts | None = None,
) -> Iterator[PaperExtraction]:
    """Yield each paper's extraction in input order, from ``cache`` when it has it.

    The others are extracted (in ``workers`` processes) and added to ``cache``, which
    is written as extraction goes and when the iteration ends, even early. ``cache``
    must be of the extractor ``ner`` selects (``extractor_version(ner=ner)``).
    """
    from kg.cache import from_row, paper_key

    counts = counts if counts is not None else ExtractionCounts()
    if cache is None:
        for extraction in extract_parallel(papers, workers=workers, ner=ner):
            counts.extracted += 1
            yield extraction
        return
    keys = [paper_key(paper) for paper in papers]
    hits = cache.lookup(keys)
    uses = Counter(key for key in keys if key in hits)  # a row is dropped after its last use
    todo = [paper for paper, key in zip(papers, keys, strict=True) if key not in hits]
    fresh = extract_parallel(todo, workers=workers, ner=ner) if todo else iter(())
    try:
        for paper, key in zip(papers, keys, strict=True):
            if key in hits:
                extraction = from_row(paper, hits[key])
                uses[key] -= 1
                if not uses[key]:
                    del hits[key]
                counts.cached += 1
            else:
                extraction = next(fresh)
                cache.add(key, extraction)
                counts.extracted += 1
            yield extraction
    finally:
        if hasattr(fresh, "close"):
            fresh.close()
        cache.flush()


def extract_parallel(
    papers: Iterable[Paper], *, workers: int = 2, chunk_size: int = 256, ner: bool = True
) -> Iterator[PaperExtraction]:
    """Yield each paper's extraction like :func:`extract`, using ``workers`` processes.

    Papers travel to the workers in chunks and their mentions come back as plain
    dataclasses (spaCy docs never cross processes), in input order; the result is
    identical to one process. At most a few chunks per worker are in flight, so memory
    stays flat however many papers ``papers`` yields.
    """
    if workers <= 1:
        yield from extract(load_nlp(ner=ner), papers)
        return
    context = multiprocessing.get_context("spawn")  # fork + spaCy threads is unsafe
    with context.Pool(workers, initializer=_init_worker, initargs=(ner,)) as pool:
        pending: deque[tuple[list[Paper], AsyncResult[list[_Found]]]] = deque()
        for chunk in _chunks(papers, chunk_size):
            pending.append((chunk, pool.apply_async(_extract_chunk, (chunk,))))
            if len(pending) >= workers * _AHEAD:
                yield from _collect(*pending.popleft())
        while pending:
            yield from _collect(*pending.popleft())


_Found = tuple[list[Mention], list[Repository]]


def _collect(chunk: list[Paper], result: "AsyncResult[list[_Found]]") -> Iterator[PaperExtraction]:
    for paper, (mentions, repositories) in zip(chunk, result.get(), strict=True):
        yield PaperExtraction(paper, mentions, repositories)


def _init_worker(ner: bool) -> None:
    global _NLP
    _NLP = load_nlp(ner=ner)


def _extract_chunk(papers: list[Paper]) -> list[_Found]:
    assert _NLP is not None, "worker not initialised"
    return [(e.mentions, e.repositories) for e in extract(_NLP, papers)]


def _chunks(papers: Iterable[Paper], size: int) -> Iterator[list[Paper]]:
    iterator = iter(papers)
    while chunk := list(islice(iterator, size)):
        yield chunk
