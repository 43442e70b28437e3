"""Draw a drug bag (one drug) or a multi-drug slip (a table) from a Truth, with Noto CJK fonts."""

from __future__ import annotations

import random
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from PIL import Image, ImageDraw, ImageFont

from rxlens.evaluation import wording as w
from rxlens.evaluation.scenario import person
from rxlens.evaluation.truth import Truth, TruthMedication

FONT_DIR = Path("/usr/share/fonts/opentype/noto")
# (file, face index of the Traditional Chinese face)
FONTS = [("NotoSansCJK-Regular.ttc", 3), ("NotoSerifCJK-Regular.ttc", 3), ("NotoSansCJK-Regular.ttc", 8)]
BOLD = ("NotoSansCJK-Bold.ttc", 3)


def fonts_available() -> bool:
    return all((FONT_DIR / f).is_file() for f, _ in FONTS + [BOLD])


@lru_cache(maxsize=64)
def font(spec: tuple[str, int], size: int) -> ImageFont.FreeTypeFont:
    return ImageFont.truetype(str(FONT_DIR / spec[0]), size, index=spec[1])


@dataclass
class Page:
    image: Image.Image
    rng: random.Random
    face: tuple[str, int]
    size: int
    y: int = 40
    margin: int = 50

    def text(
        self,
        text: str,
        x: int | None = None,
        size: int | None = None,
        bold: bool = False,
        advance: bool = True,
    ) -> None:
        f = font(BOLD if bold else self.face, size or self.size)
        ImageDraw.Draw(self.image).text(
            (x if x is not None else self.margin, self.y), text, fill=(20, 20, 20), font=f
        )
        if advance:
            self.y += int((size or self.size) * self.rng.uniform(1.45, 1.8))

    def fit(self, text: str, width: int, size: int) -> int:
        """The largest size ≤ `size` at which `text` fits in `width` pixels (table cells)."""
        while size > 14 and font(self.face, size).getlength(text) > width:
            size -= 1
        return size

    def finish(self) -> Image.Image:
        return self.image.crop((0, 0, self.image.width, min(self.image.height, self.y + self.margin)))

    def rule(self) -> None:
        ImageDraw.Draw(self.image).line(
            (self.margin, self.y, self.image.width - self.margin, self.y), fill=(60, 60, 60), width=2
        )
        self.y += int(self.size * 0.6)


def _header(page: Page, truth: Truth, title: str) -> None:
    rng = page.rng
    page.text(f"{truth.clinic_name}  {title}", size=int(page.size * 1.35), bold=True)
    page.text(
        f"地址：台北市{rng.choice(['中正', '大安', '信義'])}區"
        f"{rng.choice(['民生', '忠孝'])}路{rng.randint(1, 300)}號"
        f"  電話：02-{rng.randint(2000, 2999)}-{rng.randint(1000, 9999)}",
        size=int(page.size * 0.8),
    )
    page.text(f"姓名：{person(rng)}  年齡：{rng.randint(3, 90)}歲  病歷號：{rng.randint(10000, 99999)}")
    date = f"{w.date_label(rng)}{w.date_text(truth.visit_date, rng)}"
    doctor = f"{rng.choice(['醫師', '處方醫師', '主治醫師'])}：{truth.doctor_name}"
    if rng.random() < 0.5:
        page.text(f"{date}    {doctor}")
    else:
        page.text(date)
        page.text(f"{doctor}    調劑藥師：{person(rng)}")


def render_bag(truth: Truth, rng: random.Random) -> Image.Image:
    med = truth.medications[0]
    size = rng.randint(30, 40)
    page = Page(Image.new("RGB", (1100, 1500), (250, 250, 246)), rng, rng.choice(FONTS), size)
    _header(page, truth, rng.choice(["藥袋", "用藥說明", "藥品袋"]))
    page.rule()
    unit = rng.choice(w.UNITS)
    page.text(f"藥名：{w.display_en(med.name_en, rng)}", bold=rng.random() < 0.5)
    page.text(f"{rng.choice(['', '中文名：'])}{w.display_zh(med.name_zh, rng)}")
    page.text(w.usage_text(med.frequency_code, med.timing_code, med.dose, unit, rng))
    total = w.total_text(med.total, unit, rng)
    days = w.days_text(truth.days_supply, rng)
    if rng.random() < 0.5:
        page.text(f"{total}    {days}")
    else:
        page.text(total)
        page.text(days)
    page.rule()
    for line in rng.sample(w.WARNINGS, 3):
        page.text(f"※{line}", size=int(size * 0.8))
    return page.finish()


_COLUMNS = [("藥品名稱", 0), ("用量", 560), ("用法", 700), ("日數", 900), ("總量", 1020)]


def _slip_row(page: Page, med: TruthMedication, truth: Truth, combined: bool) -> None:
    rng = page.rng
    dose = rng.choice([f"{med.dose:.2f}", f"{med.dose:g}"])
    usage = med.frequency_code + (med.timing_code if med.timing_code in ("AC", "PC") else "")
    if rng.random() < 0.25:
        usage = rng.choice(w.FREQ_ZH[med.frequency_code]) + rng.choice(
            w.TIMING_ZH.get(med.timing_code or "", [""])
        )
    elif rng.random() < 0.3 and len(usage) > 3:
        usage = f"{med.frequency_code} {usage[len(med.frequency_code) :]}"
    days = rng.choice([f"{truth.days_supply}", f"*{truth.days_supply}"])
    cells = [w.display_en(med.name_en, rng), dose, usage, days, f"{med.total:g}"]
    if combined:
        cells = [cells[0], f"{dose}/{med.total:g}", usage, days, ""]
    x0 = page.margin
    edges = [x for _, x in _COLUMNS[1:]] + [page.image.width - 2 * page.margin]
    for (_, x), right, cell in zip(_COLUMNS, edges, cells, strict=True):
        start = page.size if x else int(page.size * 0.9)
        page.text(cell, x=x0 + x, advance=False, size=page.fit(cell, right - x - 25, start))
    page.y += int(page.size * 1.35)
    if rng.random() < 0.85:
        zh = w.display_zh(med.name_zh, rng)
        page.text(zh, x=x0 + 10, size=page.fit(zh, _COLUMNS[1][1] - 40, int(page.size * 0.9)))
    else:
        page.y += int(page.size * 0.5)


def render_slip(truth: Truth, rng: random.Random) -> Image.Image:
    size = rng.randint(26, 32)
    rows = len(truth.medications)
    page = Page(Image.new("RGB", (1300, 760 + rows * 150), (252, 252, 250)), rng, rng.choice(FONTS), size)
    _header(page, truth, rng.choice(["處方箋", "領藥收據", "藥品明細", "門診藥單"]))
    page.text(w.days_text(truth.days_supply, rng))
    page.rule()
    combined = rng.random() < 0.25
    for title, x in _COLUMNS:
        label = "劑量/總量" if combined and title == "用量" else title
        if not (combined and title == "總量"):
            page.text(label, x=page.margin + x, advance=False, bold=True)
    page.y += int(size * 1.6)
    for med in truth.medications:
        _slip_row(page, med, truth, combined)
    page.rule()
    page.text(f"※{rng.choice(w.WARNINGS)}", size=int(size * 0.8))
    return page.finish()


def render(truth: Truth, rng: random.Random) -> Image.Image:
    return render_bag(truth, rng) if truth.layout == "bag" else render_slip(truth, rng)
