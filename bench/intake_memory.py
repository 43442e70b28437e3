"""Peak memory of decoding one large photo, each case in a fresh subprocess.

    python -m bench.intake_memory            # table: case, file size, peak RSS before/after decode

A small file can declare a huge canvas (a 7000×7000 PNG of a white page is ~50 kB). The number
that matters is how far decoding raises the process's peak RSS (VmHWM) above where it was.
"""

from __future__ import annotations

import io
import subprocess
import sys

import numpy as np
from PIL import Image, ImageDraw

SIDE = 7000
CASES = ("PNG RGB", "PNG L", "PNG RGBA", "PNG P+tRNS", "PNG I;16", "JPEG RGB", "WEBP RGB")


def page(case: str) -> bytes:
    """A white page with a little text, saved in the case's format and mode."""
    image = Image.new("RGB", (SIDE, SIDE), "white")
    ImageDraw.Draw(image).text((100, 100), "Amoxicillin 500mg", fill="black", font_size=200)
    fmt, mode = case.split(" ")
    out = io.BytesIO()
    if mode == "I;16":
        Image.fromarray(np.asarray(image.convert("L")).astype(np.uint16) * 257).save(out, fmt)
    elif mode == "P+tRNS":
        image.convert("P").save(out, fmt, transparency=255)
    else:
        image.convert(mode).save(out, fmt)
    return out.getvalue()


# The peak is read from VmHWM, not getrusage's ru_maxrss: Linux carries ru_maxrss over fork and
# exec, so a child of a big parent (pytest with the OCR model loaded) would start at the parent's
# peak and hide its own growth. VmHWM belongs to the new process image alone.
_CHILD = """
import sys
from rxlens.config import IntakeSettings
from rxlens.images.intake import Upload, load_photo
def peak():
    line = next(l for l in open("/proc/self/status") if l.startswith("VmHWM:"))
    return int(line.split()[1]) // 1024
data = sys.stdin.buffer.read()
before = peak()
photo = load_photo(0, Upload("big", data), IntakeSettings())
print(before, peak(), photo.image.size[0], photo.image.size[1])
"""


def made(case: str) -> bytes:
    # Made in its own process, so this one stays small while it runs the measurements.
    code = f"import sys; from bench.intake_memory import page; sys.stdout.buffer.write(page({case!r}))"
    return subprocess.run([sys.executable, "-c", code], capture_output=True, check=True).stdout


def measure(data: bytes) -> tuple[int, int]:
    done = subprocess.run(
        [sys.executable, "-c", _CHILD], input=data, capture_output=True, check=True, timeout=300
    )
    before, after, *_ = (int(v) for v in done.stdout.split())
    return before, after


def main() -> None:
    print(f"{'case':<12} {'file kB':>8} {'RSS before MB':>14} {'RSS peak MB':>12} {'growth MB':>10}")
    for case in CASES:
        data = made(case)
        before, after = measure(data)
        print(f"{case:<12} {len(data) / 1e3:>8.0f} {before:>14} {after:>12} {after - before:>10}")


if __name__ == "__main__":
    main()
