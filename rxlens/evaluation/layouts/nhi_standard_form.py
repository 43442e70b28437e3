"""The NHI standard 全民健康保險門診交付調劑處方箋: boxed header fields (醫事機構名稱/代號,
就醫日期 in ROC years, 給藥日份) and a ruled drug table 藥品名稱及規格 | 用量 | 用法 | 總量."""

from __future__ import annotations

import random
from datetime import date, timedelta

from PIL import Image

from rxlens.evaluation import identity
from rxlens.evaluation.layouts.base import SANS, SERIF, Sheet, dose_text
from rxlens.evaluation.scenario import Spec
from rxlens.evaluation.truth import Truth

SPEC = Spec(
    name="nhi_standard_form", meds=(1, 6), names="en", style="spaced", kind="clinic",
    units=("", "", "TAB", "錠"), varied_days=0.15, header_days=0.9, code_share=1.0,
    en_styles=("catalog", "title", "short"),
)  # fmt: skip


def _header(s: Sheet, truth: Truth, rng: random.Random) -> float:
    visit = date.fromisoformat(truth.visit_date)
    title = "全民健康保險門診交付調劑處方箋" + (
        rng.choice(["  ≡ 連續", "（慢性病連續處方箋）"]) if rng.random() < 0.5 else ""
    )
    s.text(s.width / 2, 40, title, 40, bold=True, anchor="ma")
    edges = [60, 260, 760, 960, s.width - 60]
    rows = [
        ("醫事機構名稱", truth.clinic_name, "醫事機構代號", truth.institution_code or ""),
        ("保險對象姓名", identity.person(rng), "身分證統一編號", identity.patient_id(rng)),
        (
            "就醫日期",
            identity.roc(visit, rng),
            "給藥日份",
            f"{truth.header_days}" if truth.header_days else "",
        ),
        ("就醫科別", identity.department(rng), "健保卡就醫序號", f"{rng.randint(1, 99):04d}"),
    ]
    y, h = 110, 56
    s.grid(edges, y, h, len(rows))
    for r, cells in enumerate(rows):
        for c, text in enumerate(cells):
            s.cell((edges[c], y + r * h, edges[c + 1], y + (r + 1) * h), text, 26, bold=c % 2 == 0)
    y += h * len(rows) + 14
    dx = identity.diagnoses(rng, 1)[0]
    s.text(62, y, f"傷病名稱及主要症候：{dx[0]}    國際疾病分類代碼：{dx[1]}", 24)
    return y + 50


def _table(s: Sheet, truth: Truth, rng: random.Random, y: float) -> float:
    edges = [60, 760, 880, 1100, 1200, s.width - 60]
    heads = ["藥品名稱及規格（劑型、劑量）", "用量", "用法", "日數", "總量"]
    h = 52
    rows = len(truth.medications) + rng.randint(1, 3)
    s.grid(edges, y, h, rows + 1)
    for c, head in enumerate(heads):
        s.cell((edges[c], y, edges[c + 1], y + h), head, 26, "c", bold=True)
    for r, m in enumerate(truth.medications, start=1):
        cells = [
            m.name_en,
            f"{dose_text(m.dose, rng)} {m.dose_unit}".strip(),
            m.frequency_printed,
            f"{m.days}",
            f"{m.total:g}",
        ]
        for c, text in enumerate(cells):
            s.cell((edges[c], y + r * h, edges[c + 1], y + (r + 1) * h), text, 26, "l" if c == 0 else "c")
    r = len(truth.medications) + 1
    s.cell((edges[0], y + r * h, edges[1], y + (r + 1) * h), "以下空白", 24, "c")
    return y + (rows + 1) * h


def _footer(s: Sheet, truth: Truth, rng: random.Random, y: float) -> float:
    visit = date.fromisoformat(truth.visit_date)
    y += 24
    s.text(62, y, f"處方醫師：{truth.doctor_name}    （簽章）", 28)
    s.text(760, y, f"有效期限：{identity.roc(visit + timedelta(days=rng.choice([3, 90])), rng)}", 26)
    y += 56
    edges = [60, 420, 780, 1140]
    s.grid(edges, y, 150, 1)
    for x, label in zip(edges, ["處方醫院核章", "調劑藥師簽章", "調劑日期"], strict=False):
        s.text(x + 14, y + 8, label, 24)
    s.text(1160, y + 10, "電話：", 24)
    s.text(1160, y + 50, f"{rng.randint(2, 8):02d}-{rng.randint(2000, 8999)}-{rng.randint(1000, 9999)}", 24)
    return y + 180


def render(truth: Truth, rng: random.Random) -> Image.Image:
    s = Sheet((1500, 1400), rng, rng.choice([SANS, SERIF]))
    y = _footer(s, truth, rng, _table(s, truth, rng, _header(s, truth, rng)))
    return s.finish(y)
