"""What the person should look at, in Traditional Chinese, with the drugs it is about."""

from __future__ import annotations

import datetime as dt

from rxlens.plan.model import Duplicate, PlanDrug, PlanWarning, RefillOut

_ASK = "請先問醫師或藥師是否要一起使用。"


def _day(d: dt.date) -> str:
    return f"{d.month}/{d.day}"


def _names(keys: list[str], drugs: dict[str, PlanDrug]) -> str:
    return "、".join(drugs[k].name for k in keys)


def _refill_gaps(drug: PlanDrug, windows: list[RefillOut]) -> list[PlanWarning]:
    """The supply ends before the next fill can be collected."""
    following = [w for w in windows if w.record == drug.record]
    if not following or drug.last_day is None:
        return []
    nearest = following[0]
    ends = drug.run_out or drug.last_day
    if ends + dt.timedelta(days=1) >= nearest.start:
        return []
    text = (
        f"{drug.name} 在 {_day(ends)} 用完，但第{nearest.fill}次領藥 {_day(nearest.start)} 才開始："
        "中間會斷藥，請洽藥師。"
    )
    return [PlanWarning(kind="refill_gap", text=text, drugs=[drug.key])]


def _own(drug: PlanDrug, windows: list[RefillOut]) -> list[PlanWarning]:
    out: list[PlanWarning] = []
    if drug.schedule == "unscheduled":
        out.append(PlanWarning(kind="unscheduled", text=f"{drug.name}：{drug.reason}。", drugs=[drug.key]))
    if drug.schedule == "scheduled" and drug.last_day is None:
        text = f"{drug.name} 沒有讀到天數或總量，無法得知何時用完；行事曆不會為它建立提醒。"
        out.append(PlanWarning(kind="no_end", text=text, drugs=[drug.key]))
    if drug.run_out and drug.last_day:
        text = f"{drug.name} 的總量只夠用到 {_day(drug.run_out)}，比天數算出的 {_day(drug.last_day)} 早。"
        out.append(PlanWarning(kind="run_out", text=text, drugs=[drug.key]))
    return out + _refill_gaps(drug, windows)


def plan_warnings(
    drugs: list[PlanDrug], windows: list[RefillOut], twins: list[Duplicate]
) -> list[PlanWarning]:
    by_key = {d.key: d for d in drugs}
    out = [
        PlanWarning(
            kind="duplicate",
            text=f"{_names(t.drugs, by_key)} 含有相同成分 {'、'.join(t.ingredients)}：{_ASK}",
            drugs=t.drugs,
        )
        for t in twins
    ]
    for drug in drugs:
        out += _own(drug, windows)
    return out
