"""Extraction in several processes, each with its own pipeline, results in input order."""

import gc
import marshal
import multiprocessing
import signal
import sys
import threading
from collections import Counter, deque
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from itertools import islice
from multiprocessing.pool import AsyncResult
from typing import TYPE_CHECKING, Any

from spacy.language import Language

from kg.extract.pipeline import (
    PaperExtraction,
    catalog_trie,
    extract,
    load_nlp,
    use_catalog_trie,
)
from kg.models import Mention, Paper, Repository

if TYPE_CHECKING:
    from kg.extract.cache import ExtractionCache

__all__ = ["ExtractionCounts", "extract_all", "extract_parallel", "pipeline"]

_NLPS: dict[bool, Language] = {}  # this process's pipelines, with and without the NER
_WORKER_NER: bool | None = None  # which one a worker process uses
# Chunks queued per worker process: enough to keep it busy while this process extracts.
_AHEAD = 3
# Chunks extracted but not yet yielded (the oldest may still be in a worker).
_MAX_PENDING = 64


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
    from kg.extract.cache import from_row, paper_key

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
    """Yield each paper's extraction like :func:`extract`, in ``workers`` processes.

    This process is one of them: it extracts chunks itself whenever the others have
    enough queued, so no time is lost while they start (see :func:`_start_method`),
    and at the end takes back what they have not started. Papers travel in chunks
    and mentions come back as plain
    dataclasses (spaCy docs never cross processes), in input order; the result is
    identical to one process. A bounded number of chunks is in flight, so memory
    stays flat however many papers ``papers`` yields.
    """
    nlp = pipeline(ner)
    if workers <= 1:
        yield from extract(nlp, papers)
        return
    context = multiprocessing.get_context(_start_method())
    others = workers - 1
    # The catalog's token trie goes to the workers ready-made (a second's work each).
    setup = (ner, catalog_trie(None))
    with context.Pool(others, initializer=_init_worker, initargs=setup) as pool:
        pending: deque[tuple[list[Paper], AsyncResult[bytes] | list[_Found]]] = deque()
        for chunk in _chunks(papers, chunk_size):
            if _in_workers(pending) < others * _AHEAD:
                pending.append((chunk, pool.apply_async(_extract_chunk, (chunk,))))
            else:
                pending.append((chunk, _found(nlp, chunk)))
            while pending and (len(pending) > _MAX_PENDING or _ready(pending[0][1])):
                yield from _collect(*pending.popleft())
        _take_back_queued(pending, nlp, others)
        while pending:
            yield from _collect(*pending.popleft())


def _take_back_queued(
    pending: "deque[tuple[list[Paper], AsyncResult[bytes] | list[_Found]]]",
    nlp: Language,
    others: int,
) -> None:
    """At the end, extract here the chunks still waiting for a worker, newest first.

    Otherwise this process would sit idle while the workers work through their
    queues. A chunk a worker has started meanwhile is extracted twice; either
    result is the same.
    """
    for i in range(len(pending) - 1, -1, -1):
        chunk, result = pending[i]
        if _in_workers(pending) <= others:  # one chunk per worker: the ones they are on
            return
        if isinstance(result, AsyncResult) and not result.ready():
            pending[i] = (chunk, _found(nlp, chunk))


_Found = tuple[list[Mention], list[Repository]]


def _start_method() -> str:
    """``fork`` where it is safe, else ``spawn``.

    A forked worker starts at once with this process's pipeline already built (a
    spawned one imports spaCy and builds its own: a second or two, as long as
    extracting a thousand abstracts). Forking is safe on Linux while this process
    runs a single Python thread (numpy's own idle BLAS thread aside); a program with
    threads of its own (a Jupyter kernel, a web server) gets ``spawn``.
    """
    if sys.platform == "linux" and threading.active_count() == 1:
        return "fork"
    return "spawn"


def _ready(result: "AsyncResult[bytes] | list[_Found]") -> bool:
    return not isinstance(result, AsyncResult) or result.ready()


def _in_workers(pending: "deque[tuple[list[Paper], AsyncResult[bytes] | list[_Found]]]") -> int:
    """How many pending chunks the workers have not finished (queued or being extracted)."""
    return sum(1 for _, result in pending if not _ready(result))


def _collect(
    chunk: list[Paper], result: "AsyncResult[bytes] | list[_Found]"
) -> Iterator[PaperExtraction]:
    if isinstance(result, AsyncResult):
        for paper, rows in zip(chunk, marshal.loads(result.get()), strict=True):
            yield _from_rows(paper, rows)
        return
    for paper, (mentions, repositories) in zip(chunk, result, strict=True):
        yield PaperExtraction(paper, mentions, repositories)


# What a worker sends back for a paper: its mentions and repositories as their records
# values (:meth:`Mention.to_values`), without the paper's id (the parent knows it), a
# chunk of them marshalled into bytes. Frozen dataclasses through pickle cost a worker a
# tenth of its time and this process as much again; tuples through marshal load four
# times faster than through pickle.
_Rows = tuple[list[tuple[Any, ...]], list[tuple[Any, ...]]]


def _to_rows(found: _Found) -> _Rows:
    mentions, repositories = found
    return [m.to_values() for m in mentions], [r.to_values() for r in repositories]


def _from_rows(paper: Paper, rows: _Rows) -> PaperExtraction:
    mentions, repositories = rows
    return PaperExtraction(
        paper,
        [Mention.from_values(paper.id, values) for values in mentions],
        [Repository.from_values(paper.id, values) for values in repositories],
    )


def pipeline(ner: bool) -> Language:
    """This process's extraction pipeline, built on first use (a second or two) and kept."""
    if ner not in _NLPS:
        _NLPS[ner] = load_nlp(ner=ner)
        # The pipeline lives as long as the process: keep its objects out of every later
        # garbage collection (extract_speed 0.28 -> 0.31, the same output).
        gc.freeze()
    return _NLPS[ner]


def _init_worker(ner: bool, trie: dict[int, Any]) -> None:
    # The main process handles Ctrl-C (sent to the whole process group) and stops its
    # workers with SIGTERM; a forked worker must not inherit kg's handlers for either.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    use_catalog_trie(None, trie)
    gc.enable()  # a parent linking as it extracts has paused it (kg.build)
    pipeline(ner)
    global _WORKER_NER
    _WORKER_NER = ner


def _extract_chunk(papers: list[Paper]) -> bytes:
    assert _WORKER_NER is not None, "worker not initialised"
    return marshal.dumps([_to_rows(found) for found in _found(pipeline(_WORKER_NER), papers)])


def _found(nlp: Language, papers: list[Paper]) -> list[_Found]:
    return [(e.mentions, e.repositories) for e in extract(nlp, papers)]


def _chunks(papers: Iterable[Paper], size: int) -> Iterator[list[Paper]]:
    iterator = iter(papers)
    while chunk := list(islice(iterator, size)):
        yield chunk
