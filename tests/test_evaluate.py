"""kg eval: scoring arithmetic, the gold readers (tiny files and the real shared data), the CLI."""

import json
import time
from pathlib import Path

import pytest
from click.testing import CliRunner

from kg.cli import cli
from kg.errors import InputError
from kg.evaluate.conventions import dataset_mention_spans
from kg.evaluate.gold import GoldDocument, Span, detect_format, read_gold
from kg.evaluate.scoring import LABEL_OF_TYPE, Score, evaluate, score_names, score_spans
from kg.evaluate.splits import is_held_out
from kg.extract import extract
from kg.models import EntityType, Paper
from kg.names import name_key

from .conftest import SHARED

GOLD = SHARED / "gold"
needs_shared = pytest.mark.skipif(
    not GOLD.exists(), reason=f"shared gold data not found at {GOLD} (a checkout outside /work)"
)

SCIERC_RECORD = {
    "doc_key": "X_1_abs",
    "sentences": [
        ["We", "train", "a", "-LRB-", "CNN", "-RRB-", "."],
        ["It", "beats", "BLEU", "on", "WMT", "."],
    ],
    "ner": [
        [[0, 0, "Generic"], [3, 5, "Method"]],
        [[9, 9, "Metric"], [11, 11, "Material"], [11, 11, "OtherScientificTerm"]],
    ],
    "relations": [[], []],
}
CSV_TEXT = (
    ",id,text,labels,datasets,conference\n"
    "0,11,We use MNIST and SVHN.,\"[[7, 12, 'Dataset'], [17, 21, 'Datatset']]\",['MNIST'],NIPS\n"
    '1,12,"A generic phrase, real-world datasets.","[[17, 37, \'Geen Dataset\']]",[],NIPS\n'
    "2,13,No labels at all.,[],[],SIGIR\n"
)


def write(path: Path, text: str) -> Path:
    path.write_text(text, encoding="utf-8")
    return path


def jsonl(*records: object) -> str:
    return "".join(json.dumps(r) + "\n" for r in records)


def spans(*items: tuple[int, int, str]) -> list[Span]:
    return [Span(*item) for item in items]


# --- scoring ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("gold", "predicted", "exact_tp", "overlap_tp"),
    [
        # identical span
        (spans((0, 5, "method")), spans((0, 5, "method")), 1, 1),
        # shorter prediction: overlap only
        (spans((0, 5, "method")), spans((0, 4, "method")), 0, 1),
        # touching, not overlapping (end is exclusive)
        (spans((0, 5, "method")), spans((5, 9, "method")), 0, 0),
        # overlap needs the same label
        (spans((0, 5, "method")), spans((0, 5, "task")), 0, 0),
        # one prediction over two gold spans matches one of them
        (spans((0, 3, "method"), (4, 8, "method")), spans((0, 8, "method")), 0, 1),
        # two predictions inside one gold span: one match
        (spans((0, 8, "method")), spans((0, 3, "method"), (4, 8, "method")), 0, 1),
        # greedy would pair (0,5) with (0,10) and leave (6,10) unmatched; the best pairing has 2
        (
            spans((0, 5, "method"), (6, 10, "method")),
            spans((0, 10, "method"), (0, 3, "method")),
            0,
            2,
        ),
    ],
)
def test_exact_and_overlap_matches(
    gold: list[Span], predicted: list[Span], exact_tp: int, overlap_tp: int
) -> None:
    scores = score_spans([(gold, predicted)], ["method", "task"])
    assert scores["exact"]["micro"].tp == exact_tp
    assert scores["overlap"]["micro"].tp == overlap_tp


def test_counts_add_up_per_label_and_micro() -> None:
    documents = [
        (spans((0, 5, "method"), (10, 15, "task")), spans((0, 5, "method"), (20, 25, "task"))),
        (spans((0, 4, "task")), spans((0, 2, "task"), (6, 8, "method"))),
    ]
    scores = score_spans(documents, ["method", "task"])
    assert scores["exact"] == {
        "method": Score(tp=1, predicted=2, support=1),
        "task": Score(tp=0, predicted=2, support=2),
        "micro": Score(tp=1, predicted=4, support=3),
    }
    assert scores["overlap"]["task"] == Score(tp=1, predicted=2, support=2)
    assert scores["exact"]["micro"].to_dict() == {
        "precision": 0.25,
        "recall": 0.3333,
        "f1": 0.2857,
        "support": 3,
        "predicted": 4,
        "tp": 1,
    }


