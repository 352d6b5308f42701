"""kg's entity tagger: CRF arithmetic, the fast decoder and feature sums, training, saving."""

import random
from pathlib import Path

import numpy as np
import pytest
import spacy
from spacy.tokens import Doc, Span
from spacy.training import Example
from thinc.api import Adam

from kg.errors import ModelError
from kg.extract.crf import Tagset, crf_gradients, viterbi
from kg.extract.features import emissions, featurize
from kg.extract.pipeline import Candidate, _add_model_spans
from kg.extract.tagger import EntityTagger
from kg.models import EntityType

RNG = np.random.default_rng(7)
DATASET, TASK = EntityType.DATASET, EntityType.TASK


def random_scores(tags: Tagset) -> tuple[np.ndarray, ...]:
    k, labels = len(tags), len(tags.labels)
    return tuple(RNG.normal(size=shape).astype(np.float32) for shape in [k, k, (labels, 4), k, k])


def naive_viterbi(
    em: np.ndarray, full: np.ndarray, first: np.ndarray, last: np.ndarray
) -> list[int]:
    """Textbook Viterbi over the full transition matrix."""
    if not len(em):
        return []
    score, back = first + em[0], []
    for t in range(1, len(em)):
        step = score[:, None] + full
        back.append(step.argmax(axis=0))
        score = step.max(axis=0) + em[t]
    best = [int((score + last).argmax())]
    for pointers in reversed(back):
        best.append(int(pointers[best[-1]]))
    return best[::-1]


def test_fast_viterbi_equals_textbook_viterbi_on_random_batches() -> None:
    tags = Tagset(["A", "B", "C"])
    for _ in range(100):
        leave, enter, inner, first, last = random_scores(tags)
        lengths = RNG.integers(0, 15, size=RNG.integers(1, 9))
        ems = [(RNG.normal(size=(n, len(tags))) * 2).astype(np.float32) for n in lengths]
        got = viterbi(ems, tags, (leave, enter, inner, first, last))
        full = tags.transitions(leave, enter, inner)
        for em, path in zip(ems, got, strict=True):
            expected = naive_viterbi(
                em.astype(np.float64), full, first + tags.first_mask, last + tags.last_mask
            )
            assert path.tolist() == expected


def test_decoded_tags_always_spell_whole_entities() -> None:
    tags = Tagset(["A", "B"])
    scores = random_scores(tags)
    ems = [(RNG.normal(size=(40, len(tags))) * 5).astype(np.float32) for _ in range(20)]
    for path in viterbi(ems, tags, scores):
        names = [tags.names[i] for i in path]
        open_label = None
        for name in names:
            if name[0] in "IL":
                assert open_label == name[2:], names
            else:
                assert open_label is None, names
            open_label = name[2:] if name[0] in "BI" else None
        assert open_label is None


def test_crf_gradients_match_finite_differences_with_partial_labels() -> None:
    tags = Tagset(["A", "B"])
    ems = [RNG.normal(size=(n, len(tags))) for n in (5, 3, 7)]
    gold = [np.array([0, 1, 3, 0, 4]), np.array([-1, -1, 0]), np.array([5, -1, -1, 7, 0, -1, -1])]
    trans = tags.transitions(*random_scores(tags)[:3])
    first, last = RNG.normal(size=len(tags)), RNG.normal(size=len(tags))
    first, last = first + tags.first_mask, last + tags.last_mask

    def loss(ems: list[np.ndarray], trans: np.ndarray, first: np.ndarray) -> float:
        return crf_gradients(ems, gold, trans, first, last)[0]

    base, d_em, d_trans, d_first, _ = crf_gradients(ems, gold, trans, first, last)
    assert base > 0
    eps = 1e-6
    for doc, (i, j) in [(0, (1, 2)), (1, (0, 0)), (2, (3, 7))]:
        moved = [e.copy() for e in ems]
        moved[doc][i, j] += eps
        assert (loss(moved, trans, first) - base) / eps == pytest.approx(d_em[doc][i, j], abs=1e-4)
    moved_trans = trans.copy()
    moved_trans[0, 1] += eps
    assert (loss(ems, moved_trans, first) - base) / eps == pytest.approx(d_trans[0, 1], abs=1e-4)
    moved_first = first.copy()
    moved_first[1] += eps
    assert (loss(ems, trans, moved_first) - base) / eps == pytest.approx(d_first[1], abs=1e-4)


def test_unknown_tags_everywhere_cost_nothing_and_impossible_gold_is_skipped() -> None:
    tags = Tagset(["A"])
    trans = tags.transitions(np.zeros(5), np.zeros(5), np.zeros((1, 4)))
    em = [RNG.normal(size=(4, 5))]
    loss, d_em, *_ = crf_gradients(em, [np.full(4, -1)], trans, tags.first_mask, tags.last_mask)
    assert loss == pytest.approx(0.0, abs=1e-9) and np.abs(d_em[0]).max() < 1e-9
    # I-A right after O can't happen: the doc teaches nothing instead of a huge loss.
    impossible = [np.array([0, 2, 3, 0])]
    loss, d_em, *_ = crf_gradients(em, impossible, trans, tags.first_mask, tags.last_mask)
    assert loss == 0.0 and not d_em[0].any()


def test_summed_emissions_equal_the_per_token_features() -> None:
    nlp = spacy.blank("en")
    docs = [nlp(t) for t in ("We fine-tune BERT-Large on SQuAD 2.0 (Rajpurkar et al.).", "", "x")]
    weights = RNG.normal(size=(2**12, 9)).astype(np.float32)
    fast = np.concatenate(emissions(docs, weights))
    slow = weights[featurize(docs, 2**12)].sum(axis=1)
    assert fast.shape == (sum(len(d) for d in docs), 9)
    assert np.allclose(fast, slow, atol=1e-4)


