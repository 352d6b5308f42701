"""Time the HTML view in headless Chromium: seconds to a settled, drawn page, and per redraw.

Synthetic paper-entity graphs of about 100, 1,000 and 5,000 nodes (papers mentioning
entities with a skewed popularity) go through the same bipartite view and page as
`kg export html`. For each size it prints the time to write the page (Python: view,
layout above the physics limit, rendering), the time until the page says it is ready
(stabilised, physics off, drawn: ``window.kgReady``), and the time one redraw takes
after a zoom (how responsive the page stays).

    .venv/bin/python benchmarks/view_speed.py [--sizes 100 1000 5000]
"""

import argparse
import random
import tempfile
import time
from pathlib import Path

from kg.export import ViewSpec, build_view, from_rows, write_html
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


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[100, 1000, 5000])
    args = parser.parse_args()
    if find_chromium() is None:
        raise SystemExit("chromium is not installed (apt-get install chromium)")
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