def test_labels_outside_the_gold_are_not_scored() -> None:
    scores = score_spans([(spans((0, 5, "dataset")), spans((7, 9, "method")))], ["dataset"])
    assert scores["exact"] == {
        "dataset": Score(tp=0, predicted=0, support=1),
        "micro": Score(tp=0, predicted=0, support=1),
    }


@pytest.mark.parametrize(
    ("gold", "predicted", "expected"),
    [
        ([], [], Score(0, 0, 0)),
        ([], spans((0, 5, "task")), Score(0, 1, 0)),
        (spans((0, 5, "task")), [], Score(0, 0, 1)),
    ],
)
def test_empty_gold_or_predictions_score_zero(
    gold: list[Span], predicted: list[Span], expected: Score
) -> None:
    score = score_spans([(gold, predicted)], ["task"])["overlap"]["task"]
    assert score == expected
    assert (score.precision, score.recall, score.f1) == (0.0, 0.0, 0.0)


def test_a_perfect_predictor_scores_one_through_the_jsonl_reader(tmp_path: Path) -> None:
    path = write(
        tmp_path / "gold.jsonl",
        jsonl(
            {
                "id": "a",
                "text": "PPO on Atari with BLEU.",
                "entities": [
                    {"start": 0, "end": 3, "type": "method"},
                    {"start": 7, "end": 12, "type": "dataset"},
                    {"start": 18, "end": 22, "type": "metric"},
                ],
            },
            {"id": "b", "text": "Nothing here.", "entities": []},
            {
                "id": "c",
                "text": "Meta trains it.",
                "entities": [{"start": 0, "end": 4, "type": "organization"}],
            },
        ),
    )
    gold = read_gold(path)
    scores = score_spans([(d.spans, d.spans) for d in gold.documents], gold.labels)
    assert gold.labels == ("dataset", "method", "metric", "organization")
    for match in ("exact", "overlap"):
        assert {label: (s.precision, s.recall, s.f1) for label, s in scores[match].items()} == {
            label: (1.0, 1.0, 1.0) for label in (*gold.labels, "micro")
        }


def test_paper_level_names_match_by_key_once_each() -> None:
    predicted = [frozenset({"imagenet", "ilsvrc"}), frozenset({"ms coco", "coco"})]
    gold = ["ImageNet", "imagenet", "COCO", "SQuAD"]  # ImageNet twice by key: counted once
    assert score_names([(gold, predicted)])["paper"]["dataset"] == Score(2, 2, 3)
    # One entity answering to two gold names still matches one of them.
    assert score_names([(["A-1", "A 1"], [frozenset({"a 1"})])])["paper"]["dataset"] == Score(
        1, 1, 1
    )


def test_every_entity_type_has_an_eval_label() -> None:
    assert set(LABEL_OF_TYPE) == set(EntityType)
    assert LABEL_OF_TYPE[EntityType.MODEL] == "method"


# --- readers on tiny files -------------------------------------------------------------------


def test_scierc_reader_rebuilds_text_and_character_offsets(tmp_path: Path) -> None:
    gold = read_gold(write(tmp_path / "dev.json", jsonl(SCIERC_RECORD)))
    text = "We train a ( CNN ) . It beats BLEU on WMT ."
    assert (gold.format, gold.split, gold.level) == ("scierc", "all", "span")
    assert gold.labels == ("dataset", "method", "metric", "task")
    assert gold.documents == [
        GoldDocument(
            "X_1_abs",
            text,
            (Span(11, 18, "method"), Span(30, 34, "metric"), Span(38, 41, "dataset")),
            line=1,
        )
    ]
    assert [text[s.start : s.end] for s in gold.documents[0].spans] == ["( CNN )", "BLEU", "WMT"]


def test_dataset_mentions_reader_keeps_datasets_only(tmp_path: Path) -> None:
    gold = read_gold(write(tmp_path / "sentences.csv", CSV_TEXT), split="all")
    assert gold.documents == [
        GoldDocument(
            "11",
            "We use MNIST and SVHN.",
            (Span(7, 12, "dataset"), Span(17, 21, "dataset")),
            line=2,
        ),
        GoldDocument("12", "A generic phrase, real-world datasets.", (), line=3),
        GoldDocument("13", "No labels at all.", (), line=4),
    ]
    assert gold.labels == ("dataset",)


