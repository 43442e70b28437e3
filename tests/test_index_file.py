"""The match index saved next to the data: written once, loaded by the next process, rebuilt when
damaged, from another format, or for another catalog version."""

from __future__ import annotations

import json
import zipfile
from pathlib import Path

import numpy as np
import pytest

from rxlens.catalog import index_file
from rxlens.catalog.index import MatchIndex
from rxlens.catalog.index_file import LazyProducts
from rxlens.catalog.records import Synonym
from rxlens.catalog.service import Catalog
from rxlens.services import Services

QUERIES = [
    "普拿疼",
    "PANADOL 500MG",
    "脈優錠 5mg",
    "NORVASC 5 MG",
    "ALPRAZOLAM 0.5MG",
    "LIPITOR 20MG (ATORVASTATIN)",
    "藥名:NEWTASETABLETS / 胃化錠",
    "BC25419100",
    "早晚飯後服用",
]


def _catalog(services: Services, folder: Path | None) -> Catalog:
    """A catalog as a new process opens it: nothing in memory yet."""
    return Catalog(services.store, services.settings.catalog, index_dir=folder)


def _answers(index: MatchIndex) -> list[object]:
    out: list[object] = []
    for q in QUERIES:
        out.append([(c.product.id, c.score, c.accepted, c.evidence, c.kind) for c in index.match(q)])
        out.append([(c.product.id, c.evidence) for c in index.alternatives(q)])
        found = index.by_code(q)
        out.append(found and (found.product.id, found.evidence))
    return out


def test_first_run_writes_and_second_loads_the_same_index(services: Services, tmp_path: Path) -> None:
    folder = tmp_path / "new"  # the data folder holds the session's saved index already
    folder.mkdir()
    built = _catalog(services, folder).index()
    names = [p.name for p in folder.glob("index-*.npz")]
    assert names == [f"index-{built.version}-{index_file.FORMAT}.npz"]
    assert not isinstance(built.products, LazyProducts)
    loaded = _catalog(services, folder).index()
    assert isinstance(loaded.products, LazyProducts)  # read from the file, not built
    assert loaded.version == built.version and len(loaded.products) == len(built.products)
    assert _answers(loaded) == _answers(built)
    assert list(loaded.products[:3]) == list(built.products[:3])


def _flip_a_byte(path: Path) -> None:
    data = bytearray(path.read_bytes())
    data[len(data) // 2] ^= 0xFF
    path.write_bytes(bytes(data))


def _other_format(path: Path) -> None:
    with np.load(path, allow_pickle=False) as data:
        arrays = {k: data[k] for k in data.files}
    header = json.loads(arrays["header"].tobytes()) | {"format": "0." + index_file.FORMAT}
    arrays["header"] = np.frombuffer(json.dumps(header).encode(), dtype=np.uint8)
    np.savez(path, **arrays)


@pytest.mark.parametrize(
    "damage",
    [
        pytest.param(_flip_a_byte, id="a flipped byte"),
        pytest.param(lambda p: p.write_bytes(p.read_bytes()[:1000]), id="truncated"),
        pytest.param(lambda p: p.write_bytes(b""), id="empty"),
        pytest.param(lambda p: p.write_text("not an index"), id="not a zip"),
        pytest.param(_other_format, id="another format version"),
    ],
)
def test_an_unusable_file_is_ignored(services: Services, tmp_path: Path, damage: object) -> None:
    reference = _catalog(services, tmp_path).index()
    (path,) = tmp_path.glob("index-*.npz")
    damage(path)  # type: ignore[operator]
    assert index_file.load(tmp_path, reference.version, reference.threshold) is None


def test_an_unusable_file_is_rebuilt_and_saved_anew(services: Services, tmp_path: Path) -> None:
    """The same path whatever the damage (load gives None, as above), so one kind is rebuilt here."""
    reference = _catalog(services, tmp_path).index()
    (path,) = tmp_path.glob("index-*.npz")
    _flip_a_byte(path)
    rebuilt = _catalog(services, tmp_path).index()
    assert not isinstance(rebuilt.products, LazyProducts)
    assert _answers(rebuilt) == _answers(reference)
    again = index_file.load(tmp_path, reference.version, reference.threshold)  # written anew
    assert again is not None and _answers(again) == _answers(reference)


def test_a_catalog_change_builds_and_saves_a_new_version(services: Services, tmp_path: Path) -> None:
    old = _catalog(services, tmp_path).index()
    services.store.apply([], [Synonym(text="SUPERPANADOLX", ingredient="ACETAMINOPHEN")], "test")
    new = _catalog(services, tmp_path).index()
    assert new.version != old.version
    assert not isinstance(new.products, LazyProducts)  # built for the new catalog
    names = [p.name for p in tmp_path.glob("index-*.npz")]
    assert names == [f"index-{new.version}-{index_file.FORMAT}.npz"]  # the old one is gone
    assert any(c.accepted for c in new.match("SUPERPANADOLX"))
    assert not any(c.accepted for c in old.match("SUPERPANADOLX"))
    reloaded = _catalog(services, tmp_path).index()
    assert isinstance(reloaded.products, LazyProducts) and _answers(reloaded) == _answers(new)


def test_without_a_folder_nothing_is_saved(services: Services, tmp_path: Path) -> None:
    for saved in tmp_path.glob("index-*.npz"):  # the session's copy
        saved.unlink()
    _catalog(services, None).index()
    assert not list(tmp_path.rglob("index-*.npz"))


def test_the_file_holds_no_pickles(services: Services, tmp_path: Path) -> None:
    _catalog(services, tmp_path).index()
    (path,) = tmp_path.glob("index-*.npz")
    with zipfile.ZipFile(path) as archive, np.load(path, allow_pickle=False) as data:
        assert all(name.endswith(".npy") for name in archive.namelist())
        assert all(data[k].dtype != object for k in data.files)  # object arrays would need pickle
