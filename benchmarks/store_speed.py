"""Measure the embedded store's write path: papers/s and mentions/s with UNWIND ... MERGE.

Builds a synthetic graph (N papers, each mentioning M of a pool of entities), writes it
to a fresh FalkorDB file with kg's own write queries, then writes it again (the re-run
must change nothing) and prints rates and the ratio of the two runs, measured in one run.

    python benchmarks/store_speed.py --papers 20000 --mentions 8
"""

import argparse
import random
import tempfile
import time
from pathlib import Path

from kg.models import Entity, EntityType, Graph, Paper, PaperEntity
from kg.store import FalkorStore, write_graph


def synthetic_graph(papers: int, mentions: int, entities: int, seed: int = 0) -> Graph:
    rng = random.Random(seed)
    types = list(EntityType)
    pool = {
        f"entity {i}": Entity(f"entity {i}", f"Entity {i}", f"E{i}", types[i % len(types)], ())
        for i in range(entities)
    }
    keys = list(pool)
    paper_rows = [
        Paper(id=f"title:{i:016x}", title=f"Paper {i}", abstract="An abstract. " * 40)
        for i in range(papers)
    ]
    links = [
        PaperEntity(p.id, key, 1, "Evidence sentence.", (key,), "abstract", 0, 5, False)
        for p in paper_rows
        for key in rng.sample(keys, mentions)
    ]
    return Graph(paper_rows, pool, links, [], [])


def _timed_write(store: FalkorStore, graph: Graph, batch_size: int) -> dict[str, float]:
    """Write ``graph`` once; return seconds per write query and in total."""
    seconds: dict[str, float] = {}
    last = started = time.perf_counter()

    def progress(name: str, rows: int) -> None:
        nonlocal last
        now = time.perf_counter()
        seconds[name] = seconds.get(name, 0.0) + now - last
        last = now

    write_graph(store, graph, batch_size=batch_size, progress=progress)
    seconds["total"] = time.perf_counter() - started
    return seconds


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--papers", type=int, default=20_000)
    parser.add_argument("--mentions", type=int, default=8, help="mentions per paper")
    parser.add_argument("--entities", type=int, default=5_000)
    parser.add_argument("--batch-size", type=int, default=10_000)
    args = parser.parse_args()

    graph = synthetic_graph(args.papers, args.mentions, args.entities)
    with tempfile.TemporaryDirectory() as folder, FalkorStore(Path(folder) / "bench.db") as store:
        runs = [_timed_write(store, graph, args.batch_size) for _ in range(2)]
        nodes = store.run("MATCH (n) RETURN count(n)").rows[0][0]
        rels = store.run("MATCH ()-[r]->() RETURN count(r)").rows[0][0]

    papers, links = len(graph.papers), len(graph.mentions)
    first, second = runs
    print(f"papers={papers} entities={len(graph.entities)} mentions={links}")
    print(f"write_papers:   {papers / first['write_papers']:>10,.0f} papers/s")
    print(f"write_mentions: {links / first['write_mentions']:>10,.0f} mentions/s")
    print(
        f"whole graph:    {first['total']:.2f} s first write, {second['total']:.2f} s re-run "
        f"(re-run / first = {second['total'] / first['total']:.2f})"
    )
    print(
        f"graph after both runs: {nodes} nodes, {rels} relationships "
        f"(expected {papers + len(graph.entities)} and {links})"
    )


if __name__ == "__main__":
    main()
