"""Alembic environment: always run with a connection handed in by rxlens.db.engine.migrate."""

from alembic import context

from rxlens.db.models import Base

connection = context.config.attributes["connection"]
context.configure(connection=connection, target_metadata=Base.metadata)
with context.begin_transaction():
    context.run_migrations()
