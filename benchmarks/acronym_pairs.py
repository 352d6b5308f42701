"""Acronym definition pairs against the SDU@AAAI-21 acronym-identification annotations.

    python benchmarks/acronym_pairs.py [--split dev|truth] [--as-tokens] [--misses]

The gold (../shared/data/gold/sdu-acronyms/AI, CC BY-NC-SA 4.0: read here, never shipped)
tags short and long forms in arXiv sentences but does not say which goes with which, so
only sentences with exactly one short and one long form define a gold pair. kg's
``find_acronyms`` runs on every sentence: tokens joined by spaces, and a hyphen between
two words joined to them as the text had it (``side - stream`` -> ``side-stream``, in the
gold forms too; ``--as-tokens`` keeps the spaces). A predicted pair in a scored sentence
is correct when both its short and its long form equal the gold ones.
Predicted pairs in sentences with other gold (no pair, or several) are counted apart.
"""

import argparse
import json
import re
from pathlib import Path

from kg.extract.acronyms import find_acronyms
from kg.names import name_key

_SPACED_HYPHEN = re.compile(r"(?<=\w) - (?=\w)")

GOLD = Path(__file__).resolve().parents[2] / "shared" / "data" / "gold" / "sdu-acronyms" / "AI"


def spans(tokens: list[str], labels: list[str], kind: str) -> list[str]:
    found: list[list[str]] = []
    for token, label in zip(tokens, labels, strict=True):
        if label == f"B-{kind}":
            found.append([token])
        elif label == f"I-{kind}" and found:
            found[-1].append(token)
    return [" ".join(words) for words in found]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--split", default="dev", choices=["dev", "truth"])
    parser.add_argument("--misses", action="store_true", help="print the gold pairs missed")
    parser.add_argument("--as-tokens", action="store_true", help="keep spaces around hyphens")
    args = parser.parse_args()

    def text(words: str) -> str:
        return words if args.as_tokens else _SPACED_HYPHEN.sub("-", words)

    records = json.loads((GOLD / f"{args.split}.json").read_text(encoding="utf-8"))

    tp = predicted = gold_pairs = other_predicted = 0
    for record in records:
        tokens, labels = record["tokens"], record["labels"]
        shorts = [text(s) for s in spans(tokens, labels, "short")]
        longs = [text(s) for s in spans(tokens, labels, "long")]
        found = {(a.short, name_key(a.long)) for a in find_acronyms(text(" ".join(tokens)))}
        if len(shorts) == 1 and len(longs) == 1:
            gold_pairs += 1
            predicted += len(found)
            hit = (shorts[0], name_key(longs[0])) in found
            tp += hit
            if args.misses and not hit:
                print(f"missed {shorts[0]} = {longs[0]}; found {sorted(found)}")
                print("   ", " ".join(tokens))
        else:
            other_predicted += len(found)
    precision = tp / predicted if predicted else 0.0
    recall = tp / gold_pairs if gold_pairs else 0.0
    f1 = 2 * precision * recall / (precision + recall) if tp else 0.0
    print(f"sentences: {len(records)} ({args.split}); with one gold pair: {gold_pairs}")
    print(
        f"pairs: precision {precision:.3f}  recall {recall:.3f}  F1 {f1:.3f}  "
        f"(tp {tp}, predicted {predicted})"
    )
    print(f"pairs predicted in sentences without a single gold pair: {other_predicted}")


if __name__ == "__main__":
    main()
