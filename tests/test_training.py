"""Training data for kg's tagger: GSAP-NER paragraphs as training docs, and the tagger's
MODEL label reaching kg's types."""

import importlib.util
import json
import sys
from collections import Counter
from pathlib import Path
from types import ModuleType

import pytest
import spacy

from kg.evaluate.splits import load_gsap_split
from kg.models import EntityType

ROOT = Path(__file__).resolve().parents[1]


def load_training_module(name: str) -> ModuleType:
    """Import ``training/<name>.py`` (the folder is scripts, not a package)."""
    spec = importlib.util.spec_from_file_location(
        f"training_{name}", ROOT / "training" / f"{name}.py"
    )
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module


def publication(part: str) -> str:
    """One publication id of a GSAP-NER part of kg's split."""
    return next(p for p, where in sorted(load_gsap_split().items()) if where == part)


def paragraph(pub: str, unit: int, text: str, entities: list, generic: list) -> str:
    record = {
        "id": f"{pub}|text_unit_{unit}",
        "publication": pub,
        "text": text,
        "entities": [{"start": s, "end": e, "type": t} for s, e, t in entities],
        "generic": [{"start": s, "end": e, "type": t} for s, e, t in generic],
    }
    return json.dumps(record)


# Invented text in GSAP-NER's format (none of the corpus's text is in the repository).
TEXT = "We fine-tune Zorb-7B on FooQA for answer ranking with our Zorb-based model [3]."
#       0         1         2         3         4         5         6         7
#       0123456789012345678901234567890123456789012345678901234567890123456789012345678
ENTITIES = [(13, 20, "MLModel"), (24, 29, "Dataset"), (34, 48, "Task"), (75, 78, "ReferenceLink")]
GENERIC = [(54, 74, "MLModelGeneric")]


@pytest.fixture(scope="module")
def convert() -> ModuleType:
    return load_training_module("convert")


@pytest.fixture
def gsap_file(tmp_path: Path) -> Path:
    path = tmp_path / "paragraphs.jsonl"
    lines = [
        paragraph(publication(part), 0, TEXT, ENTITIES, GENERIC)
        for part in ("train", "dev", "held-out")
    ]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def test_gsap_types_become_labels_and_unannotated_types_stay_unknown(
    convert: ModuleType, gsap_file: Path
) -> None:
    stats: Counter[str] = Counter()
    (doc,) = convert.gsap_docs(spacy.blank("en"), gsap_file, stats, part="train")
    assert [(ent.text, ent.label_) for ent in doc.ents] == [
        ("Zorb-7B", "MODEL"),
        ("FooQA", "DATASET"),
        ("answer ranking", "TASK"),
    ]
    iob = {token.text: token.ent_iob_ for token in doc}
    # The reference link and the generic mention are unknown: not taught as O.
    assert iob["3"] == "" and iob["Zorb"] == "" and iob["based"] == ""
    # The rest of the paragraph is fully annotated: outside.
    assert iob["We"] == "O" and iob["with"] == "O" and iob["."] == "O"
    assert stats["gsap.train.docs"] == 1 and stats["gsap.train.spans_kept"] == 3


def test_gsap_generic_mentions_can_be_outside(convert: ModuleType, gsap_file: Path) -> None:
    (doc,) = convert.gsap_docs(
        spacy.blank("en"), gsap_file, Counter(), part="dev", generic="outside"
    )
    iob = {token.text: token.ent_iob_ for token in doc}
    assert iob["Zorb"] == "O" and iob["3"] == ""


def test_gsap_held_out_publications_are_never_read_for_training(
    convert: ModuleType, gsap_file: Path
) -> None:
    nlp = spacy.blank("en")
    train = list(convert.gsap_docs(nlp, gsap_file, Counter(), part="train"))
    dev = list(convert.gsap_docs(nlp, gsap_file, Counter(), part="dev"))
    assert len(train) == len(dev) == 1
    with pytest.raises(ValueError, match="held-out"):
        list(convert.gsap_docs(nlp, gsap_file, Counter(), part="held-out"))


def test_the_taggers_model_label_is_kgs_model_type() -> None:
    from kg.extract.pipeline import _model_pieces

    pieces = _model_pieces(TEXT, [(13, 20, "MODEL"), (24, 29, "DATASET")])
    assert [piece[:3] for piece in pieces] == [
        (13, 20, EntityType.MODEL),
        (24, 29, EntityType.DATASET),
    ]


def test_the_shipped_tagger_knows_models() -> None:
    from kg.extract.pipeline import NER_PATH

    if not NER_PATH.joinpath("meta.json").is_file():
        pytest.skip("no trained NER model shipped in kg/data/ner (run training/train.sh)")
    import kg.extract  # noqa: F401  (registers kg_ner)

    nlp = spacy.load(str(NER_PATH))
    assert set(nlp.get_pipe("kg_ner").labels) == {"DATASET", "METHOD", "METRIC", "MODEL", "TASK"}


