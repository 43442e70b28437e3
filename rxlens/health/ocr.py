"""The local OCR model loads and reads a line it is shown."""

from __future__ import annotations

from PIL import Image, ImageDraw, ImageFont

from rxlens.config import Settings
from rxlens.errors import RxlensError
from rxlens.health.report import Check, Status
from rxlens.images.intake import Photo

TEST_TEXT = "RXLENS OK 2468"
REMEDY = (
    "Reinstall rxlens (pip install --force-reinstall rxlens): the OCR models ship inside the package; "
    "if RXLENS_OCR__ settings are set, try without them."
)


def sample_photo() -> Photo:
    # Pillow's own bundled face: the check must not depend on the generator's fonts.
    face = ImageFont.load_default(size=40)
    image = Image.new("RGB", (640, 120), "white")
    ImageDraw.Draw(image).text((24, 36), TEST_TEXT, font=face, fill="black")
    return Photo(index=0, name="doctor", image=image, original_size=image.size, format="PNG")


def _squash(text: str) -> str:
    return "".join(text.split()).upper()


def local_ocr(settings: Settings) -> Check:
    from rxlens.ocr.local import LocalOcr  # loads ONNX Runtime

    try:
        engine = LocalOcr(settings.ocr)
        lines = engine.read(sample_photo())
    except RxlensError as error:
        return Check("ocr", Status.FAIL, error.message, REMEDY)
    read = " ".join(line.text for line in lines)
    if _squash(TEST_TEXT) not in _squash(read):
        detail = f"The model loaded but read {read!r} instead of {TEST_TEXT!r} from a test image."
        return Check("ocr", Status.FAIL, detail, REMEDY)
    return Check(
        "ocr", Status.OK, f"model loaded (detector: {engine.detector}), read {read!r} from a test image"
    )
