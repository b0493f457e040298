"""Polite HTTP fetching: timeouts, retries with back-off, a per-host rate limit, a size limit, a named User-Agent.

Standard library only (urllib). Redirects are followed here, at most `MAX_REDIRECTS`, so a loop is a
result ("redirect_loop"), not a hang. Proxies from the environment are ignored: a URL given is the
host asked, nothing else.
"""

from __future__ import annotations

import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Callable
from dataclasses import dataclass
from email.message import Message

from .. import __version__

USER_AGENT = f"zfxxgk/{__version__} (government information disclosure annual reports; +https://pypi.org/project/zfxxgk/)"
MAX_REDIRECTS = 5
RETRY_STATUS = {429, 500, 502, 503, 504}


@dataclass(frozen=True, slots=True)
class Policy:
    """How to ask: seconds per request, retries (with back-off doubling from `backoff`), seconds between
    two requests to one host, and the largest body kept (bytes)."""

    timeout: float = 30.0
    retries: int = 2
    backoff: float = 1.0
    per_host: float = 1.0
    max_bytes: int = 50 * 1024 * 1024


@dataclass(slots=True)
class Fetched:
    """One URL's outcome: the body and where it finally came from, or why there is none (`problem`)."""

    url: str
    final_url: str
    status: int | None
    content_type: str
    data: bytes | None
    problem: str | None = None  # http_<code>, timeout, too_large, redirect_loop, unreachable, bad_url
    retrieved: str = ""


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args: object, **kwargs: object) -> None:
        return None  # a 3xx comes back as an HTTPError; the fetcher follows it itself


class Fetcher:
    """Fetches URLs under a `Policy`; remembers when it last asked each host (the rate limit)."""

    def __init__(self, policy: Policy | None = None, sleep: Callable[[float], None] = time.sleep) -> None:
        self.policy, self.sleep = policy or Policy(), sleep
        self._last: dict[str, float] = {}
        self._opener = urllib.request.build_opener(urllib.request.ProxyHandler({}), _NoRedirect())

    def get(self, url: str) -> Fetched:
        seen = {url}
        current = url
        for _ in range(MAX_REDIRECTS + 1):
            result, location = self._get_one(current)
            if location is None:
                result.url = url
                return result
            current = urllib.parse.urljoin(current, location)
            if current in seen:
                break
            seen.add(current)
        return Fetched(url, current, None, "", None, "redirect_loop", _now())

    def _get_one(self, url: str) -> tuple[Fetched, str | None]:
        """One URL with retries; a redirect gives its Location instead of a result."""
        if urllib.parse.urlsplit(url).scheme not in ("http", "https"):
            return Fetched(url, url, None, "", None, "bad_url", _now()), None
        problem = "unreachable"
        for attempt in range(self.policy.retries + 1):
            if attempt:
                self.sleep(self.policy.backoff * 2 ** (attempt - 1))
            self._wait_for_host(url)
            try:
                request = urllib.request.Request(url, headers={"User-Agent": USER_AGENT})
                with self._opener.open(request, timeout=self.policy.timeout) as response:
                    return self._read(url, response.status, response.headers, response), None
            except urllib.error.HTTPError as exc:
                if 300 <= exc.code < 400 and exc.headers.get("Location"):
                    return Fetched(url, url, exc.code, "", None), exc.headers["Location"]
                problem = f"http_{exc.code}"
                if exc.code not in RETRY_STATUS:
                    break
            except TimeoutError:
                problem = "timeout"
            except (urllib.error.URLError, OSError) as exc:
                problem = "timeout" if "timed out" in str(exc) else "unreachable"
        return Fetched(url, url, None, "", None, problem, _now()), None

    def _read(self, url: str, status: int, headers: Message, response: object) -> Fetched:
        """The body up to the size limit; beyond it, nothing is kept (`too_large`)."""
        content_type = headers.get_content_type() if headers.get("Content-Type") else ""
        limit = self.policy.max_bytes
        declared = headers.get("Content-Length")
        if declared and declared.isdigit() and int(declared) > limit:
            return Fetched(url, url, status, content_type, None, "too_large", _now())
        chunks: list[bytes] = []
        size = 0
        while size <= limit:
            chunk = response.read(min(65536, limit + 1 - size))  # type: ignore[attr-defined]
            if not chunk:
                return Fetched(url, url, status, content_type, b"".join(chunks), None, _now())
            chunks.append(chunk)
            size += len(chunk)
        return Fetched(url, url, status, content_type, None, "too_large", _now())

    def _wait_for_host(self, url: str) -> None:
        host = urllib.parse.urlsplit(url).netloc
        last = self._last.get(host)
        if last is not None:
            wait = self.policy.per_host - (time.monotonic() - last)
            if wait > 0:
                self.sleep(wait)
        self._last[host] = time.monotonic()


def _now() -> str:
    return time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime())
