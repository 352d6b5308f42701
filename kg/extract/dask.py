"""Extraction on a Dask cluster: partitions of papers mapped over its workers, into the cache.

The client reads the papers (streaming), skips those the cache already holds, and sends
the rest in partitions of title and abstract; each worker runs kg's extractor and sends
back the partition's rows as an Arrow table, which the client writes to the Parquet cache
(:class:`kg.extract.cache.ExtractionCache`): no shared file system is needed. At most a few
partitions per worker are in flight, so the client's memory stays flat.
"""

from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from itertools import islice
from typing import Any

import pyarrow as pa

from kg.errors import KgError
from kg.extract.cache import SCHEMA, ExtractionCache, extractor_version, paper_key, to_row
from kg.models import Paper

__all__ = ["DaskRun", "extract_on_dask"]

# Partitions sent ahead per worker thread.
_AHEAD = 2
_NLP: dict[bool, Any] = {}  # one pipeline per worker process (and per ``ner`` setting)


@dataclass(slots=True)
class DaskRun:
    """What :func:`extract_on_dask` did."""

    papers: int = 0
    extracted: int = 0
    cached: int = 0  # already in the cache, or a repeat of a paper seen before in the run
    partitions: int = 0
    workers: int = 0


def extract_on_dask(
    papers: Iterable[Paper],
    cache: ExtractionCache,
    *,
    scheduler: str | None = None,
    ner: bool = True,
    partition_size: int = 1000,
    local_workers: int = 2,
    timeout: float = 20.0,
) -> DaskRun:
    """Extract every paper ``cache`` does not hold on the cluster at ``scheduler``.

    Without ``scheduler``, a ``LocalCluster`` of ``local_workers`` processes is started
    (and stopped) here. ``cache`` must be of the extractor ``ner`` selects; the workers
    must run the same kg (their extractor version is checked on every partition).
    ``timeout`` is how many seconds to wait for the scheduler.
    """
    try:
        from distributed import Client, LocalCluster, wait
    except ImportError as e:  # pragma: no cover - dask is in the test extra
        raise KgError("--engine dask needs Dask: pip install 'kg[dask]'") from e

    cluster = None
    if scheduler is None:
        cluster = LocalCluster(n_workers=local_workers, threads_per_worker=1)
        scheduler = cluster.scheduler_address
    try:
        try:
            client = Client(scheduler, timeout=f"{timeout}s")
        except (OSError, TimeoutError) as e:
            raise KgError(f"Cannot reach the Dask scheduler at {scheduler} ({e}).") from e
        with client:
            run = DaskRun(workers=len(client.scheduler_info()["workers"]))
            limit = max(1, sum(client.nthreads().values())) * _AHEAD
            pending: set[Any] = set()
            for partition in _partitions(papers, cache, run, partition_size):
                pending.add(client.submit(_extract_partition, partition, ner, pure=False))
                run.partitions += 1
                if len(pending) >= limit:
                    done, pending = wait(pending, return_when="FIRST_COMPLETED")
                    _write(done, cache, run)
            if pending:
                _write(wait(pending).done, cache, run)
            cache.flush()
    finally:
        if cluster is not None:
            cluster.close()
    return run


def _partitions(
    papers: Iterable[Paper], cache: ExtractionCache, run: DaskRun, size: int
) -> Iterator[list[tuple[str, str, str]]]:
    """``(key, title, abstract)`` of the papers to extract, ``size`` at a time."""
    seen = cache.keys()

    def todo() -> Iterator[tuple[str, str, str]]:
        for paper in papers:
            run.papers += 1
            key = paper_key(paper)
            if key in seen:
                run.cached += 1
                continue
            seen.add(key)
            yield key, paper.title, paper.abstract

    rows = todo()
    while partition := list(islice(rows, size)):
        yield partition


def _write(done: Iterable[Any], cache: ExtractionCache, run: DaskRun) -> None:
    for future in done:
        version, table = future.result()  # a worker's exception is raised here
        if version != cache.version:
            raise KgError(
                f"The Dask workers run another extractor (version {version}) than this "
                f"machine ({cache.version}): install the same kg on the cluster."
            )
        cache.add_table(table)
        run.extracted += table.num_rows


def _extract_partition(rows: list[tuple[str, str, str]], ner: bool) -> tuple[str, pa.Table]:
    """Run on a worker: extract a partition, return its cache rows and the extractor version."""
    from kg.extract import extract, load_nlp

    if ner not in _NLP:
        _NLP[ner] = load_nlp(ner=ner)
    papers = [Paper(key, title, abstract) for key, title, abstract in rows]
    found = [to_row(p.id, e) for p, e in zip(papers, extract(_NLP[ner], papers), strict=True)]
    return extractor_version(ner=ner), pa.Table.from_pylist(found, schema=SCHEMA)