def test_dataset_mentions_default_to_the_held_out_split(tmp_path: Path) -> None:
    path = write(tmp_path / "sentences.csv", CSV_TEXT)
    held_out, train = read_gold(path), read_gold(path, split="train")
    everything = read_gold(path, split="all").documents
    assert held_out.split == "held-out"
    assert held_out.documents == [d for d in everything if is_held_out(d.text)]
    assert train.documents == [d for d in everything if not is_held_out(d.text)]


def test_datafinder_reader_keeps_abstract_and_names(tmp_path: Path) -> None:
    record = {"documents": ["CIFAR-10", "MNIST"], "year": 2017, "abstract": "We test on CIFAR-10."}
    gold = read_gold(write(tmp_path / "test_data.jsonl", jsonl(record)))
    assert (gold.format, gold.level, gold.labels) == ("datafinder", "paper", ("dataset",))
    assert gold.documents == [
        GoldDocument(
            f"{tmp_path / 'test_data.jsonl'}:1",
            "We test on CIFAR-10.",
            names=("CIFAR-10", "MNIST"),
            line=1,
        )
    ]


@pytest.mark.parametrize(
    ("name", "text", "expected"),
    [
        ("x.json", jsonl(SCIERC_RECORD), "scierc"),
        ("x.jsonl", jsonl({"abstract": "A.", "documents": []}), "datafinder"),
        ("x.jsonl", jsonl({"id": "1", "text": "A.", "entities": []}), "jsonl"),
        ("x.csv", CSV_TEXT, "dataset-mentions"),
        ("x.txt", "text,labels\nA.,[]\n", "dataset-mentions"),
        # a malformed first line does not hide the format of the next
        ("x.jsonl", "{oops\n" + jsonl({"id": "1", "text": "A.", "entities": []}), "jsonl"),
    ],
)
def test_format_is_detected_from_extension_and_content(name: str, text: str, expected: str) -> None:
    assert detect_format(text, source=name) == expected


# --- bad input --------------------------------------------------------------------------------


def test_unknown_content_names_the_file(tmp_path: Path) -> None:
    path = write(tmp_path / "notes.txt", "just some notes\n")
    with pytest.raises(InputError, match=r"notes\.txt: cannot tell the gold format"):
        read_gold(path)


def test_unknown_format_name_is_refused(tmp_path: Path) -> None:
    path = write(tmp_path / "g.jsonl", jsonl({"id": "1", "text": "A.", "entities": []}))
    with pytest.raises(InputError, match="unknown gold format 'conll'; choose from scierc"):
        read_gold(path, format="conll")


def test_split_is_refused_for_gold_with_its_own(tmp_path: Path) -> None:
    path = write(tmp_path / "dev.json", jsonl(SCIERC_RECORD))
    with pytest.raises(InputError, match="scierc gold comes with its own split"):
        read_gold(path, split="held-out")


def bad_jsonl(tmp_path: Path) -> Path:
    good = {
        "id": "ok",
        "text": "We use PPO.",
        "entities": [{"start": 7, "end": 10, "type": "method"}],
    }
    beyond = {
        "id": "far",
        "text": "Short.",
        "entities": [{"start": 2, "end": 60, "type": "method"}],
    }
    typo = {"id": "typo", "text": "Short.", "entities": [{"start": 0, "end": 5, "type": "Methd"}]}
    return write(
        tmp_path / "gold.jsonl",
        jsonl(good) + '{"id": "broken", "text": \n' + jsonl(beyond, typo, {**good, "id": "ok2"}),
    )


def test_bad_records_are_reported_with_line_and_the_rest_kept(tmp_path: Path) -> None:
    path = bad_jsonl(tmp_path)
    errors: list[InputError] = []
    gold = read_gold(path, errors=errors)
    assert [d.id for d in gold.documents] == ["ok", "ok2"]
    assert [(e.path, e.line) for e in errors] == [(str(path), 2), (str(path), 3), (str(path), 4)]
    assert errors[0].message.startswith("not valid JSON: ")
    assert errors[1].message == "bad record: span [2, 60) is outside the text (6 characters)"
    assert errors[2].message.startswith("bad record: unknown label 'Methd'; expected one of")


