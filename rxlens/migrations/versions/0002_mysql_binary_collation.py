"""MySQL/MariaDB: the catalog tables in utf8mb4 with a binary collation.

A server's default collation (utf8mb4_general_ci) folds case and accents, so two aliases that
differ only in case, or licence ids such as `a001`/`A001`, would collide in the unique keys while
SQLite and PostgreSQL keep them apart. utf8mb4_bin compares exactly, as the importers do.
Nothing to do on SQLite and PostgreSQL, whose comparisons are already exact.

Revision ID: 0002
Revises: 0001
"""

from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None

TABLES = ("products", "aliases", "catalog_meta")


def _is_mysql() -> bool:
    return op.get_bind().dialect.name in ("mysql", "mariadb")


def upgrade() -> None:
    if _is_mysql():
        for table in TABLES:
            op.execute(f"ALTER TABLE {table} CONVERT TO CHARACTER SET utf8mb4 COLLATE utf8mb4_bin")


def downgrade() -> None:
    if _is_mysql():
        for table in TABLES:
            op.execute(f"ALTER TABLE {table} CONVERT TO CHARACTER SET utf8mb4 COLLATE utf8mb4_general_ci")
