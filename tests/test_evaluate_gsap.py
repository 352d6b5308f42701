"""kg eval on GSAP-NER: the reader, the split by publication, abstracts only, the model row
and the models+datasets group. The tiny files here are made up; only the publication ids are
GSAP-NER's. The real corpus has no licence, so it is read from ../shared and never copied."""

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from kg.cli import cli
from kg.errors import InputError
from kg.evaluate.gold import GoldDocument, Span, detect_format, read_gold
from kg.evaluate.scoring import Score, evaluate, predicted_spans, score_spans
from kg.evaluate.splits import GSAP_PARTS, gsap_part, gsap_split, load_gsap_split
from kg.extract import PaperExtraction
from kg.models import EntityType, Mention, Paper

from .conftest import SHARED

GSAP = SHARED / "gold" / "gsap-ner" / "paragraphs.jsonl"
needs_gsap = pytest.mark.skipif(
    not GSAP.exists(), reason=f"GSAP-NER gold not found at {GSAP} (a checkout outside /work)"
)
# One publication of each part of the committed split.
TRAIN, DEV, HELD_OUT = "00001_1911_02116", "00007_1910_01108", "00006_1907_11692"
BODY = "A body paragraph on Atari."
TEXT = "We fine-tune BERT on SQuAD for question answering with LoRA, see [3] and http://x.org."


def entity(word: str, type_: str, text: str = TEXT) -> dict[str, object]:
    start = text.index(word)
    return {"start": start, "end": start + len(word), "type": type_}


def paragraph(publication: str, unit: int, text: str = TEXT, **fields: object) -> dict[str, object]:
    return {
        "id": f"{publication}|text_unit_{unit}",
        "publication": publication,
        "text": text,
        "entities": fields.get("entities", []),
        "generic": fields.get("generic", []),
    }


ANNOTATED = paragraph(
    DEV,
    0,
    entities=[
        entity("BERT", "MLModel"),
        entity("SQuAD", "Dataset"),
        entity("question answering", "Task"),
        entity("LoRA", "Method"),
        entity("[3]", "ReferenceLink"),
        entity("http://x.org", "URL"),
    ],
    generic=[entity("fine-tune", "MLModelGeneric")],
)
SPLIT_FILE = [
    ANNOTATED,
    paragraph(DEV, 1, BODY, entities=[entity("Atari", "Datasource", BODY)]),
    paragraph(TRAIN, 0, "Train abstract."),
    paragraph(HELD_OUT, 0, "Held-out abstract."),
]  # fmt: skip


def write(tmp_path: Path, *records: object) -> Path:
    path = tmp_path / "paragraphs.jsonl"
    path.write_text("".join(json.dumps(r) + "\n" for r in records), encoding="utf-8")
    return path


# --- the reader -------------------------------------------------------------------------------


def test_types_are_mapped_and_links_urls_and_generic_mentions_dropped(tmp_path: Path) -> None:
    gold = read_gold(write(tmp_path, ANNOTATED))
    assert (gold.format, gold.split, gold.level) == ("gsap-ner", "dev", "span")
    assert gold.labels == ("dataset", "method", "model", "task")
    [doc] = gold.documents
    assert doc == GoldDocument(
        f"{DEV}|text_unit_0",
        TEXT,
        (Span(13, 17, "model"), Span(21, 26, "dataset"),
         Span(31, 49, "task"), Span(55, 59, "method")),
        line=1,
        section="abstract",
        publication=DEV,
    )  # fmt: skip


@pytest.mark.parametrize(
    ("type_", "label"),
    [("MLModel", "model"), ("ModelArchitecture", "method"), ("Method", "method"),
     ("Dataset", "dataset"), ("Datasource", "dataset"), ("Task", "task")],
)  # fmt: skip
def test_each_gsap_type_has_its_label(tmp_path: Path, type_: str, label: str) -> None:
    record = paragraph(DEV, 0, entities=[entity("BERT", type_)])
    assert read_gold(write(tmp_path, record)).documents[0].spans == (Span(13, 17, label),)


def test_gsap_lines_are_told_from_kg_jsonl(tmp_path: Path) -> None:
    # A GSAP record has kg jsonl's keys (text, entities) too: its own signature must win.
    assert detect_format(json.dumps(ANNOTATED), source="paragraphs.jsonl") == "gsap-ner"


