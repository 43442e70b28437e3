"""Tables. JSON columns hold lists that are read whole (ingredients, NHI codes, appearance)."""

from __future__ import annotations

from typing import Any

from sqlalchemy import JSON, Boolean, Double, Float, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

# Exact comparison on MySQL/MariaDB as on the other two (migration 0002 says why).
MYSQL_TABLE = {"mysql_charset": "utf8mb4", "mysql_collate": "utf8mb4_bin"}


class Base(DeclarativeBase):
    pass


class ProductRow(Base):
    __tablename__ = "products"
    __table_args__ = MYSQL_TABLE

    id: Mapped[str] = mapped_column(String(64), primary_key=True)
    name_zh: Mapped[str] = mapped_column(String(255), default="")
    name_en: Mapped[str] = mapped_column(String(255), default="")
    ingredients: Mapped[list[dict[str, Any]]] = mapped_column(JSON, default=list)
    dosage_form: Mapped[str] = mapped_column(String(64), default="")
    atc: Mapped[str] = mapped_column(String(16), default="")
    main_use: Mapped[str] = mapped_column(Text, default="")
    side_effects: Mapped[str] = mapped_column(Text, default="")
    appearance: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    nhi_codes: Mapped[list[str]] = mapped_column(JSON, default=list)
    cancelled: Mapped[bool] = mapped_column(Boolean, default=False)
    source: Mapped[str] = mapped_column(String(32), default="")
    volume: Mapped[float] = mapped_column(Float, default=0.0)


class AliasRow(Base):
    """A name that means an ingredient (brand, INN spelling); products are found through it."""

    __tablename__ = "aliases"
    __table_args__ = (UniqueConstraint("text", "ingredient", name="uq_alias_text_ingredient"), MYSQL_TABLE)

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    text: Mapped[str] = mapped_column(String(255))
    ingredient: Mapped[str] = mapped_column(String(255))
    source: Mapped[str] = mapped_column(String(32), default="")


class MetaRow(Base):
    __tablename__ = "catalog_meta"
    __table_args__ = MYSQL_TABLE

    key: Mapped[str] = mapped_column(String(64), primary_key=True)
    value: Mapped[str] = mapped_column(Text, default="")


# --- the LINE channel (migration 0003): medical fields are sealed before they are written ------
# Times are seconds since the epoch in DOUBLE: MariaDB's FLOAT is single precision (minutes off).
class LineEventRow(Base):
    __tablename__ = "line_events"
    __table_args__ = MYSQL_TABLE

    id: Mapped[str] = mapped_column(String(64), primary_key=True)
    seen_at: Mapped[float] = mapped_column(Double)


class LineUserRow(Base):
    __tablename__ = "line_users"
    __table_args__ = MYSQL_TABLE

    key: Mapped[str] = mapped_column(String(64), primary_key=True)
    sealed_id: Mapped[str] = mapped_column(Text)
    created_at: Mapped[float] = mapped_column(Double)


class LineRecordRow(Base):
    __tablename__ = "line_records"
    __table_args__ = MYSQL_TABLE

    id: Mapped[str] = mapped_column(String(32), primary_key=True)
    user_key: Mapped[str] = mapped_column(String(64), index=True)
    sealed: Mapped[str] = mapped_column(Text)
    confirmed: Mapped[bool] = mapped_column(Boolean, default=False)
    expires_at: Mapped[float] = mapped_column(Double)


class LineReminderRow(Base):
    __tablename__ = "line_reminders"
    __table_args__ = MYSQL_TABLE

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    user_key: Mapped[str] = mapped_column(String(64), index=True)
    record_id: Mapped[str] = mapped_column(String(32))
    due_at: Mapped[float] = mapped_column(Double, index=True)
    sealed: Mapped[str] = mapped_column(Text)
    claimed_until: Mapped[float] = mapped_column(Double, default=0.0)
    sent_at: Mapped[float | None] = mapped_column(Double, nullable=True)


class LinePushRow(Base):
    __tablename__ = "line_pushes"
    __table_args__ = MYSQL_TABLE

    month: Mapped[str] = mapped_column(String(7), primary_key=True)
    count: Mapped[int] = mapped_column(Integer, default=0)
