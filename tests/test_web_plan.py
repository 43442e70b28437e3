"""The page's review, medication list and plan in a real headless Chromium, against a real server
(real OCR, real catalog, real POST /v1/plans): nothing is routed or mocked."""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Collection
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest
from icalendar import Calendar
from playwright.sync_api import Browser, BrowserContext, Page, ViewportSize, expect

from rxlens.api.app import create_app
from rxlens.catalog.bundled import Bundle
from rxlens.config import Settings
from rxlens.services import Services
from tests.http import running
from tests.images import prescription

pytestmark = pytest.mark.usefixtures("fonts")
PHONE: ViewportSize = {"width": 412, "height": 915}
NOTES = Path("/work/notes")
HEADER: tuple[str, ...] = ("clinic_name", "doctor_name", "visit_date", "days_supply")
MED_FIELDS: tuple[str, ...] = ("drug", "dose", "frequency", "days", "total")
# The page's own IndexedDB, read as the page stores it (called only once the page has opened it).
STORED = """() => new Promise((resolve, reject) => {
  const open = indexedDB.open("rxlens");
  open.onerror = () => reject(open.error);
  open.onsuccess = () => {
    const db = open.result, all = db.transaction("records").objectStore("records").getAll();
    all.onsuccess = () => { db.close(); resolve(all.result.map((e) => e.record)); };
    all.onerror = () => reject(all.error);
  };
})"""


class Watched:
    """Every request the page makes and every console error, to check it stays on its own host."""

    def __init__(self, context: BrowserContext) -> None:
        self.urls: list[str] = []
        self.errors: list[str] = []
        context.on("request", lambda r: self.urls.append(r.url))
        context.on("console", lambda m: self.errors.append(m.text) if m.type == "error" else None)

    def assert_local(self) -> None:
        hosts = {urlsplit(u).hostname for u in self.urls if not u.startswith(("blob:", "data:"))}
        assert self.urls and hosts == {"127.0.0.1"}, hosts
        assert [e for e in self.errors if "Content Security Policy" in e] == []


def analyze(page: Page, photo: Path) -> None:
    page.set_input_files("#gallery", str(photo))
    page.click("#go")
    page.wait_for_selector("#result:not([hidden])", timeout=60_000)


def low_fields(record: dict[str, Any], reviewed: Collection[str] = ()) -> int:
    """Fields the page should list under 請先核對: read with confidence below 0.8, in parts
    (h: the header, m0: the first medication …) whose editor a person has not closed yet."""
    parts = [("h", record["fields"], HEADER)]
    parts += [(f"m{i}", m["fields"], MED_FIELDS) for i, m in enumerate(record["medications"])]
    return sum(
        1
        for part, fields, names in parts
        if part not in reviewed
        for name in names
        if name in fields and fields[name]["confidence"] < 0.8
    )


def shown_day(plan: dict[str, Any]) -> dict[str, Any]:
    today = dt.date.today().isoformat()
    return next((d for d in plan["days"] if d["date"] == today), plan["days"][0])


def screenshot_dirs(tmp_path: Path) -> list[Path]:
    dirs = [Path(os.environ.get("RXLENS_SCREENSHOT_DIR") or tmp_path)]
    try:
        NOTES.mkdir(parents=True, exist_ok=True)
        if os.access(NOTES, os.W_OK):
            dirs.append(NOTES)
    except OSError:
        pass  # no notes directory on this machine: the test's own copy is enough
    return dirs


