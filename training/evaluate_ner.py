"""Score a trained NER pipeline alone on SciERC dev, the held-out dataset sentences and
GSAP-NER dev.

Each gold doc's text is run through the pipeline as raw text (as kg will run it), and a
predicted entity counts only when its character offsets and label equal a gold one
(exact span match). SciERC dev is scored on all four labels, micro-averaged and per
type; the held-out dataset-mention sentences on DATASET alone (they annotate nothing
else), counting a DATASET predicted anywhere else as a false positive; GSAP-NER's dev
publications on MODEL, METHOD, DATASET and TASK (it has no metrics), with a
"MODEL+DATASET" row: both types, micro-averaged.

    python training/evaluate_ner.py kg/data/ner            # after training/convert.py
"""

import argparse
import json
from collections import Counter
from collections.abc import Iterable
from pathlib import Path

import spacy
from spacy.language import Language
from spacy.tokens import DocBin

import kg.extract  # noqa: F401  (registers kg_ner, to load kg/data/ner)

__all__ = ["main", "score", "to_spans"]

CORPUS = Path(__file__).parent / "corpus"
GSAP_SCORED = {"MODEL", "METHOD", "DATASET", "TASK"}
SCIERC_SCORED = {"METHOD", "TASK", "DATASET", "METRIC"}


def to_spans(
    docs: Iterable[spacy.tokens.Doc], *, labels: set[str] | None = None
) -> list[set[tuple[int, int, str]]]:
    """Return each doc's entities as ``(start_char, end_char, label)``, optionally filtered.

    >>> nlp = spacy.blank("en")
    >>> doc = nlp("We use BERT.")
    >>> doc.ents = [doc.char_span(7, 11, label="METHOD")]
    >>> to_spans([doc])
    [{(7, 11, 'METHOD')}]
    """
    return [
        {
            (ent.start_char, ent.end_char, ent.label_)
            for ent in doc.ents
            if labels is None or ent.label_ in labels
        }
        for doc in docs
    ]


def score(
    gold: list[set[tuple[int, int, str]]], predicted: list[set[tuple[int, int, str]]]
) -> dict[str, dict[str, float]]:
    """Return exact-match precision, recall and F1, micro ("ALL") and per label.

    >>> score([{(0, 4, "TASK"), (9, 12, "METHOD")}], [{(0, 4, "TASK"), (9, 11, "METHOD")}])
    ... # doctest: +NORMALIZE_WHITESPACE
    {'ALL': {'p': 0.5, 'r': 0.5, 'f': 0.5, 'tp': 1, 'fp': 1, 'fn': 1},
     'METHOD': {'p': 0.0, 'r': 0.0, 'f': 0.0, 'tp': 0, 'fp': 1, 'fn': 1},
     'TASK': {'p': 1.0, 'r': 1.0, 'f': 1.0, 'tp': 1, 'fp': 0, 'fn': 0}}
    """
    counts: Counter[tuple[str, str]] = Counter()
    for gold_spans, predicted_spans in zip(gold, predicted, strict=True):
        for outcome, spans in [
            ("tp", gold_spans & predicted_spans),
            ("fp", predicted_spans - gold_spans),
            ("fn", gold_spans - predicted_spans),
        ]:
            for *_, label in spans:
                counts[label, outcome] += 1
                counts["ALL", outcome] += 1
    labels = sorted({label for label, _ in counts} - {"ALL"})
    return {label: _prf(counts, label) for label in ["ALL", *labels]}


def main(argv: list[str] | None = None) -> None:
    """Print the scores as a table, or as JSON with ``--json``."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("model", type=Path, help="a pipeline folder, e.g. kg/data/ner")
    parser.add_argument("--corpus", type=Path, default=CORPUS, help="convert.py's output")
    parser.add_argument("--json", action="store_true", help="print JSON")
    args = parser.parse_args(argv)
    nlp = spacy.load(args.model)
    results = {
        "scierc_dev": _evaluate(nlp, args.corpus / "scierc_dev.spacy", labels=SCIERC_SCORED),
        "dataset_heldout": _evaluate(
            nlp, args.corpus / "dataset_heldout.spacy", labels={"DATASET"}
        ),
    }
    if (args.corpus / "gsap_dev.spacy").exists():
        gsap = _evaluate(nlp, args.corpus / "gsap_dev.spacy", labels=GSAP_SCORED)
        both = _evaluate(nlp, args.corpus / "gsap_dev.spacy", labels={"MODEL", "DATASET"})
        results["gsap_dev"] = {**gsap, "MODEL+DATASET": both["ALL"]}
    if args.json:
        print(json.dumps(results, indent=1))
        return
    for name, table in results.items():
        print(f"{name}:")
        for label, row in table.items():
            print(
                f"  {label:13} P {row['p']:.3f}  R {row['r']:.3f}  F1 {row['f']:.3f}"
                f"  (tp {row['tp']}, fp {row['fp']}, fn {row['fn']})"
            )


def _evaluate(nlp: Language, path: Path, *, labels: set[str]) -> dict[str, dict[str, float]]:
    """Run ``nlp`` on the texts of the gold docs in ``path`` and score its entities of
    ``labels``; where MODEL is not one of them, a predicted MODEL counts as METHOD."""
    gold_docs = list(DocBin().from_disk(path).get_docs(nlp.vocab))
    predicted = to_spans(nlp.pipe(doc.text for doc in gold_docs))
    gold = to_spans(gold_docs, labels=labels)
    if "MODEL" not in labels:  # SciERC calls models methods
        predicted = [{(a, b, "METHOD" if t == "MODEL" else t) for a, b, t in s} for s in predicted]
    predicted = [{span for span in spans if span[2] in labels} for spans in predicted]
    return score(gold, predicted)


def _prf(counts: Counter[tuple[str, str]], label: str) -> dict[str, float]:
    """Precision, recall and F1 of one label from its tp/fp/fn counts."""
    tp, fp, fn = (counts[label, outcome] for outcome in ("tp", "fp", "fn"))
    p = tp / (tp + fp) if tp + fp else 0.0
    r = tp / (tp + fn) if tp + fn else 0.0
    f = 2 * p * r / (p + r) if p + r else 0.0
    return {"p": round(p, 4), "r": round(r, 4), "f": round(f, 4), "tp": tp, "fp": fp, "fn": fn}


if __name__ == "__main__":
    main()
