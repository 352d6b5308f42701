"""Read the gold annotations ``kg eval`` scores against: SciERC, dataset mentions, DataFinder,
GSAP-NER, kg.

Every reader yields :class:`GoldDocument` records whose text is what the
extractor sees as an abstract. Span gold carries character offsets into that
text; paper-level gold (DataFinder) carries only the names the paper uses.
A malformed record is reported as an :class:`InputError` naming the file and
line: appended to ``errors`` when a list is given (the other records are still
read), raised otherwise.
"""

import ast
import csv
import itertools
import json
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from kg.errors import InputError
from kg.evaluate.splits import GSAP_PARTS, gsap_part, is_held_out
from kg.readers.ingest import read_text

__all__ = [
    "FORMATS",
    "LABELS",
    "SPLITS",
    "Gold",
    "GoldDocument",
    "Span",
    "detect_format",
    "read_gold",
]

# The labels gold spans may carry once mapped from their source's own names.
LABELS = ("dataset", "method", "metric", "model", "organization", "task")
SPLITS = ("all", "dev", "held-out", "train")
# SciERC's types; OtherScientificTerm and Generic have no kg counterpart and are not scored.
SCIERC_LABELS = {"Method": "method", "Task": "task", "Material": "dataset", "Metric": "metric"}
SCIERC_IGNORED = frozenset({"OtherScientificTerm", "Generic"})
# "Datatset" is an upstream typo on 36 spans (WT10g, ClueWeb09, ...): they are datasets.
# "Geen Dataset" ("no dataset") marks a generic phrase such as "real-world datasets".
DATASET_MENTION_LABELS = {"Dataset": "dataset", "Datatset": "dataset"}
DATASET_MENTION_IGNORED = frozenset({"Geen Dataset"})
# GSAP-NER's types; URLs, reference links and the informal "generic" mentions ("our
# BERT-based model", "the training data") are named by no kg type and are not scored.
GSAP_LABELS = {
    "MLModel": "model",
    "ModelArchitecture": "method",
    "Method": "method",
    "Dataset": "dataset",
    "Datasource": "dataset",
    "Task": "task",
}
GSAP_IGNORED = frozenset({"URL", "ReferenceLink"})
# The paragraph GSAP-NER numbers text_unit_0 is the publication's abstract.
_GSAP_ABSTRACT = "text_unit_0"
# PTB bracket escapes in SciERC's tokens, put back so the text reads like an abstract.
_PTB_TOKENS = {
    "-LRB-": "(",
    "-RRB-": ")",
    "-LSB-": "[",
    "-RSB-": "]",
    "-LCB-": "{",
    "-RCB-": "}",
    "``": '"',
    "''": '"',
}


@dataclass(frozen=True, slots=True, order=True)
class Span:
    """A labelled character span ``text[start:end]`` (end exclusive)."""

    start: int
    end: int
    label: str


@dataclass(frozen=True, slots=True)
class GoldDocument:
    """One annotated text: spans for span-level gold, ``names`` for paper-level gold.

    ``section`` is ``"abstract"`` or, for a paragraph of a full paper (GSAP-NER),
    ``"body"``; ``publication`` names the paper a paragraph comes from.
    """

    id: str
    text: str
    spans: tuple[Span, ...] = ()
    names: tuple[str, ...] = ()
    line: int = 0
    section: str = "abstract"
    publication: str = ""


@dataclass(frozen=True, slots=True)
class Gold:
    """A gold file read for scoring.

    ``level`` is ``"span"`` (score character spans) or ``"paper"`` (score the set
    of names each paper uses); ``labels`` are the labels the file annotates, the
    only ones predictions are scored on. ``abstracts_only`` says the body
    paragraphs of full papers were left out.
    """

    source: str
    format: str
    split: str
    level: str
    labels: tuple[str, ...]
    documents: list[GoldDocument]
    abstracts_only: bool = False


_Report = Callable[[str, int], None]
_Reader = Callable[[str, str, _Report], Iterator[GoldDocument]]


