"""Database engine, schema and migrations (SQLAlchemy 2.0 + Alembic); nothing SQLite-only."""