def correct_first_medication(page: Page) -> tuple[float, int]:
    """Dose one more than read, TID before meals, 4 days (6 if 4 was read): the editor beside its
    photo region."""
    card = page.locator(".med").nth(0)
    card.locator("button.edit").click()
    dose = card.locator("[data-name=dose_quantity] input")
    dose.focus()
    canvas = card.locator("form.edit canvas")
    page.wait_for_function("c => !c.hidden && c.width > 0", arg=canvas.element_handle())
    read = float(dose.input_value() or 0)
    days = card.locator("[data-name=days] input")
    new_dose, new_days = read + 1, 6 if days.input_value() == "4" else 4
    dose.fill(f"{new_dose:g}")
    card.locator("[data-name=frequency] select").select_option("TID")
    card.locator("[data-name=timing] select").select_option("AC")
    days.fill(str(new_days))
    card.locator("form.edit button[type=submit]").click()
    expect(page.locator(".med form.edit")).to_have_count(0)
    return new_dose, new_days


def test_correct_plan_calendar_and_keep_the_list(
    browser: Browser, settings: Settings, reader: Services, bundle: Bundle, tmp_path: Path
) -> None:
    truth, photo = prescription(bundle.products, 70, "slip", damaged=True)
    path = tmp_path / "slip.jpg"
    path.write_bytes(photo)
    with running(create_app(settings, reader)) as url:
        context = browser.new_context(viewport=PHONE, device_scale_factor=2, accept_downloads=True)
        watched = Watched(context)
        page = context.new_page()
        response = page.goto(url + "/")
        assert response is not None
        csp = response.headers["content-security-policy"]
        assert "script-src 'self'" in csp and "style-src 'self'" in csp and "unsafe-inline" not in csp
        analyze(page, path)
        review = page.locator("#review-list li")
        review_before = review.count()

        # The doctor's name, reached from the 請先核對 list when it is there, else from 修改.
        doctor = page.locator("#review-list button", has_text="醫師")
        (doctor if doctor.count() else page.locator("#edit-header")).click()
        assert page.locator("#header-edit [data-name=doctor_name] input").is_visible()
        page.locator("#header-edit [data-name=doctor_name] input").fill("王大明")
        page.locator("#header-edit button[type=submit]").click()
        expect(page.locator("#header-edit form")).to_have_count(0)
        new_dose, new_days = correct_first_medication(page)
        first = page.locator(".med").nth(0).inner_text()
        assert first.count("已修改") == 4  # dose, frequency and its timing, days
        assert "王大明" in page.locator("#header").inner_text()

        page.click("#add-to-list")
        page.wait_for_selector("#stored li")
        assert page.locator("#add-to-list").is_disabled()
        [stored] = page.evaluate(STORED)
        assert review_before == low_fields(stored) and review.count() == low_fields(stored, {"h", "m0"})
        assert stored["corrected"] == ["doctor_name"] and stored["doctor_name"] == "王大明"
        med = stored["medications"][0]
        assert set(med["corrected"]) == {"dose_quantity", "frequency", "days"}
        assert med["dose_quantity"] == new_dose and med["days"] == new_days
        assert med["frequency"]["code"] == "TID" and med["frequency"]["per_day"] == 3
        assert med["frequency"]["timing"] == "AC"

        with (
            page.expect_request(lambda r: r.url.endswith("/v1/plans")) as sent,
            page.expect_response(lambda r: r.url.endswith("/v1/plans")) as answered,
        ):
            page.click("#make-plan")
        page.wait_for_selector("#plan:not([hidden]) #timetable")
        body = sent.value.post_data_json
        assert body is not None and body["records"] == [stored]  # the list as stored, corrections and all
        plan = answered.value.json()
        drug = next(d for d in plan["drugs"] if d["key"] == "r1m1")
        visit = dt.date.fromisoformat(truth.visit_date)
        last = visit + dt.timedelta(days=new_days - 1)
        assert drug["slots"] == ["breakfast_before", "lunch_before", "dinner_before"]
        assert drug["amount"].split()[0] == f"{new_dose:g}" and drug["last_day"] == last.isoformat()
        listed = page.locator(".plan-drugs li[data-key=r1m1]").inner_text()
        assert f"每次 {drug['amount']}" in listed and f"用到 {last.year}/{last.month}/{last.day}" in listed
        assert "已修改" in listed

        day = shown_day(plan)
        slots = page.locator("#timetable .slot")
        assert slots.count() == len(day["slots"]) > 0
        taken = [n for n, s in enumerate(day["slots"]) if any(d["drug"] == "r1m1" for d in s["doses"])]
        assert len(taken) == 3  # TID: the three meals
        for n in taken:
            dose = slots.nth(n).locator(".doses li", has_text=drug["name"]).locator(".amount")
            assert drug["amount"] in dose.all_inner_texts()

        for folder in screenshot_dirs(tmp_path):
            page.locator("#plan").screenshot(path=str(folder / "timetable-412.png"))
        assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]  # no sideways scroll

        with page.expect_download() as download:
            page.click("#calendar")
        assert download.value.suggested_filename == "rxlens-plan.ics"
        events = Calendar.from_ical(Path(download.value.path()).read_bytes()).walk("VEVENT")
        summaries = [str(e["summary"]) for e in events]
        assert events and any(drug["name"] in s for s in summaries)

        page.emulate_media(media="print")
        assert page.locator("#timetable").is_visible() and page.locator(".plan-drugs").is_visible()
        assert not page.locator("#pick").is_visible() and not page.locator("#calendar").is_visible()
        page.emulate_media(media="screen")

        voices = page.evaluate("speechSynthesis.getVoices().some((v) => /^(zh|cmn)/i.test(v.lang))")
        assert page.locator("#speak").is_enabled() == voices
        assert voices or "無法朗讀" in page.locator("#speak-note").inner_text()

        page.reload()
        page.wait_for_selector("#stored li")
        assert page.locator("#stored li").count() == 1
        assert truth.clinic_name in page.locator("#stored").inner_text()
        size = "(s) => parseFloat(getComputedStyle(document.querySelector(s)).fontSize)"
        before = page.evaluate(size, "#stored li")
        page.click("#large")
        assert "large" in (page.locator("html").get_attribute("class") or "")
        assert page.evaluate(size, "#stored li") > before
        page.reload()
        assert "large" in (page.locator("html").get_attribute("class") or "")  # remembered
        watched.assert_local()
        context.close()


