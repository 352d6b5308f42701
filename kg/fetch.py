"""Download papers over HTTP: HuggingFace Daily Papers and the arXiv API, politely.

Every response is written to a cache folder before anything parses it, so a run
can be repeated (or debugged) offline: ``CACHE/hf-daily/DATE.json`` and
``CACHE/arxiv/QUERY-START.atom``. Requests time out, are retried with exponential
backoff on connection errors, 429 and 5xx (honouring ``Retry-After``), and are
spaced by a minimum interval per host (arXiv asks for 3 seconds). A response that
does not parse (a login or error page served with 200, an empty day) is not
cached: the next run asks again. Base URLs must be http(s).
"""

import hashlib
import json
import os
import re
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from kg.atomic import atomic_open
from kg.errors import FetchError
from kg.readers.arxiv_atom import looks_like_arxiv_atom

__all__ = [
    "ARXIV_API_URL",
    "HF_DAILY_URL",
    "Fetcher",
    "arxiv_api_url",
    "fetch_arxiv",
    "fetch_hf_daily",
    "hf_daily_url",
]

HF_DAILY_URL = "https://huggingface.co/api/daily_papers"
ARXIV_API_URL = "https://export.arxiv.org/api/query"
# Status codes worth another try: rate limited, or the server is having a bad moment.
_RETRY_STATUS = frozenset({429, 500, 502, 503, 504})
_MAX_RETRY_AFTER = 120.0
# The arXiv API returns at most this many entries per request, as its manual advises.
_ARXIV_PAGE = 100


def hf_daily_url() -> str:
    """The Daily Papers API endpoint: ``KG_HF_API_URL`` or the public one."""
    return os.environ.get("KG_HF_API_URL") or HF_DAILY_URL


def arxiv_api_url() -> str:
    """The arXiv API endpoint: ``KG_ARXIV_API_URL`` or the public one."""
    return os.environ.get("KG_ARXIV_API_URL") or ARXIV_API_URL


@dataclass
class Fetcher:
    """GET with a timeout, retries and a minimum interval between requests to one host."""

    timeout: float = 30.0
    retries: int = 4
    backoff: float = 2.0  # seconds before the first retry, doubled after each
    interval: float = 3.0  # seconds between two requests to the same host
    sleep: Callable[[float], None] = time.sleep
    _last: dict[str, float] = field(default_factory=dict)

    def get(self, url: str) -> bytes:
        """Return the body of ``url``; raise :class:`FetchError` once the retries are spent."""
        host = urllib.parse.urlsplit(url).netloc
        request = urllib.request.Request(
            url, headers={"User-Agent": "kg (research knowledge graph; polite, cached)"}
        )
        delay = self.backoff
        for attempt in range(self.retries + 1):
            self._wait(host)
            retry_after: float | None = None
            try:
                with urllib.request.urlopen(request, timeout=self.timeout) as response:
                    body: bytes = response.read()
                    return body
            except urllib.error.HTTPError as e:
                if e.code not in _RETRY_STATUS:
                    raise FetchError(f"GET {url} failed: HTTP {e.code} {e.reason}") from e
                problem = f"HTTP {e.code} {e.reason}"
                retry_after = _seconds(e.headers.get("Retry-After"))
            except (urllib.error.URLError, TimeoutError, ConnectionError) as e:
                reason = getattr(e, "reason", e)
                problem = f"{type(reason).__name__}: {reason}"
            if attempt == self.retries:
                raise FetchError(
                    f"GET {url} failed after {self.retries + 1} attempts: {problem}. "
                    "Check the network, or set the base URL (--base-url)."
                )
            self.sleep(retry_after if retry_after is not None else delay)
            delay *= 2
        raise AssertionError("unreachable")  # pragma: no cover

    def _wait(self, host: str) -> None:
        last = self._last.get(host)
        if last is not None:
            pause = self.interval - (time.monotonic() - last)
            if pause > 0:
                self.sleep(pause)
        self._last[host] = time.monotonic()


