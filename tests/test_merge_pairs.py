"""benchmarks/merge_pairs.py scores real linking of real Daily Papers records (#5)."""

import importlib.util
import json
from collections import Counter
from types import ModuleType

import pytest

from tests.conftest import ROOT, SHARED


def benchmark() -> ModuleType:
    path = ROOT / "benchmarks" / "merge_pairs.py"
    spec = importlib.util.spec_from_file_location("merge_pairs", path)
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_test_set_is_well_formed() -> None:
    rows = [json.loads(line) for line in (ROOT / "benchmarks/data/merge_pairs.jsonl").open()]
    assert [r["id"] for r in rows] == list(range(len(rows)))
    labels = Counter(r["label"] for r in rows)
    assert set(labels) == {"same", "variant", "different", "not-a-name"}
    assert labels["same"] >= 150 and labels["different"] >= 100 and labels["variant"] >= 20
    # Ids and names only: no abstract text from the unlicensed records.
    assert max(len(r[side]["surface"]) for r in rows for side in "ab") < 80


@pytest.mark.skipif(
    not (SHARED / "corpus" / "hf-daily-papers").is_dir(), reason="../shared/data not present"
)
def test_scores_a_slice_of_the_real_corpus(full_nlp) -> None:  # type: ignore[no-untyped-def]
    bench = benchmark()
    pairs = bench.load_pairs()[:30]
    papers = bench.read_corpus(only={p for pair in pairs for p in (pair.a[0], pair.b[0])})
    assert len(papers) >= 30
    result = bench.score(pairs, bench.build_graph(papers, full_nlp))

    assert result["pairs"] == 30 and result["found_both"] >= 20
    merges, variants = result["merges"], result["variants"]
    assert merges.support == sum(p.label == "same" for p in pairs)
    assert variants.support == sum(p.label == "variant" for p in pairs)
    assert 0 < merges.tp <= merges.predicted and merges.precision >= 0.9
    assert merges.recall == merges.tp / merges.support
    # The first pair: "aerial laser scanning (ALS)" defined in one record is one entity.
    (record,) = [p for p in papers if p.arxiv_id == pairs[0].a[0]]
    resolver = bench.Resolver(bench.build_graph([record], full_nlp))
    assert resolver.entity(*pairs[0].a) == resolver.entity(*pairs[0].b) is not None
    errors = {pair.id for _, _, pair, _, _ in result["errors"]}
    assert pairs[0].id not in errors
