"""Plain records shared by importers, the store and the index (no database types here)."""

from __future__ import annotations

import re
from typing import Any

from pydantic import BaseModel, Field, field_validator


class Ingredient(BaseModel):
    name: str
    strength: float | None = None  # in `unit`; mg for weights
    unit: str = ""

    def label(self) -> str:
        if self.strength is None:
            return self.name
        return f"{self.name} {self.strength:g} {self.unit}".strip()


class Product(BaseModel):
    id: str  # TFDA licence number, an NHI code for licences we only know from NHI, or a formulary id
    name_zh: str = ""
    name_en: str = ""
    ingredients: list[Ingredient] = Field(default_factory=list)
    dosage_form: str = ""
    atc: str = ""
    main_use: str = ""
    side_effects: str = ""  # no open dataset has these: only a formulary import fills them
    appearance: dict[str, Any] = Field(default_factory=dict)
    nhi_codes: list[str] = Field(default_factory=list)
    cancelled: bool = False
    source: str = ""
    volume: float = 0.0  # NHI claimed quantity in 2024: a prior between equally good names

    @field_validator("name_zh", "name_en")
    @classmethod
    def _one_line(cls, name: str) -> str:
        # Some licences carry a line break inside the name (`… (GINKGOFLAVONE \r\nGLYCOSIDES)`):
        # a printed name is one line, and text layout refuses the control characters.
        return re.sub(r"\s+", " ", name).strip()

    @property
    def display_name(self) -> str:
        """Chinese name, else English, else the ingredients (NHI-only records have no name)."""
        return self.name_zh or self.name_en or " + ".join(i.label() for i in self.ingredients)

    def merged_with(self, newer: Product) -> Product:
        """Fields the newer record has win; empty ones keep what we had (imports never blank data)."""
        data = self.model_dump()
        for key, value in newer.model_dump().items():
            if value not in ("", None, [], {}, 0.0) or key == "cancelled":
                data[key] = value
        return Product.model_validate(data)


class Synonym(BaseModel):
    """A name (brand, INN variant, spelling) that means an ingredient."""

    text: str
    ingredient: str
    source: str = ""
