"""The report store: every body's reports across years (SQLite by default, PostgreSQL for an office).

See docs/store.md. `Store(url)` opens and migrates a database; `Store.ingest(item)` parses, checks
(against the body's report of the year before) and stores one input; `stats.region_stats` sums a
region's current reports.
"""

from .core import DEFAULT_DB, ENV, Ingested, Store, StoredReport, StoreError, resolve_url
from .sources import Item, file_item, items

__all__ = ["DEFAULT_DB", "ENV", "Ingested", "Item", "Store", "StoreError", "StoredReport", "file_item", "items",
           "resolve_url"]
