"""Convert the gold corpora into spaCy DocBin files for training kg's NER.

Writes, under ``--out`` (default ``training/corpus``):

- ``train.spacy``  SciERC train (90 %), SciREX train (front of each paper plus a few
  metric/dataset sentences), dataset-mention sentences that are not held out (90 %),
  the paragraphs of GSAP-NER's ``train`` publications (``kg.evaluate.splits.gsap_part``)
- ``dev.spacy``    the other 10 % of SciERC train and of the non-held-out dataset
  sentences, and GSAP-NER's ``dev`` paragraphs: model selection during ``spacy train``
- ``gsap_dev.spacy``  GSAP-NER's ``dev`` paragraphs alone, to score (``evaluate_ner.py``);
  its ``held-out`` publications are never read here
- ``scierc_dev.spacy``       SciERC dev, never trained on: the test set
- ``dataset_heldout.spacy``  the held-out fifth of the dataset-mention sentences
  (``kg.evaluate.splits.is_held_out``), never trained on: the DATASET test set
- ``stats.json``   counts of documents, spans kept and spans dropped (and why)

Run ``python training/convert.py --help`` for the options.
"""

import argparse
import ast
import csv
import hashlib
import json
import sys
from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from itertools import pairwise
from pathlib import Path
from typing import Any

import spacy
from spacy.language import Language
from spacy.tokens import Doc, DocBin, Span
from spacy.util import filter_spans

from kg.evaluate.splits import gsap_part, is_held_out

__all__ = [
    "LABELS",
    "dataset_mention_docs",
    "gsap_docs",
    "main",
    "scierc_docs",
    "scirex_docs",
    "to_doc",
]

GOLD = Path(__file__).resolve().parents[2] / "shared" / "data" / "gold"
LABELS = {"Method": "METHOD", "Task": "TASK", "Material": "DATASET", "Metric": "METRIC"}
# GSAP-NER's types as the tagger's labels (as kg eval maps them, kg.evaluate.gold).
GSAP_LABELS = {
    "MLModel": "MODEL",
    "ModelArchitecture": "METHOD",
    "Method": "METHOD",
    "Dataset": "DATASET",
    "Datasource": "DATASET",
    "Task": "TASK",
}
# Annotated by GSAP-NER but named by no label of ours: their tokens are unknown, not O.
GSAP_UNKNOWN = frozenset({"URL", "ReferenceLink"})
# GSAP-NER annotates no metrics: with ``metrics="missing"`` these words (and the
# catalog's metric names) are unknown in its paragraphs rather than taught as O.
METRIC_WORDS = frozenset(
    {"accuracy", "f1", "f1 score", "f1-score", "precision", "recall", "perplexity", "auc"}
    | {"error rate", "bleu", "rouge", "exact match", "top-1 accuracy", "top-5 accuracy"}
)
DEV_PERCENT = 10  # share of SciERC train and of the dataset sentences kept for model selection
# Penn Treebank escapes in SciERC, written back as the characters a reader sees.
PTB = {"-LRB-": "(", "-RRB-": ")", "-LSB-": "[", "-RSB-": "]", "-LCB-": "{", "-RCB-": "}"}
PTB |= {"``": '"', "''": '"'}
NO_SPACE_BEFORE = {".", ",", ";", ":", "?", "!", ")", "]", "}", "%", "'s", "n't", "'"}
NO_SPACE_AFTER = {"(", "[", "{"}
# SciREX marks section starts inside the text: "section : Introduction Recent ..."
SCIREX_HEADERS = {"document", "section", "subsection", "subsubsection", "paragraph"}
SCIREX_HEADERS |= {"bibliography"}


