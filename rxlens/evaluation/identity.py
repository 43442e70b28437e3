"""Invented institutions, people, addresses and dates (none taken from a real slip)."""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import date

_SURNAMES = (
    "王李張陳林黃吳劉蔡楊許鄭謝郭洪曾邱廖賴周葉蘇莊呂江何蕭羅高潘簡朱鍾游彭詹胡施沈余盧梁趙顏柯翁魏孫戴"
)
_GIVEN = "志明美玲淑芬建宏俊傑雅婷怡君家豪宗翰冠宇佩君文華國強秀英嘉慧承恩柏翰品妤子涵宥廷書瑋詠晴"
_PREFIX = [
    "晴川",
    "松禾",
    "澄心",
    "明德",
    "安和",
    "禾豐",
    "青雲",
    "惠安",
    "恆春堂",
    "德馨",
    "同濟",
    "宏恩",
    "景福",
]
_CITY = ["臺北", "臺中", "臺南", "新竹", "高雄", "桃園", "嘉義", "基隆", "宜蘭", "花蓮"]
_HOSPITAL = ["紀念醫院", "綜合醫院", "醫院", "醫療財團法人{}醫院", "大學附設醫院"]
_CLINIC = ["診所", "內科診所", "家庭醫學科診所", "耳鼻喉科診所", "聯合診所", "小兒科診所", "身心科診所"]
_EYE = ["眼科診所", "眼科醫院"]
_PHARMACY = ["藥局", "健保藥局", "大藥局", "社區藥局"]
_ROADS = [
    "中正路",
    "民生路",
    "復興路",
    "建國路",
    "和平東路",
    "光明街",
    "自由路",
    "成功路",
    "文化路",
    "中華路",
]
_DEPTS = [
    "心臟內科",
    "家庭醫學科",
    "神經內科",
    "腸胃內科",
    "新陳代謝科",
    "一般內科",
    "精神科",
    "眼科",
    "骨科",
]


@dataclass(frozen=True)
class Institution:
    name: str
    code: str  # 10-digit 醫事機構代碼
    address: str
    phone: str


def person(rng: random.Random) -> str:
    return rng.choice(_SURNAMES) + "".join(rng.sample(_GIVEN, 2))


def institution(rng: random.Random, kind: str) -> Institution:
    """kind: hospital | clinic | eye | pharmacy. Names sometimes carry a city (臺 stays 臺)."""
    prefix = rng.choice(_PREFIX)
    city = rng.choice(_CITY) if rng.random() < 0.4 else ""
    if kind == "hospital":
        tail = rng.choice(_HOSPITAL)
        name = city + (tail.format(prefix) if "{}" in tail else prefix + tail)
    else:
        pool = {"clinic": _CLINIC, "eye": _EYE, "pharmacy": _PHARMACY}[kind]
        name = city + prefix + rng.choice(pool)
    code = f"{rng.choice([0, 1, 2, 3, 5])}{rng.randint(1, 9)}{rng.randint(10000000, 99999999)}"
    city_name = city or rng.choice(_CITY)
    address = f"{city_name}市{rng.choice(_ROADS)}{rng.randint(1, 6)}段{rng.randint(1, 399)}號"
    phone = f"(0{rng.randint(2, 8)}){rng.randint(2000, 8999)}-{rng.randint(1000, 9999)}"
    return Institution(name, code, address, phone)


def department(rng: random.Random) -> str:
    return rng.choice(_DEPTS)


def visit_date(rng: random.Random) -> date:
    return date.fromordinal(date(2022, 1, 1).toordinal() + rng.randint(0, 1400))


def roc(d: date, rng: random.Random) -> str:
    y = d.year - 1911
    m, dd = d.month, d.day
    return rng.choice(
        [f"{y}/{m:02d}/{dd:02d}", f"{y}.{m:02d}.{dd:02d}", f"{y}年{m:02d}月{dd:02d}日",
         f"{y}/{m}/{dd}", f"民國{y}年{m}月{dd}日", f"{y}{m:02d}{dd:02d}"]
    )  # fmt: skip


def western(d: date, rng: random.Random) -> str:
    return rng.choice(
        [d.isoformat(), f"{d.year}/{d.month:02d}/{d.day:02d}", f"{d.year}/{d.month}/{d.day}", f"{d:%Y%m%d}"]
    )


def any_date(d: date, rng: random.Random) -> str:
    return roc(d, rng) if rng.random() < 0.6 else western(d, rng)


def patient_id(rng: random.Random) -> str:
    """A masked ID as slips print it for privacy (A12****789)."""
    letter = rng.choice("ABCDEFGHKLMNPQRSTUVXYWZIO")
    return f"{letter}{rng.randint(1, 2)}{rng.randint(10, 99)}****{rng.randint(100, 999)}"


DIAGNOSES = [
    ("本態性高血壓", "I10"), ("第二型糖尿病，無併發症", "E11.9"), ("高血脂症", "E78.5"),
    ("胃食道逆流疾病", "K21.9"), ("失眠症", "G47.00"), ("膝部骨關節炎", "M17.9"),
    ("慢性腎臟病第三期", "N18.30"), ("焦慮症", "F41.9"), ("過敏性鼻炎", "J30.9"), ("乾眼症", "H04.123"),
    ("心房纖維顫動", "I48.91"), ("攝護腺肥大", "N40.0"), ("急性上呼吸道感染", "J06.9"),
]  # fmt: skip


def diagnoses(rng: random.Random, n: int) -> list[tuple[str, str]]:
    return rng.sample(DIAGNOSES, n)
