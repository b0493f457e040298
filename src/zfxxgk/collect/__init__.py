"""Collecting reports from the web: polite fetching, a content-addressed cache with provenance, a crawler."""

from __future__ import annotations

from .cache import Cache, Record
from .crawl import Collected, crawl
from .fetch import USER_AGENT, Fetched, Fetcher, Policy

__all__ = ["USER_AGENT", "Cache", "Collected", "Fetched", "Fetcher", "Policy", "Record", "crawl"]