def to_doc(
    nlp: Language,
    words: list[str],
    spans: Iterable[tuple[int, int, str]],
    stats: Counter[str],
    *,
    source: str,
    join_hyphens: bool = False,
) -> Doc:
    """Build a doc on ``words`` with entity ``spans`` (token start, exclusive end, label).

    Overlapping spans keep the longest (``filter_spans``); the others are counted in
    ``stats`` as ``<source>.dropped_overlap``. Tokens outside the spans are "outside".
    ``join_hyphens`` writes "pre - trained" back as "pre-trained" (SciREX splits words
    at hyphens; spaCy's tokenizer splits them the same way, so spans still align).

    >>> doc = to_doc(spacy.blank("en"), ["We", "use", "BERT", "(", "Devlin", ")", "."],
    ...              [(2, 3, "METHOD")], Counter(), source="x")
    >>> doc.text, [(ent.text, ent.label_) for ent in doc.ents]
    ('We use BERT (Devlin).', [('BERT', 'METHOD')])
    """
    words = [PTB.get(word, word) for word in words]
    no_space_before = NO_SPACE_BEFORE | {"-"} if join_hyphens else NO_SPACE_BEFORE
    no_space_after = NO_SPACE_AFTER | {"-"} if join_hyphens else NO_SPACE_AFTER
    spaces = [
        following not in no_space_before and word not in no_space_after
        for word, following in pairwise(words)
    ] + [False]
    doc = Doc(nlp.vocab, words=words, spaces=spaces)
    candidates = [Span(doc, start, end, label=label) for start, end, label in spans]
    kept = filter_spans(candidates)
    stats[f"{source}.spans_kept"] += len(kept)
    stats[f"{source}.dropped_overlap"] += len(candidates) - len(kept)
    doc.set_ents(kept, default="outside")
    return doc


def scierc_docs(nlp: Language, path: Path, stats: Counter[str]) -> Iterator[tuple[str, Doc]]:
    """Yield ``(doc_key, doc)`` per SciERC abstract (DyGIE JSON lines, inclusive ends)."""
    source = "scierc:" + path.stem
    for line in path.read_text(encoding="utf-8").splitlines():
        record = json.loads(line)
        words = [word for sentence in record["sentences"] for word in sentence]
        spans = []
        for sentence_spans in record["ner"]:
            for start, end, kind in sentence_spans:
                if kind in LABELS:
                    spans.append((start, end + 1, LABELS[kind]))
                else:
                    stats[f"{source}.dropped_{kind}"] += 1
        stats[f"{source}.docs"] += 1
        yield record["doc_key"], to_doc(nlp, words, spans, stats, source=source)


def scirex_docs(
    nlp: Language,
    paths: Iterable[Path],
    stats: Counter[str],
    *,
    front_sentences: int = 20,
    extra_sentences: int = 20,
) -> Iterator[Doc]:
    """Yield up to two docs per SciREX paper (word offsets, exclusive ends).

    The first doc is the paper's first ``front_sentences`` sentences: title, abstract
    and usually the start of the introduction. The second holds up to
    ``extra_sentences`` later sentences that mention a metric or a dataset (the types
    abstracts mention least), taken in document order. Section markers
    ("section : Abstract") are removed; a span is kept when it lies inside one kept
    sentence.
    """
    source = "scirex"
    for path in paths:
        paper = json.loads(path.read_text(encoding="utf-8"))
        words, spans_by_sentence = paper["words"], _spans_by_sentence(paper, stats)
        sentences = []
        for index, (start, end) in enumerate(paper["sentences"]):
            if end - start > 1 and words[start] in SCIREX_HEADERS and words[start + 1] == ":":
                start += 2  # the section marker, never inside an entity
            if end - start > 3:  # drop header-only sentences ("section : Abstract")
                sentences.append((start, end, spans_by_sentence.get(index, [])))
        front = sentences[:front_sentences]
        rich = [
            sentence
            for sentence in sentences[front_sentences:]
            if any(label in ("METRIC", "DATASET") for _, _, label in sentence[2])
        ][:extra_sentences]
        stats[f"{source}.papers"] += 1
        for part in (front, rich):
            if part:
                stats[f"{source}.docs"] += 1
                yield _join_sentences(nlp, words, part, stats, source=source)


