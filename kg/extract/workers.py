"""Extraction in several processes, each with its own pipeline, results in input order."""

import multiprocessing
from collections.abc import Iterable, Iterator
from itertools import islice

from spacy.language import Language

from kg.extract.pipeline import PaperExtraction, extract, load_nlp
from kg.models import Paper

__all__ = ["extract_parallel"]

_NLP: Language | None = None  # one pipeline per worker process


def extract_parallel(
    papers: Iterable[Paper], *, workers: int = 2, chunk_size: int = 256, ner: bool = True
) -> Iterator[PaperExtraction]:
    """Yield each paper's extraction like :func:`extract`, using ``workers`` processes.

    Papers travel to the workers in chunks and come back as plain dataclasses (spaCy
    docs never cross processes), in input order; the result is identical to one process.
    """
    if workers <= 1:
        yield from extract(load_nlp(ner=ner), papers)
        return
    context = multiprocessing.get_context("spawn")  # fork + spaCy threads is unsafe
    with context.Pool(workers, initializer=_init_worker, initargs=(ner,)) as pool:
        for chunk in pool.imap(_extract_chunk, _chunks(papers, chunk_size)):
            yield from chunk


def _init_worker(ner: bool) -> None:
    global _NLP
    _NLP = load_nlp(ner=ner)


def _extract_chunk(papers: list[Paper]) -> list[PaperExtraction]:
    assert _NLP is not None, "worker not initialised"
    return list(extract(_NLP, papers))


def _chunks(papers: Iterable[Paper], size: int) -> Iterator[list[Paper]]:
    iterator = iter(papers)
    while chunk := list(islice(iterator, size)):
        yield chunk
