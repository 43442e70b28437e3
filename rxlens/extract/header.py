"""Clinic, doctor, visit date and days supply from the rows of a photo."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

from rxlens.extract.usage import days, fold
from rxlens.layout.rows import Row

_CLINIC_RE = re.compile(r"([\u4e00-\u9fff]{1,14}?(?:診所|醫院|藥局|衛生所|醫學中心|中醫院))")
_DOCTOR_RE = re.compile(r"(?<!藥)醫師\s*[:：]?\s*([\u4e00-\u9fff]{2,12})")
_NAME_STOP = re.compile(r"調劑|藥師|日期|就診|科別|電話|病歷|姓名")
_DATE_RES = [
    re.compile(r"(?:民國)\s*(\d{2,3})\s*年\s*(\d{1,2})\s*月\s*(\d{1,2})\s*日?"),
    re.compile(r"(?<!\d)(\d{2,4})\s*年\s*(\d{1,2})\s*月\s*(\d{1,2})\s*日?"),
    re.compile(r"(?<![\d/.-])(\d{2,4})\s*[/.\-]\s*(\d{1,2})\s*[/.\-]\s*(\d{1,2})(?![\d/.])"),
]
_DATE_LABEL = re.compile(r"就診|調劑|開方|領藥|處方|看診|日期")
_NOT_VISIT = re.compile(r"出生|生日|有效|期限|截止|回診")


@dataclass(frozen=True, slots=True)
class Found:
    value: str | int
    row: Row
    text: str


def parse_date(text: str) -> str | None:
    for pattern in _DATE_RES:
        for m in pattern.finditer(fold(text)):
            year, month, day = (int(g) for g in m.groups())
            year = year + 1911 if year < 1911 else year  # ROC years (民國) are < 1911
            try:
                return date(year, month, day).isoformat()
            except ValueError:
                continue
    return None


def clinic(rows: list[Row]) -> Found | None:
    for row in rows[:6]:
        if re.search(r"地址|電話", row.text):
            continue
        if m := _CLINIC_RE.search(row.text.replace(" ", "")):
            return Found(m.group(1), row, m.group(0))
    return None


def doctor(rows: list[Row]) -> Found | None:
    for row in rows:
        if m := _DOCTOR_RE.search(row.text.replace(" ", "")):
            name = _NAME_STOP.split(m.group(1))[0][:4]  # OCR may glue the next label on
            if len(name) >= 2:
                return Found(name, row, m.group(0))
    return None


def visit_date(rows: list[Row]) -> Found | None:
    labelled = [r for r in rows if _DATE_LABEL.search(r.text) and not _NOT_VISIT.search(r.text)]
    for row in labelled + [r for r in rows if not _NOT_VISIT.search(r.text)]:
        if value := parse_date(row.text):
            return Found(value, row, row.text)
    return None


def days_supply(rows: list[Row]) -> Found | None:
    for row in rows:
        if value := days(row.text):
            return Found(value, row, row.text)
    return None
