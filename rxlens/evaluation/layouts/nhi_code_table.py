"""A medical centre's 門診交付調劑連續處方箋: NHI code + English name per row, one 用法及用途
cell holding dose, code, 健保, days and route, and a 總數量 column; refill boxes above the table."""

from __future__ import annotations

import random
from datetime import date

from PIL import Image

from rxlens.evaluation import identity
from rxlens.evaluation.layouts.base import SANS, SERIF, Sheet, qty
from rxlens.evaluation.scenario import Spec
from rxlens.evaluation.truth import Truth

SPEC = Spec(
    name="nhi_code_table", meds=(3, 8), names="en", style="nhi", kind="hospital",
    units=("",), varied_days=0.1, header_days=1.0, code_share=1.0, en_styles=("catalog", "title", "short"),
)  # fmt: skip


def _title(s: Sheet, truth: Truth, rng: random.Random) -> None:
    w = s.text(60, 20, f"Rx.{truth.clinic_name}", 44, bold=True)
    s.text(90 + w, 34, f"{truth.institution_code}", 26)
    s.text(90 + w + 190, 28, "【門診交付調劑一般藥品連續處方箋】（第 1 頁）", 30)
    s.barcode(60, 82, 700, 34)
    s.text(800, 86, f"B{rng.randint(10**8, 10**9 - 1)}  編號： {rng.randint(10**17, 10**18 - 1)}", 20)
    patient = f"姓    名：{identity.person(rng)}    病歷號：{rng.randint(10**6, 10**7)}"
    s.text(70, 140, f"{patient}    身分證號：{identity.patient_id(rng)}", 26)
    s.hline(185, 50, s.width - 50)


def _header(s: Sheet, truth: Truth, rng: random.Random) -> float:
    _title(s, truth, rng)
    visit = date.fromisoformat(truth.visit_date)
    dept = f"就醫科別：< {rng.randint(10000, 19999)} - {identity.department(rng)} >"
    serial = f"健保就醫序號：{rng.randint(1, 99):04d}"
    s.text(70, 196, f"{dept}       就醫日期：{identity.roc(visit, rng)}      {serial}", 26)
    dx = identity.diagnoses(rng, 1)[0]
    s.text(70, 236, f"傷病名稱及主要診斷：  {dx[0]}", 26)
    s.text(70, 272, f"國際疾病分類：  {dx[1]}", 26)
    exempt = rng.choice(["A12 - 西醫門診", "001 - 重大傷病", "003 - 低收入戶"])
    s.text(70, 308, f"免部分負擔代碼及原因：  {exempt}", 26)
    refills = f"，尚可調劑<{rng.randint(1, 3)}>次"
    days = f"單次給藥日份：{truth.header_days}日{refills}" if truth.header_days else "單次給藥日份：    日"
    s.text(760, 308, days, 26)
    return _refill_boxes(s, truth, rng, 350)


def _refill_boxes(s: Sheet, truth: Truth, rng: random.Random, y: float) -> float:
    edges = [50, 300, 560, 820, s.width - 50]
    s.grid(edges, y, 190, 1)
    for x, label in zip(
        edges, ["處方醫院核章", "第二次領藥", "第三次領藥", "****** 領藥當日 ******"], strict=False
    ):
        s.text(x + 25, y + 8, label, 24)
    s.text(70, y + 120, "處方醫師簽章", 24)
    s.text(70, y + 152, f"醫師 {truth.doctor_name}", 24)
    s.text(840, y + 60, "在家先預約，來院免久候", 24)
    s.text(840, y + 100, f"電話預約 {rng.randint(2000, 8999)}-{rng.randint(1000, 9999)}", 24)
    s.qr(s.width - 220, y + 40, 21, 6)
    return y + 200


def _table(s: Sheet, truth: Truth, rng: random.Random, y: float) -> float:
    x_name, x_use, x_total = 60, 860, 1390
    s.hline(y, 50, s.width - 50)
    s.text(200, y + 8, "藥品名稱及規格（劑型，劑量）", 28, bold=True)
    s.text(x_use + 40, y + 8, "用    法    及    用    途", 28, bold=True)
    s.text(x_total + 20, y + 8, "總數量", 28, bold=True)
    top = y
    y += 56
    for m in truth.medications:
        code = m.nhi_code or ""
        name = f"{code} {m.name_en}".strip()
        s.text(x_name, y, name, s.fit(name, x_use - x_name - 20, 26))
        dose = f"{m.dose:.3f}"
        s.text(x_use, y, dose, 26)
        s.text(x_use + 130, y, m.frequency_printed, s.fit(m.frequency_printed, 120, 24))
        s.text(x_use + 260, y + 4, f"健  保   {m.days}天   PO", 24)
        s.text(s.width - 70, y, qty(m.total, rng, 1), 26, anchor="ra")
        y += 38
    for _ in range(rng.randint(1, 3)):
        s.text(x_use, y, "*****     *****     健  保      天 *****", 24)
        y += 38
    for x in (x_use - 10, x_total - 10):
        s.vline(x, top, y + 50)
    return y


def render(truth: Truth, rng: random.Random) -> Image.Image:
    s = Sheet((1600, 1300), rng, rng.choice([SANS, SERIF]))
    y = _table(s, truth, rng, _header(s, truth, rng))
    s.text(150, y + 10, "** 本處方箋有效期間為【90】天，逾期無效!! **", 24)
    s.rect((50, 126, s.width - 50, y + 60))
    s.text(200, y + 70, "注意：遺失必須重新掛號看診，且原處方作廢。各頁處方編號應相符始得調劑。", 24)
    s.text(60, y + 110, f"{truth.clinic_name}  電話：{identity.institution(rng, 'hospital').phone}", 24)
    return s.finish(y + 160)
