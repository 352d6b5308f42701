"""Extraction throughput against spaCy's bare tokenizer, on the same abstracts, in one run.

    python benchmarks/extract_speed.py                 # 10,000 abstracts, 1 worker
    python benchmarks/extract_speed.py --workers 2     # also 2 worker processes
    python benchmarks/extract_speed.py --no-ner        # rules and catalog only

Reads the first N abstracts (in sorted file order) of ../shared/data/corpus/paperlists and
prints abstracts/s for (a) ``spacy.blank("en")``'s tokenizer alone, (b) kg's full extractor
(one process), and the ratio b/a; with ``--workers N`` also kg's parallel extraction
(``kg extract --workers``) with (c) one and (d) N processes, each started fresh in the
same way, and d/c. The machine is shared and noisy, so (a) and (b) alternate on blocks of
500 abstracts, and only ratios measured in the same run are compared, not seconds.
"""

import argparse
import gzip
import json
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import spacy

from kg.extract import extract, load_nlp
from kg.extract import workers as workers_module
from kg.extract.workers import extract_parallel
from kg.models import Paper

_BLOCK = 500  # abstracts timed at a time, alternating tokenizer and extractor
CORPUS = Path(__file__).resolve().parents[2] / "shared" / "data" / "corpus" / "paperlists"


def read_abstracts(limit: int) -> list[Paper]:
    papers: list[Paper] = []
    for path in sorted(CORPUS.glob("*/*.json.gz")):
        with gzip.open(path, "rt", encoding="utf-8") as f:
            for record in json.load(f):
                if record.get("abstract") and record.get("title"):
                    papers.append(Paper(str(len(papers)), record["title"], record["abstract"]))
                    if len(papers) == limit:
                        return papers
    return papers


def timed(run: Iterator[object]) -> float:
    started = time.perf_counter()
    for _ in run:
        pass
    return time.perf_counter() - started


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--abstracts", type=int, default=10_000)
    parser.add_argument("--workers", type=int, default=1)
    parser.add_argument("--no-ner", action="store_true", help="rules and catalog only")
    parser.add_argument("--time-workers", type=int, help=argparse.SUPPRESS)  # internal
    args = parser.parse_args()
    if args.time_workers:
        _time_workers(args.time_workers, args.abstracts, not args.no_ner)
        return

    papers = read_abstracts(args.abstracts)
    texts = [p.title + "\n\n" + p.abstract for p in papers]
    tokenizer = spacy.blank("en").tokenizer
    nlp = load_nlp(ner=not args.no_ner)
    list(extract(nlp, papers[:50]))  # warm up: vocab, regex and catalog caches

    # Alternate the two on blocks of abstracts, so a burst of load from other processes on
    # the shared machine slows both rather than one of them.
    tokenizer_s = one_s = 0.0
    for i in range(0, len(papers), _BLOCK):
        tokenizer_s += timed(tokenizer.pipe(texts[i : i + _BLOCK]))
        one_s += timed(extract(nlp, papers[i : i + _BLOCK]))
    n = len(papers)
    print(f"abstracts: {n} from {CORPUS}")
    print(f"(a) tokenizer only      {n / tokenizer_s:>8,.0f} abstracts/s")
    print(
        f"(b) kg extractor        {n / one_s:>8,.0f} abstracts/s   b/a = {tokenizer_s / one_s:.2f}"
    )
    if args.workers > 1:
        # Each in a fresh process, as `kg extract --workers N` runs: same cold start, same
        # pipeline build (not timed), then the extraction of all abstracts, timed.
        one = _time_in_fresh_process(1, args)
        many = _time_in_fresh_process(args.workers, args)
        print(f"(c) kg, 1 worker        {n / one:>8,.0f} abstracts/s   (a fresh process)")
        print(
            f"(d) kg, {args.workers} workers      {n / many:>8,.0f} abstracts/s   "
            f"d/c = {one / many:.2f}  (a fresh process; includes starting the workers)"
        )


def _time_in_fresh_process(workers: int, args: argparse.Namespace) -> float:
    """Seconds `extract_parallel(workers=...)` takes over the abstracts, in a new process."""
    command = [sys.executable, __file__, "--abstracts", str(args.abstracts)]
    command += ["--time-workers", str(workers)] + (["--no-ner"] if args.no_ner else [])
    done = subprocess.run(command, check=True, capture_output=True, text=True)
    return float(done.stdout.strip().splitlines()[-1])


def _time_workers(workers: int, abstracts: int, ner: bool) -> None:
    """Print the seconds extracting ``abstracts`` abstracts takes in ``workers`` processes."""
    papers = read_abstracts(abstracts)
    workers_module.pipeline(ner)  # what both runs pay first: spaCy, the catalog, the tagger
    print(timed(extract_parallel(papers, workers=workers, ner=ner)))


if __name__ == "__main__":
    main()
