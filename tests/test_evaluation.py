"""The photo generator: deterministic, every layout family, truth that validates, its own
frequency table, no borrowed extractor grammar; and the scorer that reads its truth."""

from __future__ import annotations

import ast
import asyncio
import random
from collections import Counter
from pathlib import Path

import pytest

from rxlens.catalog.bundled import Bundle
from rxlens.evaluation import phrasebook
from rxlens.evaluation.codes import MEANINGS, doses, usage
from rxlens.evaluation.generate import generate
from rxlens.evaluation.layouts import FAMILIES
from rxlens.evaluation.runner import evaluate, latency_line
from rxlens.evaluation.score import Scorer
from rxlens.evaluation.truth import Truth
from rxlens.result import AnalysisResult, FrequencyOut, Medication
from rxlens.services import Services

pytestmark = pytest.mark.usefixtures("fonts")
EVALUATION = Path(__file__).resolve().parents[1] / "rxlens" / "evaluation"
FORBIDDEN = ("rxlens.extract", "rxlens.layout", "rxlens.vocab")
# The photo generator writes its own wording: not even the catalog's normalising patterns.
CATALOG_MATCHING = ("rxlens.catalog.normalize", "rxlens.catalog.keys")
MATCHING_TOOLS = {"variants.py", "names.py"}  # catalog-matching benchmarks, not the photo generator


@pytest.fixture(scope="module")
def generated(bundle: Bundle, tmp_path_factory: pytest.TempPathFactory) -> list[Truth]:
    out = tmp_path_factory.mktemp("generated")
    paths = generate(bundle.products, out, count=64, seed=7)
    return [Truth.model_validate_json(p.with_suffix(".json").read_text(encoding="utf-8")) for p in paths]


def test_same_seed_same_photos_and_truth(bundle: Bundle, tmp_path: Path) -> None:
    first = generate(bundle.products, tmp_path / "a", count=9, seed=11)
    second = generate(bundle.products, tmp_path / "b", count=9, seed=11)
    other = generate(bundle.products, tmp_path / "c", count=9, seed=12)
    for a, b in zip(first, second, strict=True):
        assert a.read_bytes() == b.read_bytes()
        assert a.with_suffix(".json").read_text() == b.with_suffix(".json").read_text()
    assert [p.read_bytes() for p in first] != [p.read_bytes() for p in other]


def test_every_family_gets_its_share(generated: list[Truth]) -> None:
    counts = Counter(t.layout for t in generated)
    assert set(counts) == set(FAMILIES) and len(FAMILIES) >= 8
    assert min(counts.values()) >= len(generated) / 10


def test_truth_is_consistent(generated: list[Truth]) -> None:
    for truth in generated:
        assert truth.medications and len(truth.visit_date) == 10
        assert truth.institution_code is None or (
            len(truth.institution_code) == 10 and truth.institution_code.isdigit()
        )
        for m in truth.medications:
            assert m.product_id in m.acceptable_ids and (m.name_en or m.name_zh)
            assert m.frequency_code in MEANINGS and m.frequency_printed
            meaning = MEANINGS[m.frequency_code]
            assert m.known == meaning.known and m.weekdays == list(meaning.weekdays)
            assert m.per_day == (None if m.prn else meaning.per_day)
            if m.per_day is not None and truth.layout != "eye_and_topical":
                assert m.total >= m.dose * m.per_day * (m.days or 0) - 1e-9


def test_families_print_what_they_promise(generated: list[Truth]) -> None:
    by_family: dict[str, list[Truth]] = {}
    for t in generated:
        by_family.setdefault(t.layout, []).append(t)
    assert all(t.medications[0].name_zh for t in by_family["clinic_bag"] + by_family["pharmacy_receipt"])
    assert all(not m.name_zh for t in by_family["nhi_code_table"] for m in t.medications)
    eye = [m for t in by_family["eye_and_topical"] for m in t.medications]
    assert all(m.total in (1, 2) for m in eye)
    assert len({len(t.medications) for t in by_family["clinic_bag"]}) == 1


def test_the_set_has_the_hard_cases(generated: list[Truth]) -> None:
    meds = [m for t in generated for m in t.medications]
    assert any(len({m.days for m in t.medications}) > 1 for t in generated)  # days differ per drug
    assert any(m.dose == 0.5 for m in meds) and any(m.prn for m in meds) and any(m.weekdays for m in meds)
    assert any(not m.known for m in meds) and any(t.days_supply is None for t in generated)
    assert any(any("\u4e00" <= c <= "\u9fff" for c in m.frequency_printed) for m in meds)  # Chinese wording
    assert sum(t.damaged for t in generated) in range(16, 49)  # about half of 64


