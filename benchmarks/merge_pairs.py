"""Pair precision and recall of kg's entity merges on a hand-labelled Daily Papers test set.

    python benchmarks/merge_pairs.py [--pairs N] [--errors]

The test set (benchmarks/data/merge_pairs.jsonl, built as benchmarks/data/README.md
describes) holds pairs of names, each as it is written in one Daily Papers record
(arXiv id + surface), labelled ``same``, ``variant`` or ``different``. This script
reads the records from ../shared/data/corpus/hf-daily-papers (no licence is stated
for them, so their text is read here, never copied into the project), runs kg's
real pipeline on the whole corpus (read -> extract -> link), finds the entity each
labelled surface was linked to in its paper, and prints:

- merges: a pair is predicted merged when both surfaces reach one entity; gold
  positives are the ``same`` pairs.
- variants: a pair is predicted a variant when a chain of ``VARIANT_OF`` links
  joins the two entities (either way); gold positives are the ``variant`` pairs.

A surface kg did not link at all counts as not merged, so recall covers extraction
misses too; the share of pairs with both surfaces found is printed beside it.
"""

import argparse
import json
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from spacy.language import Language

from kg.evaluate.scoring import Score
from kg.extract import extract, load_nlp
from kg.link import link
from kg.models import Graph, Paper
from kg.names import name_key
from kg.readers.ids import paper_id
from kg.readers.ingest import read_papers

CORPUS = Path(__file__).resolve().parents[2] / "shared" / "data" / "corpus" / "hf-daily-papers"
PAIRS = Path(__file__).resolve().parent / "data" / "merge_pairs.jsonl"
LABELS = ("same", "variant", "different")


@dataclass(frozen=True, slots=True)
class Pair:
    id: int
    a: tuple[str, str]  # (arXiv id, surface)
    b: tuple[str, str]
    label: str


def load_pairs(path: Path = PAIRS) -> list[Pair]:
    """The labelled pairs, without those whose surface is no entity name (``not-a-name``)."""
    pairs = []
    for line in path.read_text("utf-8").splitlines():
        row = json.loads(line)
        if row["label"] in LABELS:
            a, b = ((row[side]["paper"], row[side]["surface"]) for side in "ab")
            pairs.append(Pair(row["id"], a, b, row["label"]))
    return pairs


def read_corpus(only: Iterable[str] | None = None) -> list[Paper]:
    """The Daily Papers records (those with the arXiv ids in ``only``, when given)."""
    wanted = None if only is None else {paper_id("", arxiv_id=a) for a in only}
    papers = read_papers(CORPUS / "papers", errors=[])  # 7 records without abstract
    return [p for p in papers if wanted is None or p.id in wanted]


def build_graph(papers: list[Paper], nlp: Language | None = None) -> Graph:
    """kg's pipeline as ``kg build`` runs it: the full extractor, then the linker."""
    return link(extract(nlp or load_nlp(), papers))


class Resolver:
    """Find the entity a surface was linked to in one paper."""

    def __init__(self, graph: Graph):
        self.by_paper: dict[str, list[tuple[str, tuple[str, ...]]]] = defaultdict(list)
        for mention in graph.mentions:
            self.by_paper[mention.paper_id].append((mention.key, mention.surfaces))
        self.entities = graph.entities
        self.parents: dict[str, set[str]] = defaultdict(set)
        for variant in graph.variants:
            self.parents[variant.key].add(variant.parent)

    def entity(self, arxiv_id: str, surface: str) -> str | None:
        """The key of the entity ``surface`` names in that paper: same spelling first,
        then the same up to case, then the same :func:`name_key`, then an entity the
        paper is linked to that goes by that name; None when kg has none."""
        links = self.by_paper.get(paper_id("", arxiv_id=arxiv_id), [])
        key = name_key(surface)
        tests = [
            lambda s: s == surface,
            lambda s: s.casefold() == surface.casefold(),
            lambda s: name_key(s) == key,
        ]
        for test in tests:
            found = sorted(k for k, surfaces in links if any(test(s) for s in surfaces))
            if found:
                return key if key in found else found[0]
        # A wider span linked the paper to an entity of that name: ``a single VLM``.
        for k, _ in links:
            entity = self.entities[k]
            if key in {name_key(n) for n in (entity.canonical, entity.name, *entity.aliases)}:
                return k
        return None

    def ancestors(self, key: str) -> set[str]:
        seen: set[str] = set()
        todo = [key]
        while todo:
            for parent in self.parents.get(todo.pop(), ()):
                if parent not in seen:
                    seen.add(parent)
                    todo.append(parent)
        return seen

    def variant(self, a: str, b: str) -> bool:
        return a != b and (b in self.ancestors(a) or a in self.ancestors(b))


def score(pairs: list[Pair], graph: Graph) -> dict[str, object]:
    """Merge and variant scores of ``graph`` on ``pairs``, with the pairs it got wrong."""
    resolver = Resolver(graph)
    counts = {kind: [0, 0, 0] for kind in ("same", "variant")}  # tp, predicted, gold
    found_both = 0
    errors = []
    for pair in pairs:
        a, b = resolver.entity(*pair.a), resolver.entity(*pair.b)
        found_both += a is not None and b is not None
        predicted = {
            "same": a is not None and a == b,
            "variant": a is not None and b is not None and resolver.variant(a, b),
        }
        for kind, hit in predicted.items():
            gold = pair.label == kind
            counts[kind][0] += hit and gold
            counts[kind][1] += hit
            counts[kind][2] += gold
            if hit != gold:
                errors.append((kind, "missed" if gold else "wrong", pair, a, b))
    return {
        "pairs": len(pairs),
        "found_both": found_both,
        "merges": Score(*counts["same"]),
        "variants": Score(*counts["variant"]),
        "errors": errors,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pairs", type=int, help="score only the first N labelled pairs")
    parser.add_argument("--errors", action="store_true", help="list the pairs kg got wrong")
    args = parser.parse_args()
    pairs = load_pairs()[: args.pairs]
    papers = read_corpus()
    result = score(pairs, build_graph(papers))
    labels = {label: sum(p.label == label for p in pairs) for label in LABELS}
    print(f"records: {len(papers)}; labelled pairs: {len(pairs)} {labels}")
    print(f"pairs with both surfaces linked to an entity: {result['found_both']}")
    for kind in ("merges", "variants"):
        s = result[kind]
        assert isinstance(s, Score)
        print(
            f"{kind}: precision {s.precision:.3f}  recall {s.recall:.3f}  "
            f"(tp {s.tp}, predicted {s.predicted}, gold {s.support})"
        )
    if args.errors:
        for kind, how, pair, a, b in result["errors"]:  # type: ignore[attr-defined]
            print(f"{kind:8} {how:6} {pair.label:9} #{pair.id} {pair.a} -> {a} | {pair.b} -> {b}")


if __name__ == "__main__":
    main()
