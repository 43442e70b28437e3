"""Read and write the catalog tables. An import is one transaction: all of it or none of it."""

from __future__ import annotations

import hashlib
import time
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Engine, delete, func, insert, select, update
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import Session

from rxlens.catalog.licences import licence_key, nhi_licence_key
from rxlens.catalog.records import Product, Synonym
from rxlens.db.models import AliasRow, MetaRow, ProductRow
from rxlens.errors import CatalogEmpty, CatalogError

_COLUMNS = [c.key for c in ProductRow.__table__.columns]


@dataclass(frozen=True, slots=True)
class Snapshot:
    version: str
    products: list[Product]
    synonyms: list[Synonym]


@dataclass(frozen=True, slots=True)
class ImportReport:
    source: str
    inserted: int
    updated: int
    aliases: int
    version: str


@contextmanager
def _db_errors(action: str) -> Iterator[None]:
    try:
        yield
    except SQLAlchemyError as exc:
        cause = getattr(exc, "orig", None) or exc
        raise CatalogError(f"Could not {action}: {type(cause).__name__}") from exc


def _row(product: Product) -> dict[str, Any]:
    data = product.model_dump()
    return {k: data[k] for k in _COLUMNS}


class CatalogStore:
    def __init__(self, engine: Engine) -> None:
        self.engine = engine

    def meta(self) -> dict[str, str]:
        with _db_errors("read the catalog version"), self.engine.connect() as conn:
            return {k: v for k, v in conn.execute(select(MetaRow.key, MetaRow.value))}

    def version(self) -> str:
        version = self.meta().get("version")
        if not version:
            raise CatalogEmpty("The drug catalog has not been imported yet.")
        return version

    def counts(self) -> dict[str, int]:
        with _db_errors("count the catalog"), self.engine.connect() as conn:
            products = conn.scalar(select(func.count()).select_from(ProductRow)) or 0
            aliases = conn.scalar(select(func.count()).select_from(AliasRow)) or 0
        return {"products": products, "aliases": aliases}

    def load(self) -> Snapshot:
        with _db_errors("load the catalog"), Session(self.engine) as session:
            version = session.get(MetaRow, "version")
            if version is None:
                raise CatalogEmpty("The drug catalog has not been imported yet.")
            # Core rows, not ORM objects: loading 60,000 products should not build 60,000 identities.
            rows = session.execute(select(*ProductRow.__table__.columns).order_by(ProductRow.id))
            products = [Product.model_validate(dict(r._mapping)) for r in rows]
            aliases = session.execute(select(AliasRow.text, AliasRow.ingredient, AliasRow.source))
            synonyms = [Synonym(text=t, ingredient=i, source=s) for t, i, s in aliases]
            return Snapshot(version.value, products, synonyms)

    def apply(
        self,
        products: Iterable[Product],
        synonyms: Iterable[Synonym],
        source: str,
        replace: bool = False,
        meta: dict[str, str] | None = None,
    ) -> ImportReport:
        """Merge records into the catalog in one transaction; `replace` first drops this source.

        `meta` entries are written in the same transaction (e.g. which bundle is loaded)."""
        with _db_errors(f"import {source}"), Session(self.engine) as session, session.begin():
            if replace:
                session.execute(delete(ProductRow).where(ProductRow.source == source))
                session.execute(delete(AliasRow).where(AliasRow.source == source))
            inserted, updated = self._merge_products(session, products)
            aliases = self._add_aliases(session, synonyms)
            changes = inserted + updated + aliases
            version = (
                self._bump_version(session, source, changes)
                if changes or replace
                else self._current_version(session)
            )
            for key, value in (meta or {}).items():
                session.merge(MetaRow(key=key, value=value))
        return ImportReport(source, inserted, updated, aliases, version)

    def _merge_products(self, session: Session, products: Iterable[Product]) -> tuple[int, int]:
        existing = {r.id: r for r in session.execute(select(ProductRow)).scalars()}
        by_licence = {licence_key(i): i for i in existing}
        by_code = {c: r.id for r in existing.values() for c in r.nhi_codes}
        new: dict[str, Product] = {}
        changed: dict[str, Product] = {}
        for product in products:
            target = self._resolve(product, existing, by_licence, by_code)
            if target in existing or target in changed:
                base = changed.get(target) or Product.model_validate(
                    {k: getattr(existing[target], k) for k in _COLUMNS}
                )
                merged = base.merged_with(product.model_copy(update={"id": target}))
                if merged != base:  # re-importing the same data changes nothing
                    changed[target] = merged
            else:
                new[target] = new[target].merged_with(product) if target in new else product
        if new:
            session.execute(insert(ProductRow), [_row(p) for p in new.values()])
        if changed:
            session.execute(update(ProductRow), [_row(p) for p in changed.values()])
        return len(new), len(changed)

    @staticmethod
    def _resolve(
        product: Product, existing: dict[str, Any], by_licence: dict[Any, str], by_code: dict[str, str]
    ) -> str:
        """An NHI-coded record joins the licence it encodes, or a product already holding the code."""
        if product.id in existing:
            return product.id
        key = licence_key(product.id) or nhi_licence_key(product.id)
        if key and key in by_licence:
            return by_licence[key]
        for code in product.nhi_codes or [product.id]:
            if code in by_code:
                return by_code[code]
        return product.id

    @staticmethod
    def _add_aliases(session: Session, synonyms: Iterable[Synonym]) -> int:
        have = {(t, i) for t, i in session.execute(select(AliasRow.text, AliasRow.ingredient))}
        fresh = {(s.text, s.ingredient): s for s in synonyms if (s.text, s.ingredient) not in have}
        if fresh:
            session.execute(insert(AliasRow), [s.model_dump() for s in fresh.values()])
        return len(fresh)

    @staticmethod
    def _current_version(session: Session) -> str:
        row = session.get(MetaRow, "version")
        return row.value if row else ""

    @staticmethod
    def _bump_version(session: Session, source: str, changes: int) -> str:
        previous = session.get(MetaRow, "version")
        seed = f"{previous.value if previous else ''}|{source}|{changes}|{time.time_ns()}"
        version = hashlib.sha256(seed.encode()).hexdigest()[:16]
        stamp = time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime())
        for key, value in (("version", version), (f"source:{source}", stamp)):
            session.merge(MetaRow(key=key, value=value))
        return version