def test_unknown_gsap_type_names_the_line(tmp_path: Path) -> None:
    bad = paragraph(DEV, 3, entities=[entity("BERT", "Metric")])
    errors: list[InputError] = []
    gold = read_gold(write(tmp_path, ANNOTATED, bad), errors=errors)
    assert [d.id for d in gold.documents] == [f"{DEV}|text_unit_0"]
    assert [str(e) for e in errors] == [
        f"{tmp_path / 'paragraphs.jsonl'}:2: bad GSAP-NER record: unknown entity type 'Metric'"
    ]


# --- the split by publication and abstracts only ----------------------------------------------


@pytest.mark.parametrize(
    ("split", "ids"),
    [
        (None, [f"{DEV}|text_unit_0", f"{DEV}|text_unit_1"]),  # dev by default
        ("dev", [f"{DEV}|text_unit_0", f"{DEV}|text_unit_1"]),
        ("train", [f"{TRAIN}|text_unit_0"]),
        ("held-out", [f"{HELD_OUT}|text_unit_0"]),
        ("all", [f"{p}|text_unit_{n}" for p, n in ((DEV, 0), (DEV, 1), (TRAIN, 0), (HELD_OUT, 0))]),
    ],
)
def test_split_keeps_whole_publications(tmp_path: Path, split: str | None, ids: list[str]) -> None:
    assert [d.id for d in read_gold(write(tmp_path, *SPLIT_FILE), split=split).documents] == ids


def test_abstracts_only_keeps_text_unit_0(tmp_path: Path) -> None:
    gold = read_gold(write(tmp_path, *SPLIT_FILE), split="all", abstracts_only=True)
    assert gold.abstracts_only
    assert [d.id for d in gold.documents] == [f"{p}|text_unit_0" for p in (DEV, TRAIN, HELD_OUT)]
    assert read_gold(write(tmp_path, *SPLIT_FILE)).documents[1].section == "body"


def test_a_publication_outside_the_split_is_refused_unless_all(tmp_path: Path) -> None:
    path = write(tmp_path, paragraph("99999_0000_00000", 0))
    with pytest.raises(InputError, match=r"paragraphs\.jsonl:1: publication '99999_0000_00000' is"):
        read_gold(path, split="train")
    assert len(read_gold(path, split="all").documents) == 1


@pytest.mark.parametrize(
    ("name", "text", "options", "message"),
    [
        ("g.jsonl", '{"id": "1", "text": "A.", "entities": []}\n', {"split": "dev"},
         "--split dev applies to gsap-ner gold only"),
        ("g.jsonl", '{"id": "1", "text": "A.", "entities": []}\n', {"abstracts_only": True},
         "--abstracts-only applies to gsap-ner gold"),
    ],
)  # fmt: skip
def test_gsap_only_options_are_refused_elsewhere(
    tmp_path: Path, name: str, text: str, options: dict[str, object], message: str
) -> None:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    with pytest.raises(InputError, match=message):
        read_gold(path, **options)  # type: ignore[arg-type]


def test_split_rule_ranks_by_hash_and_sizes_the_parts() -> None:
    ids = [f"p{i}" for i in range(25)]
    parts = gsap_split(ids)
    assert [len(parts[p]) for p in GSAP_PARTS] == [10, 10, 5]
    assert sorted(p for part in parts.values() for p in part) == sorted(ids)
    assert gsap_split(reversed(ids)) == parts  # input order does not matter


def test_committed_split_has_fifty_publications_in_three_parts() -> None:
    split = load_gsap_split()
    assert len(split) == 50
    assert [sum(1 for p in split.values() if p == part) for part in GSAP_PARTS] == [10, 10, 30]
    assert (gsap_part(TRAIN), gsap_part(DEV), gsap_part(HELD_OUT)) == ("train", "dev", "held-out")


# --- scoring ----------------------------------------------------------------------------------


def test_models_and_datasets_are_summed_into_a_group_row() -> None:
    gold = [Span(0, 4, "model"), Span(5, 9, "dataset"), Span(10, 14, "method")]
    predicted = [Span(0, 4, "model"), Span(5, 8, "dataset"), Span(10, 14, "method")]
    exact = score_spans([(gold, predicted)], ["dataset", "method", "model"])["exact"]
    assert exact == {
        "dataset": Score(0, 1, 1),
        "method": Score(1, 1, 1),
        "model": Score(1, 1, 1),
        "micro": Score(2, 3, 3),
        "models+datasets": Score(1, 2, 2),
    }


