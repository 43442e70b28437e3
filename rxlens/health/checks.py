"""Checks that need no server: Python, fonts, the bundled catalog, the cloud key, free disk."""

from __future__ import annotations

import importlib.util
import shutil
import sys
from pathlib import Path

from PIL import ImageFont

from rxlens.catalog.bundled import read_bundle
from rxlens.config import Settings
from rxlens.errors import ConfigError
from rxlens.evaluation.layouts.base import ALL_FACES, missing_fonts
from rxlens.health.report import Check, Status

SUPPORTED_PYTHON = (3, 11)  # requires-python in pyproject.toml
MIN_FREE_BYTES = 200 * 2**20  # below this an import or the SQLite journal may not fit
LOW_FREE_BYTES = 2**30
FONTS_REMEDY = (
    "Install the Noto CJK fonts (Debian/Ubuntu: sudo apt-get install fonts-noto-cjk, or `make system-deps`), "
    "or set RXLENS_FONT_DIR to the folder holding NotoSansCJK-Regular.ttc and NotoSerifCJK-Regular.ttc."
)


def python_version() -> Check:
    found = ".".join(map(str, sys.version_info[:3]))
    if sys.version_info[:2] == SUPPORTED_PYTHON:
        return Check("python", Status.OK, f"Python {found}")
    wanted = ".".join(map(str, SUPPORTED_PYTHON))
    return Check(
        "python",
        Status.FAIL,
        f"Python {found}; rxlens is built and tested for Python {wanted}.",
        f"Install rxlens with Python {wanted} (pipx install --python python{wanted} rxlens).",
    )


def fonts(settings: Settings) -> Check:
    folder = settings.font_dir
    missing = missing_fonts(folder)
    if missing:
        detail = (
            f"Noto CJK fonts missing in {folder}: {', '.join(missing)} (the test-photo generator needs them)."
        )
        return Check("fonts", Status.FAIL, detail, FONTS_REMEDY)
    for file, index in sorted(set(ALL_FACES)):
        try:
            ImageFont.truetype(str(folder / file), 24, index=index)
        except OSError as exc:
            return Check("fonts", Status.FAIL, f"{folder / file} cannot be read: {exc}.", FONTS_REMEDY)
    return Check("fonts", Status.OK, f"{len(set(ALL_FACES))} Noto CJK faces in {folder}")


def catalog_bundle(settings: Settings) -> Check:
    """Raises CatalogError (with its reinstall hint) when the file is damaged."""
    bundle = read_bundle(settings.catalog.bundle_path)
    where = settings.catalog.bundle_path or "rxlens/data/catalog.json.gz"
    detail = (
        f"{where}: version {bundle.version}, {len(bundle.products)} products, {len(bundle.synonyms)} synonyms"
    )
    return Check("catalog", Status.OK, detail)


def cloud_key(settings: Settings) -> Check:
    """Never calls the cloud: only whether the engine could be built."""
    if settings.engine == "local":
        return Check("cloud-key", Status.SKIPPED, "RXLENS_ENGINE=local: no photo leaves this machine.")
    key = settings.gemini.api_key
    if key is None or not key.get_secret_value().strip():
        return Check(
            "cloud-key",
            Status.FAIL,
            f"RXLENS_ENGINE={settings.engine} but the Gemini key is empty.",
            "Set RXLENS_GEMINI__API_KEY, or RXLENS_ENGINE=local to stay offline.",
        )
    if not _importable("google.genai"):
        return Check(
            "cloud-key",
            Status.FAIL,
            f"RXLENS_ENGINE={settings.engine} but the Gemini client library is not installed.",
            "pip install 'rxlens[cloud]' (or RXLENS_ENGINE=local to stay offline).",
        )
    return Check("cloud-key", Status.OK, f"RXLENS_ENGINE={settings.engine}: key set (not sent by doctor)")


def _importable(module: str) -> bool:
    try:
        return importlib.util.find_spec(module) is not None
    except ModuleNotFoundError:  # the parent package itself is missing
        return False


def disk(settings: Settings) -> Check:
    folder = _existing(settings.data_dir)
    free = shutil.disk_usage(folder).free
    detail = f"{free / 2**30:.1f} GiB free for {settings.data_dir}"
    remedy = "Free disk space, or set RXLENS_DATA_DIR to a disk with room."
    if free < MIN_FREE_BYTES:
        return Check("disk", Status.FAIL, detail + f" (needs {MIN_FREE_BYTES // 2**20} MiB).", remedy)
    if free < LOW_FREE_BYTES:
        return Check("disk", Status.WARN, detail + " (low).", remedy)
    return Check("disk", Status.OK, detail)


def _existing(folder: Path) -> Path:
    """The data dir, or the nearest folder above it that exists (it is made on first use)."""
    for candidate in (folder, *folder.parents):
        if candidate.exists():
            return candidate
    return Path("/")


def line_channel(settings: Settings) -> Check:
    """Never calls LINE: whether the channel could start (its SDK, a data key that opens)."""
    line = settings.line
    if not line.enabled:
        return Check("line", Status.SKIPPED, "No LINE channel configured (RXLENS_LINE__CHANNEL_SECRET).")
    if not _importable("linebot.v3"):
        return Check("line", Status.FAIL, "The LINE channel is configured but its SDK is not installed.",
                     "pip install 'rxlens[line]'.")  # fmt: skip
    try:
        from rxlens.queue.sealing import Sealer

        Sealer.of(line.data_key, "RXLENS_LINE__DATA_KEY", "line", "rxlens keys line")
    except ConfigError as error:
        return Check("line", Status.FAIL, error.message, "Make a key with `rxlens keys line`.")
    return Check(
        "line", Status.OK, f"webhook at /line/webhook; 修改 links to {line.public_url} (LINE not called)"
    )
