"""Build the first N papers of a corpus into a database, or compare two databases' graphs.

A refactoring that must not change the graph is checked by building the same input with
the old and the new code and comparing every node (labels, properties) and relationship
(type, properties, both ends) as multisets:

    python scripts/graph_diff.py build old.db ../shared/data/corpus/paperlists --first 5000
    # ... check out the new code ...
    python scripts/graph_diff.py build new.db ../shared/data/corpus/paperlists --first 5000
    python scripts/graph_diff.py diff old.db new.db

``--with-abstract`` keeps only papers that have an abstract, for comparing against code
that rejected title-only records. The exit status of ``diff`` is 1 when the graphs differ.
"""

import argparse
import sys
from collections import Counter
from itertools import islice
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from tests.dumps import describe_difference, dump_db  # noqa: E402


def build(
    db: Path, inputs: list[str], first: int | None, with_abstract: bool, workers: int
) -> None:
    from kg.build import build_graph, extract_papers, store_graph
    from kg.readers.dedupe import merge_papers
    from kg.readers.ingest import read_papers
    from kg.store import FalkorStore

    papers = (p for path in inputs for p in read_papers(path, errors=[]))
    if with_abstract:
        papers = (p for p in papers if p.abstract)
    chosen = merge_papers(islice(papers, first))
    graph = build_graph(extract_papers(chosen, workers=workers))
    with FalkorStore(db) as store:
        store_graph(store, graph)
    print(f"{db}: {len(graph.papers)} papers, {len(graph.entities)} entities")


def diff(a: Path, b: Path) -> int:
    first, second = dump_db(a), dump_db(b)
    for part in ("nodes", "relationships"):
        counts = [sum(first[part].values()), sum(second[part].values())]
        print(f"{part}: {counts[0]} in {a}, {counts[1]} in {b}")
    print(describe_difference(second, first))
    by_label: Counter[str] = Counter()
    for key in second["nodes"] - first["nodes"]:
        by_label["+ " + key.split("]", 1)[0].lstrip("[")] += 1
    for key in first["nodes"] - second["nodes"]:
        by_label["- " + key.split("]", 1)[0].lstrip("[")] += 1
    for label, n in sorted(by_label.items()):
        print(f"  nodes {label}]: {n}")
    return 0 if first == second else 1


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    sub = parser.add_subparsers(dest="command", required=True)
    b = sub.add_parser("build", help="build the first N papers of INPUT into DB")
    b.add_argument("db", type=Path)
    b.add_argument("inputs", nargs="+")
    b.add_argument("--first", type=int, default=None)
    b.add_argument("--with-abstract", action="store_true")
    b.add_argument("--workers", type=int, default=2)
    d = sub.add_parser("diff", help="compare the graphs of two databases")
    d.add_argument("a", type=Path)
    d.add_argument("b", type=Path)
    args = parser.parse_args()
    if args.command == "build":
        build(args.db, args.inputs, args.first, args.with_abstract, args.workers)
    else:
        sys.exit(diff(args.a, args.b))


if __name__ == "__main__":
    main()
