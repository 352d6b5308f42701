"""Extraction throughput against spaCy's bare tokenizer, on the same abstracts, in one run.

    python benchmarks/extract_speed.py                 # 10,000 abstracts, 1 worker
    python benchmarks/extract_speed.py --workers 2     # also 2 worker processes
    python benchmarks/extract_speed.py --no-ner        # rules and catalog only

Reads the first N abstracts (in sorted file order) of ../shared/data/corpus/paperlists and
prints abstracts/s for (a) ``spacy.blank("en")``'s tokenizer alone, (b) kg's full extractor
(one process), and the ratio b/a; with ``--workers N`` also (c) N processes and c/b. The
machine is shared and noisy, so (a) and (b) alternate on blocks of 500 abstracts, and
only ratios measured in the same run are compared, not seconds.
"""

import argparse
import gzip
import json
import time
from collections.abc import Iterator
from pathlib import Path

import spacy

from kg.extract import extract, load_nlp
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
    args = parser.parse_args()

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
        many_s = timed(extract_parallel(papers, workers=args.workers, ner=not args.no_ner))
        print(
            f"(c) kg, {args.workers} workers      {n / many_s:>8,.0f} abstracts/s   "
            f"c/b = {one_s / many_s:.2f}  (includes starting the workers)"
        )


if __name__ == "__main__":
    main()
