"""Time the HTML view in headless Chromium: seconds to a settled, drawn page, and per redraw.

Synthetic paper-entity graphs of about 100, 1,000 and 5,000 nodes (papers mentioning
entities with a skewed popularity) go through the same bipartite view and page as
`kg export html`. For each size it prints the time to write the page (Python: view,
layout above the physics limit, rendering), the time until the page says it is ready
(stabilised, physics off, drawn: ``window.kgReady``), and the time one redraw takes
after a zoom (how responsive the page stays).

    .venv/bin/python benchmarks/view_speed.py [--sizes 100 1000 5000]

The concept map (#19, the default view above 2,000 papers) is timed too: a synthetic one
of 300 terms over 50,000 papers, or with ``--db kg.db`` the map of a real database (the
seconds to read it from the store, cold or warm as the server is, then to write and draw
it). For each it prints the mean degree, the isolated nodes and whether the legend and
every cluster label are on the drawn page.

    .venv/bin/python benchmarks/view_speed.py --db /tmp/big/kg.db --sizes
"""

import argparse
import random
import tempfile
import time
from pathlib import Path

import networkx as nx

from kg.export import ViewSpec, build_view, from_rows, write_html
from kg.export.overview import map_view, read_map
from tests.browser import Browser, find_chromium

TYPES = ("Method", "Dataset", "Model", "Task", "Metric")
REDRAW = """
new Promise(resolve => {
  const start = performance.now();
  network.once("afterDrawing", () => resolve(performance.now() - start));
  network.moveTo({scale: network.getScale() * 1.3});
})
"""


def synthetic_rows(nodes: int, *, seed: int = 0) -> tuple[list[dict], list[dict], list[dict]]:  # type: ignore[type-arg]
    """About ``nodes`` papers and entities; each paper mentions 3-8 entities, popular ones more."""
    rng = random.Random(seed)
    n_papers = nodes * 2 // 5
    n_entities = nodes - n_papers
    papers = [
        {"id": f"p{i}", "title": f"Paper {i} on things", "date": f"2026-01-{1 + i % 28:02d}"}
        for i in range(n_papers)
    ]
    entities = [
        {"key": f"e{i}", "name": f"Entity {i}", "type": TYPES[i % 5], "aliases": [f"E{i}"]}
        for i in range(n_entities)
    ]
    weights = [1 / (i + 1) ** 0.8 for i in range(n_entities)]
    links = []
    for i in range(n_papers):
        for j in set(rng.choices(range(n_entities), weights=weights, k=rng.randint(3, 8))):
            links.append(
                {
                    "paper": f"p{i}",
                    "target": f"e{j}",
                    "rel": "MENTIONS",
                    "count": 1,
                    "evidence": f"Paper {i} uses Entity {j}.",
                }
            )
    # Every entity is named at least once, so the view keeps it.
    for j in range(n_entities):
        links.append(
            {
                "paper": f"p{j % n_papers}",
                "target": f"e{j}",
                "rel": "MENTIONS",
                "count": 1,
                "evidence": "",
            }
        )
    return papers, entities, links


def synthetic_map(terms: int = 300, papers: int = 50_000, *, seed: int = 0) -> nx.Graph:
    """A concept map of ``terms`` terms in 12 topics over ``papers`` papers (map_view's rows)."""
    rng = random.Random(seed)
    rows, papers_of = [], {}
    for i in range(terms):
        count = int(3000 / (i + 1) ** 0.6)
        topic = i % 12
        # Papers of one topic are the ids congruent to it: terms of a topic co-occur.
        pool = range(topic, papers, 12)
        papers_of[f"t{i}"] = [f"p{j}" for j in rng.sample(pool, min(count, len(pool)))]
        rows.append(
            {
                "key": f"t{i}",
                "name": f"Term {i}",
                "type": TYPES[i % 5],
                "kind": "named",
                "papers": count,
                "score": float(count),
            }
        )
    info = [{"id": f"p{j}", "title": f"Paper {j}", "date": ""} for j in range(papers)]
    view, _ = map_view(rows, papers_of, info, total=papers)
    return view


def time_map(browser: Browser, view: nx.Graph, notes: list[str], page: Path, read: float) -> None:
    """Write and draw one concept map; print its timings and what the page shows."""
    start = time.perf_counter()
    stats = write_html(view, page, title="kg: concept map", notes=notes)
    written = time.perf_counter() - start
    ready = browser.open(page, timeout=120)
    redraw = browser.evaluate(REDRAW)
    legend = browser.evaluate("document.querySelectorAll('#legend .cluster-row').length")
    labels = browser.evaluate(
        "Array.from(document.querySelectorAll('.cluster-label'))"
        ".filter(e => e.getBoundingClientRect().width > 0).length"
    )
    if browser.errors:
        raise SystemExit(f"console errors: {browser.errors}")
    n = view.number_of_nodes()
    isolated = sum(1 for _, d in view.degree() if d == 0)
    print(
        f"{n:>6} {stats.edges:>6} {2 * stats.edges / max(n, 1):>7.1f} {isolated / max(n, 1):>8.1%}"
        f" {read:>7.2f} {written:>8.2f} {ready:>8.2f} {redraw:>9.0f} "
        f"{legend:>2} legend rows, {labels}/{len(view.graph['communities'])} cluster labels"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="*", default=[100, 1000, 5000])
    parser.add_argument("--db", help="also time the concept map of this database")
    args = parser.parse_args()
    if find_chromium() is None:
        raise SystemExit("chromium is not installed (apt-get install chromium)")
    with tempfile.TemporaryDirectory() as folder, Browser(width=1400, height=1000) as browser:
        print(
            f"{'terms':>6} {'edges':>6} {'degree':>7} {'isolated':>8} {'read s':>7} "
            f"{'write s':>8} {'ready s':>8} {'redraw ms':>9}  concept map"
        )
        time_map(browser, synthetic_map(), [], Path(folder) / "map.html", 0.0)
        if args.db:
            from kg.store import open_store

            start = time.perf_counter()
            with open_store(args.db, for_reading=True) as store:
                view, notes = read_map(store)
            time_map(browser, view, notes, Path(folder) / "db.html", time.perf_counter() - start)
    if not args.sizes:
        return
    print(
        f"{'nodes':>6} {'edges':>6} {'physics':>7} {'write s':>8} {'ready s':>8} {'redraw ms':>9}"
    )
    with tempfile.TemporaryDirectory() as folder, Browser() as browser:
        for size in args.sizes:
            view, notes = build_view(from_rows(*synthetic_rows(size)), ViewSpec(view="bipartite"))
            page = Path(folder) / f"view{size}.html"
            start = time.perf_counter()
            stats = write_html(view, page, notes=notes)
            written = time.perf_counter() - start
            ready = browser.open(page, timeout=120)
            redraw = browser.evaluate(REDRAW)
            if browser.errors:
                raise SystemExit(f"console errors: {browser.errors}")
            print(
                f"{stats.nodes:>6} {stats.edges:>6} {'on' if stats.physics else 'off':>7} "
                f"{written:>8.2f} {ready:>8.2f} {redraw:>9.0f}"
            )


if __name__ == "__main__":
    main()