def dataset_mention_docs(
    nlp: Language,
    path: Path,
    stats: Counter[str],
    *,
    held_out: bool,
    rest: str = "missing",
) -> Iterator[tuple[str, Doc]]:
    """Yield ``(text, doc)`` for the dataset-mention sentences on one side of the split.

    ``held_out=False`` gives the training side; ``True`` the evaluation fifth.
    Spans are character offsets aligned to ``nlp``'s tokens with ``alignment_mode=
    "expand"``; a span that can't be aligned is dropped and counted. "Dataset" spans
    become DATASET. "Geen Dataset" ("no dataset") spans, such as "real-world datasets",
    are marked outside, because the annotators judged them not to name a dataset. Every
    other token is left *missing*: the sentences were annotated for datasets only, so
    a method they name is not a negative example (``rest="outside"`` marks them outside
    instead, to compare). On the held-out side every other token is always outside, so
    that a DATASET predicted anywhere else counts as a false positive when scored
    (other labels are not scored there).
    """
    source = "dataset_mentions." + ("heldout" if held_out else "train")
    with path.open(encoding="utf-8", newline="") as file:
        for row in csv.DictReader(file):
            text = row["text"]
            if is_held_out(text) != held_out:
                continue
            doc = nlp.make_doc(text)
            datasets, negatives = [], []
            for start, end, kind in ast.literal_eval(row["labels"] or "[]"):
                span = doc.char_span(start, end, label="DATASET", alignment_mode="expand")
                if span is None:
                    stats[f"{source}.dropped_unaligned"] += 1
                elif kind == "Dataset":
                    datasets.append(span)
                else:
                    negatives.append(span)
            kept = filter_spans(datasets)
            stats[f"{source}.spans_kept"] += len(kept)
            stats[f"{source}.dropped_overlap"] += len(datasets) - len(kept)
            taken = {i for ent in kept for i in range(ent.start, ent.end)}
            outside = filter_spans(
                [span for span in negatives if not taken & set(range(span.start, span.end))]
            )
            doc.set_ents(kept, outside=outside, default="outside" if held_out else rest)
            stats[f"{source}.docs"] += 1
            yield text, doc


def gsap_docs(
    nlp: Language,
    path: Path,
    stats: Counter[str],
    *,
    part: str,
    generic: str = "missing",
    metrics: str = "outside",
    heads: bool = False,
    head_lists: bool = False,
    datasources: str = "dataset",
) -> Iterator[Doc]:
    """Yield a doc per paragraph of the GSAP-NER publications in ``part`` (``"train"``
    or ``"dev"``; the ``held-out`` part is refused).

    Entity types become labels by :data:`GSAP_LABELS`; URL and ReferenceLink spans are
    left *missing* (unknown), as are the informal ``generic`` mentions ("our BERT-based
    model") unless ``generic="outside"``. Every other token is outside: the corpus
    annotates all of its types; but it has no metrics, so ``metrics="missing"`` leaves
    the metric names it mentions (:func:`metric_names`) unknown. Character offsets are
    aligned to ``nlp``'s tokens with ``alignment_mode="expand"``; overlapping entities
    keep the longest. ``heads=True`` extends a DATASET span over a generic head that
    directly follows it ("XNLI" + "dataset", "corpus", "data set"), the convention of the
    dataset-mention sentences. ``head_lists=True`` (with ``heads``) also joins a list of
    datasets that shares such a head into one span (``MNIST and SARCOS datasets``,
    ``A, B and C corpora``), as those sentences annotate it and kg's pipeline keeps it
    (:func:`kg.extract.named.name_parts` splits lists before ``benchmarks``, not these).
    ``datasources="missing"`` leaves the Datasource spans (``Twitter``, ``Wikipedia``)
    unknown instead of DATASET: the dataset-mention sentences rarely mark a data source.
    """
    if part not in ("train", "dev"):
        raise ValueError(f"GSAP-NER part {part!r}: only train and dev are read for training")
    source = "gsap." + part
    metric_spans = _phrase_finder(metric_names()) if metrics == "missing" else None
    for line in path.read_text(encoding="utf-8").splitlines():
        record = json.loads(line)
        if gsap_part(record["publication"]) != part:
            continue
        doc = nlp.make_doc(record["text"])
        entities, unknown = [], []
        for entity in record["entities"]:
            label = GSAP_LABELS.get(entity["type"])
            if entity["type"] == "Datasource" and datasources == "missing":
                label = None
            if label is None and entity["type"] not in {*GSAP_UNKNOWN, "Datasource"}:
                raise ValueError(f"{path}: {record['id']}: unknown type {entity['type']!r}")
            span = doc.char_span(
                entity["start"], entity["end"], label=label or "", alignment_mode="expand"
            )
            if span is None:
                stats[f"{source}.dropped_unaligned"] += 1
            elif label is None:
                unknown.append(span)
            else:
                if heads and label == "DATASET":
                    span = _with_head(span, stats, source)
                entities.append(span)
        if generic == "missing":
            for entity in record["generic"]:
                span = doc.char_span(entity["start"], entity["end"], alignment_mode="expand")
                if span is not None:
                    unknown.append(span)
        if metric_spans is not None:
            unknown += metric_spans(doc)
        if head_lists:
            entities = _joined_head_lists(entities, stats, source)
        kept = filter_spans(entities)
        stats[f"{source}.spans_kept"] += len(kept)
        stats[f"{source}.dropped_overlap"] += len(entities) - len(kept)
        taken = {i for ent in kept for i in range(ent.start, ent.end)}
        missing = filter_spans(
            [span for span in unknown if not taken & set(range(span.start, span.end))]
        )
        stats[f"{source}.unknown_spans"] += len(missing)
        doc.set_ents(kept, missing=missing, default="outside")
        stats[f"{source}.docs"] += 1
        yield doc


