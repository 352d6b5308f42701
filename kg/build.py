"""Build a graph from input files, stage by stage; `kg build`, `kg update` and `kg load` call it.

The stages, in order:

1. :func:`read_inputs` reads every input (format detected, or given), merges duplicate
   records (:func:`kg.readers.dedupe.merge_papers`) and collects malformed ones
   (:class:`kg.errors.InputError`), optionally writing them to ``rejected.jsonl``.
2. :func:`extract_papers` yields each paper's mentions in input order: from the
   extraction cache when it holds them, else extracted in ``workers`` processes (with or
   without the trained NER), or first on a Dask cluster into the cache
   (``engine="dask"``).
3. :func:`build_graph` links the extractions of the whole corpus into one graph.
4. :func:`store_graph` writes it (only new or changed papers are sent again).

:func:`update_store` runs stages 2 to 4 on the papers a store holds merged with new ones
(:func:`with_stored`) and reports what changed (`kg update`). :func:`build_from` chains
all four stages in one call, so the same input gives the same graph from Python as from
`kg build`.
"""

import gc
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from contextlib import AbstractContextManager, contextmanager, nullcontext
from dataclasses import dataclass, field
from itertools import islice
from pathlib import Path
from typing import TYPE_CHECKING, Any

from kg.errors import InputError, KgError
from kg.extract.pipeline import PaperExtraction
from kg.extract.workers import ExtractionCounts
from kg.link.overrides import Overrides
from kg.models import Graph, Paper
from kg.store.base import GraphStore, WriteStats
from kg.update import (
    EntityCount,
    UpdateReport,
    corpus_papers,
    entity_counts,
    report_changes,
    split_new,
)

if TYPE_CHECKING:
    from kg.extract.cache import ExtractionCache
    from kg.extract.dask import DaskRun

__all__ = [
    "BuildResult",
    "ExtractionRun",
    "Progress",
    "ReadResult",
    "build_from",
    "build_graph",
    "default_cache_dir",
    "extract_papers",
    "read_inputs",
    "rejected_path",
    "store_graph",
    "update_store",
    "with_stored",
]

ENGINES = ("local", "dask")


@dataclass(slots=True)
class ReadResult:
    """The papers read from all inputs (duplicates merged) and the records rejected."""

    papers: list[Paper]
    problems: list[InputError]
    records: int  # papers read before duplicates were merged
    inputs: int
    # The inputs that gave no paper (empty, unreadable, every record rejected): in problems too.
    lost_inputs: list[InputError] = field(default_factory=list)

    @property
    def merged(self) -> int:
        """How many records were merged into another (duplicates)."""
        return self.records - len(self.papers)


class ExtractionRun:
    """An extraction under way: iterate it for each paper's extraction, in input order.

    ``counts`` (extracted, taken from the cache) and the cache's ``problems`` are final
    once the iteration has ended.
    """

    def __init__(
        self,
        papers: Sequence[Paper],
        extractions: Iterator[PaperExtraction],
        counts: ExtractionCounts,
        cache: "ExtractionCache | None",
        dask: "DaskRun | None" = None,
    ):
        self.papers = papers
        self.counts = counts
        self.cache = cache
        self.dask = dask
        self._extractions = extractions

    def __iter__(self) -> Iterator[PaperExtraction]:
        return self._extractions

    def __len__(self) -> int:
        return len(self.papers)

    @property
    def problems(self) -> list[str]:
        """Cache files that could not be read or written (their papers are extracted)."""
        return self.cache.problems if self.cache is not None else []

    @property
    def cache_folder(self) -> Path | None:
        """The cache folder given (``--cache DIR``), or None without a cache."""
        return self.cache.folder.parent.parent if self.cache is not None else None


# Wraps an extraction while it is consumed (e.g. a progress bar); yields what to iterate.
Progress = Callable[[ExtractionRun], AbstractContextManager[Iterable[PaperExtraction]]]


@dataclass(slots=True)
class BuildResult:
    """What :func:`build_from` did: the papers read, the graph linked and what was written."""

    read: ReadResult
    graph: Graph
    extraction: ExtractionCounts
    written: WriteStats | None = None
    cache_problems: list[str] = field(default_factory=list)


