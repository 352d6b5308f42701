"""kg fetch caches only what parses, and takes only http(s) base URLs (#16)."""

import urllib.parse
from collections.abc import Iterator
from datetime import date
from http.server import BaseHTTPRequestHandler
from pathlib import Path
from typing import ClassVar

import pytest

from kg.errors import FetchError
from kg.fetch import Fetcher, fetch_arxiv, fetch_hf_daily

from .dumps import serve_locally

DATA = Path(__file__).resolve().parent / "data"
DAY = date(2026, 2, 25)
HTML = b"<!doctype html><html><body>Sign in to continue</body></html>"


class Server(BaseHTTPRequestHandler):
    """/html/... answers 200 with a login page; /empty/... an empty day; else recorded data."""

    hits: ClassVar[list[str]] = []

    def do_GET(self) -> None:
        path = urllib.parse.urlsplit(self.path).path
        self.hits.append(path)
        if path.startswith("/html/"):
            body = HTML
        elif path.startswith("/empty/"):
            body = b"[]"
        elif path.endswith("/api/daily_papers"):
            body = (DATA / "hf_daily_api.json").read_bytes()
        else:
            body = (DATA / "arxiv_query.atom").read_bytes()
        self.send_response(200)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, format: str, *args: object) -> None:
        pass


@pytest.fixture()
def server() -> Iterator[str]:
    Server.hits = []
    with serve_locally(Server) as url:
        yield url


def quick() -> Fetcher:
    return Fetcher(sleep=lambda _: None, interval=0.0, backoff=0.0, timeout=5.0)


def test_an_html_answer_is_not_cached(server: str, tmp_path: Path) -> None:
    url = f"{server}/html/api/daily_papers"
    for _ in range(2):
        with pytest.raises(FetchError, match=r"not JSON.*nothing was cached"):
            fetch_hf_daily(DAY, tmp_path, base_url=url, fetcher=quick())
    assert not (tmp_path / "hf-daily" / "2026-02-25.json").exists()
    assert len(Server.hits) == 2  # asked again, not served from the cache


def test_an_empty_day_is_not_cached(server: str, tmp_path: Path) -> None:
    url = f"{server}/empty/api/daily_papers"
    with pytest.raises(FetchError, match="no papers listed for 2026-02-25"):
        fetch_hf_daily(DAY, tmp_path, base_url=url, fetcher=quick())
    assert not (tmp_path / "hf-daily").exists() or not any((tmp_path / "hf-daily").iterdir())


def test_a_bad_cached_file_points_to_refresh(server: str, tmp_path: Path) -> None:
    cached = tmp_path / "hf-daily" / "2026-02-25.json"
    cached.parent.mkdir(parents=True)
    cached.write_bytes(HTML)  # left by an older kg
    url = f"{server}/api/daily_papers"
    with pytest.raises(FetchError, match="--refresh"):
        fetch_hf_daily(DAY, tmp_path, base_url=url, fetcher=quick())
    assert Server.hits == []
    path = fetch_hf_daily(DAY, tmp_path, base_url=url, fetcher=quick(), refresh=True)
    assert path.read_bytes() == (DATA / "hf_daily_api.json").read_bytes()


def test_an_html_answer_from_arxiv_is_not_cached(server: str, tmp_path: Path) -> None:
    with pytest.raises(FetchError, match=r"not an Atom feed.*nothing was cached"):
        fetch_arxiv("all:x", 10, tmp_path, base_url=f"{server}/html/api/query", fetcher=quick())
    assert not (tmp_path / "arxiv").exists() or not any((tmp_path / "arxiv").iterdir())
    (path,) = fetch_arxiv("all:x", 10, tmp_path, base_url=f"{server}/api/query", fetcher=quick())
    assert path.exists()


@pytest.mark.parametrize(
    "base", ["file:///etc/passwd", "ftp://example.org/api", "127.0.0.1:8000/api", "http://"]
)
def test_only_http_base_urls_are_taken(base: str, tmp_path: Path) -> None:
    with pytest.raises(FetchError, match=r"base URL must be an http\(s\) URL"):
        fetch_hf_daily(DAY, tmp_path, base_url=base, fetcher=quick())
    with pytest.raises(FetchError, match=r"base URL must be an http\(s\) URL"):
        fetch_arxiv("all:x", 10, tmp_path, base_url=base, fetcher=quick())
