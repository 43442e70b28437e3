"""The web page in a real headless Chromium (Debian's), against a real server and the real model."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, sync_playwright

from rxlens.api.app import create_app
from rxlens.catalog.bundled import Bundle
from rxlens.config import Settings
from rxlens.services import Services
from tests.http import running
from tests.images import prescription

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
FLAGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]

pytestmark = pytest.mark.usefixtures("fonts")


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    if not Path(CHROMIUM).exists():
        pytest.fail("Chromium is missing: run `make system-deps` (apt-get install chromium)")
    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, headless=True, args=FLAGS)
        yield b
        b.close()


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
        assert "Not a supported image" in text and "JPEG" in text
