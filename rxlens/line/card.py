"""The answer in LINE: a Flex bubble in Traditional Chinese (clinic and date, one row per drug,
the arithmetic check, warnings, and 確認 / 修改 / 加入提醒), with a text fallback as altText.

LINE refuses a bubble over 30 KB; on a phone a card is read long before that, so rows are added
while the JSON stays under BUBBLE_BYTES and the rest are counted in a last line.
"""

from __future__ import annotations

import json
import re
from typing import Any

from rxlens.result import AnalysisResult, Medication
from rxlens.vocab.words import amount, words

BUBBLE_BYTES = 9_000  # about twenty drugs; LINE's limit is 30 KB
ALT_TEXT_CHARS = 400  # LINE allows 1500; a notification shows the first lines only
_CHECK = {"verified": ("數量核對 ✓ 相符", "#2E7D32"), "mismatch": ("數量核對 ✗ 不符，請洽藥師", "#B00020")}
# Record warnings are written in English for logs and API users; the person reads Chinese.
NOTICES = [
    (re.compile(r"^drug catalog unavailable"), "藥品資料庫暫時無法使用：藥名依照片所印。"),
    (
        re.compile(r"^the photos show different visits"),
        "這些照片來自不同次就診，每項藥品保留自己的院所與日期。",
    ),
    (re.compile(r"^cloud engine"), "雲端辨識暫時無法使用，已改用本機辨識。"),
]
NO_DRUG = (
    "這張照片沒有讀到藥品。請拍藥袋或藥單的正面，讓藥名、用法和天數都清楚入鏡；避開反光，一次最多 5 張。"
)


def _text(value: str, size: str = "sm", **extra: Any) -> dict[str, Any]:
    return {"type": "text", "text": value[:300] or "–", "size": size, "wrap": True, **extra}


def _usage(m: Medication) -> str:
    parts = [
        f"每次 {amount(m.dose_quantity, m.dose_unit)}" if m.dose_quantity is not None else "每次用量未讀到"
    ]
    parts.append(words(m.frequency) if m.frequency else "頻率未讀到")
    if m.days:
        parts.append(f"{m.days} 天")
    return "・".join(parts)


def _name(m: Medication) -> str:
    return m.drug_name_zh or m.printed_name or m.drug_name_en or "（藥名未讀到）"


def _row(m: Medication) -> dict[str, Any]:
    contents = [_text(_name(m), "md", weight="bold")]
    if m.not_in_catalog or not m.matched_drug_id:
        contents.append(_text("未在藥品資料庫（依照片所印）", "xs", color="#B00020"))
    contents.append(_text(_usage(m)))
    if m.arithmetic.status in _CHECK:
        said, color = _CHECK[m.arithmetic.status]
        contents.append(_text(said, "xs", color=color))
    return {"type": "box", "layout": "vertical", "spacing": "xs", "contents": contents}


def _header(record: AnalysisResult) -> dict[str, Any]:
    where = " ".join(x for x in (record.clinic_name, record.visit_date) if x) or "院所、日期未讀到"
    return {
        "type": "box",
        "layout": "vertical",
        "contents": [_text("用藥紀錄", "lg", weight="bold"), _text(where, color="#555555")],
    }


def _footer(confirm: str, remind: str, edit_url: str) -> dict[str, Any]:
    def postback(label: str, data: str) -> dict[str, Any]:
        return {"type": "postback", "label": label, "data": data, "displayText": label}

    buttons = [
        {"type": "button", "style": "primary", "height": "sm", "action": postback("確認", confirm)},
        {
            "type": "button",
            "style": "secondary",
            "height": "sm",
            "action": {"type": "uri", "label": "修改", "uri": edit_url},
        },
        {"type": "button", "style": "secondary", "height": "sm", "action": postback("加入提醒", remind)},
    ]
    return {"type": "box", "layout": "horizontal", "spacing": "sm", "contents": buttons}


def notices(record: AnalysisResult) -> list[str]:
    return [zh for w in record.warnings for pattern, zh in NOTICES if pattern.search(w)]


def _size(bubble: dict[str, Any]) -> int:
    return len(json.dumps(bubble, ensure_ascii=False).encode())


def bubble(record: AnalysisResult, record_id: str, edit_url: str) -> dict[str, Any]:
    body: list[dict[str, Any]] = []
    card = {
        "type": "bubble",
        "size": "mega",
        "header": _header(record),
        "body": {"type": "box", "layout": "vertical", "spacing": "md", "contents": body},
        "footer": _footer(f"a=confirm&r={record_id}", f"a=remind&r={record_id}", edit_url),
    }
    for n, m in enumerate(record.medications):
        body.append(_row(m))
        if _size(card) > BUBBLE_BYTES:
            body[-1] = _text(f"另有 {len(record.medications) - n} 項藥品，請按「修改」查看。")
            break
    for notice in notices(record)[:3]:
        body.append(_text(notice, "xs", color="#8A6D00"))
    return card


def alt_text(record: AnalysisResult) -> str:
    lines = [" ".join(x for x in ("用藥紀錄", record.clinic_name, record.visit_date) if x)]
    lines += [f"{_name(m)}：{_usage(m)}" for m in record.medications]
    said = "\n".join(lines)
    return said if len(said) <= ALT_TEXT_CHARS else said[: ALT_TEXT_CHARS - 1] + "…"
