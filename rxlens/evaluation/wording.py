"""How Taiwanese clinics print dates, days, doses and usage: the generator's phrasebook.

Kept apart from the extractor's patterns on purpose, so the evaluation measures the extractor
against wording it was not written from.
"""

from __future__ import annotations

import random
import re
from datetime import date

FREQ_ZH = {
    "QD": ["每日一次", "一天一次", "一日1次", "每天1次"],
    "BID": ["每日兩次", "早晚各一次", "一日二次", "每天2次"],
    "TID": ["每日三次", "一日三次", "一天3次", "每日3次"],
    "QID": ["每日四次", "一日四次"],
    "HS": ["睡前一次", "每晚睡前"],
    "Q8H": ["每8小時一次"],
    "Q12H": ["每12小時一次"],
    "PRN": ["需要時服用", "必要時使用"],
}
TIMING_ZH = {"AC": ["飯前", "餐前"], "PC": ["飯後", "餐後"]}
UNITS = ["錠", "顆", "粒"]


def date_text(iso: str, rng: random.Random) -> str:
    d = date.fromisoformat(iso)
    roc = d.year - 1911
    return rng.choice(
        [
            f"{roc}/{d.month:02d}/{d.day:02d}",
            f"{roc}.{d.month:02d}.{d.day:02d}",
            f"民國{roc}年{d.month}月{d.day}日",
            f"{d.isoformat()}",
            f"{d.year}/{d.month:02d}/{d.day:02d}",
            f"{roc}年{d.month:02d}月{d.day:02d}日",
        ]
    )


def date_label(rng: random.Random) -> str:
    return rng.choice(["就診日期：", "調劑日期：", "開方日期：", "日期：", "領藥日期："])


def days_text(days: int, rng: random.Random) -> str:
    return rng.choice(
        [
            f"本單發藥 {days} 日份",
            f"共{days}日",
            f"給藥日份：{days}",
            f"服用 {days} 天",
            f"給藥天數：{days}天",
            f"共 {days} 天份",
        ]
    )


def dose_text(dose: float, unit: str, rng: random.Random) -> str:
    if dose == 0.5:
        return rng.choice([f"半{unit}", f"1/2{unit}", f"0.5{unit}"])
    return rng.choice([f"{dose:g}{unit}", f"{dose:g} {unit}"])


def usage_text(code: str, timing: str | None, dose: float, unit: str, rng: random.Random) -> str:
    zh = rng.choice(FREQ_ZH[code])
    when = rng.choice(TIMING_ZH[timing]) if timing in TIMING_ZH else ""
    each = dose_text(dose, unit, rng)
    latin = code + (timing if timing in TIMING_ZH else "")
    return rng.choice(
        [
            f"用法：{zh}，每次{each}" + (f"，{when}服用" if when else ""),
            f"用法用量：口服 每次{each} {latin}",
            f"每次 {each}  {zh}  {when}".rstrip(),
            f"{latin} 每次{each}（{zh}{when}）",
        ]
    )


def total_text(total: float, unit: str, rng: random.Random) -> str:
    return rng.choice(
        [f"總量：{total:g} {unit}", f"數量：{total:g}{unit}", f"共 {total:g} {unit}", f"總量 {total:g}{unit}"]
    )


def display_en(name: str, rng: random.Random) -> str:
    name = re.sub(r'\s*"[^"]*"\s*', " ", name).strip()
    if rng.random() < 0.4:
        name = re.sub(r"\bTABLETS?\b", "TAB", name, flags=re.IGNORECASE)
    return name


def display_zh(name: str, rng: random.Random) -> str:
    if rng.random() < 0.6:
        name = re.sub(r'^\s*["“〝”][^"”〞]*["”〞]\s*', "", name)
    return name.strip()


WARNINGS = [
    "請放置於兒童拿不到的地方",
    "如有不適請立即回診",
    "服藥期間請勿飲酒",
    "請依醫師指示服用，勿自行停藥",
    "藥品請存放於陰涼乾燥處",
    "本藥可能引起嗜睡，請勿開車",
    "如有疑問請洽藥師",
]
