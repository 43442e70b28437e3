"""Catalog tables: products, aliases, catalog_meta.

Revision ID: 0001
Revises:
"""

import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "products",
        sa.Column("id", sa.String(64), primary_key=True),
        sa.Column("name_zh", sa.String(255), nullable=False, server_default=""),
        sa.Column("name_en", sa.String(255), nullable=False, server_default=""),
        sa.Column("ingredients", sa.JSON(), nullable=False),
        sa.Column("dosage_form", sa.String(64), nullable=False, server_default=""),
        sa.Column("atc", sa.String(16), nullable=False, server_default=""),
        sa.Column("main_use", sa.Text(), nullable=False),
        sa.Column("side_effects", sa.Text(), nullable=False),
        sa.Column("appearance", sa.JSON(), nullable=False),
        sa.Column("nhi_codes", sa.JSON(), nullable=False),
        sa.Column("cancelled", sa.Boolean(), nullable=False, server_default=sa.false()),
        sa.Column("source", sa.String(32), nullable=False, server_default=""),
        sa.Column("volume", sa.Float(), nullable=False, server_default="0"),
    )
    op.create_table(
        "aliases",
        sa.Column("id", sa.Integer(), primary_key=True, autoincrement=True),
        sa.Column("text", sa.String(255), nullable=False),
        sa.Column("ingredient", sa.String(255), nullable=False),
        sa.Column("source", sa.String(32), nullable=False, server_default=""),
        sa.UniqueConstraint("text", "ingredient", name="uq_alias_text_ingredient"),
    )
    op.create_table(
        "catalog_meta",
        sa.Column("key", sa.String(64), primary_key=True),
        sa.Column("value", sa.Text(), nullable=False),
    )


def downgrade() -> None:
    op.drop_table("catalog_meta")
    op.drop_table("aliases")
    op.drop_table("products")
