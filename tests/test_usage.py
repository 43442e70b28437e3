"""Usage wording → codes and numbers (no OCR involved)."""

from __future__ import annotations

import pytest

from rxlens.extract import usage
from rxlens.extract.header import parse_date


@pytest.mark.parametrize(
    ("text", "code", "timing"),
    [
        pytest.param("TIDPC", "TID", "PC", id="glued-code"),
        pytest.param("QID PC", "QID", "PC", id="spaced-code"),
        pytest.param("1 錠 BID AC", "BID", "AC", id="code-in-sentence"),
        pytest.param("HS", "HS", "HS", id="bedtime-code"),
        pytest.param("Q8H", "Q8H", None, id="hourly-code"),
        pytest.param("q6h prn", "Q6H", None, id="lower-case"),
        pytest.param("用法：每日三次，每次1錠，飯後服用", "TID", "PC", id="chinese-three-times"),
        pytest.param("一天2次 餐前", "BID", "AC", id="chinese-digit"),
        pytest.param("早晚各一次 飯後", "BID", "PC", id="morning-and-evening"),
        pytest.param("每晚睡前", "HS", "HS", id="chinese-bedtime"),
        pytest.param("每6小時一次", "Q6H", None, id="chinese-hours"),
        pytest.param("疼痛時需要時服用", "PRN", None, id="as-needed"),
        pytest.param("隔日一次", "QOD", None, id="every-other-day"),
    ],
)
def test_frequency(text: str, code: str, timing: str | None) -> None:
    found = usage.frequency(text)
    assert found is not None and (found.count_code, found.timing_code) == (code, timing)


@pytest.mark.parametrize("text", ["MICARDIS TABLETS 40MG", "請放置於兒童拿不到的地方", "SHS TABLETS"])
def test_no_frequency(text: str) -> None:
    assert usage.frequency(text) is None


@pytest.mark.parametrize(
    ("text", "dose", "total", "days"),
    [
        pytest.param("每次1錠 總量：21 錠 本單發藥 7 日份", 1.0, 21.0, 7, id="bag-wording"),
        pytest.param("每次半錠 數量：4顆 共7日", 0.5, 4.0, 7, id="half-tablet"),
        pytest.param("每次 1/2 顆 共 14 粒 服用 28 天", 0.5, 14.0, 28, id="fraction"),
        pytest.param("每次2顆 總量 56顆 給藥日份：14", 2.0, 56.0, 14, id="two-each"),
        pytest.param("*14", None, None, 14, id="star-days"),
    ],
)
def test_dose_total_days(text: str, dose: float | None, total: float | None, days: int) -> None:
    found = usage.dose(text)
    assert (found[0] if found else None) == dose
    assert usage.total(text) == total and usage.days(text) == days


@pytest.mark.parametrize(
    ("text", "iso"),
    [
        pytest.param("就診日期：113/07/11", "2024-07-11", id="roc-slash"),
        pytest.param("113.07.11", "2024-07-11", id="roc-dots"),
        pytest.param("民國113年7月11日", "2024-07-11", id="roc-words"),
        pytest.param("2024-07-11", "2024-07-11", id="iso"),
        pytest.param("調劑日期 2024/7/1", "2024-07-01", id="western-slash"),
        pytest.param("113/02/30", None, id="impossible-day"),
    ],
)
def test_dates(text: str, iso: str | None) -> None:
    assert parse_date(text) == iso
