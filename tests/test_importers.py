"""Official export formats (fixtures built from real TFDA/NHI sample records)."""

from __future__ import annotations

from pathlib import Path

import pytest

from rxlens.catalog.importers import SourceKind, read_source
from rxlens.catalog.records import Product
from rxlens.errors import CatalogSourceError
from tests.conftest import FIXTURES


@pytest.mark.parametrize("name", ["tfda_36.json", "tfda_37.csv", "tfda_37_csv.zip"])
def test_tfda_formats_give_the_same_products(name: str) -> None:
    products = {p.id: p for p in read_source(FIXTURES / name, SourceKind.TFDA)}
    assert len(products) == 16
    micardis = products["衛署藥輸字第023161號"]
    assert micardis.name_en == "MICARDIS TABLETS 80MG"
    assert micardis.main_use.startswith("原發性高血壓")
    assert [i.name for i in micardis.ingredients] == ["TELMISARTAN"]
    assert products["衛署藥製字第099999號"].cancelled
    assert not micardis.cancelled


def test_nhi_items_in_big5() -> None:
    products = list(read_source(FIXTURES / "nhi_items.csv", SourceKind.NHI))
    assert products[0].nhi_codes == ["B020634100"]
    assert products[0].ingredients[0].name == "NIFEDIPINE"
    assert products[0].ingredients[0].strength == 30.0


def test_formulary_combination() -> None:
    ultracet = [p for p in read_source(FIXTURES / "formulary.csv", SourceKind.FORMULARY)][2]
    assert [(i.name, i.strength) for i in ultracet.ingredients] == [
        ("TRAMADOL", 37.5),
        ("ACETAMINOPHEN", 325.0),
    ]


@pytest.mark.parametrize(
    ("content", "message"),
    [
        pytest.param(b"", "empty", id="empty"),
        pytest.param(b"[{", "invalid JSON", id="broken-json"),
        pytest.param(b"PK\x03\x04garbage", "damaged ZIP", id="broken-zip"),
        pytest.param("名稱,價格\n普拿疼,2\n".encode(), "no column named 許可證字號", id="wrong-columns"),
        pytest.param(b"\xff\xfe\x00\x81\xff" * 10, "neither UTF-8 nor Big5", id="binary"),
    ],
)
def test_bad_sources_are_refused(tmp_path: Path, content: bytes, message: str) -> None:
    path = tmp_path / "export"
    path.write_bytes(content)
    with pytest.raises(CatalogSourceError, match=message):
        list(read_source(path, SourceKind.TFDA))


def test_a_line_break_inside_a_licence_name_becomes_one_space() -> None:
    # Dataset 37 has names with CR LF inside; rendering and matching both want one printed line.
    product = Product(id="X", name_en='SENIN F.C. TABLET 9.6MG "PURZER"(GINKGOFLAVONE \r\nGLYCOSIDES)')
    assert product.name_en == 'SENIN F.C. TABLET 9.6MG "PURZER"(GINKGOFLAVONE GLYCOSIDES)'
