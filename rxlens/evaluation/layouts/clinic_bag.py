"""A clinic's one-drug 藥袋: the clinic at the top, a patient line, the drug's Chinese (and
English) name, 用法 in Chinese wording (一日三次 飯後 每次1顆), 共21顆, days, and warnings."""

from __future__ import annotations

import random
from datetime import date

from PIL import Image

from rxlens.evaluation import identity
from rxlens.evaluation.layouts.base import SANS, SERIF, Sheet, dose_text
from rxlens.evaluation.scenario import Spec
from rxlens.evaluation.truth import Truth, TruthMedication

SPEC = Spec(
    name="clinic_bag", meds=(1, 1), names="both", style="chinese", kind="clinic",
    units=("顆", "錠", "粒", "顆"), code_share=0.3, en_styles=("catalog", "title"),
)  # fmt: skip
LOOKS = [
    "白色圓形錠",
    "黃色橢圓形錠",
    "粉紅色圓形膜衣錠",
    "白色長條形錠，中有刻痕",
    "紅白膠囊",
    "淡藍色圓形錠",
]
WARNINGS = [
    "請依醫師指示按時服藥，不可自行停藥",
    "服藥後可能嗜睡，請勿開車或操作機械",
    "如有不適或過敏反應，請立即停藥並就醫",
    "請置於陰涼乾燥處，避免孩童取得",
    "服藥期間請避免飲酒",
]


def usage_line(m: TruthMedication, rng: random.Random) -> str:
    """一日三次 飯後 每次1顆 / 每次1顆 一日三次 / 焦慮不適時服用2顆 (a PRN wording carries the dose)."""
    dose = f"{dose_text(m.dose, rng)}{m.dose_unit}"
    if m.prn and f"{m.dose:g}{m.dose_unit}" in m.frequency_printed:
        return m.frequency_printed
    return rng.choice([f"{m.frequency_printed}  每次{dose}", f"每次{dose}  {m.frequency_printed}"])


def _top(s: Sheet, truth: Truth, rng: random.Random) -> float:
    visit = date.fromisoformat(truth.visit_date)
    s.text(550, 36, truth.clinic_name, 52, bold=True, anchor="ma")
    place = identity.institution(rng, "clinic")
    code = f"  機構代碼：{truth.institution_code}" if truth.institution_code else ""
    s.text(550, 110, f"{place.address}  電話：{place.phone}{code}", 22, anchor="ma")
    s.hline(150, 40, 1060, 3)
    s.text(60, 170, f"姓名：{identity.person(rng)}   {rng.choice('男女')}   {rng.randint(3, 90)}歲", 32)
    s.text(60, 222, f"{rng.choice(['就診日期', '調劑日期', '日期'])}：{identity.any_date(visit, rng)}", 32)
    s.hline(280, 40, 1060, 1)
    return 300


def _drug(s: Sheet, m: TruthMedication, rng: random.Random, y: float) -> float:
    s.text(60, y, "藥名：", 34, bold=True)
    main = m.name_zh or m.name_en
    s.text(170, y, main, s.fit(main, 860, 40), bold=True)
    y += 64
    if m.name_en and m.name_zh:
        s.text(170, y, m.name_en, s.fit(m.name_en, 860, 30))
        y += 52
    s.draw.rectangle((40, y, 1060, y + 90), outline=(0, 0, 0), width=3)
    line = usage_line(m, rng)
    s.text(60, y + 16, "用法：", 40, bold=True)
    s.text(200, y + 14, line, s.fit(line, 840, 46), bold=True)
    y += 116
    days = f"{rng.choice(['給藥天數', '天數', ''])}{m.days}天{rng.choice(['', '份'])}"
    s.text(60, y, f"數量：共{m.total:g}{m.dose_unit}    {days}", 34)
    return y + 60


def render(truth: Truth, rng: random.Random) -> Image.Image:
    s = Sheet((1100, 1560), rng, rng.choice([SANS, SERIF]))
    y = _drug(s, truth.medications[0], rng, _top(s, truth, rng))
    s.text(60, y, f"外觀：{rng.choice(LOOKS)}", 30)
    s.text(60, y + 50, f"醫師：{truth.doctor_name}    藥師：{identity.person(rng)}", 30)
    y += 114
    s.hline(y, 40, 1060, 1)
    for warning in rng.sample(WARNINGS, 3):
        s.text(60, y + 16, f"※{warning}", 26)
        y += 48
    return s.finish(y + 60)
