"""How frequencies are printed, per style: NHI run-together codes, hospital shorthands, spaced
codes, Chinese wording as clinics and pharmacies write it, and eye-clinic codes.

Written from the NHI code list and the real slips' shapes (see codes.py), with weights that
favour what outpatient slips print most.
"""

from __future__ import annotations

import random

from rxlens.evaluation.codes import MEAL_CAPABLE, PRN_CAPABLE, Usage, usage

Weighted = list[tuple[str, float]]

DAILY: Weighted = [
    ("QD", 10), ("BID", 7), ("TID", 7), ("QID", 2), ("HS", 4), ("QDAM", 2), ("QDPM", 1),
    ("QDHS", 1.5), ("QN", 1), ("QAM&HS", 0.7), ("BID&HS", 0.7), ("TID&HS", 0.5),
    ("Q8H", 1), ("Q12H", 1), ("Q6H", 0.5), ("Q4H", 0.4),
]  # fmt: skip
NON_DAILY: Weighted = [
    ("QOD", 1), ("QW", 1), ("BIW", 0.6), ("TIW", 0.5), ("QW(1,3,5)", 0.8), ("QW(2,4,6)", 0.3),
    ("Q3D", 0.4), ("STAT", 0.4), ("ASORDER", 0.5), ("PRN", 1.2),
]  # fmt: skip
HOSPITAL: Weighted = [("QD&HS", 3), ("QW135", 1)]
# NHI timing suffixes (ACxM, PCxH …) → the timing they carry
MEAL_SUFFIX = [
    ("PC", "PC", 6),
    ("AC", "AC", 4),
    ("AC30M", "AC", 1.5),
    ("PC30M", "PC", 0.7),
    ("AC1H", "AC", 0.5),
]

ZH_FREQ = {
    "QD": ["每日一次", "一日一次", "1天1次", "每天一次", "一天1次"],
    "BID": ["每日二次", "一日兩次", "1天2次", "每日早晚", "早晚各一次", "一日2次"],
    "TID": ["一日三次", "每日三次", "1天3次", "一天3次", "每日3次"],
    "QID": ["一日四次", "每日四次", "1天4次"],
    "QDAM": ["每日早上一次", "每天早上一次"],
    "QN": ["每晚一次"],
    "QOD": ["隔日一次", "隔天一次", "每二日一次"],
    "QW": ["每週一次", "一週一次"],
    "BIW": ["每週二次"],
    "QW(1,3,5)": ["每週一三五", "每週一、三、五"],
    "QW(2,4,6)": ["每週二四六"],
    "Q8H": ["每8小時一次", "每八小時一次"],
    "Q12H": ["每12小時一次"],
    "Q6H": ["每6小時一次"],
}
# The NHI list's own wording (meaning_zh), which hospital bags print beside the code.
NHI_ZH = {
    "QD": "每日一次", "QDAM": "每日一次上午使用", "QDPM": "每日一次下午使用", "QDHS": "每日一次睡前使用",
    "QN": "每晚使用一次", "BID": "每日二次", "QAM&HS": "上午使用一次且睡前一次", "TID": "每日三次",
    "BID&HS": "每日二次且睡前一次", "QID": "每日四次", "HS": "睡前一次", "TID&HS": "每日三次且睡前一次",
    "QOD": "隔日使用一次", "QW": "每週一次", "BIW": "每週二次", "TIW": "每週三次", "STAT": "立刻使用",
    "ASORDER": "依照醫師指示使用", "PRN": "需要時使用", "Q8H": "每8小時使用一次", "Q12H": "每12小時使用一次",
    "Q6H": "每6小時使用一次", "Q3D": "每3日一次", "QD&HS": "早上及睡前各一次",
}  # fmt: skip
ZH_TIMING = {"PC": ["飯後", "餐後", "飯後服用"], "AC": ["飯前", "餐前", "飯前30分鐘", "飯前半小時"]}
# Wordings that fuse frequency and timing: (printed, code, timing)
ZH_FUSED = [
    ("三餐飯後", "TID", "PC"), ("三餐飯前", "TID", "AC"), ("早晚飯後", "BID", "PC"),
    ("早餐前空腹", "QD", "AC"), ("早餐後", "QD", "PC"), ("睡前", "HS", "HS"), ("每晚睡前", "HS", "HS"),
    ("三餐飯後及睡前", "TID&HS", "PC"),
]  # fmt: skip
ZH_PRN = ["需要時服用", "必要時服用", "疼痛時服用", "焦慮不適時服用", "不舒服時服用", "需要時使用"]
ZH_PRN_LIMIT = ["，每日不超過3次", "，一天最多4次", "，間隔6小時以上", ""]
EYE = [
    ("QID OU", "QID", None, 4), ("BID OU", "BID", None, 2), ("TID OS", "TID", None, 1.5),
    ("QID OD", "QID", None, 1), ("HS OU", "HS", "HS", 1.5), ("HS", "HS", "HS", 1),
    ("Q2H OU", "Q2H", None, 0.5),
    ("QIO", "QIO", None, 2), ("HSO", "HSO", None, 1.5), ("QAO", "QAO", None, 0.5), ("PRN", "PRN", None, 0.5),
]  # fmt: skip


