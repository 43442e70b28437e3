"""The LINE channel's tables: webhook events seen, users, records kept for them, reminders,
pushes counted per month. Every medical field is sealed (Fernet) before it is written.

Revision ID: 0003
Revises: 0002
"""

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "line_events",
        sa.Column("id", sa.String(64), primary_key=True),  # webhookEventId
        sa.Column("seen_at", sa.Double(), nullable=False),
        mysql_charset="utf8mb4",
        mysql_collate="utf8mb4_bin",
    )
    op.create_table(
        "line_users",
        sa.Column("key", sa.String(64), primary_key=True),  # HMAC of the LINE user id
        sa.Column("sealed_id", sa.Text(), nullable=False),
        sa.Column("created_at", sa.Double(), nullable=False),
        mysql_charset="utf8mb4",
        mysql_collate="utf8mb4_bin",
    )
    op.create_table(
        "line_records",
        sa.Column("id", sa.String(32), primary_key=True),
        sa.Column("user_key", sa.String(64), nullable=False, index=True),
        sa.Column("sealed", sa.Text(), nullable=False),
        sa.Column("confirmed", sa.Boolean(), nullable=False, server_default=sa.false()),
        sa.Column("expires_at", sa.Double(), nullable=False),
        mysql_charset="utf8mb4",
        mysql_collate="utf8mb4_bin",
    )
    op.create_table(
        "line_reminders",
        sa.Column("id", sa.Integer(), primary_key=True, autoincrement=True),
        sa.Column("user_key", sa.String(64), nullable=False, index=True),
        sa.Column("record_id", sa.String(32), nullable=False),
        sa.Column("due_at", sa.Double(), nullable=False, index=True),
        sa.Column("sealed", sa.Text(), nullable=False),
        sa.Column("claimed_until", sa.Double(), nullable=False, server_default="0"),
        sa.Column("sent_at", sa.Double(), nullable=True),
        mysql_charset="utf8mb4",
        mysql_collate="utf8mb4_bin",
    )
    op.create_table(
        "line_pushes",
        sa.Column("month", sa.String(7), primary_key=True),
        sa.Column("count", sa.Integer(), nullable=False, server_default="0"),
        mysql_charset="utf8mb4",
        mysql_collate="utf8mb4_bin",
    )


def downgrade() -> None:
    for table in ("line_pushes", "line_reminders", "line_records", "line_users", "line_events"):
        op.drop_table(table)
