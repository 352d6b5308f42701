"""kg fetch against a real HTTP server on 127.0.0.1 serving recorded responses; kg update."""

import contextlib
import time
import urllib.parse
from collections.abc import Iterator
from datetime import date
from http.server import BaseHTTPRequestHandler
from pathlib import Path
from typing import ClassVar

import pytest
from click.testing import CliRunner

from kg.cli import cli
from kg.errors import FetchError
from kg.fetch import Fetcher, fetch_arxiv, fetch_hf_daily

from .dumps import serve_locally

DATA = Path(__file__).resolve().parent / "data"


class Recorded(BaseHTTPRequestHandler):
    """Serve tests/data files: /api/daily_papers, /api/query; /flaky fails once; /slow sleeps."""

    hits: ClassVar[list[str]] = []
    failures: ClassVar[dict[str, int]] = {}

    def do_GET(self) -> None:
        url = urllib.parse.urlsplit(self.path)
        self.hits.append(self.path)
        if url.path.startswith("/slow"):
            time.sleep(0.5)
        if url.path.startswith("/flaky") and self.failures.get(url.path, 0) < 1:
            self.failures[url.path] = self.failures.get(url.path, 0) + 1
            self._send(503, b"busy", headers={"Retry-After": "0"})
            return
        if url.path.startswith("/down"):
            self._send(503, b"down")
            return
        if url.path.endswith("/api/daily_papers"):
            self._send(200, (DATA / "hf_daily_api.json").read_bytes())
        elif url.path.endswith("/api/query"):
            self._send(200, (DATA / "arxiv_query.atom").read_bytes())
        else:
            self._send(404, b"not found")

    def _send(self, status: int, body: bytes, headers: dict[str, str] | None = None) -> None:
        self.send_response(status)
        for name, value in (headers or {}).items():
            self.send_header(name, value)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        with contextlib.suppress(BrokenPipeError, ConnectionResetError):  # client timed out
            self.wfile.write(body)

    def log_message(self, format: str, *args: object) -> None:
        pass


@pytest.fixture()
def server() -> Iterator[str]:
    Recorded.hits = []
    Recorded.failures = {}
    with serve_locally(Recorded) as url:
        yield url


def quick(**kwargs: float) -> tuple[Fetcher, list[float]]:
    pauses: list[float] = []
    options = {"interval": 0.0, "backoff": 0.01, "timeout": 5.0, **kwargs}
    return Fetcher(sleep=pauses.append, **options), pauses  # type: ignore[arg-type]


def test_hf_daily_is_cached_before_parsing_and_reused(server: str, tmp_path: Path) -> None:
    fetcher, _ = quick()
    url = f"{server}/api/daily_papers"
    path = fetch_hf_daily(date(2026, 2, 25), tmp_path, base_url=url, fetcher=fetcher)
    assert path == tmp_path / "hf-daily" / "2026-02-25.json"
    assert path.read_bytes() == (DATA / "hf_daily_api.json").read_bytes()
    assert Recorded.hits == ["/api/daily_papers?date=2026-02-25"]
    fetch_hf_daily(date(2026, 2, 25), tmp_path, base_url=url, fetcher=fetcher)
    assert len(Recorded.hits) == 1
    fetch_hf_daily(date(2026, 2, 25), tmp_path, base_url=url, fetcher=fetcher, refresh=True)
    assert len(Recorded.hits) == 2


def test_retries_with_backoff_then_succeeds(server: str, tmp_path: Path) -> None:
    fetcher, pauses = quick()
    fetch_hf_daily(date(2026, 2, 25), tmp_path, base_url=f"{server}/flaky/api/daily_papers",
                   fetcher=fetcher)  # fmt: skip
    assert len(Recorded.hits) == 2 and pauses == [0.0]  # Retry-After: 0 is honoured


def test_gives_up_after_the_retries_and_on_client_errors(server: str, tmp_path: Path) -> None:
    fetcher, pauses = quick(retries=2)
    with pytest.raises(FetchError, match="failed after 3 attempts: HTTP 503"):
        fetcher.get(f"{server}/down")
    assert pauses == [0.01, 0.02]
    with pytest.raises(FetchError, match="HTTP 404"):
        fetcher.get(f"{server}/nothing-here")
    assert len(Recorded.hits) == 4  # a 404 is not retried


def test_timeouts_are_retried_then_reported(server: str) -> None:
    fetcher, _ = quick(retries=1, timeout=0.1)
    with pytest.raises(FetchError, match="failed after 2 attempts"):
        fetcher.get(f"{server}/slow/api/daily_papers")


def test_requests_to_one_host_are_spaced(server: str) -> None:
    fetcher, pauses = quick(interval=60.0)
    fetcher.get(f"{server}/api/daily_papers")
    fetcher.get(f"{server}/api/daily_papers")
    assert len(pauses) == 1 and 59 < pauses[0] <= 60


def test_arxiv_pages_through_results(server: str, tmp_path: Path) -> None:
    fetcher, _ = quick()
    paths = fetch_arxiv("all:reranker", 5, tmp_path, base_url=f"{server}/api/query",
                        fetcher=fetcher, page_size=2)  # fmt: skip
    assert len(paths) == 3 and all(p.read_bytes().startswith(b"<?xml") for p in paths)
    queries = [urllib.parse.parse_qs(urllib.parse.urlsplit(h).query) for h in Recorded.hits]
    assert [(q["start"], q["max_results"]) for q in queries] == [
        (["0"], ["2"]),
        (["2"], ["2"]),
        (["4"], ["1"]),
    ]
    assert queries[0]["search_query"] == ["all:reranker"]


def test_fetch_then_update_adds_only_what_is_new(server: str, tmp_path: Path) -> None:
    runner = CliRunner()
    cache, db = tmp_path / "cache", str(tmp_path / "kg.db")
    fetched = runner.invoke(
        cli,
        ["fetch", "hf-daily", "--date", "2026-02-25", "--cache", str(cache)],
        env={"KG_HF_API_URL": f"{server}/api/daily_papers"},
    )
    assert fetched.exit_code == 0, fetched.output
    (path,) = fetched.stdout.splitlines()
    first = runner.invoke(cli, ["update", path, "--db", db])
    assert first.exit_code == 0, first.output
    lines = first.stdout.splitlines()
    assert lines[0] == "2 new paper(s); 0 already stored."
    assert (
        lines[1]
        == "  + arXiv:2602.21193  On Data Engineering for Scaling LLM Terminal Capabilities"
    )
    assert any(line.startswith("  + Dataset") and "Terminal-Corpus" in line for line in lines)

    again = runner.invoke(cli, ["update", path, "--db", db])
    assert again.stdout.splitlines()[:2] == [
        "0 new paper(s); 2 already stored.",
        "0 new entit(y/ies).",
    ]

    arxiv = runner.invoke(
        cli,
        ["fetch", "arxiv", "--query", "all:attention", "--max", "2", "--cache", str(cache),
         "--base-url", f"{server}/api/query"],
    )  # fmt: skip
    assert arxiv.exit_code == 0, arxiv.output
    more = runner.invoke(cli, ["update", *arxiv.stdout.splitlines(), "--db", db])
    assert more.exit_code == 0, more.output
    assert more.stdout.splitlines()[:2] == [  # what arXiv adds to the stored paper is merged
        "1 new paper(s); 1 already stored (1 written again with what changed).",
        "  + arXiv:1706.03762  Attention Is All You Need",
    ]
    assert "Mentions rose most for:" in more.stdout or "new entit" in more.stdout
