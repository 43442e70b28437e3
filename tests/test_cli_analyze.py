"""`rxlens analyze` as a user runs it: a real process, the real model, a real SQLite file."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from rxlens.config import Settings

EXAMPLES = Path(__file__).resolve().parents[1] / "examples"


def rxlens(settings: Settings, *args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "RXLENS_DATA_DIR": str(settings.data_dir), "COLUMNS": "160"}
    return subprocess.run(
        [sys.executable, "-m", "rxlens", *args], env=env, capture_output=True, text=True, timeout=180
    )


@pytest.mark.usefixtures("fonts")
def test_two_bags_json(settings: Settings) -> None:
    result = rxlens(settings, "analyze", str(EXAMPLES / "bag-1.jpg"), str(EXAMPLES / "bag-2.jpg"), "--json")
    assert result.returncode == 0, result.stderr
    record = json.loads(result.stdout)
    assert len(record["medications"]) == 2 and record["usage"]["photos"] == 2
    keys = {
        "clinic_name",
        "doctor_name",
        "visit_date",
        "days_supply",
        "medications",
        "successful_match_count",
        "frequency_stats",
        "completeness_type",
        "is_successful",
        "user_message",
    }
    assert keys <= set(record)
    med_keys = {
        "matched_drug_id",
        "drug_name_zh",
        "drug_name_en",
        "main_use",
        "side_effects",
        "dose_quantity",
        "source_image",
        "frequency_text",
        "frequency_count_code",
        "frequency_timing_code",
    }
    assert med_keys <= set(record["medications"][0])


def test_table_output(settings: Settings) -> None:
    result = rxlens(settings, "analyze", str(EXAMPLES / "slip-photo.jpg"))
    assert result.returncode == 0, result.stderr
    assert "藥品（" in result.stdout and "辨識到" in result.stdout


@pytest.mark.parametrize(
    ("content", "code", "message"),
    [
        pytest.param(b"hello", 2, "is not an image", id="text-file"),
        pytest.param(b"\xff\xd8\xff\xe0\x00\x10JFIF\x00", 2, "damaged or incomplete", id="truncated"),
    ],
)
def test_bad_photo_exit_code(
    settings: Settings, tmp_path: Path, content: bytes, code: int, message: str
) -> None:
    path = tmp_path / "photo.jpg"
    path.write_bytes(content)
    result = rxlens(settings, "analyze", str(path))
    assert result.returncode == code and message in result.stderr and "hint:" in result.stderr
    assert "Traceback" not in result.stderr


def test_too_many_photos(settings: Settings) -> None:
    photos = [str(EXAMPLES / "bag-1.jpg")] * 6
    result = rxlens(settings, "analyze", *photos)
    assert result.returncode == 2 and "at most 5" in result.stderr
