"""The generator's truth: which products a reader cannot tell apart by what is printed."""

import pytest

from rxlens.catalog.records import Ingredient, Product
from rxlens.evaluation.naming import NameIndex, brand, without_maker


def _product(pid: str, name_en: str, mg: float | None, ingredient: str = "X") -> Product:
    unit = "MG" if mg else ""
    return Product(id=pid, name_en=name_en, ingredients=[Ingredient(name=ingredient, strength=mg, unit=unit)])


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("GLUCOFIT F.C.TABLETS 500MG (METFORMIN)", "Glucofit"),
        ("ANETHOL TRITHIONE S.C. TABLETS", "Anethol Trithione"),
        ('PREDNISOLONE "KUANG NAN"', "Prednisolone"),
        ("Crestor 10mg film-coated tablets", "Crestor"),
        ('THIAMPHENICOL CAP. 250MG "P.J."', "Thiamphenicol"),
        ("Erythrocin Capsules“Taiten”(Erythromycin Estolates)", "Erythrocin"),
        ('"O.Y."CHUNBIK TABLETS', "Chunbik"),
        ('"STANDARD" ALLERTIN TABLETS 10MG', "Allertin"),
    ],
)
def test_brand_ends_at_the_first_form_word(name: str, expected: str) -> None:
    assert brand(name) == expected


def test_names_that_differ_only_in_punctuation_or_coating_print_alike() -> None:
    a = _product("A", 'ANETHOL TRITHIONE S.C. TABLETS "SHINLON"', 25.0)
    b = _product("B", 'ANETHOL TRITHIONE S.C TABLETS 25MG "T.L.B"', None)
    c = _product("C", "ANETHOL TRITHIONE S.C. TABLETS 12.5MG", 12.5)
    names = NameIndex([a, b, c])
    assert names.acceptable(a, "Anethol Trithione S.C. 25mg", "") == ["A", "B"]


def test_alike_names_of_different_ingredients_do_not_stand_for_each_other() -> None:
    a = _product("A", "ANTI-COUGH S.C. TABLETS", None, "BROMHEXINE")
    b = _product("B", "ANTICOUGH INJECTION", None, "DEXTROMETHORPHAN")
    assert NameIndex([a, b]).acceptable(a, "Anti-Cough S.C. Tablets", "") == ["A"]


@pytest.mark.parametrize("name_zh", ["''健喬''氧化鎂錠", '"豐田" 氧化鎂錠', "〝豐田〞氧化鎂錠"])
def test_a_chinese_name_without_its_maker_in_any_quotes(name_zh: str) -> None:
    """Labels drop the maker: products whose names differ only in it print alike."""
    assert without_maker(name_zh) == "氧化鎂錠"
