"""Map each official export format to Product records."""

from __future__ import annotations

import re
from collections.abc import Iterator
from enum import StrEnum
from pathlib import Path
from typing import Any

from rxlens.catalog.grouping import parse_grouping
from rxlens.catalog.importers.tables import pick, read_rows, require
from rxlens.catalog.records import Ingredient, Product

_ZH, _EN = (
    ("中文品名", "藥品中文名稱", "name_zh", "中文名稱"),
    ("英文品名", "藥品英文名稱", "name_en", "英文名稱"),
)


class SourceKind(StrEnum):
    TFDA = "tfda"  # TFDA dataset 36/37 全部藥品許可證 (JSON, CSV or the ZIP the site serves)
    NHI = "nhi"  # NHI 健保用藥品項 (CSV)
    FORMULARY = "formulary"  # a clinic's own list (CSV)


def _ingredients(text: str) -> list[Ingredient]:
    parts = [p for p in re.split(r";;|;|\+|、", text) if p.strip()]
    return [i for p in parts for i in parse_grouping(p)[0]]


def _tfda(row: dict[str, Any]) -> Product:
    cancelled = pick(row, "註銷狀態") not in ("", "0", "未註銷")
    return Product(
        id=pick(row, "許可證字號"),
        name_zh=pick(row, *_ZH),
        name_en=pick(row, *_EN),
        main_use=pick(row, "適應症"),
        dosage_form=re.sub(r"^\d+", "", pick(row, "劑型")),
        ingredients=_ingredients(pick(row, "主成分略述")),
        cancelled=cancelled,
        source=SourceKind.TFDA,
    )


def _nhi(row: dict[str, Any]) -> Product:
    code = pick(row, "藥品代號", "藥品代碼")
    ingredients = _ingredients(pick(row, "成份", "成分"))
    amount, unit = pick(row, "規格量"), pick(row, "規格單位").upper()
    if len(ingredients) == 1 and ingredients[0].strength is None and amount:
        ingredients = _ingredients(f"{ingredients[0].name} {amount} {unit}")
    return Product(
        id=code,
        nhi_codes=[code],
        name_zh=pick(row, *_ZH),
        name_en=pick(row, *_EN),
        ingredients=ingredients,
        dosage_form=pick(row, "劑型"),
        atc=pick(row, "ATC_CODE", "ATC代碼"),
        source=SourceKind.NHI,
    )


def _formulary(row: dict[str, Any]) -> Product:
    text = pick(row, "ingredients", "成分")
    strength = pick(row, "strength", "含量")
    if strength and "+" not in text and ";" not in text:
        text = f"{text} {strength}"
    return Product(
        id=pick(row, "id", "藥品代碼"),
        name_zh=pick(row, *_ZH),
        name_en=pick(row, *_EN),
        ingredients=_ingredients(text.upper()),
        main_use=pick(row, "main_use", "主要用途", "適應症"),
        side_effects=pick(row, "side_effects", "副作用"),
        source=SourceKind.FORMULARY,
    )


_FORMATS = {
    SourceKind.TFDA: (_tfda, [("許可證字號",), _ZH]),
    SourceKind.NHI: (_nhi, [("藥品代號", "藥品代碼"), _EN]),
    SourceKind.FORMULARY: (_formulary, [("id", "藥品代碼"), _ZH + _EN]),
}


def read_source(path: Path, kind: SourceKind) -> Iterator[Product]:
    rows = read_rows(path)
    convert, required = _FORMATS[kind]
    require(rows, path.name, *required)
    for row in rows:
        product = convert(row)
        if product.id:
            yield product
