"""A dose the page lost, from total ÷ (doses a day × days): only a dose a person takes, only from
a fixed daily count, marked as derived and never counted as verified."""

from __future__ import annotations

import pytest

from rxlens.result import Medication
from rxlens.validate.arithmetic import DERIVED, check
from rxlens.validate.derive import derive_dose


def _med(code: str, total: float | None, days: int | None, dose: float | None = None) -> Medication:
    return Medication(frequency_count_code=code, dose_quantity=dose, total_quantity=total, days=days)


@pytest.mark.parametrize(
    ("code", "total", "days", "dose"),
    [
        pytest.param("BID", 14.0, 7, 1.0, id="whole"),
        pytest.param("QD", 3.5, 7, 0.5, id="half"),
        pytest.param("TID", 42.0, 7, 2.0, id="two"),
        pytest.param("QD&HS", 14.0, 7, 1.0, id="twice-a-day-code"),
        pytest.param("QD", 2.0, 7, None, id="not-a-quarter"),  # ¼ a day, rounded up to 2 tablets
        pytest.param("PRN", 10.0, 5, None, id="as-needed"),
        pytest.param("QIO", 5.0, 5, None, id="unknown-code"),
        pytest.param("QOD", 4.0, 7, None, id="skips-days"),
        pytest.param("QID", 840.0, 7, None, id="too-many-at-once"),
        pytest.param("BID", None, 7, None, id="no-total"),
    ],
)
def test_a_lost_dose_from_the_total(code: str, total: float | None, days: int, dose: float | None) -> None:
    med = _med(code, total, days)
    derive_dose(med)
    assert med.dose_quantity == dose
    if dose is not None:
        assert med.fields["dose"].engine == DERIVED and med.warnings
        assert check(med).status == "not_applicable"  # it would be checking itself


def test_a_dose_as_read_is_never_replaced() -> None:
    med = _med("BID", 14.0, 7, dose=2.0)
    derive_dose(med)
    assert med.dose_quantity == 2.0 and "dose" not in med.fields and check(med).status == "mismatch"