def test_without_an_errors_list_the_first_bad_record_raises(tmp_path: Path) -> None:
    path = bad_jsonl(tmp_path)
    with pytest.raises(InputError, match=rf"^{path}:2: not valid JSON"):
        read_gold(path)


@pytest.mark.parametrize(
    ("row", "message"),
    [
        ("\"[[0, 99, 'Dataset']]\"", "span [0, 99) is outside the text (9 characters)"),
        ("\"[[0, 3, 'Corpus']]\"", "unknown label 'Corpus'"),
        ('"[[0, 3"', "was never closed"),
    ],
)
def test_bad_csv_labels_name_the_line(tmp_path: Path, row: str, message: str) -> None:
    text = CSV_TEXT + f"3,14,Bad spans,{row},[],NIPS\n"
    errors: list[InputError] = []
    gold = read_gold(write(tmp_path / "s.csv", text), split="all", errors=errors)
    assert [d.id for d in gold.documents] == ["11", "12", "13"]
    assert len(errors) == 1 and errors[0].line == 5 and message in errors[0].message


def test_bad_scierc_span_names_the_line(tmp_path: Path) -> None:
    bad = {**SCIERC_RECORD, "doc_key": "bad", "ner": [[[3, 40, "Method"]], []]}
    errors: list[InputError] = []
    gold = read_gold(write(tmp_path / "dev.json", jsonl(bad, SCIERC_RECORD)), errors=errors)
    assert [d.id for d in gold.documents] == ["X_1_abs"]
    assert [str(e) for e in errors] == [
        f"{tmp_path / 'dev.json'}:1: bad SciERC record: span [3, 40] is outside the "
        "document's 13 tokens"
    ]


# --- the CLI ----------------------------------------------------------------------------------

SMALL = [
    {
        "id": "p1",
        "text": "We fine-tune BERT on SQuAD and report F1 on question answering.",
        "entities": [
            {"start": 13, "end": 17, "type": "method"},
            {"start": 21, "end": 26, "type": "dataset"},
            {"start": 38, "end": 40, "type": "metric"},
            {"start": 44, "end": 62, "type": "task"},
        ],
    },
    {
        "id": "p2",
        "text": "Proximal Policy Optimization (PPO) is trained on ImageNet.",
        "entities": [
            {"start": 0, "end": 28, "type": "method"},
            {"start": 30, "end": 33, "type": "method"},
            {"start": 49, "end": 57, "type": "dataset"},
        ],
    },
]


def assert_valid_scores(scores: dict[str, dict[str, dict[str, float]]], labels: list[str]) -> None:
    for by_label in scores.values():
        assert list(by_label) == [*labels, "micro"]
        for s in by_label.values():
            assert all(0.0 <= s[k] <= 1.0 for k in ("precision", "recall", "f1"))
            assert 0 <= s["tp"] <= min(s["predicted"], s["support"])


def test_cli_json_is_one_object_matching_the_library(tmp_path: Path, full_nlp) -> None:  # type: ignore[no-untyped-def]
    path = write(tmp_path / "small.jsonl", jsonl(*SMALL))
    result = CliRunner().invoke(cli, ["eval", str(path), "--json"])
    assert result.exit_code == 0, result.output
    record = json.loads(result.stdout)
    expected = evaluate(full_nlp, read_gold(path)).to_dict()  # kg eval runs the full pipeline
    assert record == {**expected, "problems": []}
    assert {k: record[k] for k in ("format", "split", "level", "documents", "labels")} == {
        "format": "jsonl",
        "split": "all",
        "level": "span",
        "documents": 2,
        "labels": ["dataset", "method", "metric", "task"],
    }
    assert record["scores"]["exact"]["micro"]["support"] == 7
    assert_valid_scores(record["scores"], record["labels"])
    assert result.stderr == f"Scored 2 documents from {path} (format jsonl, split all).\n"


def test_cli_table_has_a_row_per_match_and_label(tmp_path: Path) -> None:
    path = write(tmp_path / "small.jsonl", jsonl(*SMALL))
    result = CliRunner().invoke(cli, ["eval", str(path), "--limit", "1"])
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    assert lines[0].split() == [
        "match", "label", "precision", "recall", "f1", "support", "predicted", "tp"
    ]  # fmt: skip
    rows = [line.split() for line in lines[2:]]
    assert [row[:2] for row in rows] == [
        [match, label]
        for match in ("exact", "overlap")
        for label in ("dataset", "method", "metric", "task", "micro")
    ]
    assert all(0.0 <= float(v) <= 1.0 for row in rows for v in row[2:5])
    assert [row[5] for row in rows if row[1] == "micro"] == ["4", "4"]  # --limit 1: first doc


