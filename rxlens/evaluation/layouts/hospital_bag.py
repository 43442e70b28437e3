"""A hospital's printed 藥袋: a QR-like block, 領藥號, the drug's English and Chinese names, the
code with its Chinese meaning (TIDPC 一日三次飯後), total and days, appearance and warnings."""

from __future__ import annotations

import random
from datetime import date

from PIL import Image

from rxlens.evaluation import identity
from rxlens.evaluation.layouts.base import SANS, Sheet, dose_text
from rxlens.evaluation.scenario import Spec
from rxlens.evaluation.truth import Truth

SPEC = Spec(
    name="hospital_bag", meds=(1, 1), names="both", style="mixed", kind="hospital",
    units=("顆", "粒", "TAB", "錠"), code_share=0.5, en_styles=("formulary", "catalog", "short"),
)  # fmt: skip
LOOKS = [
    '白色圓形錠 刻字 "5"',
    "橘色橢圓形膜衣錠",
    '白色膠囊 印字 "AB"',
    "黃色圓形錠 一面有切痕",
    "藍色菱形錠",
]
USES = ["降血壓", "降血脂", "控制血糖", "胃藥", "止痛退燒", "抗過敏", "助眠", "抗凝血"]
SIDE = ["頭暈、水腫", "腸胃不適", "嗜睡、口乾", "皮疹、搔癢", "肌肉痠痛"]


def _top(s: Sheet, truth: Truth, rng: random.Random) -> None:
    visit = date.fromisoformat(truth.visit_date)
    s.text(50, 30, truth.clinic_name, 46, bold=True)
    s.text(50, 96, rng.choice(["門診藥袋", "門診用藥明細", "藥品使用說明"]), 30)
    if truth.institution_code:
        s.text(320, 100, f"醫事機構代號 {truth.institution_code}", 24)
    s.qr(s.width - 230, 24, 25, 7)
    s.rect((s.width - 470, 40, s.width - 260, 150), 3)
    s.text(s.width - 365, 58, "領藥號", 24, anchor="ma")
    s.text(s.width - 365, 92, f"{rng.randint(1, 999)}", 44, bold=True, anchor="ma")
    s.hline(215, 40, s.width - 40, 3)
    s.text(
        50,
        232,
        f"姓名：{identity.person(rng)}    病歷號：{rng.randint(10**6, 10**7)}    "
        f"科別：{identity.department(rng)}",
        30,
    )
    s.text(50, 280, f"就醫日期：{identity.any_date(visit, rng)}    醫師：{truth.doctor_name}", 30)
    s.hline(335, 40, s.width - 40, 1)


def render(truth: Truth, rng: random.Random) -> Image.Image:
    m = truth.medications[0]
    s = Sheet((1400, 1300), rng, SANS)
    _top(s, truth, rng)
    y = 355
    s.text(50, y, m.name_en, s.fit(m.name_en, 1300, 38), bold=True)
    s.text(50, y + 56, m.name_zh, s.fit(m.name_zh, 1000, 32))
    if m.nhi_code and rng.random() < 0.5:
        s.text(s.width - 50, y + 60, m.nhi_code, 26, anchor="ra")
    y += 120
    s.draw.rectangle((40, y, s.width - 40, y + 96), fill=(232, 232, 232))
    s.text(
        60, y + 22, f"用法：{m.frequency_printed}", s.fit(f"用法：{m.frequency_printed}", 760, 44), bold=True
    )
    s.text(860, y + 22, f"每次 {dose_text(m.dose, rng)} {m.dose_unit}", 44, bold=True)
    y += 120
    s.text(60, y, f"總量：{m.total:g} {m.dose_unit}    共 {m.days} 天", 34)
    y += 60
    for label, value in [
        ("外觀", rng.choice(LOOKS)),
        ("用途", rng.choice(USES)),
        ("副作用", rng.choice(SIDE)),
    ]:
        s.text(60, y, f"{label}：{value}", 28)
        y += 44
    s.hline(y + 6, 40, s.width - 40, 1)
    s.text(60, y + 20, "注意：請遵照醫師指示服用，勿自行增減劑量。若有疑問請洽藥物諮詢窗口。", 26)
    return s.finish(y + 90)
