"""A hospital's printed 慢性病連續處方箋 (交病患): monospaced; each drug is a name line
(`0383 Brand FC * tab 10 mg (Generic)`, NHI code at the right edge) and a usage line under it
(`1 TAB QD&HS PO 28 days 000056 TAB`)."""

from __future__ import annotations

import random
from datetime import date, timedelta

from PIL import Image

from rxlens.evaluation import identity
from rxlens.evaluation.layouts.base import MONO, Sheet, dose_text
from rxlens.evaluation.scenario import Spec
from rxlens.evaluation.truth import Truth

SPEC = Spec(
    name="name_usage_lines", meds=(1, 6), names="en", style="hospital", kind="hospital",
    units=("TAB", "Tab"), varied_days=0.0, code_share=1.0, en_styles=("formulary",),
)  # fmt: skip
ICD_EN = [
    ("I10", "Essential (primary) hypertension"), ("E11.9", "Type 2 diabetes mellitus without compl"),
    ("E78.5", "Hyperlipidemia, unspecified"), ("K21.9", "Gastro-esophageal reflux disease witho"),
    ("G47.00", "Insomnia, unspecified"), ("N40.0", "Benign prostatic hyperplasia"),
]  # fmt: skip
NOTES = [
    "*請持本單及健保卡至藥局櫃檯領藥，逾期未領視同放棄。",
    "*請依建議日期領藥及回診，延後領藥請順延回診日期。",
    "*本單遺失不予補發，請妥善保存。",
    "*慢箋可於建議期間內至健保特約藥局調劑。",
]


def _head(s: Sheet, truth: Truth, rng: random.Random) -> float:
    visit = date.fromisoformat(truth.visit_date)
    fill = rng.randint(2, 3)
    start = visit + timedelta(days=(fill - 1) * (truth.days_supply or 28) - 10)
    dept = f"{rng.randint(10, 999):03d}{identity.department(rng)}"
    s.text(40, 20, f"{dept}        {identity.roc(visit, rng)}        第1頁，共1頁  第{fill}次領藥", 24)
    s.text(
        330,
        62,
        f"※建議領藥期間{start.isoformat()}至{(start + timedelta(days=10)).isoformat()}",
        28,
        bold=True,
    )
    s.text(330, 112, f"第{fill}次調劑 ________ 窗 ________ 號", 32)
    stamp = f"{visit:%Y%m%d} {rng.randint(8, 16):02d}:{rng.randint(0, 59):02d}"
    s.text(330, 172, f"{truth.clinic_name}  慢性病連續處方箋(交病患){stamp}", 26)
    s.text(
        330,
        212,
        f"{rng.choice('男女')}   {rng.randint(150, 185)}cm  {rng.randint(45, 95)}kg   {identity.person(rng)}",
        24,
    )
    s.text(330, 250, f"{dept} 健保   過敏史:無藥物過敏史", 24)
    dx = rng.sample(ICD_EN, 2)
    s.text(40, 292, f"{dx[0][0]}  {dx[0][1]}   {dx[1][0]}  {dx[1][1]}", 22)
    s.text(40, 330, "[門診碼]" + "-" * 62 + "[ 健 保 碼 ]", 24)
    return 372


def _drugs(s: Sheet, truth: Truth, rng: random.Random, y: float) -> float:
    right = s.width - 60
    for m in truth.medications:
        name = f"{rng.randint(100, 9999):04d}   {m.name_en}"
        s.text(40, y, name, s.fit(name, right - 260, 25))
        if m.nhi_code:
            s.text(right, y, m.nhi_code, 25, anchor="ra")
        y += 36
        total = f"{int(m.total):06d}" if m.total == int(m.total) else f"{m.total:g}"
        cols = [
            dose_text(m.dose, rng),
            m.dose_unit,
            m.frequency_printed,
            "PO",
            f"{m.days} days",
            f"{total} {m.dose_unit}",
        ]
        for x, cell in zip([150, 260, 370, 560, 700, 900], cols, strict=True):
            s.text(x, y, cell, 25)
        y += 40
    return y


def render(truth: Truth, rng: random.Random) -> Image.Image:
    s = Sheet((1500, 1300), rng, MONO)
    y = _drugs(s, truth, rng, _head(s, truth, rng))
    lic = f"(DOC{rng.randint(1000, 9999)}{rng.choice('ABCDEFGHJ')})  執照:{rng.randint(10000, 99999)}"
    s.text(40, y, f"醫師:{truth.doctor_name}        {lic}    |藥師:          |計價:", 24)
    y += 50
    for note in rng.sample(NOTES, 3):
        s.text(40, y, note, 26, face=MONO)
        y += 38
    s.text(40, y, f"*醫院代號:{truth.institution_code} 地址略 電話{rng.randint(20000000, 29999999)}", 24)
    return s.finish(y + 80)