def test_cli_warns_about_bad_records_and_scores_the_rest(tmp_path: Path) -> None:
    path = bad_jsonl(tmp_path)
    result = CliRunner().invoke(cli, ["eval", str(path), "--json"])
    assert result.exit_code == 0, result.output
    warnings = [line for line in result.stderr.splitlines() if line.startswith("warning: ")]
    assert [w.split(": ")[1] for w in warnings] == [f"{path}:2", f"{path}:3", f"{path}:4"]
    record = json.loads(result.stdout)
    assert record["documents"] == 2 and len(record["problems"]) == 3
    assert "skipped 3 malformed record(s)" in result.stderr


@pytest.mark.parametrize(
    ("args", "code", "message"),
    [
        (["--format", "conll"], 2, "Invalid value for '--format'"),
        (["--format", "scierc"], 1, "no gold documents to score"),
        (["--split", "held-out", "--format", "datafinder"], 1, "comes with its own split"),
    ],
)
def test_cli_bad_usage_is_one_clear_line(
    tmp_path: Path, args: list[str], code: int, message: str
) -> None:
    path = write(tmp_path / "small.jsonl", jsonl(*SMALL))
    result = CliRunner().invoke(cli, ["eval", str(path), *args])
    assert result.exit_code == code
    assert message in result.stderr


# --- the dataset-mention corpus's span convention ---------------------------------------------


def adapted(text: str, *names: str, label: str = "dataset") -> list[str]:
    """The texts of the spans ``names`` (found in order in ``text``) once adapted."""
    found, at = [], 0
    for name in names:
        start = text.index(name, at)
        found.append(Span(start, start + len(name), label))
        at = start + len(name)
    return sorted(text[s.start : s.end] for s in dataset_mention_spans(text, found))


def test_adapter_joins_names_under_one_shared_head() -> None:
    text = "We train on the NPB and MLB data sets, then on 20NG, TDT3 and RCV1 corpora."
    assert adapted(text, "NPB", "MLB data sets", "20NG", "TDT3", "RCV1 corpora") == [
        "20NG, TDT3 and RCV1 corpora",
        "NPB and MLB data sets",
    ]
    # kg cuts a benchmark head off (issue #17); the corpus keeps it, list or not
    text = "Results on the GLUE benchmark and on the KITTI and MPI Sintel benchmarks."
    assert adapted(text, "GLUE", "KITTI", "MPI Sintel") == [
        "GLUE benchmark",
        "KITTI and MPI Sintel benchmarks",
    ]


def test_adapter_keeps_names_with_heads_of_their_own_and_lists_without_a_head() -> None:
    text = "We use the HTTP dataset and the SMTP dataset, and MNIST and CelebA."
    names = ("HTTP dataset", "SMTP dataset", "MNIST", "CelebA")
    assert adapted(text, *names) == sorted(names)
    # only dataset spans are rewritten
    assert adapted("the BERT and RoBERTa models", "BERT", "RoBERTa", label="model") == [
        "BERT",
        "RoBERTa",
    ]


def test_dataset_mentions_report_the_adapted_score_beside_the_raw_one(
    tmp_path: Path,
) -> None:
    sentence = "We train on the NPB and MLB data sets."
    start = sentence.index("NPB")
    csv_text = (
        ",id,text,labels,datasets,conference\n"
        f"0,1,{sentence},\"[[{start}, {len(sentence) - 1}, 'Dataset']]\",[],NIPS\n"
    )
    path = write(tmp_path / "sentences.csv", csv_text)
    result = CliRunner().invoke(cli, ["eval", str(path), "--split", "all", "--json"])
    assert result.exit_code == 0, result.output
    scores = json.loads(result.stdout)["scores"]
    assert list(scores) == ["exact", "overlap", "exact-adapted"]
    # kg finds NPB and MLB data sets: two names, which the corpus writes as one mention
    assert (scores["exact"]["dataset"]["tp"], scores["exact"]["dataset"]["predicted"]) == (0, 2)
    assert scores["exact-adapted"]["dataset"] == {
        "precision": 1.0, "recall": 1.0, "f1": 1.0, "support": 1, "predicted": 1, "tp": 1
    }  # fmt: skip


