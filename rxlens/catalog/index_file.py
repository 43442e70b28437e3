"""The match index saved to disk, so that a new process loads it instead of building it (~3 s).

One file per catalog version and format version (`index-<catalog>-<format>.npz`) in the data
directory. It is a numpy .npz read with allow_pickle=False: arrays and JSON text only, nothing in
it can run code. Products stay JSON until a match first touches them (a photo touches a few
hundred of 26,000). A file that is missing, from another format or catalog version, or damaged
(zip CRCs catch flipped bits) is ignored, and the caller builds the index and saves it again.
Writes go to a temporary file that os.replace puts in place, so a reader never sees half a file.
"""

from __future__ import annotations

import gc
import hashlib
import json
import logging
import os
import re
import tempfile
import zipfile
from collections.abc import Iterator, Sequence
from importlib import metadata
from pathlib import Path
from typing import Any, overload

import numpy as np

from rxlens import textnorm
from rxlens.catalog import evidence as evidence_module
from rxlens.catalog import index as index_module
from rxlens.catalog import keys as keys_module
from rxlens.catalog import normalize as normalize_module
from rxlens.catalog import printed as printed_module
from rxlens.catalog.evidence import Ingredients
from rxlens.catalog.index import IndexParts, MatchIndex
from rxlens.catalog.records import Product

log = logging.getLogger("rxlens.catalog")
# Bump when the layout below or what MatchIndex keeps changes: older files are then rebuilt.
LAYOUT = 1
# The keys a file holds come from the name rules: a file built by other rules is another format,
# so a change to them (a new quote style) can never meet keys built before it.
# Their sources and the libraries that fold text (a new OpenCC table changes keys too); a comment
# edit also rebuilds once, which costs a few seconds and never serves stale keys.
_RULES = (normalize_module, keys_module, evidence_module, index_module, printed_module, textnorm)
_LIBRARIES = ("opencc", "rapidfuzz")


def _rules_fingerprint() -> str:
    digest = hashlib.sha256()
    for module in _RULES:
        source = Path(module.__file__ or "")
        digest.update(source.read_bytes() if source.is_file() else module.__name__.encode())
    for library in _LIBRARIES:
        digest.update(f"{library}={metadata.version(library)}".encode())
    return digest.hexdigest()[:10]


FORMAT = f"{LAYOUT}.{_rules_fingerprint()}"
_SETS = ("marks", "forms", "name_forms", "named")


def path_for(folder: Path, version: str) -> Path:
    return folder / f"index-{re.sub(r'[^0-9A-Za-z_.-]', '_', version)}-{FORMAT}.npz"


class LazyProducts(Sequence[Product]):
    """Products kept as their JSON and validated on first use (then kept)."""

    def __init__(self, blob: bytes, ptr: list[int]) -> None:
        self._blob, self._ptr = blob, ptr
        self._cache: list[Product | None] = [None] * (len(ptr) - 1)

    def __len__(self) -> int:
        return len(self._cache)

    @overload
    def __getitem__(self, i: int) -> Product: ...
    @overload
    def __getitem__(self, i: slice) -> list[Product]: ...
    def __getitem__(self, i: int | slice) -> Product | list[Product]:
        if isinstance(i, slice):
            return [self[j] for j in range(*i.indices(len(self)))]
        product = self._cache[i]
        if product is None:
            j = range(len(self))[i]  # a negative index, and IndexError past the end
            product = Product.model_validate_json(self._blob[self._ptr[j] : self._ptr[j + 1]])
            self._cache[i] = product
        return product

    def __iter__(self) -> Iterator[Product]:
        return (self[i] for i in range(len(self)))


def _ragged(items: Sequence[Any], dtype: type) -> tuple[np.ndarray, np.ndarray]:
    """A list of lists as (offsets, flat values)."""
    ptr = np.cumsum([0] + [len(x) for x in items], dtype=np.int64)
    return ptr, np.asarray([v for x in items for v in x], dtype=dtype)


def _split(ptr: np.ndarray, flat: np.ndarray) -> list[list[Any]]:
    bounds, values = ptr.tolist(), flat.tolist()
    return [values[a:b] for a, b in zip(bounds, bounds[1:], strict=False)]


