"""What an operator may set when starting the application; tests build their own."""

from __future__ import annotations

import json
import os
from dataclasses import asdict, dataclass

from ..readers import DEFAULT_MAX_BYTES


@dataclass(frozen=True)
class Settings:
    db: str | None = None  # a store URL or SQLite path; None: $ZFXXGK_DB or ./zfxxgk.db
    max_upload: int = 50 * 1024 * 1024  # bytes in one upload request (all its files, or the zip)
    max_file: int = DEFAULT_MAX_BYTES  # bytes of one file to read (the readers' limit)
    max_files: int = 200  # files in one upload, a zip's members included
    workers: int = max(1, min(2, os.cpu_count() or 1))  # processes that parse uploaded files
    job_timeout: float = 120.0  # seconds one file may take in a worker
    session_hours: float = 12.0
    secure_cookies: bool = False  # set behind HTTPS: cookies then travel only over TLS
    login_window_minutes: float = 15.0
    login_failures_per_name: int = 5  # failures within the window that lock a user name
    login_failures_per_address: int = 20  # failures within the window that lock a client address
    start_jobs: bool = True  # start the worker pool with the application (tests may drive jobs by hand)
    job_poll_seconds: float = 1.0  # how often the job runner looks for jobs queued by another process


ENV = "ZFXXGK_WEB_SETTINGS"  # how `serve --workers N` hands the settings to its server processes


def to_env(settings: Settings) -> str:
    return json.dumps(asdict(settings))


def from_env() -> Settings:
    return Settings(**json.loads(os.environ[ENV]))
