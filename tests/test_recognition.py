"""The real OCR model on generated photos, through the whole pipeline."""

from __future__ import annotations

import asyncio
import io
import random

import pytest
from PIL import Image, ImageChops, ImageDraw

from rxlens.catalog.bundled import Bundle
from rxlens.config import Settings
from rxlens.evaluation.layouts.base import BOLD, SANS, font
from rxlens.evaluation.render import render_bag
from rxlens.evaluation.scenario import ScenarioMaker
from rxlens.evaluation.truth import Truth
from rxlens.images.intake import Upload, load_photos
from rxlens.ocr.base import OcrEngine
from rxlens.ocr.local import LocalOcr
from rxlens.pipeline import analyze
from rxlens.result import AnalysisResult
from rxlens.services import Services
from tests.images import jpeg, prescription

pytestmark = pytest.mark.usefixtures("fonts")


def read(services: Services, *photos: bytes) -> AnalysisResult:
    return asyncio.run(analyze([Upload(f"p{i}.jpg", d) for i, d in enumerate(photos)], services))


def assert_matches_truth(record: AnalysisResult, truth: Truth) -> None:
    assert (record.visit_date, record.days_supply) == (truth.visit_date, truth.days_supply)
    assert (record.clinic_name, record.doctor_name) == (truth.clinic_name, truth.doctor_name)
    assert len(record.medications) == len(truth.medications)
    for expected, med in zip(truth.medications, record.medications, strict=True):
        assert med.matched_drug_id in expected.acceptable_ids, (expected.name_en, med.printed_name)
        got = (
            med.dose_quantity,
            med.frequency_count_code,
            med.frequency_timing_code,
            med.total_quantity,
            med.days,
        )
        assert got == (
            expected.dose,
            expected.frequency_code,
            expected.timing_code,
            expected.total,
            expected.days,
        )
        assert med.fields["drug"].evidence and med.confidence > 0


@pytest.mark.parametrize("layout", ["bag", "slip"])
@pytest.mark.parametrize("seed", [11, 12])
def test_clean_photo_gives_the_prescription(reader: Services, bundle: Bundle, layout: str, seed: int) -> None:
    truth, photo = prescription(bundle.products, seed, layout)
    record = read(reader, photo)
    assert_matches_truth(record, truth)
    assert record.completeness_type == "complete_prescription" and record.is_successful
    assert record.usage.engine == "local" and set(record.usage.timings_ms) == {
        "intake",
        "ocr",
        "catalog",
        "extract",
        "validate",
    }


def test_warm_up_loads_both_models() -> None:
    """The recognizer loads only when the detector finds text: warm-up must read a line, or the
    first user's photo pays for loading it."""
    engine = LocalOcr(Settings().ocr)
    engine.warm_up()
    assert engine.warm_lines >= 1


def test_upside_down_photo_is_read(reader: Services, bundle: Bundle) -> None:
    truth, photo = prescription(bundle.products, 21, "bag")
    turned = Image.open(io.BytesIO(photo)).rotate(180)
    record = read(reader, jpeg(turned))
    assert_matches_truth(record, truth)
    assert record.medications[0].fields["drug"].evidence[0].box  # mapped back onto the photo as sent


def test_photo_without_text_gives_an_empty_record(reader: Services) -> None:
    blank = Image.new("RGB", (1200, 900), (200, 190, 180))
    record = read(reader, jpeg(blank))
    assert record.medications == [] and record.completeness_type == "empty" and not record.is_successful
    assert "沒有讀到文字" in record.user_message


def _bags(bundle: Bundle, seed: int) -> tuple[Truth, list[bytes]]:
    rng = random.Random(seed)
    truth = ScenarioMaker(bundle.products).prescription(rng, "slip")
    truth.medications = truth.medications[:2]
    bags = [render_bag(truth.model_copy(update={"medications": [m]}), rng) for m in truth.medications]
    return truth, [jpeg(b) for b in bags]


def test_several_bags_make_one_record(reader: Services, bundle: Bundle) -> None:
    truth, photos = _bags(bundle, 31)
    record = read(reader, *photos)
    assert_matches_truth(record, truth)
    assert [m.source_image for m in record.medications] == [0, 1]


def test_the_same_drug_seen_twice_is_one_medication(reader: Services, bundle: Bundle) -> None:
    truth, photos = _bags(bundle, 32)
    record = read(reader, photos[0], photos[0])
    assert len(record.medications) == 1 and record.medications[0].source_image == 0


def test_arithmetic_mismatch_is_flagged_not_corrected(reader: Services, bundle: Bundle) -> None:
    rng = random.Random(41)
    truth = ScenarioMaker(bundle.products).prescription(rng, "bag")
    med = truth.medications[0]
    med.frequency_printed, med.frequency_code, med.timing_code = "TIDPC", "TID", "PC"
    assert med.days is not None
    med.dose, med.total = 1.0, 3.0 * med.days * 2
    record = read(reader, jpeg(render_bag(truth, rng)))
    check = record.medications[0].arithmetic
    assert check.status == "mismatch" and check.per_day_read == 3 and check.per_day_computed == 6
    assert record.medications[0].frequency_count_code == "TID"  # what was printed stays
    assert record.frequency_stats.mismatch == 1 and "不符" in record.user_message


def _stamped_line(ink: tuple[int, int, int]) -> bytes:
    """A printed drug line with a solid stamp of `ink` multiplied over it, as stamp ink lies on paper."""
    page = Image.new("RGB", (900, 160), "white")
    ImageDraw.Draw(page).text((40, 50), "舒痛定膜衣錠 20毫克", fill="black", font=font(SANS, 48))
    stamp = Image.new("RGB", page.size, "white")
    draw = ImageDraw.Draw(stamp)
    draw.ellipse((120, 10, 560, 155), outline=ink, width=7)
    draw.text((150, 60), "藥局調劑章", fill=ink, font=font(BOLD, 64))
    return jpeg(ImageChops.multiply(page, stamp))


@pytest.mark.parametrize("ink", [(214, 52, 52), (48, 72, 196)], ids=["red", "blue"])
def test_print_under_a_stamp_is_read(ocr_engine: OcrEngine, ink: tuple[int, int, int]) -> None:
    """The model sees each pixel's lightest channel: coloured ink fades, black print stays
    (with RXLENS_OCR__INK=as_taken this fails)."""
    photo = load_photos([Upload("stamped.jpg", _stamped_line(ink))], Settings().intake)[0]
    assert "舒痛定膜衣錠" in "".join(line.text for line in ocr_engine.read(photo))