def test_two_bags_join_the_list_and_show_their_duplicates(
    browser: Browser, settings: Settings, reader: Services, bundle: Bundle, tmp_path: Path
) -> None:
    """The same bag read twice (two clinics gave the same drug): the plan warns, and the list can
    lose one record, then everything."""
    _, photo = prescription(bundle.products, 72, "slip")
    path = tmp_path / "bag.jpg"
    path.write_bytes(photo)
    with running(create_app(settings, reader)) as url:
        context = browser.new_context(viewport=PHONE)
        watched = Watched(context)
        page = context.new_page()
        page.goto(url + "/")
        page.set_input_files("#gallery", str(path))
        for n in (1, 2):  # the same photo read again: a second record
            page.click("#go")
            page.wait_for_selector("#result:not([hidden])", timeout=60_000)
            page.click("#add-to-list")
            expect(page.locator("#stored li")).to_have_count(n)
        with page.expect_response(lambda r: r.url.endswith("/v1/plans")) as answered:
            page.click("#make-plan")
        page.wait_for_selector("#plan:not([hidden])")
        plan = answered.value.json()
        twins = {k for t in plan["duplicates"] for k in t["drugs"]}
        assert plan["duplicates"] and {k[:2] for k in twins} == {"r1", "r2"}
        assert page.locator(".plan-warnings li.dup").count() == len(plan["duplicates"])
        assert page.locator(".drug.dup").count() == len(twins)
        needed = [d for d in plan["drugs"] if d["schedule"] == "as_needed"]
        assert page.locator(".plan-prn li").count() == len(needed)

        page.locator("#stored li").nth(0).locator("button").click()
        expect(page.locator("#stored li")).to_have_count(1)
        assert page.locator("#plan-stale").is_visible() and len(page.evaluate(STORED)) == 1
        page.once("dialog", lambda d: d.accept())
        page.click("#clear-all")
        page.wait_for_selector("#list-empty:not([hidden])")
        assert page.evaluate(STORED) == [] and page.locator("#make-plan").is_disabled()
        watched.assert_local()
        context.close()