TOPICAL = [
    ("BID", "BID", 4), ("TID", "TID", 2), ("QD", "QD", 2), ("BID 外用", "BID", 2), ("TID EXT", "TID", 1),
    ("HS", "HS", 1), ("QID", "QID", 0.5), ("PRN", "PRN", 1), ("需要時外用", "PRN", 0.5),
]  # fmt: skip


def _pick(rng: random.Random, table: Weighted) -> str:
    return rng.choices([c for c, _ in table], weights=[w for _, w in table])[0]


def _code(rng: random.Random, extra: Weighted, daily_share: float = 0.85) -> str:
    return _pick(rng, DAILY + extra) if rng.random() < daily_share else _pick(rng, NON_DAILY)


def nhi(rng: random.Random, extra: Weighted | None = None, joiner: str = "") -> Usage:
    """Run-together NHI codes (TIDPC, QDAMAC30M, QDHSPRN, Q4HPRN), or `joiner`-spaced parts."""
    code = _code(rng, extra or [])
    if code in MEAL_CAPABLE and rng.random() < 0.45:
        suffix, timing, _ = rng.choices(MEAL_SUFFIX, weights=[w for *_, w in MEAL_SUFFIX])[0]
        return usage(f"{code}{joiner}{suffix}", code, timing)
    if code in PRN_CAPABLE and rng.random() < (0.7 if code in ("Q4H", "Q6H") else 0.12):
        return usage(f"{code}{joiner}PRN", code, prn=True)
    return usage(code, code, prn=code == "PRN")


def hospital(rng: random.Random) -> Usage:
    """Hospital systems: NHI codes plus their own shorthands (QD&HS, QW135)."""
    return nhi(rng, HOSPITAL)


def spaced(rng: random.Random) -> Usage:
    return nhi(rng, HOSPITAL, joiner=" ")


def chinese(rng: random.Random) -> Usage:
    """Clinic and pharmacy wording: 一日三次 飯後, 三餐飯後, 每週一三五, 需要時服用 …"""
    roll = rng.random()
    if roll < 0.12:
        dose = "{dose}" if rng.random() < 0.5 else ""  # 焦慮不適時服用2顆: the scenario fills the dose in
        text = rng.choice(ZH_PRN) + dose + rng.choice(ZH_PRN_LIMIT)
        return usage(text, "PRN", prn=True)
    if roll < 0.35:
        text, code, timing = rng.choice(ZH_FUSED)
        return usage(text, code, timing)
    code = (
        rng.choice(list(ZH_FREQ))
        if rng.random() < 0.25
        else _pick(rng, [(c, w) for c, w in DAILY if c in ZH_FREQ])
    )
    words = rng.choice(ZH_FREQ[code])
    if code in MEAL_CAPABLE and rng.random() < 0.6:
        timing = rng.choice(["PC", "PC", "AC"])
        meal = rng.choice(ZH_TIMING[timing])
        text = rng.choice([f"{words} {meal}", f"{meal} {words}", f"{words}，{meal}"])
        return usage(text, code, timing)
    return usage(words, code)


def mixed(rng: random.Random) -> Usage:
    """A hospital bag: the code, then its Chinese meaning (TIDPC 一日三次 飯後)."""
    u = hospital(rng)
    options = ZH_FREQ.get(u.code, []) + ([NHI_ZH[u.code]] if u.code in NHI_ZH else [])
    if not options:
        return u
    words = rng.choice(options)
    meal = rng.choice(ZH_TIMING[u.timing]) if u.timing in ZH_TIMING else ""
    return usage(f"{u.printed} {words}{meal}".strip(), u.code, u.timing, u.prn)


def eye(rng: random.Random) -> Usage:
    printed, code, timing, _ = rng.choices(EYE, weights=[w for *_, w in EYE])[0]
    return usage(printed, code, timing, prn=code == "PRN")


def receipt(rng: random.Random) -> Usage:
    """Pharmacy systems print either the prescriber's code or a short Chinese wording."""
    return nhi(rng) if rng.random() < 0.5 else chinese(rng)


def topical(rng: random.Random) -> Usage:
    """Skin creams and ointments: a plain code, sometimes marked 外用 / EXT."""
    printed, code, _ = rng.choices(TOPICAL, weights=[w for *_, w in TOPICAL])[0]
    return usage(printed, code, prn=code == "PRN")


STYLES = {
    "topical": topical,
    "receipt": receipt,
    "nhi": nhi,
    "hospital": hospital,
    "spaced": spaced,
    "chinese": chinese,
    "mixed": mixed,
    "eye": eye,
}
