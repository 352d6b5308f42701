"""Extraction of a stream of synthetic abstracts (1M by default): throughput and memory over time.

    nice python benchmarks/synthetic.py                            # 1,000,000 abstracts, 2 workers
    nice python benchmarks/synthetic.py --abstracts 100000 --every 5000
    nice python benchmarks/synthetic.py --cache /tmp/kg-cache      # also write the Parquet cache

The abstracts are generated while they are extracted, never held: each is a title and 4
to 9 sentences drawn at random (seeded) from the abstracts of
../shared/data/corpus/paperlists, so the vocabulary and the entities are real ones in new
combinations. Only the pool of corpus sentences is kept in memory (read once at the start).
Every ``--every`` abstracts a line gives the count, the rate and the resident memory of
this process plus its workers; the end gives the throughput, the memory's growth after the
first report, and the time the full run would take at that rate.
"""

import argparse
import random
import re
import time
from collections.abc import Iterator
from pathlib import Path

import psutil

from kg.extract.cache import ExtractionCache, extractor_version, paper_key
from kg.extract.workers import extract_parallel
from kg.models import Paper
from kg.readers.ingest import read_papers

CORPUS = Path(__file__).resolve().parents[2] / "shared" / "data" / "corpus" / "paperlists"
_SENTENCE_END = re.compile(r"(?<=[.!?])\s+(?=[A-Z])")


def sentence_pool(corpus: Path) -> tuple[list[str], list[str]]:
    """The titles and the abstract sentences of the corpus."""
    titles: list[str] = []
    sentences: list[str] = []
    for paper in read_papers(corpus, errors=[]):
        titles.append(paper.title)
        sentences.extend(s for s in _SENTENCE_END.split(paper.abstract) if len(s) > 20)
    return titles, sentences


def synthetic_papers(
    count: int, titles: list[str], sentences: list[str], *, seed: int = 0
) -> Iterator[Paper]:
    """``count`` abstracts recombined from corpus sentences, one at a time."""
    rng = random.Random(seed)
    for i in range(count):
        abstract = " ".join(rng.choices(sentences, k=rng.randint(4, 9)))
        yield Paper(f"synthetic:{i}", rng.choice(titles), abstract)


def usage() -> tuple[float, float]:
    """Resident MB and CPU seconds of this process and its (live) workers."""
    me = psutil.Process()
    rss, cpu = me.memory_info().rss, sum(me.cpu_times()[:2])
    for child in me.children(recursive=True):
        try:
            rss += child.memory_info().rss
            cpu += sum(child.cpu_times()[:2])
        except psutil.Error:
            continue
    return float(rss) / 2**20, cpu


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--abstracts", type=int, default=1_000_000)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--every", type=int, default=10_000, help="report every N abstracts")
    parser.add_argument("--no-ner", action="store_true", help="rules and catalog only")
    parser.add_argument("--cache", type=Path, help="also write the extractions to this cache")
    parser.add_argument(
        "--max-minutes", type=float, help="stop early after this long (the summary projects)"
    )
    args = parser.parse_args()
    ner = not args.no_ner

    started = time.perf_counter()
    titles, sentences = sentence_pool(CORPUS)
    print(
        f"pool: {len(titles)} titles, {len(sentences)} sentences from {CORPUS} "
        f"in {time.perf_counter() - started:.0f} s; {usage()[0]:.0f} MB",
        flush=True,
    )
    cache = ExtractionCache(args.cache, extractor_version(ner=ner)) if args.cache else None
    papers = synthetic_papers(args.abstracts, titles, sentences)
    print(
        f"{'abstracts':>10} {'seconds':>8} {'per s':>7} {'cpu-s':>8} {'RSS MB':>8} {'mentions':>10}"
    )
    started = time.perf_counter()
    mentions = 0
    reports: list[tuple[int, float, float]] = []  # abstracts, seconds, RSS MB
    done = 0
    for done, extraction in enumerate(
        extract_parallel(papers, workers=args.workers, ner=ner), start=1
    ):
        mentions += len(extraction.mentions)
        if cache is not None:
            cache.add(paper_key(extraction.paper), extraction)
        if done % args.every == 0:
            seconds = time.perf_counter() - started
            rss, cpu = usage()
            reports.append((done, seconds, rss))
            print(
                f"{done:>10} {seconds:>8.0f} {done / seconds:>7.0f} {cpu:>8.0f} {rss:>8.0f} "
                f"{mentions:>10}",
                flush=True,
            )
            if args.max_minutes and seconds > args.max_minutes * 60:
                print(f"stopped after {args.max_minutes} minutes (--max-minutes)")
                break
    if cache is not None:
        cache.flush()
    seconds = time.perf_counter() - started
    rate = done / seconds
    print(
        f"\n{done} abstracts in {seconds:.0f} s: {rate:.0f} abstracts/s, {args.workers} worker(s)"
    )
    if len(reports) > 1:
        (n0, t0, _), (n1, t1, _) = reports[0], reports[-1]
        rate = (n1 - n0) / (t1 - t0)
        memory = [r for _, _, r in reports]
        print(f"steady rate (first report to last, start-up excluded): {rate:.0f} abstracts/s")
        print(
            f"RSS from the first report to the last: {memory[0]:.0f} -> {memory[-1]:.0f} MB "
            f"(min {min(memory):.0f}, max {max(memory):.0f})"
        )
    for target in (1_000_000, 2_700_000):
        print(f"at this rate {target:,} abstracts take {target / rate / 3600:.1f} h")


if __name__ == "__main__":
    main()