def metric_names() -> frozenset[str]:
    """Lowercase metric names: :data:`METRIC_WORDS` and every name of a catalog metric."""
    from kg.catalog import load_catalog
    from kg.models import EntityType

    names = {
        name.lower()
        for entry in load_catalog().entries
        if entry.type is EntityType.METRIC
        for name in (entry.canonical, *entry.aliases)
    }
    return METRIC_WORDS | names


def catalog_models() -> frozenset[str]:
    """Lowercase names of the catalog's models (BERT, ResNet-50 ...)."""
    from kg.catalog import load_catalog
    from kg.models import EntityType

    return frozenset(
        name.lower()
        for entry in load_catalog().entries
        if entry.type is EntityType.MODEL
        for name in (entry.canonical, *entry.aliases)
    )


def relabel_models(doc: Doc, models: frozenset[str], stats: Counter[str]) -> Doc:
    """Make a METHOD span whose text is a catalog model's name a MODEL (weak labels for
    SciERC and SciREX, which call models methods)."""
    ents = []
    for ent in doc.ents:
        if ent.label_ == "METHOD" and ent.text.lower() in models:
            ent = Span(doc, ent.start, ent.end, label="MODEL")
            stats["relabelled_models"] += 1
        ents.append(ent)
    doc.ents = ents
    return doc


def _phrase_finder(phrases: frozenset[str], longest: int = 5) -> Callable[[Doc], list[Span]]:
    """A function that finds the spans of a doc (up to ``longest`` tokens) whose lowercase
    text is one of ``phrases``."""

    def find(doc: Doc) -> list[Span]:
        return [
            doc[start:end]
            for start in range(len(doc))
            for end in range(start + 1, min(len(doc), start + longest) + 1)
            if doc[start:end].text.lower() in phrases
        ]

    return find


GENERIC_HEADS = (
    ("dataset",),
    ("datasets",),
    ("corpus",),
    ("corpora",),
    ("data", "set"),
    ("data", "sets"),
)


def _with_head(span: Span, stats: Counter[str], source: str) -> Span:
    """``span`` extended over a generic dataset head that directly follows it."""
    doc = span.doc
    for head in GENERIC_HEADS:
        end = span.end + len(head)
        if end <= len(doc) and tuple(t.lower_ for t in doc[span.end : end]) == head:
            stats[f"{source}.dataset_heads"] += 1
            return Span(doc, span.start, end, label=span.label_)
    return span


# Words that join the names of a list: ``A, B and the C datasets``.
LIST_WORDS = frozenset({",", "and", "or", "&", "the"})


