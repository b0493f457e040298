"""Alembic environment of the report store: run by Store on open (upgrade head) with its connection.

The connection arrives through `config.attributes["connection"]`, already inside the transaction that
holds the store's migration lock, so two processes opening a new store migrate it once.
"""

from __future__ import annotations

from alembic import context

from zfxxgk.store.schema import metadata

connection = context.config.attributes.get("connection")
if connection is None:  # `alembic -c …` from a shell: build an engine from sqlalchemy.url
    from sqlalchemy import create_engine

    engine = create_engine(context.config.get_main_option("sqlalchemy.url") or "sqlite:///zfxxgk.db")
    with engine.begin() as conn:
        context.configure(connection=conn, target_metadata=metadata, render_as_batch=True)
        context.run_migrations()
else:
    context.configure(connection=connection, target_metadata=metadata, render_as_batch=True)
    with context.begin_transaction():
        context.run_migrations()
