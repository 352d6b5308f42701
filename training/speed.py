"""Measure a pipeline's tokens per second against spaCy's bare tokenizer on real abstracts.

The abstracts are a fixed sample of the paperlists corpus (every n-th non-empty abstract
over the sorted files). Each timing is the best of ``--repeats`` runs, single process.

    python training/speed.py kg/data/ner
"""

import argparse
import gzip
import json
import time
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

import spacy
from spacy.tokens import Doc

import kg.extract  # noqa: F401  (registers kg_ner, to load kg/data/ner)

__all__ = ["main", "read_abstracts", "tokens_per_second"]

PAPERLISTS = Path(__file__).resolve().parents[2] / "shared" / "data" / "corpus" / "paperlists"


def read_abstracts(folder: Path, *, limit: int = 2000) -> list[str]:
    """Return ``limit`` abstracts spread evenly over the sorted ``*/*.json.gz`` files."""
    texts: list[str] = []
    for path in sorted(folder.glob("*/*.json.gz")):
        with gzip.open(path, "rt", encoding="utf-8") as file:
            texts.extend(
                paper["abstract"].strip() for paper in json.load(file) if paper.get("abstract")
            )
    texts = [text for text in texts if text]
    return texts[:: max(1, len(texts) // limit)][:limit]


def tokens_per_second(run: Callable[[], Iterable[Doc]], *, repeats: int = 3) -> float:
    """Return the best tokens per second of ``repeats`` calls of ``run``."""
    best = float("inf")
    tokens = 0
    for _ in range(repeats):
        start = time.perf_counter()
        tokens = sum(len(doc) for doc in run())
        best = min(best, time.perf_counter() - start)
    return tokens / best


def main(argv: list[str] | None = None) -> None:
    """Print tokens/s of the tokenizer and of the pipeline, and their ratio, as JSON."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("model", type=Path, help="a pipeline folder, e.g. kg/data/ner")
    parser.add_argument("--abstracts", type=int, default=2000)
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--batch-size", type=int, default=None, help="default: the model's")
    parser.add_argument("--paperlists", type=Path, default=PAPERLISTS)
    args = parser.parse_args(argv)
    texts = read_abstracts(args.paperlists, limit=args.abstracts)
    tokenizer: Any = spacy.blank("en").tokenizer  # a Cython class without type stubs
    nlp = spacy.load(args.model)
    batch_size = args.batch_size or nlp.batch_size
    list(nlp.pipe(texts[:50]))  # warm up
    bare = tokens_per_second(lambda: tokenizer.pipe(texts), repeats=args.repeats)
    full = tokens_per_second(lambda: nlp.pipe(texts, batch_size=batch_size), repeats=args.repeats)
    result = {
        "abstracts": len(texts),
        "tokens": sum(len(doc) for doc in tokenizer.pipe(texts)),
        "tokenizer_tokens_per_s": round(bare),
        "pipeline_tokens_per_s": round(full),
        "ratio": round(full / bare, 3),
        "batch_size": batch_size,
    }
    print(json.dumps(result))


if __name__ == "__main__":
    main()
