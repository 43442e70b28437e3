"""POST /v1/plans over a real socket, and `rxlens plan` in a real process."""

from __future__ import annotations

import json
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from icalendar import Calendar

from rxlens.api.app import create_app
from rxlens.api.routes.plans import MAX_MEDICATIONS
from rxlens.config import Settings
from rxlens.result import AnalysisResult, Medication
from rxlens.services import Services
from rxlens.vocab.frequency import parse, to_out
from tests.http import running


def medication(name: str, code: str, days: int | None = 7, dose: float = 1, **extra: object) -> Medication:
    f = parse(code)
    assert f is not None, code
    return Medication(
        drug_name_zh=name, frequency=to_out(f), frequency_text=code, dose_quantity=dose, dose_unit="TAB",
        days=days, **extra,  # type: ignore[arg-type]
    )  # fmt: skip


def record(*meds: Medication, visit: str | None = "2026-12-01") -> dict[str, object]:
    return AnalysisResult(visit_date=visit, medications=list(meds)).model_dump(mode="json")


@pytest.fixture
def base(settings: Settings, reader: Services) -> Iterator[str]:
    with running(create_app(settings, reader)) as url:
        yield url


def test_plan_json_and_calendar(base: str) -> None:
    body = {
        "records": [record(medication("甲", "BIDPC"), medication("乙", "HS", days=3))],
        "times": {"breakfast": "07:00"},
    }
    r = httpx.post(f"{base}/v1/plans", json=body, timeout=30)
    assert r.status_code == 200, r.text
    plan = r.json()
    assert [s["label"] for s in plan["slots"]] == ["早餐後（07:30）", "晚餐後（18:30）", "睡前（22:00）"]
    assert plan["start"] == "2026-12-01" and plan["end"] == "2026-12-07"
    r = httpx.post(f"{base}/v1/plans", json=body, headers={"Accept": "text/calendar"}, timeout=30)
    assert r.status_code == 200 and r.headers["content-type"].startswith("text/calendar")
    assert "attachment" in r.headers["content-disposition"]
    events = Calendar.from_ical(r.content).walk("VEVENT")
    assert {str(e["summary"]) for e in events} >= {"服藥：早餐後 甲", "服藥：睡前 乙"}


def test_plan_refusals_are_problems(base: str) -> None:
    r = httpx.post(f"{base}/v1/plans", content=b"records=1", headers={"Content-Type": "text/plain"})
    assert r.status_code == 415 and r.json()["code"] == "NotJson"
    r = httpx.post(f"{base}/v1/plans", json={"records": []})
    assert r.status_code == 422 and r.json()["code"] == "InvalidRequest"
    r = httpx.post(f"{base}/v1/plans", json={"records": [{"medications": "none"}]})
    assert r.status_code == 422 and "records.0.medications" in r.json()["detail"]
    r = httpx.post(f"{base}/v1/plans", json={"records": [record()], "times": {"time_zone": "Mars/Base"}})
    assert r.status_code == 422 and "time zone" in r.json()["detail"]
    big = b'{"records": [' + b" " * 5_000_000 + b"]}"
    r = httpx.post(f"{base}/v1/plans", content=big, headers={"Content-Type": "application/json"})
    assert r.status_code == 413 and r.json()["code"] == "RequestTooLarge"


def test_plan_bounds_what_one_request_may_cost(base: str) -> None:
    """Twenty records share at most MAX_MEDICATIONS drugs: 45,000 in 4 MB took minutes (the
    day-by-day list and the duplicate pairs grow with them)."""
    many = [medication(f"藥{n}", "Q1H", days=120) for n in range(MAX_MEDICATIONS // 20 + 1)]
    r = httpx.post(f"{base}/v1/plans", json={"records": [record(*many)] * 20}, timeout=60)
    assert r.status_code == 422 and str(MAX_MEDICATIONS) in r.json()["detail"]
    visits = [f"2026-{1 + n // 28:02d}-{1 + n % 28:02d}" for n in range(MAX_MEDICATIONS)]
    most = [record(*(medication(f"藥{n}", "Q1H", days=120) for n in range(10)), visit=v) for v in visits[:20]]
    for accept in ("application/json", "text/calendar"):
        started = time.perf_counter()
        r = httpx.post(f"{base}/v1/plans", json={"records": most}, headers={"Accept": accept}, timeout=60)
        assert r.status_code == 200 and time.perf_counter() - started < 10, accept


@pytest.mark.parametrize(
    ("body", "status"),
    [
        pytest.param('{"records": [{"clinic_name": "\\ud800"}]}', 422, id="lone-surrogate"),
        pytest.param(
            '{"records": [{"medications": [{"total_quantity": NaN, "days": null}]}]}', 200, id="nan"
        ),
        pytest.param('{"records": ' + "[" * 100_000 + "]" * 100_000 + "}", 400, id="nested-100000-deep"),
        pytest.param('{"records": [{}], "start": "9999-12-31"}', 422, id="start-9999"),
    ],
)
def test_plan_hostile_bodies_are_refused_or_answered_never_a_500(base: str, body: str, status: int) -> None:
    r = httpx.post(
        f"{base}/v1/plans", content=body.encode(), headers={"Content-Type": "application/json"}, timeout=30
    )
    assert r.status_code == status, r.text


def _cli(*args: str, settings: Settings) -> subprocess.CompletedProcess[str]:
    env = {"RXLENS_DATA_DIR": str(settings.data_dir), "PATH": "/usr/bin:/bin"}
    return subprocess.run(
        [sys.executable, "-m", "rxlens", "plan", *args], capture_output=True, text=True, env=env, timeout=120
    )


def test_cli_plan_writes_the_calendar_and_refuses_a_non_record(settings: Settings, tmp_path: Path) -> None:
    path = tmp_path / "record.json"
    path.write_text(json.dumps(record(medication("甲", "TID"))), encoding="utf-8")
    done = _cli(str(path), "--ics", str(tmp_path / "plan.ics"), "--json", settings=settings)
    assert done.returncode == 0, done.stderr
    assert [s["id"] for s in json.loads(done.stdout)["slots"]] == [
        "breakfast_after",
        "lunch_after",
        "dinner_after",
    ]
    assert (
        len(Calendar.from_ical((tmp_path / "plan.ics").read_bytes()).walk("VEVENT")) == 4
    )  # 3 slots + last day
    bad = tmp_path / "photo.json"
    bad.write_text('{"medications": 3}', encoding="utf-8")
    done = _cli(str(bad), settings=settings)
    assert (
        done.returncode == 2 and "not a medication record" in done.stderr and "Traceback" not in done.stderr
    )


def test_a_large_plan_is_sent_compressed(base: str) -> None:
    meds = [medication(f"藥{n}", "Q1H", days=90) for n in range(40)]
    body = {"records": [record(*meds)]}
    r = httpx.post(f"{base}/v1/plans", json=body, timeout=60)  # httpx asks for gzip and unpacks it
    assert r.status_code == 200 and r.headers["content-encoding"] == "gzip"
    assert len(r.json()["days"]) == 90 and int(r.headers["content-length"]) < len(r.content) / 5
    plain = httpx.post(f"{base}/v1/plans", json=body, headers={"Accept-Encoding": "identity"}, timeout=60)
    assert "content-encoding" not in plain.headers and plain.json() == r.json()
