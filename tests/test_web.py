"""The web page in a real headless Chromium (Debian's), against a real server and the real model."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from playwright.sync_api import Browser

from rxlens.api.app import create_app
from rxlens.catalog.bundled import Bundle
from rxlens.config import DatabaseSettings, Settings
from rxlens.ocr.base import OcrEngine
from rxlens.services import Services
from tests.http import running
from tests.images import prescription

DEAD_DB = "postgresql+psycopg://nobody@127.0.0.1:1/none"

pytestmark = pytest.mark.usefixtures("fonts")


def test_upload_photos_and_read_the_record(
    browser: Browser, settings: Settings, reader: Services, bundle: Bundle, tmp_path: Path
) -> None:
    truth, photo = prescription(bundle.products, 71, "slip", damaged=True)
    path = tmp_path / "slip.jpg"
    path.write_bytes(photo)
    with running(create_app(settings, reader)) as url:
        page = browser.new_page(viewport={"width": 390, "height": 844}, device_scale_factor=2)  # a phone
        page.goto(url + "/")
        assert page.locator("h1").inner_text() == "藥袋・藥單辨識"
        page.set_input_files("#gallery", str(path))
        assert "已選 1 張" in page.locator("#count").inner_text()
        page.click("#go")
        page.wait_for_selector("#result:not([hidden])", timeout=60_000)
        steps = page.locator("#steps li").all_inner_texts()
        assert any("照片文字辨識完成" in s for s in steps) and steps[-1] == "完成"
        header = page.locator("#header").inner_text()
        assert truth.clinic_name in header and truth.visit_date in header
        cards = page.locator(".med")
        assert cards.count() == len(truth.medications)
        first = cards.nth(0).inner_text()
        assert truth.medications[0].frequency_code in first and "數量核對" in first
        cards.nth(0).locator(".field").nth(2).click()  # the frequency: where was it read?
        page.wait_for_selector("#evidence[open]")
        assert page.locator("#evidence-canvas").evaluate("c => c.width") > 0
        assert "讀到" in page.locator("#evidence-text").inner_text()
        page.screenshot(path=str(tmp_path / "record.png"), full_page=True)


def test_error_is_shown_in_words(
    browser: Browser, settings: Settings, reader: Services, tmp_path: Path
) -> None:
    bad = tmp_path / "notes.jpg"
    bad.write_bytes(b"this is not a photo")
    with running(create_app(settings, reader)) as url:
        page = browser.new_page()
        page.goto(url + "/")
        page.set_input_files("#gallery", str(bad))
        page.click("#go")
        page.wait_for_selector("#error:not([hidden])", timeout=30_000)
        text = page.locator("#error").inner_text()
        assert "不是支援的照片格式" in text and "JPEG" in text


def test_header_labels_once_and_catalog_down_warning(
    browser: Browser, ocr_engine: OcrEngine, bundle: Bundle, tmp_path: Path
) -> None:
    """A server whose database cannot be reached: the record comes back unmatched, and says so."""
    settings = Settings(data_dir=tmp_path, database=DatabaseSettings(url=DEAD_DB))
    path = tmp_path / "bag.jpg"
    path.write_bytes(prescription(bundle.products, 61, "bag")[1])
    errors: list[str] = []
    with running(create_app(settings, Services.open(settings, ocr=ocr_engine))) as url:
        page = browser.new_page()
        page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
        page.goto(url + "/")
        page.set_input_files("#gallery", str(path))
        page.click("#go")
        page.wait_for_selector("#result:not([hidden])", timeout=60_000)
        warnings = page.locator("#warnings").inner_text()
        header = page.locator("#header").inner_text()
        checks = page.locator(".check").all_inner_texts()
    assert "藥品資料庫無法連線" in warnings
    assert header.count("院所") == 1 and header.count("醫師") == 1
    assert checks and not any(re.search("[A-Za-z]{3,}", c) for c in checks)  # no English notes
    assert [e for e in errors if "Content Security Policy" in e] == []  # the page obeys its own CSP