def detect_format(text: str, *, source: str = "<text>") -> str:
    """Return the gold format of ``text``, judged from its extension and first records.

    >>> detect_format('{"id": "a", "text": "x", "entities": []}', source="mine.jsonl")
    'jsonl'
    >>> detect_format("id,text,labels,conference\\n", source="sentences.csv")
    'dataset-mentions'
    """
    header = {name.strip() for name in text.lstrip().partition("\n")[0].split(",")}
    if source.lower().endswith(".csv") or {"text", "labels"} <= header:
        return "dataset-mentions"
    for line in itertools.islice((x for x in text.splitlines() if x.strip()), 5):
        try:
            record = json.loads(line)
        except ValueError:
            continue
        if not isinstance(record, dict):
            continue
        for name, keys in _SIGNATURES.items():
            if keys <= record.keys():
                return name
    raise InputError(
        "cannot tell the gold format: expected SciERC JSON lines (sentences, ner), "
        "a dataset-mentions CSV (text, labels), DataFinder JSON lines (abstract, documents), "
        "GSAP-NER JSON lines (publication, text, entities, generic) "
        "or kg JSON lines (text, entities); pass --format",
        path=source,
    )


def read_gold(
    path: str | Path,
    *,
    format: str | None = None,
    split: str | None = None,
    abstracts_only: bool = False,
    limit: int | None = None,
    errors: list[InputError] | None = None,
) -> Gold:
    """Read the gold file at ``path`` (format detected unless given).

    ``split`` keeps the ``"held-out"`` or ``"train"`` part of gold that has no
    official split of its own (see :mod:`kg.evaluate.splits`); the dataset-mention
    sentences default to ``"held-out"`` so training data is never reported.
    GSAP-NER is split by publication into ``"train"``, ``"dev"`` and ``"held-out"``
    and defaults to ``"dev"``, the part looked at while tuning. ``abstracts_only``
    keeps a full paper's abstract and drops its other paragraphs (GSAP-NER).
    ``limit`` keeps the first documents only.
    """
    source = str(path)
    text = read_text(path)
    if format is None:
        format = detect_format(text, source=source)
    if format not in FORMATS:
        raise InputError(f"unknown gold format {format!r}; choose from {', '.join(FORMATS)}")
    if split is None:
        split = _DEFAULT_SPLIT.get(format, "all")
    if split not in SPLITS:
        raise InputError(f"unknown split {split!r}; choose from {', '.join(SPLITS)}")
    if split != "all" and format not in _SPLITTABLE:
        raise InputError(
            f"{format} gold comes with its own split (score the file of the part you want); "
            f"--split {split} applies to {', '.join(sorted(_SPLITTABLE))} only",
            path=source,
        )
    if split == "dev" and format != "gsap-ner":
        raise InputError(
            f"--split dev applies to gsap-ner gold only; {format} gold has held-out and train",
            path=source,
        )
    if abstracts_only and format != "gsap-ner":
        raise InputError(
            f"--abstracts-only applies to gsap-ner gold (full papers) only; "
            f"{format} gold is scored as it is",
            path=source,
        )

    def report(message: str, line: int) -> None:
        error = InputError(message, path=source, line=line)
        if errors is None:
            raise error
        errors.append(error)

    documents: Iterable[GoldDocument] = FORMATS[format](text, source, report)
    if format == "gsap-ner" and split != "all":
        documents = _in_gsap_part(documents, split, source)
    elif split != "all":
        documents = (d for d in documents if is_held_out(d.text) == (split == "held-out"))
    if abstracts_only:
        documents = (d for d in documents if d.section == "abstract")
    kept = list(itertools.islice(documents, limit))
    if format == "jsonl":
        labels = tuple(sorted({s.label for d in kept for s in d.spans}))
    else:
        labels = _FIXED_LABELS[format]
    level = "paper" if format == "datafinder" else "span"
    return Gold(source, format, split, level, labels, kept, abstracts_only)


