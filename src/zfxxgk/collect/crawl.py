"""Following a site's annual-report column: list pages (with paging) → report pages → their attachments.

A start URL whose page links to two or more annual reports is a list page; otherwise it is a report page.
From a list page the crawler follows the links whose text names an annual report, and its paging
(下一页, page numbers, and the `createPageHTML(n, i, "index", "html")` script many CMS sites page with);
from a report page, its attachments (PDF, Word, Excel, WPS, images). Pages stay on the start URL's host;
attachments may come from a file server. Every URL is fetched once, and at most `max_pages` pages.
"""

from __future__ import annotations

import re
import urllib.parse
from collections import deque
from collections.abc import Iterable, Iterator
from dataclasses import dataclass

from ..errors import ReadError
from ..readers import sniff
from .cache import Cache, Record, extension
from .fetch import Fetcher

REPORT_LINK = re.compile(r"年度报告|年报")
NEXT_LINK = re.compile(r"^\s*(下一页|下页|后页|next|›|»|\d{1,4})\s*$", re.IGNORECASE)
PAGED = re.compile(r"createPageHTML\(\s*(\d+)\s*,\s*(\d+)\s*,\s*[\"']([\w-]+)[\"']\s*,\s*[\"'](\w+)[\"']")
ATTACHMENTS = {"pdf", "doc", "docx", "wps", "xls", "xlsx", "et", "png", "jpg", "jpeg"}
MAX_PAGES = 200


@dataclass(frozen=True, slots=True)
class Collected:
    """A retrieval and what it is to the crawl: `list` (a column page), `report` (a report page), `attachment`."""

    record: Record
    role: str


def links(html: bytes, base: str) -> list[tuple[str, str]]:
    """(text, absolute URL) of a page's links, fragments dropped."""
    from selectolax.lexbor import LexborHTMLParser  # the `html` extra, as for reading web pages

    tree = LexborHTMLParser(html.decode("utf-8", "replace"))
    out = []
    for a in tree.css("a[href]"):
        href = (a.attributes.get("href") or "").strip()
        if not href or href.startswith(("javascript:", "mailto:", "#")):
            continue
        url = urllib.parse.urldefrag(urllib.parse.urljoin(base, href)).url
        out.append((a.text(strip=True) or (a.attributes.get("title") or ""), url))
    return out


def is_page(data: bytes) -> bool:
    """A web page, by its bytes (as the readers decide), whatever the server called it."""
    try:
        return sniff(data) == "html"
    except ReadError:
        return False


def paging(html: bytes, base: str) -> list[str]:
    """The other pages a list page names by script (TRS-style `createPageHTML`)."""
    m = PAGED.search(html.decode("utf-8", "replace"))
    if m is None:
        return []
    total, prefix, ext = int(m.group(1)), m.group(3), m.group(4)
    return [urllib.parse.urljoin(base, f"{prefix}_{i}.{ext}") for i in range(1, min(total, MAX_PAGES))]


def crawl(urls: Iterable[str], fetcher: Fetcher, cache: Cache, max_pages: int = MAX_PAGES) -> Iterator[Collected]:
    queue: deque[tuple[str, str | None, str | None]] = deque((u, None, None) for u in urls)  # url, role, referrer
    seen: set[str] = set()
    pages = 0
    while queue:
        url, role, referrer = queue.popleft()
        if url in seen:
            continue
        seen.add(url)
        is_file = role == "attachment"
        if not is_file:
            if pages >= max_pages:
                continue
            pages += 1
        fetched = fetcher.get(url)
        data = fetched.data
        page = data is not None and not is_file and is_page(data)
        found = links(data, fetched.final_url) if page and data is not None else []
        reports = [(text, u) for text, u in found if REPORT_LINK.search(text)]
        if role is None:
            role = "list" if len(reports) >= 2 else "report"
        if data is not None and not page:
            role = "attachment"  # a start URL or a report link that is itself a file
        yield Collected(cache.put(fetched, referrer), role)
        if data is None or not found:
            continue
        host = urllib.parse.urlsplit(fetched.final_url).netloc
        if role == "list":
            for _, u in reports:
                queue.append((u, "attachment" if extension(u) in ATTACHMENTS else "report", url))
            more = [u for text, u in found if NEXT_LINK.match(text)] + paging(data, fetched.final_url)
            queue.extend((u, "list", url) for u in more if urllib.parse.urlsplit(u).netloc == host)
        elif role == "report":
            queue.extend((u, "attachment", url) for _, u in found if extension(u) in ATTACHMENTS)