def test_gsap_metric_names_can_be_unknown(convert: ModuleType, tmp_path: Path) -> None:
    path = tmp_path / "paragraphs.jsonl"
    text = "Zorb-7B reaches 91% accuracy and a BLEU of 30."
    path.write_text(paragraph(publication("train"), 0, text, [(0, 7, "MLModel")], []) + "\n")
    nlp = spacy.blank("en")
    (outside,) = convert.gsap_docs(nlp, path, Counter(), part="train")
    (unknown,) = convert.gsap_docs(nlp, path, Counter(), part="train", metrics="missing")
    assert {t.text: t.ent_iob_ for t in outside}["accuracy"] == "O"
    iob = {t.text: t.ent_iob_ for t in unknown}
    assert iob["accuracy"] == iob["BLEU"] == "" and iob["reaches"] == "O"
    assert [ent.label_ for ent in unknown.ents] == ["MODEL"]


def test_catalog_models_in_scierc_style_docs_become_models(convert: ModuleType) -> None:
    stats: Counter[str] = Counter()
    doc = convert.to_doc(
        spacy.blank("en"),
        ["We", "fine-tune", "BERT", "with", "dropout", "."],
        [(2, 3, "METHOD"), (4, 5, "METHOD")],
        stats,
        source="x",
    )
    doc = convert.relabel_models(doc, convert.catalog_models(), stats)
    assert [(ent.text, ent.label_) for ent in doc.ents] == [
        ("BERT", "MODEL"),
        ("dropout", "METHOD"),
    ]
    assert stats["relabelled_models"] == 1


def test_gsap_datasets_can_take_a_following_generic_head(
    convert: ModuleType, tmp_path: Path
) -> None:
    path = tmp_path / "paragraphs.jsonl"
    text = "We use the FooQA dataset, the Bar data set and BazQA for Zorb-7B training."
    entities = [(11, 16, "Dataset"), (30, 33, "Dataset"), (47, 52, "Dataset"), (57, 64, "MLModel")]
    path.write_text(paragraph(publication("train"), 0, text, entities, []) + "\n")
    nlp = spacy.blank("en")
    (plain,) = convert.gsap_docs(nlp, path, Counter(), part="train")
    (headed,) = convert.gsap_docs(nlp, path, Counter(), part="train", heads=True)
    assert [ent.text for ent in plain.ents] == ["FooQA", "Bar", "BazQA", "Zorb-7B"]
    assert [ent.text for ent in headed.ents] == [
        "FooQA dataset",
        "Bar data set",
        "BazQA",
        "Zorb-7B",
    ]


def test_gsap_dataset_lists_sharing_a_head_can_be_one_span(
    convert: ModuleType, tmp_path: Path
) -> None:
    # Invented text: a list that shares "datasets" (one span in the dataset-mention
    # sentences, and kept whole by kg's pipeline) and one that does not.
    path = tmp_path / "paragraphs.jsonl"
    text = "On FooQA, BarQA and the Baz datasets, and on QuxQA and Zorb-7B we win."
    #       0123456789012345678901234567890123456789012345678901234567890123456789
    entities = [
        (3, 8, "Dataset"),
        (10, 15, "Dataset"),
        (24, 27, "Dataset"),
        (44, 49, "Dataset"),
        (54, 61, "MLModel"),
    ]
    path.write_text(paragraph(publication("train"), 0, text, entities, []) + "\n")
    nlp = spacy.blank("en")
    stats: Counter[str] = Counter()
    (headed,) = convert.gsap_docs(nlp, path, Counter(), part="train", heads=True)
    (joined,) = convert.gsap_docs(nlp, path, stats, part="train", heads=True, head_lists=True)
    assert [ent.text for ent in headed.ents] == [
        "FooQA",
        "BarQA",
        "Baz datasets",
        "QuxQA",
        "Zorb-7B",
    ]
    assert [(ent.text, ent.label_) for ent in joined.ents] == [
        ("FooQA, BarQA and the Baz datasets", "DATASET"),
        ("QuxQA", "DATASET"),
        ("Zorb-7B", "MODEL"),
    ]
    assert stats["gsap.train.dataset_head_lists"] == 1


def test_gsap_datasources_can_be_left_unknown(convert: ModuleType, tmp_path: Path) -> None:
    path = tmp_path / "paragraphs.jsonl"
    text = "We crawl FooTube posts into FooQA."
    #       0123456789012345678901234567890123
    entities = [(9, 16, "Datasource"), (28, 33, "Dataset")]
    path.write_text(paragraph(publication("train"), 0, text, entities, []) + "\n")
    nlp = spacy.blank("en")
    (plain,) = convert.gsap_docs(nlp, path, Counter(), part="train")
    (unknown,) = convert.gsap_docs(nlp, path, Counter(), part="train", datasources="missing")
    assert [ent.text for ent in plain.ents] == ["FooTube", "FooQA"]
    assert [ent.text for ent in unknown.ents] == ["FooQA"]
    # FooTube's token is unknown (missing), the other tokens outside.
    assert [t.ent_iob_ for t in unknown] == ["O", "O", "", "O", "O", "B", "O"]