def _joined_head_lists(entities: list[Span], stats: Counter[str], source: str) -> list[Span]:
    """``entities`` with each list of DATASETs that ends in a shared generic head joined
    into one span: ``MNIST`` + ``and`` + ``SARCOS datasets`` -> ``MNIST and SARCOS
    datasets``. A list joins only names separated by :data:`LIST_WORDS`.

    >>> nlp = spacy.blank("en")
    >>> doc = nlp("on MNIST, SVHN and the SARCOS datasets and CIFAR")
    >>> ents = [Span(doc, i, j, "DATASET") for i, j in [(1, 2), (3, 4), (6, 8), (9, 10)]]
    >>> [s.text for s in _joined_head_lists(ents, Counter(), "test")]
    ['MNIST, SVHN and the SARCOS datasets', 'CIFAR']
    """
    ordered = sorted(entities, key=lambda s: s.start)
    out: list[Span] = []
    for span in ordered:
        doc = span.doc
        last = tuple(t.lower_ for t in doc[span.end - 2 : span.end])
        headed = span.label_ == "DATASET" and any(last[-len(h) :] == h for h in GENERIC_HEADS)
        start = span.start
        while headed and out and out[-1].label_ == "DATASET":
            gap = doc[out[-1].end : start]
            if not len(gap) or not all(t.lower_ in LIST_WORDS for t in gap):
                break
            start = out.pop().start
        if start != span.start:
            stats[f"{source}.dataset_head_lists"] += 1
            span = Span(doc, start, span.end, label=span.label_)
        out.append(span)
    return out