def _arrays(parts: IndexParts, version: str) -> dict[str, np.ndarray]:
    facts = parts.ingredients
    columns = {"of_product": facts.of_product} | {name: getattr(facts, name) for name in _SETS}
    distinct = list(dict.fromkeys(s for column in columns.values() for s in column))
    where = {s: i for i, s in enumerate(distinct)}
    kinds = sorted({kind for _, _, ks in parts.keys for kind in ks})
    grams = list(parts.postings)
    header = {
        "format": FORMAT,
        "catalog": version,
        "keys": [text for text, _, _ in parts.keys],
        "kinds": kinds,
        "grams": grams,
        "sets": [sorted(s) for s in distinct],
        "meaning": {k: sorted(v) for k, v in facts.meaning.items()},
        "codes": parts.codes,
    }
    blobs = [p.model_dump_json().encode() for p in parts.products]
    arrays = {name: np.asarray([where[s] for s in col], dtype=np.int32) for name, col in columns.items()}
    arrays["header"] = np.frombuffer(json.dumps(header, ensure_ascii=False).encode(), dtype=np.uint8)
    arrays["product_json"] = np.frombuffer(b"".join(blobs), dtype=np.uint8)
    arrays["product_ptr"] = np.cumsum([0] + [len(b) for b in blobs], dtype=np.int64)
    arrays["strength_ptr"], arrays["strength_val"] = _ragged([sorted(s) for s in parts.strengths], np.float64)
    arrays["key_ptr"], arrays["key_product"] = _ragged([ids for _, ids, _ in parts.keys], np.int32)
    arrays["key_kind"] = np.asarray([kinds.index(k) for _, _, ks in parts.keys for k in ks], dtype=np.int8)
    arrays["gram_ptr"], arrays["gram_ids"] = _ragged([parts.postings[g] for g in grams], np.int32)
    return arrays


def save(index: MatchIndex, folder: Path) -> Path | None:
    """Write the index for its catalog version; None (and a warning) when the folder refuses."""
    target = path_for(folder, index.version)
    try:
        folder.mkdir(parents=True, exist_ok=True)
        with tempfile.NamedTemporaryFile(dir=folder, prefix=".index-", suffix=".tmp", delete=False) as tmp:
            try:
                np.savez(tmp, allow_pickle=False, **_arrays(index.parts(), index.version))
                tmp.flush()
                os.fsync(tmp.fileno())
            except BaseException:
                os.unlink(tmp.name)
                raise
        os.replace(tmp.name, target)
    except OSError as exc:
        log.warning("catalog index not saved to %s: %s", folder, exc.strerror or type(exc).__name__)
        return None
    for old in folder.glob("index-*.npz"):  # other catalog or format versions are never read again
        if old != target:
            old.unlink(missing_ok=True)
    return target


def _parts(data: Any, header: dict[str, Any]) -> IndexParts:
    sets = [frozenset(s) for s in header["sets"]]
    column = {name: [sets[i] for i in data[name].tolist()] for name in ("of_product", *_SETS)}
    meaning = {k: set(v) for k, v in header["meaning"].items()}
    facts = Ingredients.restore(meaning, column["of_product"], {n: column[n] for n in _SETS})
    products = LazyProducts(data["product_json"].tobytes(), data["product_ptr"].tolist())
    strengths = [frozenset(s) for s in _split(data["strength_ptr"], data["strength_val"])]
    kinds = header["kinds"]
    key_ids = _split(data["key_ptr"], data["key_product"])
    key_kinds = _split(data["key_ptr"], data["key_kind"])
    named = zip(header["keys"], key_ids, key_kinds, strict=True)
    keys = [(text, ids, [kinds[k] for k in ks]) for text, ids, ks in named]
    bounds, ids = data["gram_ptr"].tolist(), data["gram_ids"]
    postings = {g: ids[bounds[n] : bounds[n + 1]] for n, g in enumerate(header["grams"])}
    if not len(products) == len(strengths) == len(facts.of_product) == len(header["codes"]):
        raise ValueError("parts of different lengths")
    return IndexParts(products, strengths, keys, postings, header["codes"], facts)


def load(folder: Path, version: str, threshold: float) -> MatchIndex | None:
    """The saved index of this catalog version, or None when there is no usable file."""
    path = path_for(folder, version)
    # Hundreds of thousands of small containers: the cyclic collector would walk them all
    # again and again while they are made (half the load time), and none of them is garbage.
    collecting = gc.isenabled()
    gc.disable()
    try:
        # Our own handle: np.load leaks the one it opens when the zip turns out to be damaged.
        with open(path, "rb") as file, np.load(file, allow_pickle=False) as data:
            header = json.loads(data["header"].tobytes())
            if header.get("format") != FORMAT or header.get("catalog") != version:
                raise ValueError("written for another version")
            return MatchIndex.restore(_parts(data, header), version, threshold)
    except FileNotFoundError:
        return None
    # zip damage raises BadZipFile, np.load ValueError/OSError, a wrong shape KeyError/TypeError.
    except (OSError, EOFError, ValueError, KeyError, TypeError, IndexError, zipfile.BadZipFile) as exc:
        log.warning("catalog index file %s ignored (%s); building it again", path.name, type(exc).__name__)
        return None
    finally:
        if collecting:
            gc.enable()
