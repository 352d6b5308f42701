"""Wall time and peak memory of each stage of `kg build`, at several corpus sizes, in one run.

    nice python benchmarks/build_speed.py                          # 5k, 20k, all (51,765)
    nice python benchmarks/build_speed.py --sizes 2000 --workers 2

Each size runs in a fresh process that does what ``kg build CORPUS --workers N --html``
does, stage by stage through ``kg.build``'s functions, on the first N papers of
../shared/data/corpus/paperlists:

    read          read every file and merge duplicate records (stops after N papers)
    extract x1    the whole extractor in this process, nothing cached
    extract xN    the same in N worker processes (must give the same extractions)
    cache write   the extractions written to a fresh Parquet cache
    extract hit   a rebuild: every extraction taken from that cache
    link          corpus-level linking and alias merging
    store         written to a fresh embedded FalkorDB file (the server is a child process)
    view          the HTML view `kg build --html` writes, read back from the store

"peak MB" is the largest resident memory of the process and its children (worker
processes, the FalkorDB server) sampled every 50 ms during the stage. The build's total
is read + extract xN + link + store + view. At the end, each stage's growth from the
smallest to the largest size is printed as time ratio / size ratio: about 1 is linear,
clearly above 1 grows faster than the corpus. The machine is shared: compare ratios
measured in the same run rather than seconds across runs.
"""

import argparse
import json
import resource
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from pathlib import Path
from typing import Any

import psutil

CORPUS = Path(__file__).resolve().parents[2] / "shared" / "data" / "corpus" / "paperlists"
BUILD = ("read", "extract xN", "link", "store", "view")


class Sampler:
    """Peak RSS of this process and its children, sampled in a thread."""

    def __init__(self, interval: float = 0.05):
        self.interval = interval
        self.peak = 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)
        self._thread.start()

    def rss(self) -> int:
        me = psutil.Process()
        total = me.memory_info().rss
        for child in me.children(recursive=True):
            with suppress(psutil.Error):
                total += child.memory_info().rss
        return int(total)

    def _run(self) -> None:
        while not self._stop.is_set():
            self.peak = max(self.peak, self.rss())
            time.sleep(self.interval)

    def reset(self) -> None:
        self.peak = self.rss()

    def stop(self) -> None:
        self._stop.set()
        self._thread.join()


def run_one(size: int | None, workers: int, ner: bool, quick: bool) -> dict[str, Any]:
    """Time each stage on the first ``size`` papers (all when None); this process only."""
    from kg.build import build_graph, extract_papers, read_inputs, store_graph
    from kg.cli import BUILD_VIEW_TOP
    from kg.export import ViewSpec, read_view, write_html
    from kg.extract.cache import ExtractionCache, extractor_version, paper_key
    from kg.store import FalkorStore

    sampler = Sampler()
    stages: dict[str, dict[str, float]] = {}

    @contextmanager
    def stage(name: str) -> Iterator[None]:
        sampler.reset()
        cpu = _cpu_seconds()
        started = time.perf_counter()
        yield
        seconds = time.perf_counter() - started
        cpu = _cpu_seconds() - cpu
        time.sleep(sampler.interval * 2)  # let the sampler see the end of the stage
        stages[name] = {"seconds": seconds, "peak_mb": sampler.peak / 2**20, "cpu": cpu}
        print(
            f"  {name:<12} {seconds:8.1f} s  {cpu:8.1f} cpu-s  {sampler.peak / 2**20:8.0f} MB",
            flush=True,
        )

    with stage("read"):
        read = read_inputs([CORPUS], limit=size)
        papers = read.papers
    one = []
    if not quick:
        with stage("extract x1"):
            one = list(extract_papers(papers, workers=1, ner=ner))
    with stage(f"extract x{workers}"):
        many = list(extract_papers(papers, workers=workers, ner=ner))
    same: bool | None = None if quick else many == one
    one, many = many, []
    with tempfile.TemporaryDirectory(prefix="kg-build-speed-") as tmp:
        if not quick:
            cache = ExtractionCache(tmp, extractor_version(ner=ner))
            with stage("cache write"):
                for extraction in one:
                    cache.add(paper_key(extraction.paper), extraction)
                cache.flush()
            with stage("extract hit"):
                run = extract_papers(papers, ner=ner, cache_dir=tmp)
                hit = list(run)
            same = same and hit == one and run.counts.cached == len(papers)
            del hit
        with stage("link"):
            graph = build_graph(one)
        del one
        with stage("store"), FalkorStore(Path(tmp) / "kg.db") as store:
            store_graph(store, graph)
        with stage("view"):
            with FalkorStore(Path(tmp) / "kg.db") as store:
                view, notes = read_view(store, ViewSpec(top=BUILD_VIEW_TOP))
            write_html(view, Path(tmp) / "kg.html", notes=notes)
            html_mb = (Path(tmp) / "kg.html").stat().st_size / 2**20
    sampler.stop()
    stages[f"extract x{workers}"]["same_as_x1"] = -1.0 if same is None else float(same)
    return {
        "papers": len(papers),
        "mentions": len(graph.mentions),
        "entities": len(graph.entities),
        "html_mb": html_mb,
        "view_nodes": view.number_of_nodes(),
        "skipped_records": len(read.problems),
        "stages": stages,
    }


