"""Databases for the store tests: a SQLite file per test, and a real PostgreSQL server per session.

The PostgreSQL server is started from the Debian binaries (package `postgresql`, in
scripts/apt-packages.txt) in a temporary folder: `initdb` with trust authentication, then `pg_ctl
start` listening on a unix socket in that folder only (no TCP port), fsync off. As root (CI) both
run as the `postgres` system user, since initdb refuses root. Each test gets a fresh database,
dropped afterwards; the server stops at the end of the session. Missing binaries FAIL the
PostgreSQL tests (never skip), so CI cannot pass without them.

conftest.py loads this module as a plugin (`pytest_plugins`), so every test module can take these fixtures.
"""

from __future__ import annotations

import itertools
import os
import shutil
import subprocess
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest

_counter = itertools.count(1)


def pg_bindir() -> Path | None:
    """The newest Debian PostgreSQL server binaries (/usr/lib/postgresql/N/bin), or pg_ctl on PATH."""
    versions = sorted(Path("/usr/lib/postgresql").glob("*/bin/initdb"), key=lambda p: int(p.parts[-3]) if
                      p.parts[-3].isdigit() else 0)
    if versions:
        return versions[-1].parent
    found = shutil.which("pg_ctl")
    return Path(found).parent if found and shutil.which("initdb") else None


def _as_postgres(cmd: list[str]) -> list[str]:
    """initdb and the server refuse to run as root: run them as the postgres system user."""
    if os.geteuid() != 0:
        return cmd
    return ["runuser", "-u", "postgres", "--", *cmd]


@pytest.fixture(scope="session")
def pg_server() -> Iterator[str]:
    """A PostgreSQL server for this session; yields a URL template with {db} for the database name."""
    bindir = pg_bindir()
    if bindir is None:
        pytest.fail("PostgreSQL server binaries not found: install the Debian package `postgresql` "
                    "(scripts/apt-packages.txt; scripts/test.sh installs it)")
    root = Path(tempfile.mkdtemp(prefix="zfxxgk-pg-"))
    data = root / "data"
    if os.geteuid() == 0:
        shutil.chown(root, "postgres", "postgres")
    log = root / "server.log"
    try:
        subprocess.run(_as_postgres([str(bindir / "initdb"), "-D", str(data), "-U", "postgres", "--auth=trust",
                                     "--encoding=UTF8", "--no-locale", "--no-sync"]),
                       check=True, capture_output=True, timeout=120)
        options = f"-k {root} -c listen_addresses='' -c fsync=off -c synchronous_commit=off -c full_page_writes=off"
        subprocess.run(_as_postgres([str(bindir / "pg_ctl"), "-D", str(data), "-l", str(log), "-o", options, "-w",
                                     "-t", "60", "start"]), check=True, capture_output=True, timeout=120)
    except subprocess.CalledProcessError as exc:
        detail = exc.stderr.decode(errors="replace") + (log.read_text(errors="replace") if log.exists() else "")
        shutil.rmtree(root, ignore_errors=True)
        pytest.fail(f"PostgreSQL did not start: {detail}")
    try:
        yield f"postgresql+psycopg://postgres@/{{db}}?host={root}"
    finally:
        subprocess.run(_as_postgres([str(bindir / "pg_ctl"), "-D", str(data), "-m", "immediate", "-w", "stop"]),
                       capture_output=True, timeout=60)
        shutil.rmtree(root, ignore_errors=True)


def _admin(template: str, sql: str) -> None:
    import psycopg

    host = template.split("host=", 1)[1]
    with psycopg.connect(dbname="postgres", user="postgres", host=host, autocommit=True) as conn:
        conn.execute(sql)  # type: ignore[arg-type]


@pytest.fixture
def pg_url(pg_server: str) -> Iterator[str]:
    """A fresh, empty database on the session's server."""
    name = f"zfxxgk_test_{os.getpid()}_{next(_counter)}"
    _admin(pg_server, f"CREATE DATABASE {name}")
    try:
        yield pg_server.format(db=name)
    finally:
        _admin(pg_server, f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")


@pytest.fixture(scope="session")
def migrated_sqlite(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A SQLite store migrated once: each test gets a copy (a migration costs ~0.2 s, a copy ~1 ms).

    Migrating a new file is itself tested by test_opening_migrates_to_head_and_matches_the_tables.
    """
    from zfxxgk.store import Store

    path = tmp_path_factory.mktemp("template") / "zfxxgk.db"
    Store(str(path)).close()
    return path


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=[pytest.mark.postgres, pytest.mark.slow])])
def db_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """The same test on a SQLite file (a copy of a migrated store) and on PostgreSQL (a new database)."""
    if request.param == "sqlite":
        path = tmp_path / "zfxxgk.db"
        shutil.copyfile(request.getfixturevalue("migrated_sqlite"), path)
        return str(path)
    return str(request.getfixturevalue("pg_url"))
