"""Images the tests make for themselves: generated prescriptions and deliberately bad files."""

from __future__ import annotations

import io
import random
import struct
import zlib

from PIL import Image

from rxlens.catalog.records import Product
from rxlens.evaluation.damage import photograph
from rxlens.evaluation.render import render
from rxlens.evaluation.scenario import ScenarioMaker
from rxlens.evaluation.truth import Truth


def jpeg(image: Image.Image, quality: int = 92, **kwargs: object) -> bytes:
    out = io.BytesIO()
    image.save(out, "JPEG", quality=quality, **kwargs)
    return out.getvalue()


def encoded(image: Image.Image, fmt: str) -> bytes:
    out = io.BytesIO()
    image.save(out, fmt)
    return out.getvalue()


def prescription(
    products: list[Product], seed: int, layout: str, damaged: bool = False
) -> tuple[Truth, bytes]:
    rng = random.Random(seed)
    truth = ScenarioMaker(products).prescription(rng, layout)
    image = render(truth, rng)
    if damaged:
        image, truth.damage = photograph(image, rng)
    return truth, jpeg(image)


def png_header_only(width: int, height: int) -> bytes:
    """A PNG that declares a huge canvas in a few bytes (a decompression bomb's header)."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    ihdr = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", ihdr)
        + chunk(b"IDAT", zlib.compress(b"\x00" * 64))
        + chunk(b"IEND", b"")
    )
