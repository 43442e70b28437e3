"""Open CSV, JSON or a ZIP holding one of them, as rows of strings keyed by header."""

from __future__ import annotations

import csv
import io
import json
import zipfile
from pathlib import Path
from typing import Any

from rxlens.errors import CatalogSourceError


def _decode(raw: bytes, name: str) -> str:
    for encoding in ("utf-8-sig", "cp950"):  # NHI files have been published in Big5 too
        try:
            return raw.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise CatalogSourceError(f"{name}: neither UTF-8 nor Big5 text.")


def _unzip(raw: bytes, name: str) -> tuple[bytes, str]:
    try:
        with zipfile.ZipFile(io.BytesIO(raw)) as archive:
            members = [m for m in archive.namelist() if m.lower().endswith((".csv", ".json", ".txt"))]
            if not members:
                raise CatalogSourceError(f"{name}: the ZIP holds no CSV or JSON file.")
            return archive.read(members[0]), members[0]
    except zipfile.BadZipFile as exc:
        raise CatalogSourceError(f"{name}: a damaged ZIP file.") from exc


def read_rows(path: Path) -> list[dict[str, Any]]:
    raw, name = path.read_bytes(), path.name
    if raw[:2] == b"PK":
        raw, name = _unzip(raw, name)
    text = _decode(raw, name).strip()
    if not text:
        raise CatalogSourceError(f"{name}: the file is empty.")
    if text[0] in "[{":
        try:
            data = json.loads(text)
        except json.JSONDecodeError as exc:
            raise CatalogSourceError(f"{name}: invalid JSON at line {exc.lineno}.") from exc
        rows = data if isinstance(data, list) else data.get("items") or data.get("data") or []
        return [r for r in rows if isinstance(r, dict)]
    return [
        {(k or "").strip(): (v or "").strip() for k, v in row.items()}
        for row in csv.DictReader(io.StringIO(text))
    ]


def pick(row: dict[str, Any], *names: str) -> str:
    for name in names:
        value = row.get(name)
        if value not in (None, ""):
            return str(value).strip()
    return ""


def require(rows: list[dict[str, Any]], name: str, *alternatives: tuple[str, ...]) -> None:
    """Each alternative is a group of headers of which one must be present."""
    headers = set().union(*(r.keys() for r in rows[:50])) if rows else set()
    for group in alternatives:
        if not headers & set(group):
            raise CatalogSourceError(
                f"{name}: no column named {' or '.join(group)}; "
                f"found {', '.join(sorted(headers)[:12]) or 'no rows'}."
            )
