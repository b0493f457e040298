"""The store's tables (SQLAlchemy Core). The migrations in migrations/versions create exactly these;
tests/test_store_migrations.py compares the two, so a change here needs a new migration.

One row per thing a disclosure office reasons about: a region (province … township), a body that
publishes reports, a source file (by sha256), a report (one per body and year, with revisions), its
cells (exact decimals) and its findings (with a review state). The full lossless report record
(`Report.to_dict()`) is kept with each report, compressed, so nothing the parser saw is lost.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from sqlalchemy import (
    JSON,
    BigInteger,
    Boolean,
    Column,
    DateTime,
    Float,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    MetaData,
    Numeric,
    String,
    Table,
    Text,
    UniqueConstraint,
)
from sqlalchemy.engine import Dialect
from sqlalchemy.types import TypeDecorator, TypeEngine

NAMING = {
    "ix": "ix_%(table_name)s_%(column_0_name)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class ExactDecimal(TypeDecorator[int | Decimal]):
    """A number kept exactly as printed: NUMERIC on PostgreSQL; canonical text on SQLite (whose
    NUMERIC is a float). Whole numbers come back as int, decimals as Decimal with their scale."""

    impl = Numeric
    cache_ok = True

    def load_dialect_impl(self, dialect: Dialect) -> TypeEngine[Any]:
        if dialect.name == "sqlite":
            return dialect.type_descriptor(String(64))
        return dialect.type_descriptor(Numeric(asdecimal=True))

    def process_bind_param(self, value: Any, dialect: Dialect) -> Any:
        if value is None:
            return None
        if dialect.name == "sqlite":
            return str(value) if isinstance(value, int) else format(value, "f")
        return value

    def process_result_value(self, value: Any, dialect: Dialect) -> int | Decimal | None:
        if value is None:
            return None
        number = Decimal(value) if isinstance(value, str) else value
        if isinstance(number, Decimal) and number.as_tuple().exponent == 0:
            return int(number)
        return number


metadata = MetaData(naming_convention=NAMING)

regions = Table(
    "regions", metadata,
    Column("code", String(40), primary_key=True),
    Column("name", String(100), nullable=False),
    Column("parent_code", String(40), nullable=True, index=True),
    Column("level", String(16), nullable=False),  # province, city, county, township, …
    Column("kind", String(16), nullable=True),  # as the division list names it: 市辖区, 县, 自治州 …
    Column("aliases", JSON, nullable=True),
    Column("origin", String(16), nullable=False),  # builtin, import, auto (a township named in a report)
)

bodies = Table(
    "bodies", metadata,
    Column("id", Integer, primary_key=True),
    Column("key", String(250), nullable=False, unique=True),  # region code | role, or the name when placed nowhere
    Column("name", String(250), nullable=False),
    Column("region_code", String(40), nullable=True, index=True),
    Column("role", String(120), nullable=False),  # 人民政府 for a government, else the department's name
    Column("code", String(40), nullable=True),  # a code given by `regions import`
    Column("aliases", JSON, nullable=True),
    Column("origin", String(16), nullable=False),  # auto, import, assigned
)

source_files = Table(
    "source_files", metadata,
    Column("id", Integer, primary_key=True),
    Column("sha256", String(64), nullable=False, unique=True),
    Column("name", Text, nullable=False),
    Column("size", BigInteger, nullable=False),
    Column("format", String(16), nullable=True),
    Column("added_at", DateTime(timezone=True), nullable=False),
)

reports = Table(
    "reports", metadata,
    Column("id", Integer, primary_key=True),
    Column("file_id", Integer, ForeignKey("source_files.id"), nullable=False, unique=True),
    Column("body_id", Integer, ForeignKey("bodies.id"), nullable=True),
    Column("year", Integer, nullable=True),
    Column("revision", Integer, nullable=False),
    Column("current", Boolean, nullable=False),
    Column("version", String(8), nullable=True),  # the report format, 2019 or 2021
    Column("printed_body", Text, nullable=True),
    Column("title", Text, nullable=True),
    Column("status", String(16), nullable=False),  # ok, unreadable
    Column("problem", JSON, nullable=True),  # why unreadable: {code, args}
    Column("match", JSON, nullable=True),  # how the body was found: {status, candidates, suggestions}
    Column("summary", Boolean, nullable=False),  # declares it summarises its whole region
    Column("errors", Integer, nullable=False),
    Column("warnings", Integer, nullable=False),
    Column("infos", Integer, nullable=False),
    Column("record", LargeBinary, nullable=False),  # zlib-compressed JSON of Report.to_dict()
    Column("ingested_at", DateTime(timezone=True), nullable=False),
    UniqueConstraint("body_id", "year", "revision", name="uq_reports_body_year_revision"),
    Index("ix_reports_body_id_year", "body_id", "year", "current"),
    Index("ix_reports_year_current", "year", "current"),
)

cells = Table(
    "cells", metadata,
    Column("report_id", Integer, ForeignKey("reports.id", ondelete="CASCADE"), primary_key=True),
    Column("cell_id", String(80), primary_key=True),
    Column("value", ExactDecimal, nullable=True),
    Column("raw", Text, nullable=True),
    Column("kind", String(16), nullable=False),  # number, blank, na, unreadable, missing
    Column("unit", String(16), nullable=True),
    Column("confidence", Float, nullable=True),
    Column("source", JSON, nullable=True),
    sqlite_with_rowid=False,  # clustered on (report_id, cell_id): one b-tree to write instead of two
)

findings = Table(
    "findings", metadata,
    Column("id", Integer, primary_key=True),
    Column("report_id", Integer, ForeignKey("reports.id", ondelete="CASCADE"), nullable=False, index=True),
    Column("code", String(40), nullable=False),
    Column("severity", String(8), nullable=False),
    Column("cells", JSON, nullable=False),
    Column("args", JSON, nullable=False),
    Column("source", JSON, nullable=True),
    Column("previous_report_id", Integer, nullable=True),  # the other report of a cross-year finding
    Column("review", String(16), nullable=False),  # open, accepted, dismissed
)

# ---------------------------------------------------------------- the web application (issue 10)
# Accounts: an admin runs the application, a reviewer sees every report in a region subtree, a submitter
# one body's reports. Passwords are argon2 hashes; sessions and API tokens are kept as sha256 of the token
# so a copy of the database lets nobody log in.
users = Table(
    "users", metadata,
    Column("id", Integer, primary_key=True),
    Column("name", String(80), nullable=False, unique=True),
    Column("password_hash", Text, nullable=False),
    Column("role", String(16), nullable=False),  # admin, reviewer, submitter
    Column("region_code", String(40), nullable=True),  # a reviewer's region: the subtree they see
    Column("body_id", Integer, ForeignKey("bodies.id"), nullable=True),  # a submitter's body
    Column("active", Boolean, nullable=False),
    Column("created_at", DateTime(timezone=True), nullable=False),
)

sessions = Table(
    "sessions", metadata,
    Column("token_hash", String(64), primary_key=True),
    Column("user_id", Integer, ForeignKey("users.id", ondelete="CASCADE"), nullable=False, index=True),
    Column("csrf", String(64), nullable=False),
    Column("created_at", DateTime(timezone=True), nullable=False),
    Column("expires_at", DateTime(timezone=True), nullable=False),
)

api_tokens = Table(
    "api_tokens", metadata,
    Column("id", Integer, primary_key=True),
    Column("token_hash", String(64), nullable=False, unique=True),
    Column("user_id", Integer, ForeignKey("users.id", ondelete="CASCADE"), nullable=False, index=True),
    Column("name", String(80), nullable=False),
    Column("created_at", DateTime(timezone=True), nullable=False),
    Column("last_used_at", DateTime(timezone=True), nullable=True),
)

# Failed logins, for the rate limit: kept in the database so it holds across restarts and worker processes.
login_failures = Table(
    "login_failures", metadata,
    Column("id", Integer, primary_key=True),
    Column("name", String(80), nullable=False, index=True),
    Column("address", String(64), nullable=False, index=True),
    Column("at", DateTime(timezone=True), nullable=False),
)

# Uploaded files, by content: the page images of a report's sources are rendered from them.
blobs = Table(
    "blobs", metadata,
    Column("sha256", String(64), primary_key=True),
    Column("size", BigInteger, nullable=False),
    Column("data", LargeBinary, nullable=False),
)

# One uploaded file to parse, check and store; persistent so a restart re-queues what was not finished.
jobs = Table(
    "jobs", metadata,
    Column("id", Integer, primary_key=True),
    Column("user_id", Integer, ForeignKey("users.id"), nullable=False, index=True),
    Column("body_id", Integer, ForeignKey("bodies.id"), nullable=True),  # where the report goes (a submitter's body)
    Column("batch", String(32), nullable=False, index=True),  # the files of one upload share it
    Column("name", Text, nullable=False),  # the file name as uploaded, cleaned
    Column("sha256", String(64), nullable=False),  # its bytes in blobs
    Column("size", BigInteger, nullable=False),
    Column("state", String(16), nullable=False, index=True),  # queued, running, done, failed
    Column("attempts", Integer, nullable=False),
    Column("report_id", Integer, ForeignKey("reports.id", ondelete="SET NULL"), nullable=True),
    Column("outcome", String(16), nullable=True),  # as Ingested.status: new, revision, duplicate, unreadable
    Column("error", JSON, nullable=True),  # why it failed: {code, args}
    Column("created_at", DateTime(timezone=True), nullable=False),
    Column("started_at", DateTime(timezone=True), nullable=True),
    Column("finished_at", DateTime(timezone=True), nullable=True),
)

# Every review action on a finding (confirm, dismiss, reopen, comment), with who and when; findings.review
# holds the latest state.
review_events = Table(
    "review_events", metadata,
    Column("id", Integer, primary_key=True),
    Column("finding_id", Integer, ForeignKey("findings.id", ondelete="CASCADE"), nullable=False, index=True),
    Column("user_id", Integer, ForeignKey("users.id"), nullable=False),
    Column("action", String(16), nullable=False),
    Column("comment", Text, nullable=True),
    Column("at", DateTime(timezone=True), nullable=False),
)

# ---------------------------------------------------------------- the office's year (issue 11)
# A reviewer's decision on a report: `return` (for correction: the findings to fix and a note — this is the
# rectification notice), `pass`, or `reopen`. The latest decision on a report is its review state; a body's
# re-submission is a new revision of the same body and year, which starts with no decision.
decisions = Table(
    "decisions", metadata,
    Column("id", Integer, primary_key=True),
    Column("report_id", Integer, ForeignKey("reports.id", ondelete="CASCADE"), nullable=False, index=True),
    Column("user_id", Integer, ForeignKey("users.id"), nullable=False),
    Column("action", String(16), nullable=False),  # return, pass, reopen
    Column("finding_ids", JSON, nullable=True),  # return: the findings the body must fix
    Column("note", Text, nullable=True),
    Column("at", DateTime(timezone=True), nullable=False),
)

# What is new for a user: a report returned to their body, a re-submission in their region, a deadline.
notifications = Table(
    "notifications", metadata,
    Column("id", Integer, primary_key=True),
    Column("user_id", Integer, ForeignKey("users.id", ondelete="CASCADE"), nullable=False, index=True),
    Column("kind", String(24), nullable=False),  # returned, resubmitted, passed, deadline
    Column("report_id", Integer, ForeignKey("reports.id", ondelete="CASCADE"), nullable=True),
    Column("args", JSON, nullable=True),
    Column("created_at", DateTime(timezone=True), nullable=False),
    Column("read_at", DateTime(timezone=True), nullable=True),
)

# A report being written in the browser (the form's whole content), until it is submitted as a report.
drafts = Table(
    "drafts", metadata,
    Column("id", Integer, primary_key=True),
    Column("body_id", Integer, ForeignKey("bodies.id"), nullable=False, index=True),
    Column("year", Integer, nullable=False),
    Column("user_id", Integer, ForeignKey("users.id"), nullable=False),
    Column("data", JSON, nullable=False),  # {"version", "year", "body", "sections": {...}, "cells": {id: text}}
    Column("updated_at", DateTime(timezone=True), nullable=False),
    Column("report_id", Integer, ForeignKey("reports.id", ondelete="SET NULL"), nullable=True),  # once submitted
    UniqueConstraint("body_id", "year", name="uq_drafts_body_id_year"),
)