@pytest.mark.parametrize(
    ("code", "per_day", "weekdays"),
    [
        pytest.param("QD", 1, (), id="QD once a day"),
        pytest.param("QD&HS", 2, (), id="QD&HS is daily plus bedtime"),
        pytest.param("QW(1,3,5)", 3 / 7, (1, 3, 5), id="QW(1,3,5) three days a week"),
        pytest.param("QW135", 3 / 7, (1, 3, 5), id="QW135 is the hospital shorthand"),
        pytest.param("QOD", 0.5, (), id="QOD every other day"),
        pytest.param("BIW", 2 / 7, (), id="BIW twice a week"),
        pytest.param("Q8H", 3, (), id="Q8H three a day"),
        pytest.param("ASORDER", None, (), id="ASORDER has no count"),
    ],
)
def test_per_day_table(code: str, per_day: float | None, weekdays: tuple[int, ...]) -> None:
    u = usage(code, code)
    assert u.weekdays == weekdays and u.known
    assert (u.per_day is None and per_day is None) or abs((u.per_day or 0) - (per_day or 0)) < 1e-9


def test_prn_and_local_codes_have_no_count() -> None:
    assert usage("Q4HPRN", "Q4H", prn=True).per_day is None
    qio = usage("QIO", "QIO")
    assert (qio.per_day, qio.known) == (None, False)
    assert usage("HS", "HS").timing == "HS"
    assert doses(usage("QW135", "QW135"), 28) == 12 and doses(usage("QD&HS", "QD&HS"), 28) == 56


def test_run_together_codes_split_into_frequency_and_timing() -> None:
    rng = random.Random(5)
    seen = [phrasebook.nhi(rng) for _ in range(3000)]
    for u in seen:
        assert u.printed.startswith(u.code)
        rest = u.printed[len(u.code) :]
        assert rest in ("", "PRN") or (rest[:2] == u.timing)
    printed = {u.printed for u in seen}
    assert {"TIDPC", "QDAC30M", "QD"} <= printed and any(p.endswith("PRN") and p != "PRN" for p in printed)


@pytest.mark.parametrize(
    ("printed", "code", "timing"),
    [
        pytest.param("三餐飯後", "TID", "PC", id="三餐飯後 is TID after meals"),
        pytest.param("早餐前空腹", "QD", "AC", id="早餐前空腹 is QD before meals"),
        pytest.param("睡前", "HS", "HS", id="睡前 is HS"),
    ],
)
def test_chinese_wording_means_a_standard_code(printed: str, code: str, timing: str) -> None:
    rng = random.Random(9)
    found = {u.printed: u for u in (phrasebook.chinese(rng) for _ in range(4000))}
    assert (found[printed].code, found[printed].timing) == (code, timing)
    assert found["每週一三五"].weekdays == (1, 3, 5) and found["一日三次"].code == "TID"


def _imports(path: Path) -> set[str]:
    names: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            names |= {a.name for a in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module:
            names |= {node.module} | {f"{node.module}.{a.name}" for a in node.names}
    return names


def test_generator_borrows_no_extractor_grammar() -> None:
    files = sorted(EVALUATION.rglob("*.py"))
    assert len(files) > 10
    for path in files:
        if path.name == "real.py":  # scores real documents; it generates nothing
            continue
        banned = FORBIDDEN + (() if path.name in MATCHING_TOOLS else CATALOG_MATCHING)
        assert not [n for n in _imports(path) if n.startswith(banned)], path


def _record(truth: Truth, frequency: str | None = None) -> AnalysisResult:
    meds = [
        Medication(
            matched_drug_id=m.product_id, dose_quantity=m.dose,
            frequency_count_code=frequency or m.frequency_code,
            frequency_timing_code=m.timing_code, total_quantity=m.total, days=m.days,
            frequency=FrequencyOut(code=m.frequency_code, per_day=m.per_day, weekdays=m.weekdays, prn=m.prn),
        )
        for m in truth.medications
    ]  # fmt: skip
    return AnalysisResult(
        clinic_name=truth.clinic_name, doctor_name=truth.doctor_name, visit_date=truth.visit_date,
        days_supply=truth.days_supply, medications=meds,
    )  # fmt: skip


def test_scorer_counts_per_family(generated: list[Truth]) -> None:
    scorer = Scorer()
    for n, truth in enumerate(generated):
        scorer.score(f"{n}", truth, _record(truth, "XYZ" if truth.layout == "zh_en_grid" else None))
    assert set(FAMILIES) <= set(scorer.columns()) and scorer.columns()[-1] == "all"
    assert scorer.tallies["clinic_bag"].rate("all_fields") == 1.0
    assert scorer.tallies["zh_en_grid"].rate("frequency") == 0.0
    assert scorer.tallies["zh_en_grid"].rate("frequency_canonical") == 1.0
    assert scorer.worst(1)[0][0] == "zh_en_grid:frequency"
    assert "| frequency_canonical |" in scorer.table()


def test_plumbing_on_one_photo_per_family(reader: Services, bundle: Bundle, tmp_path: Path) -> None:
    """The real pipeline reads generated photos end to end; accuracy is measured by `rxlens eval run`."""
    generate(bundle.products, tmp_path, count=len(FAMILIES), seed=4242, damaged_share=0.0)
    scorer, latencies = asyncio.run(evaluate(tmp_path, reader))
    print("\n" + scorer.table() + "\n" + latency_line(latencies))
    assert len(latencies) == len(FAMILIES) and set(FAMILIES) <= set(scorer.columns())
    assert scorer.tallies["all"].total["drug"] >= len(FAMILIES)