def read_inputs(
    inputs: Iterable[str | Path],
    *,
    format: str | None = None,
    fields: Mapping[str, tuple[str, ...]] | None = None,
    strict: bool = False,
    rejected: str | Path | None = None,
    limit: int | None = None,
) -> ReadResult:
    """Read every input and merge duplicate records.

    Malformed records are collected in ``problems`` (with ``strict``, the first one
    raises :class:`InputError`), and so is an input that gives no paper (empty,
    unreadable, every record rejected): the other inputs are still read. When
    ``rejected`` is given, it is rewritten with the problems as JSON lines with the
    reason, or removed when there are none (no earlier run's file is left). No paper
    from any input is an error listing the reasons. ``fields`` (a ``--map``) implies
    the ``records`` format. ``limit`` stops reading after that many records.
    """
    from kg.readers.dedupe import merge_papers
    from kg.readers.ingest import FORMATS, read_papers

    if fields and format is None:
        format = "records"
    if format is not None and format not in FORMATS:
        raise InputError(f"unknown format {format!r}; choose from {', '.join(FORMATS)}")
    paths = list(inputs)
    read: list[Paper] = []
    problems: list[InputError] = []
    lost: list[InputError] = []
    for path in paths:
        errors: list[InputError] | None = None if strict else []
        count = len(read)
        left = None if limit is None else max(0, limit - count)
        try:
            found = read_papers(path, format=format, errors=errors, fields=fields)
            read.extend(found if left is None else islice(found, left))
        except InputError as e:
            if errors is None:
                raise
            errors.append(e)  # this input (or its rest) is lost, not the others
            if len(read) == count:
                lost.append(e)
        else:
            if len(read) == count and left != 0:
                reason = f" ({len(errors)} record(s) rejected)" if errors else ""
                problem = InputError(f"no papers found{reason}", path=str(path))
                if errors is None:
                    raise problem
                errors.append(problem)
                lost.append(problem)
        problems.extend(errors or [])
    if rejected is not None:
        _write_rejected(problems, Path(rejected))
    if not read and paths:
        if len(problems) == 1:
            raise problems[0]  # one input, one reason: say it as it is
        raise InputError(_no_papers(problems, len(paths), rejected))
    papers = merge_papers(read)
    return ReadResult(papers, problems, len(read), len(paths), lost)


def extract_papers(
    papers: Sequence[Paper],
    *,
    workers: int = 1,
    ner: bool = True,
    cache_dir: str | Path | None = None,
    engine: str = "local",
    scheduler: str | None = None,
    partition_size: int = 1000,
) -> ExtractionRun:
    """Extract ``papers`` through the cache in ``cache_dir`` (None: no cache).

    ``engine="dask"`` first extracts the papers the cache lacks on the Dask cluster at
    ``scheduler`` (default: a local one of ``workers`` processes), in partitions of
    ``partition_size``, and writes them to the cache; the run then reads them all from it
    (``run.dask`` says what the cluster did).
    """
    from kg.extract.cache import ExtractionCache, extractor_version
    from kg.extract.workers import extract_all

    if engine not in ENGINES:
        raise KgError(f"unknown extraction engine {engine!r}; use one of {', '.join(ENGINES)}")
    cache = None
    if cache_dir is not None:
        cache = ExtractionCache(cache_dir, extractor_version(ner=ner))
    dask = None
    if engine == "dask":
        from kg.extract.dask import extract_on_dask

        if cache is None:
            raise KgError("the dask engine extracts into the cache: give a cache folder")
        dask = extract_on_dask(
            papers,
            cache,
            scheduler=scheduler,
            ner=ner,
            partition_size=partition_size,
            local_workers=workers,
        )
        workers = 1  # everything is in the cache now
    counts = ExtractionCounts()
    extractions = extract_all(papers, workers=workers, ner=ner, cache=cache, counts=counts)
    return ExtractionRun(papers, extractions, counts, cache, dask)


def build_graph(
    extractions: Iterable[PaperExtraction], *, overrides: Overrides | str | Path | None = None
) -> Graph:
    """Link the extractions of the whole corpus into one graph.

    ``overrides`` is a TOML overrides file (see ``docs/graph.md``) or one already loaded.
    """
    from kg.link import link

    with _collector_paused():
        return link(extractions, overrides=_overrides(overrides))


def store_graph(
    store: GraphStore,
    graph: Graph,
    *,
    batch_size: int = 10_000,
    before: "Callable[[Mapping[str, list[dict[str, Any]]]], None] | None" = None,
) -> WriteStats:
    """Make ``store`` hold exactly ``graph``; papers stored unchanged are not sent again.

    Papers and variant links the store holds and ``graph`` lacks are deleted: build
    ``graph`` from :func:`with_stored` papers to add to what the store holds.
    ``before(rows)`` is called with the rows about to be sent, before the first is.
    """
    from kg.store import write_graph

    return write_graph(store, graph, batch_size=batch_size, replace=True, before=before)


def with_stored(store: GraphStore, papers: Sequence[Paper]) -> list[Paper]:
    """The papers ``store`` holds, in corpus order, merged with ``papers`` after them.

    Extracted, linked and stored, they give the graph one build of everything read into
    the store so far gives (#16): a paper two runs read is one paper, what a later source
    adds to a stored paper is merged in, and links are made across the whole corpus.
    """
    from kg.store.base import stored_papers

    return corpus_papers(stored_papers(store), papers)


