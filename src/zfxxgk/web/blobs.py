"""Uploaded files by content (sha256), in the store's database: jobs read them back after a restart, and the
report page renders a PDF's or scan's pages from them."""

from __future__ import annotations

import hashlib

from sqlalchemy import insert, select
from sqlalchemy.engine import Connection

from ..store.schema import blobs


def put(conn: Connection, data: bytes) -> str:
    """Keep the bytes once; their sha256."""
    sha = hashlib.sha256(data).hexdigest()
    if not kept(conn, sha):
        conn.execute(insert(blobs).values(sha256=sha, size=len(data), data=data))
    return sha


def get(conn: Connection, sha256: str) -> bytes | None:
    return conn.execute(select(blobs.c.data).where(blobs.c.sha256 == sha256)).scalar_one_or_none()


def kept(conn: Connection, sha256: str) -> bool:
    """Whether the file is kept, without reading it."""
    return conn.execute(select(blobs.c.sha256).where(blobs.c.sha256 == sha256)).first() is not None
