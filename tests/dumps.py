"""Helpers for the tests: run `kg` as a real process, dump a whole graph, serve HTTP locally."""

import contextlib
import json
import os
import subprocess
import sys
import threading
from collections import Counter
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

from kg.store import FalkorStore
from kg.store.base import GraphStore

ROOT = Path(__file__).resolve().parent.parent
SAMPLE_ARG = "examples/daily_papers_page.txt"  # as given on the command line: stored in `source`
KG = [sys.executable, "-m", "kg"]


def kg_command(*args: str) -> list[str]:
    return [*KG, *args]


def start_kg(*args: str, **kwargs: Any) -> "subprocess.Popen[str]":
    """Start `kg ARGS` in the repository folder, its output captured."""
    return subprocess.Popen(
        kg_command(*args),
        cwd=ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env={**os.environ, "PYTHONUNBUFFERED": "1"},
        **kwargs,
    )


def run_kg(*args: str, timeout: float = 300) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        kg_command(*args), cwd=ROOT, capture_output=True, text=True, timeout=timeout
    )


def dump_graph(store: GraphStore) -> dict[str, Counter[str]]:
    """Every node (labels and all properties) and every relationship (type, properties and
    both ends in full), as multisets: a duplicate shows as a count of 2."""
    nodes = store.run("MATCH (n) RETURN labels(n) AS labels, properties(n) AS props")
    rels = store.run(
        "MATCH (a)-[r]->(b) RETURN labels(a), properties(a), type(r), properties(r), "
        "labels(b), properties(b)"
    )
    return {
        "nodes": Counter(_canonical([sorted(labels), props]) for labels, props in nodes.rows),
        "relationships": Counter(
            _canonical([sorted(la), pa, t, pr, sorted(lb), pb])
            for la, pa, t, pr, lb, pb in rels.rows
        ),
    }


def dump_db(path: Path) -> dict[str, Counter[str]]:
    with FalkorStore(path) as store:
        return dump_graph(store)


def describe_difference(got: dict[str, Counter[str]], want: dict[str, Counter[str]]) -> str:
    """A short account of what differs between two dumps (for assertion messages)."""
    lines = []
    for part in ("nodes", "relationships"):
        extra, missing = got[part] - want[part], want[part] - got[part]
        if extra or missing:
            lines.append(f"{part}: {sum(extra.values())} extra, {sum(missing.values())} missing")
            lines += [f"  + {key[:160]}" for key in list(extra)[:3]]
            lines += [f"  - {key[:160]}" for key in list(missing)[:3]]
    return "\n".join(lines) or "identical"


def redis_servers_of(db: Path) -> list[int]:
    """Live redis-server processes serving the database ``db``."""
    import psutil

    from kg.store.falkor import _servers_of

    return [pid for pid, _ in _servers_of(db.resolve(), psutil)]


def _canonical(value: Any) -> str:
    return json.dumps(value, sort_keys=True, ensure_ascii=False)


@contextlib.contextmanager
def serve_locally(handler: type[BaseHTTPRequestHandler]) -> Iterator[str]:
    """Serve ``handler`` on 127.0.0.1 (a free port) in a thread; yield its base URL."""
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{httpd.server_address[1]}"
    finally:
        httpd.shutdown()
        httpd.server_close()