def update_store(
    store: GraphStore,
    papers: Iterable[Paper],
    *,
    workers: int = 1,
    ner: bool = True,
    cache_dir: str | Path | None = None,
    overrides: Overrides | str | Path | None = None,
    batch_size: int = 10_000,
    top: int = 10,
    progress: Progress | None = None,
) -> UpdateReport:
    """Add ``papers`` to what ``store`` holds, and report what changed.

    Papers are matched with the stored ones like duplicates (arXiv id, DOI, normalised
    title) and merged into them (:func:`with_stored`); the whole corpus is extracted as
    :func:`extract_papers` does (stored papers come from the cache), linked and written,
    so the store ends as one build of everything read into it. The report lists the
    papers new to it (or whose interrupted write this one completed), the entities that
    are new and those whose mentions rose most (``top``).
    """
    forced = _overrides(overrides)  # a bad file fails before the extraction
    corpus = split_new(store, papers)
    run = extract_papers(corpus.papers, workers=workers, ner=ner, cache_dir=cache_dir)
    with _wrap(run, progress) as extractions:
        graph = build_graph(extractions, overrides=forced)
    # Only the entities written again (those the papers written again link to) can be new
    # or rise: count those, not every entity of the corpus.
    keys: list[str] = []
    before: dict[str, EntityCount] = {}

    def count_before(rows: Mapping[str, list[dict[str, Any]]]) -> None:
        keys.extend(row["key"] for row in rows["write_entities"])
        before.update(entity_counts(store, keys))

    written = store_graph(store, graph, batch_size=batch_size, before=count_before)
    after = entity_counts(store, keys)
    return report_changes(corpus.new, corpus.known, before, after, top=top, written=written)


def build_from(
    inputs: Iterable[str | Path],
    store: GraphStore | None = None,
    *,
    format: str | None = None,
    fields: Mapping[str, tuple[str, ...]] | None = None,
    strict: bool = False,
    workers: int = 1,
    ner: bool = True,
    cache_dir: str | Path | None = None,
    overrides: Overrides | str | Path | None = None,
    batch_size: int = 10_000,
    rejected: str | Path | None = None,
    progress: Progress | None = None,
) -> BuildResult:
    """Read, extract, link and (when ``store`` is given) store: what `kg build` does.

    With a ``store``, the papers it already holds are merged with those read
    (:func:`with_stored`), so the store ends as one build of all its inputs.

    Example (the README's "Using kg from Python")::

        with open_store("kg.db") as store:
            result = build_from(["examples/daily_papers_page.txt"], store)
    """
    forced = _overrides(overrides)
    read = read_inputs(inputs, format=format, fields=fields, strict=strict, rejected=rejected)
    papers = read.papers if store is None else with_stored(store, read.papers)
    run = extract_papers(papers, workers=workers, ner=ner, cache_dir=cache_dir)
    with _wrap(run, progress) as extractions:
        graph = build_graph(extractions, overrides=forced)
    written = store_graph(store, graph, batch_size=batch_size) if store is not None else None
    return BuildResult(read, graph, run.counts, written, list(run.problems))


def default_cache_dir(db: str | Path) -> Path:
    """The extraction cache `kg build` and `kg update` use: ``kg-cache`` beside the database."""
    return Path(db).resolve().parent / "kg-cache"


def rejected_path(db: str | Path) -> Path:
    """Where the records a run rejected are written: ``rejected.jsonl`` beside the database."""
    return Path(db).resolve().parent / "rejected.jsonl"


def _overrides(overrides: Overrides | str | Path | None) -> Overrides | None:
    from kg.link.overrides import load_overrides

    if overrides is None or isinstance(overrides, Overrides):
        return overrides
    return load_overrides(overrides)


@contextmanager
def _collector_paused() -> Iterator[None]:
    """Pause Python's cyclic garbage collector while the corpus is linked.

    Linking allocates millions of small objects that live until the graph is built, and
    makes almost no cycles: each automatic collection walks all of them again for nothing
    (a tenth of the link's time). Reference counting still frees everything else, and the
    collector is back on when linking ends or fails. Worker processes forked meanwhile
    turn it on again (:mod:`kg.extract.workers`).
    """
    if not gc.isenabled():
        yield
        return
    gc.disable()
    try:
        yield
    finally:
        gc.enable()


def _wrap(
    run: ExtractionRun, progress: Progress | None
) -> AbstractContextManager[Iterable[PaperExtraction]]:
    return progress(run) if progress is not None else nullcontext(run)


def _write_rejected(problems: list[InputError], path: Path) -> None:
    """Rewrite ``path`` with this run's problems; remove it when there are none."""
    from kg.readers.ingest import write_rejected

    if problems:
        write_rejected(problems, path)
        return
    try:
        path.unlink(missing_ok=True)
    except OSError as e:
        raise InputError(f"cannot remove the earlier run's rejected records: {e}") from e


# Reasons quoted in the error when no input gave a paper (all are in rejected.jsonl).
_MAX_REASONS = 5


def _no_papers(problems: list[InputError], inputs: int, rejected: str | Path | None) -> str:
    reasons = "; ".join(str(p) for p in problems[:_MAX_REASONS])
    more = len(problems) - _MAX_REASONS
    if more > 0:
        reasons += f"; … and {more} more"
    where = f" (see {rejected})" if rejected is not None else ""
    return f"no papers found in {inputs} input(s){where}: {reasons}"