def _read_scierc(text: str, source: str, report: _Report) -> Iterator[GoldDocument]:
    """DyGIE JSON lines: token ``sentences``; ``ner`` spans as inclusive document token indices."""
    for number, record in _json_lines(text, report):
        try:
            sentences, ner = record["sentences"], record["ner"]
            tokens = [_PTB_TOKENS.get(t, t) for sentence in sentences for t in sentence]
            if not all(isinstance(t, str) for t in tokens):
                raise TypeError("tokens must be strings")
            starts, offset = [], 0
            for token in tokens:
                starts.append(offset)
                offset += len(token) + 1
            spans = []
            for start, end, type_ in (span for sentence in ner for span in sentence):
                if type_ in SCIERC_IGNORED:
                    continue
                if type_ not in SCIERC_LABELS:
                    raise ValueError(f"unknown entity type {type_!r}")
                if not (isinstance(start, int) and isinstance(end, int)) or not (
                    0 <= start <= end < len(tokens)
                ):
                    raise ValueError(
                        f"span [{start}, {end}] is outside the document's {len(tokens)} tokens"
                    )
                char_start = starts[start]
                spans.append(Span(char_start, starts[end] + len(tokens[end]), SCIERC_LABELS[type_]))
        except (KeyError, TypeError, ValueError) as e:
            report(f"bad SciERC record: {_describe(e)}", number)
            continue
        doc_id = str(record.get("doc_key") or f"{source}:{number}")
        yield GoldDocument(doc_id, " ".join(tokens), _unique(spans), line=number)


def _read_dataset_mentions(text: str, source: str, report: _Report) -> Iterator[GoldDocument]:
    """CSV rows: ``text``, ``labels`` as a Python list ``[[start, end, 'Dataset'], ...]``."""
    reader = csv.DictReader(text.splitlines(keepends=True))
    missing = {"text", "labels"} - set(reader.fieldnames or ())
    if missing:
        raise InputError(
            f"not a dataset-mentions CSV: no {' or '.join(sorted(missing))} column",
            path=source,
            line=1,
        )
    line = reader.line_num + 1
    for row in _csv_rows(reader, source):
        number, line = line, reader.line_num + 1  # a quoted field may span lines
        sentence, raw = row["text"] or "", (row["labels"] or "").strip()
        try:
            labels = ast.literal_eval(raw) if raw else []
            if not isinstance(labels, list):
                raise ValueError("labels must be a list of [start, end, label]")
            spans = []
            for item in labels:
                start, end, label = item
                if label in DATASET_MENTION_IGNORED:
                    continue
                if label not in DATASET_MENTION_LABELS:
                    raise ValueError(f"unknown label {label!r}")
                spans.append(_checked_span(start, end, DATASET_MENTION_LABELS[label], sentence))
        except (SyntaxError, TypeError, ValueError) as e:
            report(f"bad labels {_short(raw)}: {_describe(e)}", number)
            continue
        doc_id = (row.get("id") or "").strip() or f"{source}:{number}"
        yield GoldDocument(doc_id, sentence, _unique(spans), line=number)


def _read_datafinder(text: str, source: str, report: _Report) -> Iterator[GoldDocument]:
    """JSON lines: ``abstract`` and ``documents``, the names of the datasets the paper uses."""
    for number, record in _json_lines(text, report):
        abstract, names = record.get("abstract"), record.get("documents")
        if not isinstance(abstract, str) or not abstract.strip():
            report("bad DataFinder record: no 'abstract' text", number)
        elif not isinstance(names, list) or not all(isinstance(n, str) for n in names):
            report("bad DataFinder record: 'documents' must be a list of dataset names", number)
        else:
            yield GoldDocument(f"{source}:{number}", abstract, names=tuple(names), line=number)


def _read_jsonl(text: str, source: str, report: _Report) -> Iterator[GoldDocument]:
    """kg's JSON lines: ``{"id", "text", "entities": [{"start", "end", "type"}]}``."""
    for number, record in _json_lines(text, report):
        try:
            body = record["text"]
            if not isinstance(body, str):
                raise TypeError("'text' must be a string")
            spans = [
                _checked_span(e["start"], e["end"], e["type"], body) for e in record["entities"]
            ]
        except (KeyError, TypeError, ValueError) as e:
            report(f"bad record: {_describe(e)}", number)
            continue
        doc_id = str(record.get("id") or f"{source}:{number}")
        yield GoldDocument(doc_id, body, _unique(spans), line=number)