def main(argv: list[str] | None = None) -> None:
    """Write the DocBin files and ``stats.json``."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--gold", type=Path, default=GOLD, help="shared/data/gold folder")
    parser.add_argument("--out", type=Path, default=Path(__file__).parent / "corpus")
    parser.add_argument("--scirex-front", type=int, default=20, help="first sentences/paper")
    parser.add_argument("--scirex-extra", type=int, default=20, help="metric/dataset sents")
    parser.add_argument(
        "--dataset-rest",
        choices=["missing", "outside"],
        default="missing",
        help="dataset-mention tokens outside any annotated span (training side)",
    )
    parser.add_argument(
        "--dataset-copies",
        type=int,
        default=1,
        help="copies of each dataset-mention training sentence in train.spacy",
    )
    parser.add_argument(
        "--gsap-copies",
        type=int,
        default=1,
        help="copies of each GSAP-NER train paragraph in train.spacy (0: leave GSAP out)",
    )
    parser.add_argument(
        "--gsap-generic",
        choices=["missing", "outside"],
        default="missing",
        help="GSAP-NER's informal generic mentions ('our BERT-based model')",
    )
    parser.add_argument(
        "--gsap-metrics",
        choices=["missing", "outside"],
        default="outside",
        help="metric names in GSAP-NER paragraphs (it annotates no metrics)",
    )
    parser.add_argument(
        "--catalog-models",
        action="store_true",
        help="SciERC and SciREX METHOD spans that name a catalog model become MODEL",
    )
    parser.add_argument(
        "--gsap-heads",
        action="store_true",
        help="GSAP-NER train datasets take a following generic head ('XNLI dataset')",
    )
    parser.add_argument(
        "--gsap-datasources",
        choices=["dataset", "missing"],
        default="dataset",
        help="GSAP-NER train Datasource spans ('Twitter'): DATASET or unknown",
    )
    parser.add_argument(
        "--gsap-head-lists",
        action="store_true",
        help="with --gsap-heads, a list sharing the head is one span ('A and B datasets')",
    )
    args = parser.parse_args(argv)
    nlp = spacy.blank("en")
    stats: Counter[str] = Counter()
    train, dev = DocBin(store_user_data=False), DocBin(store_user_data=False)
    models = catalog_models() if args.catalog_models else frozenset()

    for key, doc in scierc_docs(nlp, args.gold / "scierc" / "train.json", stats):
        (dev if _in_dev(key) else train).add(relabel_models(doc, models, stats))
    scirex = sorted((args.gold / "scirex-train" / "train_docs").glob("*.json"))
    for doc in scirex_docs(
        nlp,
        scirex,
        stats,
        front_sentences=args.scirex_front,
        extra_sentences=args.scirex_extra,
    ):
        train.add(relabel_models(doc, models, stats))
    sentences = args.gold / "dataset-mentions" / "Train_set_sentences.csv"
    for text, doc in dataset_mention_docs(
        nlp, sentences, stats, held_out=False, rest=args.dataset_rest
    ):
        if _in_dev(text):
            dev.add(doc)
        else:
            for _ in range(args.dataset_copies):
                train.add(doc)
    gsap = args.gold / "gsap-ner" / "paragraphs.jsonl"
    options = {"generic": args.gsap_generic, "metrics": args.gsap_metrics}
    for doc in gsap_docs(
        nlp,
        gsap,
        stats,
        part="train",
        heads=args.gsap_heads,
        head_lists=args.gsap_head_lists,
        datasources=args.gsap_datasources,
        **options,
    ):
        for _ in range(args.gsap_copies):
            train.add(doc)
    gsap_dev = DocBin(
        docs=gsap_docs(nlp, gsap, stats, part="dev", **options), store_user_data=False
    )
    dev.merge(gsap_dev)

    scierc_dev = DocBin(
        docs=(doc for _, doc in scierc_docs(nlp, args.gold / "scierc" / "dev.json", stats))
    )
    heldout = DocBin(
        docs=(doc for _, doc in dataset_mention_docs(nlp, sentences, stats, held_out=True))
    )
    args.out.mkdir(parents=True, exist_ok=True)
    for name, docbin in [
        ("train", train),
        ("dev", dev),
        ("scierc_dev", scierc_dev),
        ("dataset_heldout", heldout),
        ("gsap_dev", gsap_dev),
    ]:
        docbin.to_disk(args.out / f"{name}.spacy")
        stats[f"files.{name}.docs"] = len(docbin)
    (args.out / "stats.json").write_text(json.dumps(dict(sorted(stats.items())), indent=1) + "\n")
    print(json.dumps(dict(sorted(stats.items())), indent=1), file=sys.stderr)


def _in_dev(key: str) -> bool:
    """Return True for the fixed tenth of training keys used for model selection.

    >>> sum(_in_dev(str(i)) for i in range(1000))
    90
    """
    digest = hashlib.sha256(("kg-ner-dev:" + key).encode("utf-8")).hexdigest()
    return int(digest, 16) % 100 < DEV_PERCENT


def _spans_by_sentence(
    paper: dict[str, Any], stats: Counter[str]
) -> dict[int, list[tuple[int, int, str]]]:
    """Group a SciREX paper's spans by the sentence that contains them."""
    grouped: dict[int, list[tuple[int, int, str]]] = {}
    bounds = paper["sentences"]
    index = 0
    for start, end, kind in sorted(paper["ner"]):
        while index < len(bounds) and bounds[index][1] <= start:
            index += 1
        if index < len(bounds) and bounds[index][0] <= start and end <= bounds[index][1]:
            grouped.setdefault(index, []).append((start, end, LABELS[kind]))
        else:
            stats["scirex.dropped_cross_sentence"] += 1
    return grouped


def _join_sentences(
    nlp: Language,
    words: list[str],
    sentences: list[tuple[int, int, list[tuple[int, int, str]]]],
    stats: Counter[str],
    *,
    source: str,
) -> Doc:
    """Make one doc of several sentences, moving their spans to the new offsets."""
    joined: list[str] = []
    spans = []
    for start, end, sentence_spans in sentences:
        offset = len(joined) - start
        joined.extend(words[start:end])
        for span_start, span_end, label in sentence_spans:
            if span_start >= start:  # not inside a removed section marker
                spans.append((span_start + offset, span_end + offset, label))
            else:
                stats[f"{source}.dropped_in_marker"] += 1
    return to_doc(nlp, joined, spans, stats, source=source, join_hyphens=True)


if __name__ == "__main__":
    main()
