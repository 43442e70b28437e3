"""`rxlens analyze` as a user runs it: a real process, the real model, a real SQLite file."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

from rxlens.config import Settings

EXAMPLES = Path(__file__).resolve().parents[1] / "examples"


def rxlens(settings: Settings, *args: str, timeout: float = 180) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "RXLENS_DATA_DIR": str(settings.data_dir), "COLUMNS": "160"}
    return subprocess.run(
        [sys.executable, "-m", "rxlens", *args], env=env, capture_output=True, text=True, timeout=timeout
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


def fifo(tmp_path: Path) -> str:
    path = tmp_path / "photo.jpg"
    os.mkfifo(path)  # nobody ever writes to it: opening it for reading would block forever
    return str(path)


def sparse(tmp_path: Path) -> str:
    path = tmp_path / "huge.jpg"
    with path.open("wb") as file:
        file.truncate(Settings().intake.max_bytes + 1)  # 20 MB on paper, no blocks on disk
    return str(path)


@pytest.mark.parametrize(
    ("make", "message"),
    [
        pytest.param(fifo, "is a named pipe (FIFO), not a photo file", id="fifo-without-writer"),
        pytest.param(lambda _: "/dev/zero", "/dev/zero is a character device", id="dev-zero"),
        pytest.param(sparse, "huge.jpg is 20.0 MB; the limit is 20 MB", id="over-the-byte-limit"),
    ],
)
def test_files_that_are_not_photos_are_refused_before_reading(
    settings: Settings, tmp_path: Path, make: Callable[[Path], str], message: str
) -> None:
    # A short timeout: the old CLI hung on the FIFO and read /dev/zero until MemoryError.
    result = rxlens(settings, "analyze", make(tmp_path), timeout=60)
    assert result.returncode == 2 and message in result.stderr, result.stderr
    assert "hint:" in result.stderr and "Traceback" not in result.stderr


def test_a_directory_is_refused(settings: Settings, tmp_path: Path) -> None:
    result = rxlens(settings, "analyze", str(tmp_path), timeout=60)
    assert result.returncode == 2 and "is a directory" in result.stderr
