"""No module of rxlens/ imports a layer above its own; the layer table is LAYERS in
scripts/import_graph.py, which also prints the graph."""

from __future__ import annotations

from pathlib import Path

import pytest

from scripts.import_graph import PACKAGE, RANK, edges, violations


def test_no_module_imports_a_layer_above_its_own() -> None:
    assert violations(edges()) == []


def test_every_unit_of_the_package_has_a_layer() -> None:
    """A new module or package gets a place in the table before it can be imported anywhere."""
    modules = {p.stem for p in PACKAGE.glob("*.py")} - {"__init__"}
    packages = {p.name for p in PACKAGE.iterdir() if p.is_dir() and any(p.rglob("*.py"))}
    assert (modules | packages) - {"__pycache__"} - set(RANK) == set()


def test_the_stages_are_layered_in_data_order() -> None:
    order = ["images", "ocr", "layout", "extract", "validate", "run", "pipeline", "api", "cli"]
    assert [RANK[u] for u in order] == sorted(RANK[u] for u in order)
    assert RANK["extract"] == RANK["cloud"] < RANK["validate"]  # peers: neither imports the other


def _package(root: Path, files: dict[str, str]) -> Path:
    for name, text in files.items():
        path = root / "rxlens" / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    return root / "rxlens"


BASE = {"__init__.py": "", "errors.py": "", "logs.py": "", "extract/__init__.py": "", "cloud/__init__.py": ""}


@pytest.mark.parametrize(
    ("source", "found"),
    [
        pytest.param("from rxlens.errors import E\n", [], id="a lower layer is fine"),
        pytest.param("from . import tokens\n", [], id="a module of its own unit is fine"),
        pytest.param(
            "from rxlens.validate.arithmetic import check\n",
            ["rxlens/extract/record.py:1: extract imports validate, a layer above"],
            id="extraction calling validation is an upward import",
        ),
        pytest.param(
            "from rxlens.cloud import stages\n",
            ["rxlens/extract/record.py:1: extract imports cloud, its own layer"],
            id="a peer of the same layer is refused",
        ),
        pytest.param(
            "def f():\n    from rxlens.pipeline import analyze\n",
            ["rxlens/extract/record.py:2: extract imports pipeline, a layer above"],
            id="a lazy import inside a function counts",
        ),
        pytest.param(
            "from typing import TYPE_CHECKING\nif TYPE_CHECKING:\n    from rxlens.services import Services\n",
            ["rxlens/extract/record.py:3: extract imports services, a layer above"],
            id="an import for type checking counts",
        ),
        pytest.param(
            "from ..pipeline import analyze\n",
            ["rxlens/extract/record.py:1: extract imports pipeline, a layer above"],
            id="a relative import is resolved",
        ),
        pytest.param(
            "import rxlens.mystery\n",
            ["rxlens/extract/record.py:1: unit 'mystery' has no layer in scripts/import_graph.py"],
            id="a unit without a layer is named",
        ),
    ],
)
def test_the_check_finds(tmp_path: Path, source: str, found: list[str]) -> None:
    package = _package(tmp_path, {**BASE, "extract/record.py": source})
    assert violations(edges(package)) == found


def test_from_the_package_import_a_module_is_that_module(tmp_path: Path) -> None:
    """`from rxlens import logs` depends on rxlens.logs, not on the package's __init__."""
    package = _package(tmp_path, {**BASE, "errors.py": "from rxlens import logs\n"})
    assert [(e.importer, e.imported) for e in edges(package)] == [("errors", "logs")]
