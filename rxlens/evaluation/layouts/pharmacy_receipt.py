"""A community pharmacy's 領藥收據 / 調劑明細: a table with 頻次 and 單位 columns, Chinese names
only, and totals (藥費, 部分負擔) at the foot."""

from __future__ import annotations

import random
from datetime import date

from PIL import Image

from rxlens.evaluation import identity
from rxlens.evaluation.layouts.base import MONO, SANS, Sheet, dose_text
from rxlens.evaluation.scenario import Spec
from rxlens.evaluation.truth import Truth

SPEC = Spec(
    name="pharmacy_receipt", meds=(2, 7), names="zh", style="receipt", kind="clinic",
    units=("顆", "粒", "錠", "TAB"), varied_days=0.25, header_days=0.7,
)  # fmt: skip
EDGES = [40, 540, 720, 800, 880, 960, 1080, 1200]
HEADS = ["藥品名稱", "頻次", "單次", "單位", "天數", "數量", "金額"]


def _rows(s: Sheet, truth: Truth, rng: random.Random, y: float) -> tuple[float, int]:
    """The table; returns where it ends and the drug fee it adds up to."""
    h = 46
    s.hline(y, 40, 1200, 2)
    for c, head in enumerate(HEADS):
        s.cell((EDGES[c], y, EDGES[c + 1], y + h), head, 24, "c", bold=True)
    y += h
    s.hline(y, 40, 1200, 1)
    fee = 0
    for m in truth.medications:
        price = int(m.total * rng.choice([1, 2, 3, 5]))
        fee += price
        dose = dose_text(m.dose, rng)
        cells = [m.name_zh, m.frequency_printed, dose, m.dose_unit, f"{m.days}", f"{m.total:g}", f"{price}"]
        for c, text in enumerate(cells):
            s.cell((EDGES[c], y, EDGES[c + 1], y + h), text, 24, "l" if c < 2 else "r")
        y += h
    s.hline(y + 4, 40, 1200, 2)
    return y + 20, fee


def render(truth: Truth, rng: random.Random) -> Image.Image:
    s = Sheet((1240, 1500), rng, rng.choice([SANS, MONO]))
    visit = date.fromisoformat(truth.visit_date)
    pharmacy = identity.institution(rng, "pharmacy")  # the receipt's issuer; the clinic prescribed
    s.text(620, 24, pharmacy.name, 44, bold=True, anchor="ma")
    s.text(620, 86, rng.choice(["領藥收據", "調劑明細暨收據", "健保處方調劑收據"]), 32, anchor="ma")
    s.text(40, 140, f"姓名：{identity.person(rng)}     調劑日期：{identity.any_date(visit, rng)}", 26)
    s.text(40, 180, f"處方醫院：{truth.clinic_name}     處方醫師：{truth.doctor_name}", 26)
    days = f"給藥日數：{truth.header_days} 天" if truth.header_days else ""
    s.text(40, 220, f"{days}   調劑藥師：{identity.person(rng)}", 26)
    y, fee = _rows(s, truth, rng, 270)
    for label, value in [
        ("藥費合計", fee),
        ("藥事服務費", rng.choice([54, 59, 64])),
        ("部分負擔", rng.choice([0, 20, 40])),
    ]:
        s.text(760, y, f"{label}：", 26)
        s.text(1180, y, f"{value} 元", 26, anchor="ra")
        y += 40
    s.text(40, y + 10, f"{pharmacy.address}  電話：{pharmacy.phone}  謝謝惠顧，祝您早日康復", 22)
    return s.finish(y + 70)
