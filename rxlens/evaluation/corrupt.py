"""Damaged photo files for fuzzing intake: valid seeds in every accepted format, and mutations.

The pytest property test draws mutations with hypothesis; bench/fuzz_intake.py draws the same
mutations from a seeded random.Random for a long run. A mutation is plain data, so a failing
input can be printed and replayed.
"""

from __future__ import annotations

import io
import random
from dataclasses import dataclass
from functools import cache
from typing import Literal

import pillow_heif
from PIL import Image, ImageDraw

pillow_heif.register_heif_opener()
FORMATS = ("JPEG", "PNG", "WEBP", "HEIF")
Kind = Literal["flip", "truncate", "insert", "overwrite"]
KINDS: tuple[Kind, ...] = ("flip", "truncate", "insert", "overwrite")


@dataclass(frozen=True, slots=True)
class Mutation:
    kind: Kind
    where: float  # a position as a share of the file's length, so one mutation fits any seed
    data: bytes = b""  # the inserted or written bytes; for a flip, the first byte's bits


@cache
def seed(fmt: str) -> bytes:
    """A small, valid page in `fmt`: a few words, and EXIF with an orientation in JPEG."""
    image = Image.new("RGB", (96, 64), "white")
    ImageDraw.Draw(image).text((6, 20), "Rx 500mg", fill="black")
    out = io.BytesIO()
    if fmt == "JPEG":
        exif = Image.Exif()
        exif[0x0112], exif[0x010F] = 6, "Camera"
        image.save(out, fmt, exif=exif, quality=80)
    elif fmt == "PNG":
        image.convert("P").save(out, fmt, transparency=255)
    else:
        image.save(out, fmt, quality=60)
    return out.getvalue()


def mutate(data: bytes, mutations: list[Mutation]) -> bytes:
    out = bytearray(data)
    for m in mutations:
        at = min(len(out), int(m.where * len(out)))
        if m.kind == "truncate":
            del out[at:]
        elif m.kind == "insert":
            out[at:at] = m.data
        elif m.kind == "flip" and at < len(out):
            out[at] ^= (m.data[:1] or b"\x01")[0] or 1
        elif m.kind == "overwrite":
            out[at : at + len(m.data)] = m.data
    return bytes(out)


def random_mutations(rng: random.Random) -> list[Mutation]:
    """One to four mutations: mostly flips, with truncations, inserted chunks and overwrites."""
    kinds = rng.choices(KINDS, weights=(6, 1, 2, 2), k=rng.randint(1, 4))
    return [Mutation(k, rng.random(), rng.randbytes(rng.choice((1, 2, 4, 16, 64)))) for k in kinds]


def random_input(rng: random.Random) -> tuple[str, bytes]:
    fmt = rng.choice(FORMATS)
    return fmt, mutate(seed(fmt), random_mutations(rng))