def fetch_hf_daily(
    day: date,
    cache: Path,
    *,
    base_url: str | None = None,
    fetcher: Fetcher | None = None,
    refresh: bool = False,
) -> Path:
    """Download the Daily Papers of ``day`` into ``cache`` and return the file.

    A file already in the cache is reused unless ``refresh``.
    """
    path = cache / "hf-daily" / f"{day.isoformat()}.json"
    base = _http_url(base_url or hf_daily_url())
    if path.exists() and not refresh:
        if problem := _hf_problem(path.read_bytes(), day):
            raise FetchError(f"cached {path} {problem}; run again with --refresh")
        return path
    url = f"{base}?{urllib.parse.urlencode({'date': day.isoformat()})}"
    body = (fetcher or Fetcher()).get(url)
    if problem := _hf_problem(body, day):
        raise FetchError(f"GET {url}: the answer {problem}; nothing was cached")
    _write(path, body)
    return path


def fetch_arxiv(
    query: str,
    max_results: int,
    cache: Path,
    *,
    base_url: str | None = None,
    fetcher: Fetcher | None = None,
    refresh: bool = False,
    page_size: int = _ARXIV_PAGE,
) -> list[Path]:
    """Download up to ``max_results`` arXiv API results for ``query``; return the pages.

    ``query`` is an arXiv ``search_query`` (``all:reranker``, ``cat:cs.CL AND ti:llm``),
    fetched ``page_size`` entries at a time, newest submissions first.
    """
    base = _http_url(base_url or arxiv_api_url())
    fetcher = fetcher or Fetcher()
    slug = re.sub(r"[^\w.-]+", "_", query).strip("_")[:40]
    digest = hashlib.sha256(query.encode("utf-8")).hexdigest()[:8]
    paths: list[Path] = []
    start = 0
    while start < max_results:
        size = min(page_size, max_results - start)
        path = cache / "arxiv" / f"{slug}-{digest}-{start}-{size}.atom"
        if path.exists() and not refresh and not _is_atom(path.read_bytes()):
            raise FetchError(f"cached {path} is not an Atom feed; run again with --refresh")
        if not path.exists() or refresh:
            params = {
                "search_query": query,
                "start": start,
                "max_results": size,
                "sortBy": "submittedDate",
                "sortOrder": "descending",
            }
            url = f"{base}?{urllib.parse.urlencode(params)}"
            body = fetcher.get(url)
            if not _is_atom(body):
                raise FetchError(
                    f"GET {url}: the answer is not an Atom feed ({_kind(body)}); nothing was cached"
                )
            _write(path, body)
        paths.append(path)
        entries = path.read_bytes().count(b"<entry>") + path.read_bytes().count(b"<entry ")
        if entries < size:  # the last page
            break
        start += size
    return paths


def _http_url(url: str) -> str:
    """Return ``url`` if it is an http(s) URL with a host; raise :class:`FetchError` otherwise."""
    parts = urllib.parse.urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.netloc:
        raise FetchError(f"base URL must be an http(s) URL such as {HF_DAILY_URL}, got {url!r}")
    return url


def _hf_problem(body: bytes, day: date) -> str | None:
    """Why a Daily Papers answer cannot be used (and must not be cached), or None."""
    try:
        data = json.loads(body.decode("utf-8-sig"))
    except (UnicodeDecodeError, ValueError):
        return f"is not JSON ({_kind(body)})"
    if data in ([], {}, None) or (isinstance(data, dict) and not data.get("papers", True)):
        return f"holds no papers listed for {day.isoformat()} (not published yet?)"
    return None


def _is_atom(body: bytes) -> bool:
    return looks_like_arxiv_atom(body[:4096].decode("utf-8", errors="replace"))


def _kind(body: bytes) -> str:
    """Say in a few words what a body that did not parse looks like."""
    head = body[:512].lstrip().lower()
    if not head:
        return "an empty body"
    if head.startswith((b"<!doctype html", b"<html")) or b"<html" in head:
        return "an HTML page: a login, error or rate-limit page?"
    return f"starts with {body[:40]!r}"


def _write(path: Path, body: bytes) -> None:
    """Write ``body`` to ``path`` whole or not at all (a killed run leaves no half file)."""
    with atomic_open(path, "wb") as f:
        f.write(body)


def _seconds(value: str | None) -> float | None:
    """Read a ``Retry-After`` header given in seconds (dates are ignored), capped."""
    if value and value.strip().isdigit():
        return min(float(value), _MAX_RETRY_AFTER)
    return None