def test_a_dataset_list_without_a_shared_head_is_cut_into_its_names(full_nlp) -> None:  # type: ignore[no-untyped-def]
    texts = [
        "We report results on the MIR-Flickr database and PASCAL VOC 2007.",
        "We evaluate on Wikipedia and Web-I.",
        "Experiments use the KTH Actions and UCF Sports benchmarks.",
    ]
    papers = [Paper(id=str(i), title="", abstract=t, source="x") for i, t in enumerate(texts)]
    found = [
        [m.text for m in x.mentions if m.type is EntityType.DATASET]
        for x in extract(full_nlp, papers)
    ]
    assert found == [
        ["MIR-Flickr database", "PASCAL VOC 2007"],
        ["Wikipedia", "Web-I"],
        ["KTH Actions", "UCF Sports"],
    ]


# --- the real shared gold files --------------------------------------------------------------


@needs_shared
def test_real_scierc_dev_spans_sit_on_token_boundaries() -> None:
    gold = read_gold(GOLD / "scierc" / "dev.json", errors=(errors := []))
    assert errors == []
    assert len(gold.documents) == 50
    for doc in gold.documents:
        padded = f" {doc.text} "
        for s in doc.spans:
            assert padded[s.start] == " " and padded[s.end + 1] == " ", (doc.id, s)
    assert {s.label for d in gold.documents for s in d.spans} == set(gold.labels)


@needs_shared
def test_real_dataset_mentions_split_into_held_out_and_train() -> None:
    path = GOLD / "dataset-mentions" / "Train_set_sentences.csv"
    held_out, train = read_gold(path), read_gold(path, split="train")
    assert len(held_out.documents) + len(train.documents) == 4640
    assert 0.15 < len(held_out.documents) / 4640 < 0.25  # one in five by hash
    assert not {d.text for d in held_out.documents} & {d.text for d in train.documents}
    for doc in held_out.documents:
        assert all(doc.text[s.start : s.end].strip() for s in doc.spans)


@needs_shared
def test_real_datafinder_records_all_read() -> None:
    gold = read_gold(GOLD / "datafinder" / "test_data.jsonl", errors=(errors := []))
    assert errors == [] and len(gold.documents) == 406
    assert sum(len({name_key(n) for n in d.names}) for d in gold.documents) > 1000


@needs_shared
@pytest.mark.parametrize(
    ("path", "documents"),
    [
        ("scierc/dev.json", 50),
        ("dataset-mentions/Train_set_sentences.csv", None),
        ("datafinder/test_data.jsonl", 406),
    ],
)
def test_real_gold_scores_quickly_and_within_bounds(
    nlp,
    path: str,
    documents: int | None,  # type: ignore[no-untyped-def]
) -> None:
    began = time.perf_counter()
    gold = read_gold(GOLD / path)
    report = evaluate(nlp, gold)
    assert time.perf_counter() - began < 30
    assert documents is None or report.documents == documents
    assert_valid_scores(report.to_dict()["scores"], list(gold.labels))


@needs_shared
def test_cli_on_real_scierc_dev() -> None:
    result = CliRunner().invoke(cli, ["eval", str(GOLD / "scierc" / "dev.json"), "--json"])
    assert result.exit_code == 0, result.output
    record = json.loads(result.stdout)
    assert (record["documents"], record["labels"]) == (50, ["dataset", "method", "metric", "task"])
    assert record["scores"]["exact"]["micro"]["support"] == sum(
        len(d.spans) for d in read_gold(GOLD / "scierc" / "dev.json").documents
    )


def test_documented_example_of_the_jsonl_format_reads(tmp_path: Path) -> None:
    quality = Path(__file__).resolve().parent.parent / "docs" / "quality.md"
    readme = quality.read_text(encoding="utf-8")
    example = readme.split("```json\n", 1)[1].split("```", 1)[0]
    doc = read_gold(write(tmp_path / "gold.jsonl", example)).documents[0]
    assert [(doc.text[s.start : s.end], s.label) for s in doc.spans] == [
        ("BERT", "method"),
        ("SQuAD", "dataset"),
    ]