def _read_gsap(text: str, source: str, report: _Report) -> Iterator[GoldDocument]:
    """GSAP-NER JSON lines: one paragraph each, ``id`` ``"<publication>|text_unit_<n>"``.

    ``entities`` carry GSAP's types (mapped by ``GSAP_LABELS``); ``generic`` spans
    are informal mentions and are not read.
    """
    for number, record in _json_lines(text, report):
        try:
            body, publication, doc_id = record["text"], record["publication"], record["id"]
            if not all(isinstance(v, str) for v in (body, publication, doc_id)):
                raise TypeError("'id', 'publication' and 'text' must be strings")
            spans = []
            for entity in record["entities"]:
                type_ = entity["type"]
                if type_ in GSAP_IGNORED:
                    continue
                if type_ not in GSAP_LABELS:
                    raise ValueError(f"unknown entity type {type_!r}")
                spans.append(
                    _checked_span(entity["start"], entity["end"], GSAP_LABELS[type_], body)
                )
        except (KeyError, TypeError, ValueError) as e:
            report(f"bad GSAP-NER record: {_describe(e)}", number)
            continue
        unit = doc_id.rpartition("|")[2]
        section = "abstract" if unit == _GSAP_ABSTRACT else "body"
        yield GoldDocument(
            doc_id, body, _unique(spans), line=number, section=section, publication=publication
        )


def _in_gsap_part(
    documents: Iterable[GoldDocument], split: str, source: str
) -> Iterator[GoldDocument]:
    """Keep the paragraphs of the publications in ``split``; refuse a publication outside it."""
    for doc in documents:
        part = gsap_part(doc.publication)
        if part is None:
            raise InputError(
                f"publication {doc.publication!r} is not one of the 50 GSAP-NER publications "
                f"split into {', '.join(GSAP_PARTS)} (kg/evaluate/gsap_split.json); "
                "score other publications with --split all",
                path=source,
                line=doc.line,
            )
        if part == split:
            yield doc


def _json_lines(text: str, report: _Report) -> Iterator[tuple[int, dict[str, Any]]]:
    """Yield ``(line number, object)`` per non-blank line; report lines that are not objects."""
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        try:
            record = json.loads(line)
        except ValueError as e:
            report(f"not valid JSON: {e}", number)
            continue
        if not isinstance(record, dict):
            report(f"expected a JSON object, found {type(record).__name__}", number)
            continue
        yield number, record


def _csv_rows(reader: "csv.DictReader[str]", source: str) -> Iterator[dict[str, str]]:
    try:
        yield from reader
    except csv.Error as e:
        raise InputError(f"unreadable CSV: {e}", path=source, line=reader.line_num) from e


def _checked_span(start: Any, end: Any, label: Any, text: str) -> Span:
    if label not in LABELS:
        raise ValueError(f"unknown label {label!r}; expected one of {', '.join(LABELS)}")
    if not (isinstance(start, int) and isinstance(end, int)) or isinstance(start, bool):
        raise TypeError(f"offsets must be integers, got {start!r}, {end!r}")
    if not 0 <= start < end <= len(text):
        raise ValueError(f"span [{start}, {end}) is outside the text ({len(text)} characters)")
    return Span(start, end, label)


def _unique(spans: Iterable[Span]) -> tuple[Span, ...]:
    return tuple(sorted(set(spans)))


def _describe(e: Exception) -> str:
    if isinstance(e, KeyError):
        return f"missing field {e.args[0]!r}"
    return str(e)


def _short(text: str, width: int = 60) -> str:
    return repr(text if len(text) <= width else text[: width - 1] + "…")


FORMATS: dict[str, _Reader] = {
    "scierc": _read_scierc,
    "dataset-mentions": _read_dataset_mentions,
    "datafinder": _read_datafinder,
    "gsap-ner": _read_gsap,
    "jsonl": _read_jsonl,
}
# The keys that identify a JSON lines format (first record that parses wins).
_SIGNATURES = {
    "scierc": frozenset({"sentences", "ner"}),
    "datafinder": frozenset({"abstract", "documents"}),
    "gsap-ner": frozenset({"publication", "text", "entities", "generic"}),
    "jsonl": frozenset({"text", "entities"}),
}
_FIXED_LABELS = {
    "scierc": tuple(sorted(set(SCIERC_LABELS.values()))),
    "dataset-mentions": ("dataset",),
    "datafinder": ("dataset",),
    "gsap-ner": tuple(sorted(set(GSAP_LABELS.values()))),
}
_SPLITTABLE = frozenset({"dataset-mentions", "gsap-ner", "jsonl"})
_DEFAULT_SPLIT = {"dataset-mentions": "held-out", "gsap-ner": "dev"}