def _cpu_seconds() -> float:
    """CPU time of this process and its finished children (workers, the database server)."""
    own = resource.getrusage(resource.RUSAGE_SELF)
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="5000,20000,all", help="comma-separated, or 'all'")
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--no-ner", action="store_true", help="rules and catalog only")
    parser.add_argument(
        "--quick", action="store_true", help="skip extract x1 and the cache stages (slow machines)"
    )
    parser.add_argument("--one", help=argparse.SUPPRESS)  # run one size, print JSON
    args = parser.parse_args()
    ner = not args.no_ner
    if args.one is not None:
        size = None if args.one == "all" else int(args.one)
        result = run_one(size, args.workers, ner, args.quick)
        print("RESULT " + json.dumps(result), flush=True)
        return

    results = []
    for size in args.sizes.split(","):
        print(f"{size} papers:", flush=True)
        results.append(_child(size, args.workers, args.no_ner, args.quick))
    print_table(results, args.workers)


def _child(size: str, workers: int, no_ner: bool, quick: bool) -> dict[str, Any]:
    command = [sys.executable, __file__, "--one", size, "--workers", str(workers)]
    command += ["--no-ner"] if no_ner else []
    command += ["--quick"] if quick else []
    process = subprocess.Popen(command, stdout=subprocess.PIPE, text=True)
    assert process.stdout is not None
    result: dict[str, Any] = {}
    for line in process.stdout:
        if line.startswith("RESULT "):
            result = json.loads(line[len("RESULT ") :])
        else:
            print(line, end="", flush=True)
    if process.wait() != 0 or not result:
        raise SystemExit(f"the run on {size} papers failed")
    return result


def print_table(results: list[dict[str, Any]], workers: int) -> None:
    build = [name.replace("xN", f"x{workers}") for name in BUILD]
    print(f"\ncorpus: {CORPUS}")
    print(f"{'stage':<14}{'papers':>8}{'seconds':>10}{'cpu-s':>10}{'peak MB':>10}{'papers/s':>10}")
    for result in results:
        n = result["papers"]
        for name, stage in result["stages"].items():
            rate = n / stage["seconds"] if stage["seconds"] else float("inf")
            print(
                f"{name:<14}{n:>8}{stage['seconds']:>10.1f}{stage['cpu']:>10.1f}"
                f"{stage['peak_mb']:>10.0f}{rate:>10.0f}"
            )
        total = sum(result["stages"][name]["seconds"] for name in build)
        cpu = sum(result["stages"][name]["cpu"] for name in build)
        peak = max(result["stages"][name]["peak_mb"] for name in build)
        print(f"{'BUILD total':<14}{n:>8}{total:>10.1f}{cpu:>10.1f}{peak:>10.0f}{n / total:>10.0f}")
        same = result["stages"][f"extract x{workers}"]["same_as_x1"]
        print(
            f"  {result['mentions']} mentions, {result['entities']} entities; view "
            f"{result['view_nodes']} nodes, {result['html_mb']:.1f} MB of HTML; "
            f"x{workers} and cache hits identical to x1: "
            + ("not checked (--quick)" if same < 0 else str(bool(same)))
        )
    if len(results) > 1:
        small, large = results[0], results[-1]
        grow = large["papers"] / small["papers"]
        print(f"\ngrowth {small['papers']} -> {large['papers']} papers (x{grow:.1f}):")
        print("  stage          (time ratio / size ratio, 1 = linear)  wall    cpu   memory ratio")
        for name in large["stages"]:
            if name not in small["stages"]:
                continue
            a, b = small["stages"][name], large["stages"][name]
            wall = b["seconds"] / a["seconds"] / grow if a["seconds"] else float("nan")
            cpu = b["cpu"] / a["cpu"] / grow if a["cpu"] else float("nan")
            print(f"  {name:<14} {wall:>42.2f}{cpu:>7.2f}{b['peak_mb'] / a['peak_mb']:>15.2f}")


if __name__ == "__main__":
    main()
