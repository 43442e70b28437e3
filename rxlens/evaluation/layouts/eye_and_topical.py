"""An eye clinic's prescription: eye drops and ointments, one bottle or tube each, codes such as
QID OU and HS, and local codes (QIO, HSO) that the truth keeps verbatim with known=false."""

from __future__ import annotations

import random
from datetime import date, timedelta

from PIL import Image

from rxlens.evaluation import identity
from rxlens.evaluation.layouts.base import SERIF, Sheet
from rxlens.evaluation.scenario import Spec
from rxlens.evaluation.truth import Truth

SPEC = Spec(
    name="eye_and_topical", meds=(1, 3), names="en", style="eye", kind="eye", units=("",),
    eye=True, code_share=1.0, en_styles=("catalog", "title"),
)  # fmt: skip
EYE_DX = [("H04.123", "乾眼症"), ("H10.13", "過敏性結膜炎"), ("H40.11", "青光眼"), ("H16.9", "角膜炎")]
COLS = [
    (60, "藥品名稱及規格(劑型、劑量)"),
    (640, "健保碼"),
    (880, "用量及用法"),
    (1100, "天數"),
    (1180, "總數量"),
]


def _rows(s: Sheet, truth: Truth, y: float) -> float:
    for x, head in COLS:
        s.text(x, y, head, 26)
    s.hline(y + 40, 60, 1300, 2)
    y += 52
    for m in truth.medications:
        s.text(60, y, m.name_en, s.fit(m.name_en, 560, 28))
        s.text(640, y, m.nhi_code or "", 24)
        s.text(880, y, f"{m.dose:g}   {m.frequency_printed}", 28)
        s.text(1120, y, f"{m.days}", 28)
        s.text(1260, y, f"{m.total:g}", 28, anchor="ra")
        y += 44
    s.hline(y + 4, 60, 1300, 2)
    return y + 24


def render(truth: Truth, rng: random.Random) -> Image.Image:
    s = Sheet((1400, 1000), rng, SERIF)
    visit = date.fromisoformat(truth.visit_date)
    s.text(60, 30, "全民健康保險門診交付調劑處方箋" + rng.choice(["  ≡ 連續", ""]), 34)
    s.text(60, 80, f"醫院服務機構:{truth.clinic_name}({truth.institution_code})", 28)
    s.text(60, 122, f"姓名 {identity.person(rng)}     身份證字號 {identity.patient_id(rng)}", 26)
    s.text(60, 162, f"就醫日期:{identity.roc(visit, rng)}    科目:眼科    卡號:{rng.randint(1, 99):04d}", 26)
    s.text(60, 202, "主要傷病名稱:({}){}".format(*rng.choice(EYE_DX)), 26)
    y = _rows(s, truth, 250)
    s.text(60, y, f"醫師:{truth.doctor_name}", 28)
    s.text(330, y, "處方醫院核章", 26)
    s.text(700, y, f"連續處方箋調劑   可調劑 {rng.randint(2, 3)} 次", 26)
    s.rect((330, y + 44, 500, y + 130), 2, radius=14)
    s.text(560, y + 56, "有效期限", 26)
    s.text(560, y + 92, identity.roc(visit + timedelta(days=rng.choice([3, 84, 90])), rng), 26)
    s.text(60, y + 160, f"電話:{identity.institution(rng, 'eye').phone}", 26)
    return s.finish(y + 220)