def synthetic_examples(nlp: spacy.Language, n: int, seed: int) -> list[Example]:
    """Sentences where a capitalised word after ``use`` is a METHOD, after ``on`` a DATASET."""
    rng = random.Random(seed)
    examples = []
    for _ in range(n):
        method = rng.choice(["Zorb", "Quix", "Plam", "Trev", "Vosk", "Drel"]) + rng.choice("ABC")
        data = rng.choice(["Mirk", "Savo", "Lune", "Pent", "Kalo"]) + rng.choice(["", "-10"])
        words = ["We", "use", method, "on", data, "today", "."]
        doc = Doc(nlp.vocab, words=words)
        reference = Doc(nlp.vocab, words=words)
        reference.ents = [Span(reference, 2, 3, "METHOD"), Span(reference, 4, 5, "DATASET")]
        examples.append(Example(doc, reference))
    return examples


def test_the_component_learns_from_examples_and_survives_saving(tmp_path: Path) -> None:
    nlp = spacy.blank("en")
    tagger = nlp.add_pipe("kg_ner", config={"model": {"rows_log2": 12}})
    assert isinstance(tagger, EntityTagger)
    train = synthetic_examples(nlp, 60, seed=1)
    nlp.initialize(lambda: train)
    assert tagger.labels == ("DATASET", "METHOD")
    optimizer = Adam(0.05)
    history = []
    for _ in range(10):
        losses: dict[str, float] = {}
        for i in range(0, len(train), 10):
            nlp.update(train[i : i + 10], sgd=optimizer, losses=losses)
        history.append(losses["kg_ner"])
    assert history[-1] < history[0] / 10
    test = synthetic_examples(nlp, 20, seed=2)
    scores = nlp.evaluate(test)
    assert scores["ents_f"] > 0.9
    text = "We use VoskB on Lune-10 today ."
    found = [(e.text, e.label_) for e in nlp(text).ents]
    assert found == [("VoskB", "METHOD"), ("Lune-10", "DATASET")]
    nlp.to_disk(tmp_path / "model")
    assert (tmp_path / "model" / "kg_ner" / "weights.npz").is_file()
    loaded = spacy.load(tmp_path / "model")
    assert [(e.text, e.label_) for e in loaded(text).ents] == found
    assert loaded.evaluate(test)["ents_f"] == pytest.approx(scores["ents_f"], abs=0.05)


def test_a_model_trained_with_other_features_is_refused(tmp_path: Path) -> None:
    nlp = spacy.blank("en")
    nlp.add_pipe("kg_ner", config={"model": {"rows_log2": 10}})
    nlp.initialize(lambda: synthetic_examples(nlp, 5, seed=3))
    nlp.to_disk(tmp_path / "model")
    cfg = tmp_path / "model" / "kg_ner" / "cfg"
    cfg.write_text(cfg.read_text().replace('"templates"', '"templates_old"'), "utf-8")
    with pytest.raises(ModelError, match="trained with other features"):
        spacy.load(tmp_path / "model")


def tagged_then_combined(
    text: str, ents: list[tuple[str, str]], rules: list[Candidate] | None = None
) -> list[tuple[str, str]]:
    """kg's combination of the tagger's spans ``ents`` (phrase, label) and rule spans."""
    doc = spacy.blank("en")(text)
    spans, at = [], 0
    for phrase, label in ents:
        at = text.index(phrase, at)
        spans.append(doc.char_span(at, at + len(phrase), label=label))
        at += len(phrase)
    doc.ents = spans
    found = _add_model_spans(doc, rules or [])
    return [(text[c.start : c.end], c.type.value if c.type else "") for c in found]


def test_a_dataset_list_sharing_a_dataset_head_gives_each_name() -> None:
    # A list the tagger marks whole is cut into its names (each an entity of the graph, the
    # last keeping the head); a list of generic words stays one phrase.
    text = (
        "On FooQA, BarQA and the Baz datasets, the Qux dataset and the Zap corpus, "
        "and the AbcQA and XyzQA benchmarks, and on real and synthetic datasets."
    )
    ents = ["FooQA, BarQA and the Baz datasets", "Qux dataset", "Zap corpus"]
    ents += ["AbcQA and XyzQA benchmarks", "real and synthetic datasets"]
    found = tagged_then_combined(text, [(e, "DATASET") for e in ents])
    assert found == [
        ("FooQA", "Dataset"),
        ("BarQA", "Dataset"),
        ("Baz datasets", "Dataset"),
        ("Qux dataset", "Dataset"),
        ("Zap corpus", "Dataset"),
        ("AbcQA", "Dataset"),
        ("XyzQA", "Dataset"),
        ("real and synthetic datasets", "Dataset"),
    ]


def test_a_catalog_dataset_the_tagger_calls_a_method_stays_a_dataset() -> None:
    text = "We fine-tune Zorb on FooQA and BarQA with dropout."
    rules = [
        Candidate(
            text.index("FooQA"), text.index("FooQA") + 5, "catalog", DATASET, "FooQA", weight=3
        ),
        Candidate(
            text.index("dropout"), text.index("dropout") + 7, "catalog", TASK, "dropout", weight=3
        ),
    ]
    ents = [("Zorb", "MODEL"), ("FooQA", "METHOD"), ("BarQA", "METHOD"), ("dropout", "METHOD")]
    assert tagged_then_combined(text, ents, rules) == [
        ("Zorb", "Model"),
        ("FooQA", "Dataset"),  # the catalog's type
        ("BarQA", "Method"),  # no rule: the tagger's
        ("dropout", "Method"),  # a catalog task: the tagger's coarse type still wins
    ]
