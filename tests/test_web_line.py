"""修改 from LINE in a real Chromium: the signed link opens the record on the page, a correction
is saved back, and an expired or forged link says so."""

from __future__ import annotations

from urllib.parse import parse_qs, urlsplit

import httpx
import pytest
from playwright.sync_api import Browser, expect

from rxlens.catalog.bundled import Bundle
from rxlens.config import Settings
from rxlens.ocr.base import OcrEngine
from tests.images import prescription
from tests.line_events import image_event, user_id, user_source
from tests.lineapp import bot
from tests.test_web_plan import PHONE, Watched

pytestmark = pytest.mark.usefixtures("fonts")


def test_edit_link_opens_corrects_and_saves_the_record(
    browser: Browser, settings: Settings, ocr_engine: OcrEngine, bundle: Bundle
) -> None:
    photo = prescription(bundle.products, 77, "bag")[1]
    with bot(settings, ocr_engine) as line:
        event = image_event(reply_token=line.fake.issue_reply_token(), source=user_source(user_id("carer")))
        line.fake.add_content(event["message"]["id"], photo)
        line.send(event)
        line.settle()
        card = line.fake.wait_for_replies(1)[0]["messages"][0]["contents"]
        edit = next(b["action"]["uri"] for b in card["footer"]["contents"] if b["action"]["label"] == "修改")
        token = parse_qs(urlsplit(edit).fragment)["line"][0]
        context = browser.new_context(viewport=PHONE)
        watched = Watched(context)
        page = context.new_page()
        page.goto(f"{line.url}/#line={token}")
        page.wait_for_selector("#result:not([hidden])", timeout=30_000)
        assert "line=" not in page.url  # the token leaves the address bar once read
        read = httpx.get(f"{line.url}/line/record", headers={"X-Line-Link": token}).json()
        assert page.locator(".med").count() == len(read["medications"])
        # the editor as on a record just read, without a photo region: LINE's photos are not kept
        first = page.locator(".med").nth(0)
        first.locator("button.edit").click()
        dose, days = first.locator("[data-name=dose_quantity] input"), first.locator("[data-name=days] input")
        new_dose, new_days = float(dose.input_value() or 0) + 1, 6 if days.input_value() == "4" else 4
        dose.fill(f"{new_dose:g}")
        days.fill(str(new_days))
        first.locator("[data-name=frequency] select").select_option("TID")
        first.locator("form.edit button[type=submit]").click()
        expect(page.locator(".med form.edit")).to_have_count(0)
        page.click("#line-save-button")
        expect(page.locator("#line-status")).to_contain_text("已儲存")
        saved = httpx.get(f"{line.url}/line/record", headers={"X-Line-Link": token}).json()["medications"][0]
        assert (saved["dose_quantity"], saved["days"]) == (new_dose, new_days)
        assert {"dose_quantity", "days", "frequency"} <= set(saved["corrected"])
        # a forged link: the page says it has expired, and nothing is shown as a record
        forged = context.new_page()
        forged.goto(f"{line.url}/#line={token[:-6]}AAAAAA")
        expect(forged.locator("#error")).to_contain_text("連結已過期")
        assert forged.locator("#result").is_hidden()
        watched.assert_local()
        context.close()