# What an older or damaged copy of the list may hold, beside a record whose text is markup.
HOSTILE = '<img src=x onerror="window.__xss=1">'
SEED = """(entries) => new Promise((resolve, reject) => {
  const open = indexedDB.open("rxlens", 1);
  open.onupgradeneeded = () =>
    open.result.createObjectStore("records", { keyPath: "id", autoIncrement: true });
  open.onerror = () => reject(open.error);
  open.onsuccess = () => {
    const db = open.result, tx = db.transaction("records", "readwrite"), s = tx.objectStore("records");
    for (const e of entries) s.add(e);
    tx.oncomplete = () => { db.close(); resolve(); };
    tx.onerror = () => reject(tx.error);
  };
})"""


def test_a_damaged_list_entry_and_markup_in_a_record_stay_text(
    browser: Browser, settings: Settings, services: Services
) -> None:
    """An entry an older page left (no record, medications not a list, a date not ISO) must not
    stop the list from showing, nor the plan of the others; names and warnings are text, never
    markup."""
    today = dt.date.today().isoformat()
    good = {
        "clinic_name": f"<b>{HOSTILE}</b>", "visit_date": today,
        "medications": [
            {"drug_name_zh": HOSTILE, "dose_quantity": 1, "dose_unit": "TAB", "days": 3,
             "frequency": {"code": "QD", "per_day": 1}},
            {"drug_name_zh": HOSTILE + "2", "frequency": {"code": "QIO", "known": False}},
        ],
    }  # fmt: skip
    broken = [{"added": "2025-01-01"}, {"record": {"visit_date": "115/12/01", "medications": "x"}}]
    with running(create_app(settings, services)) as url:
        context = browser.new_context(viewport=PHONE)
        page = context.new_page()
        page.goto(url + "/")
        page.evaluate(SEED, [*broken, {"added": today, "record": good}])
        page.reload()
        expect(page.locator("#stored li")).to_have_count(3)
        assert page.locator("#stored li.broken").count() == 2
        assert "NaN" not in page.locator("#stored").inner_text()
        with page.expect_request(lambda r: r.url.endswith("/v1/plans")) as sent:
            page.click("#make-plan")
        page.wait_for_selector("#plan:not([hidden]) #timetable")
        body = sent.value.post_data_json
        assert body is not None and body["records"] == [good]  # the damaged entries left out
        assert HOSTILE in page.locator("#timetable").inner_text()
        assert HOSTILE + "2" in page.locator(".plan-warnings").inner_text()
        assert page.locator("#plan img, #stored img, #stored b").count() == 0
        assert page.evaluate("window.__xss") is None
        page.locator("#stored li.broken button").first.click()
        expect(page.locator("#stored li")).to_have_count(2)
        context.close()


def test_a_plan_with_nothing_to_remind_says_so_instead_of_an_empty_calendar(
    browser: Browser, settings: Settings, services: Services
) -> None:
    as_needed = {
        "visit_date": dt.date.today().isoformat(),
        "medications": [{"drug_name_zh": "止痛錠", "frequency": {"code": "PRN", "prn": True}, "days": 3}],
    }
    with running(create_app(settings, services)) as url:
        context = browser.new_context(viewport=PHONE)
        page = context.new_page()
        page.goto(url + "/")
        page.evaluate(SEED, [{"added": "2026-12-01", "record": as_needed}])
        page.reload()
        page.click("#make-plan")
        page.wait_for_selector("#plan:not([hidden]) .plan-prn")
        assert page.locator("#calendar").is_disabled()
        assert "沒有可加入行事曆的提醒" in page.locator("#calendar-note").inner_text()
        context.close()
