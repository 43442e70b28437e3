"""A university hospital's 慢性病連續處方箋 grid: each drug takes two lines, the English name in
one cell and the Chinese name (after flags such as (跌)(管四)) in another, columns in the order
品名 | 單次量 | 頻次 | 途徑 | 天數 | 總量 | 健保碼; drugs may differ in days."""

from __future__ import annotations

import random
from datetime import date

from PIL import Image

from rxlens.evaluation import identity
from rxlens.evaluation.layouts.base import SANS, Sheet, dose_text
from rxlens.evaluation.scenario import Spec
from rxlens.evaluation.truth import Truth

SPEC = Spec(
    name="zh_en_grid", meds=(1, 6), names="both", style="hospital", kind="hospital",
    units=("Tab", "TAB", "顆"), varied_days=0.3, header_days=1.0, code_share=1.0,
    en_styles=("short", "title", "catalog"),
)  # fmt: skip
FLAGS = ["", "", "", "(跌)", "(管四)", "(跌)(管四)", "(二合一)", "(冷藏)"]
EDGES = [50, 150, 760, 850, 930, 1010, 1140, 1230, 1360, 1560]
HEADS = ["計價", "藥品名稱及規格(劑型,劑量)", "次量", "單位", "用法", "頻率", "天數", "總數量", "健保碼"]


def _header(s: Sheet, truth: Truth, rng: random.Random) -> float:
    visit = date.fromisoformat(truth.visit_date)
    s.text(50, 24, f"{truth.clinic_name}慢性病連續處方箋", 44, bold=True)
    s.rect((1250, 24, 1550, 84))
    s.text(1400, 54, "第1頁,共1頁", 34, bold=True, anchor="mm")
    s.text(50, 90, f"批價序號:O{rng.randint(10**9, 10**10 - 1)}    病歷號:{rng.randint(10**6, 10**7)}", 30)
    s.text(50, 132, f"機構代號:{truth.institution_code}", 30)
    s.barcode(900, 100, 640, 60)
    s.text(50, 180, f"姓名: {identity.person(rng)}          身份證字號: {identity.patient_id(rng)}", 28)
    days = f"給藥日份: {truth.header_days}" if truth.header_days else "給藥日份:"
    date_text = (
        f"{visit.year - 1911}年{visit.month:02d}月{visit.day:02d}日"
        if rng.random() < 0.7
        else identity.roc(visit, rng)
    )
    s.text(
        50,
        224,
        f"就診科別:  {identity.department(rng)}    就醫日期:  {date_text}  "
        f"就醫序號: {rng.randint(1, 99):04d}  {days}",
        26,
    )
    y = 266
    for name, icd in identity.diagnoses(rng, rng.randint(1, 3)):
        s.text(50, y, f"傷病名稱及主要症候:  {name}", 26)
        s.text(1000, y, f"國際疾病分類碼:  {icd}", 26)
        y += 40
    s.text(50, y, f"免部分負擔代碼及原因:  {rng.choice(['', '004  榮民', '001  重大傷病'])}", 26)
    return y + 46


def _rows(s: Sheet, truth: Truth, rng: random.Random, y: float) -> float:
    h = 40
    s.rect((EDGES[0], y, EDGES[-1], y + h * (1 + 2 * len(truth.medications))))
    for c, head in enumerate(HEADS):
        s.cell((EDGES[c], y, EDGES[c + 1], y + h), head, 22, "c")
    y += h
    for n, m in enumerate(truth.medications, start=1):
        s.hline(y, EDGES[0], EDGES[-1], 3)
        zh = f"{rng.choice(FLAGS)}{m.name_zh}"
        s.cell((EDGES[1], y, EDGES[2], y + h), m.name_en, 24)
        cells = [
            dose_text(m.dose, rng),
            m.dose_unit,
            "PO",
            m.frequency_printed,
            f"{m.days}",
            f"{m.total:g} {m.dose_unit}",
            m.nhi_code or "",
        ]
        for c, text in enumerate(cells, start=2):
            s.cell((EDGES[c], y, EDGES[c + 1], y + h), text, 22, "r" if c in (7, 8) else "c")
        s.cell((EDGES[0], y, EDGES[1], y + h), "健保", 22, "c")
        s.cell((EDGES[0], y + h, EDGES[1], y + 2 * h), f"{n}", 24, "c", bold=True)
        s.cell((EDGES[1], y + h, EDGES[2], y + 2 * h), zh, 24)
        s.vline(EDGES[2], y, y + 2 * h)
        y += 2 * h
    return y


def _footer(s: Sheet, truth: Truth, rng: random.Random, y: float) -> float:
    y += 12
    s.rect((EDGES[0], y, EDGES[-1], y + 60))
    count = f"本處方箋共計 {len(truth.medications)} 種藥品、可調劑 {rng.randint(2, 3)} 次"
    s.text((EDGES[0] + EDGES[-1]) / 2, y + 30, count, 32, anchor="mm")
    y += 60
    edges = [50, 330, 660, 960, 1260, 1560]
    s.grid(edges, y, 50, 1)
    s.grid(edges, y + 50, 200, 1)
    for c, label in enumerate(["醫師簽章", "處方醫院核章", "藥師簽章", "藥師簽章", "藥師簽章"]):
        s.cell((edges[c], y, edges[c + 1], y + 50), label, 28, "c")
    s.text(70, y + 70, "簽章:", 24)
    s.text(70, y + 104, truth.doctor_name, 24)
    s.rect((350, y + 80, 640, y + 220), 3)
    s.text(495, y + 100, truth.clinic_name, s.fit(truth.clinic_name, 270, 22), anchor="ma")
    s.text(495, y + 140, truth.institution_code or "", 30, anchor="ma")
    s.text(495, y + 184, "門  診  章", 24, anchor="ma")
    return y + 270


def render(truth: Truth, rng: random.Random) -> Image.Image:
    s = Sheet((1600, 2000), rng, SANS)
    y = _footer(s, truth, rng, _rows(s, truth, rng, _header(s, truth, rng)))
    s.text(50, y, "(一)請先持健保卡及本處方箋至批價櫃檯批價，取得領藥號後至藥局領藥。", 24)
    s.text(50, y + 36, "(二)處方箋遺失或逾有效期限不得補印；處方如不完整或缺頁，亦不可領藥。", 24)
    return s.finish(y + 100)