def test_no_group_row_without_all_its_labels() -> None:
    scores = score_spans([([Span(0, 4, "dataset")], [])], ["dataset", "method"])
    assert list(scores["exact"]) == ["dataset", "method", "micro"]


def mention(type_: EntityType, start: int, end: int) -> Mention:
    return Mention("p", TEXT[start:end], type_, TEXT[start:end], start, end, TEXT)


@pytest.mark.parametrize(
    ("labels", "expected"),
    [
        # SciERC has no model label: models count as methods.
        (("dataset", "method", "task"), {Span(13, 17, "method"), Span(55, 59, "method")}),
        # GSAP-NER has one: a Model is scored as a model, not a method.
        (("dataset", "method", "model", "task"), {Span(13, 17, "model"), Span(55, 59, "method")}),
    ],
)
def test_a_model_counts_as_a_model_when_gold_has_models(
    labels: tuple[str, ...], expected: set[Span]
) -> None:
    paper = Paper(id="p", title="", abstract=TEXT, source="s", line=1)
    found = [mention(EntityType.MODEL, 13, 17), mention(EntityType.METHOD, 55, 59)]
    assert predicted_spans(PaperExtraction(paper, found, []), labels) == expected


def test_kg_finds_a_known_model_as_a_gsap_model(tmp_path: Path, nlp) -> None:  # type: ignore[no-untyped-def]
    record = paragraph(
        DEV, 0, "We fine-tune BERT.", entities=[entity("BERT", "MLModel", "We fine-tune BERT.")]
    )
    report = evaluate(nlp, read_gold(write(tmp_path, record)))
    assert report.scores["exact"]["model"] == Score(1, 1, 1)
    assert report.scores["exact"]["models+datasets"] == Score(1, 1, 1)  # fmt: skip


# --- the CLI ----------------------------------------------------------------------------------


def test_cli_prints_the_group_row_and_says_abstracts_only(tmp_path: Path) -> None:
    path = write(tmp_path, *SPLIT_FILE)
    result = CliRunner().invoke(cli, ["eval", str(path), "--abstracts-only", "--json"])
    assert result.exit_code == 0, result.output
    record = json.loads(result.stdout)
    assert (record["split"], record["abstracts_only"], record["documents"]) == ("dev", True, 1)
    for match in ("exact", "overlap"):
        assert list(record["scores"][match]) == [
            "dataset", "method", "model", "task", "micro", "models+datasets"
        ]  # fmt: skip
    assert record["scores"]["exact"]["models+datasets"]["support"] == 2
    assert result.stderr == (
        f"Scored 1 documents from {path} (format gsap-ner, split dev, abstracts only).\n"
    )


def test_cli_refuses_abstracts_only_for_scierc(tmp_path: Path) -> None:
    path = tmp_path / "dev.json"
    path.write_text('{"doc_key": "a", "sentences": [["A"]], "ner": [[]]}\n', encoding="utf-8")
    result = CliRunner().invoke(cli, ["eval", str(path), "--abstracts-only"])
    assert result.exit_code == 1
    assert "--abstracts-only applies to gsap-ner gold" in result.stderr


# --- the real corpus ---------------------------------------------------------------------------


@needs_gsap
def test_real_gsap_reads_whole_and_matches_the_committed_split() -> None:
    gold = read_gold(GSAP, split="all", errors=(errors := []))
    assert errors == [] and len(gold.documents) == 3409
    publications = {d.publication for d in gold.documents}
    assert len(publications) == 50
    parts = gsap_split(publications)
    assert {p: part for part in GSAP_PARTS for p in parts[part]} == load_gsap_split()
    # One abstract per publication, but two train publications come without theirs.
    abstracts = [d.publication for d in gold.documents if d.section == "abstract"]
    assert len(abstracts) == len(set(abstracts)) == 48
    assert {gsap_part(p) for p in publications - set(abstracts)} == {"train"}
    for doc in gold.documents:
        assert all(doc.text[s.start : s.end].strip() for s in doc.spans), doc.id


@needs_gsap
def test_real_gsap_parts_partition_the_paragraphs() -> None:
    sizes = {split: len(read_gold(GSAP, split=split).documents) for split in GSAP_PARTS}
    assert sum(sizes.values()) == 3409 and all(n > 200 for n in sizes.values()), sizes
    dev = read_gold(GSAP, split="dev", abstracts_only=True)
    assert len(dev.documents) == 10
