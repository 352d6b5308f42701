"""Score the extractor against gold annotations: per-label precision, recall and F1.

Span-level gold is scored twice: ``exact`` (same start, end and label) and
``overlap`` (same label and at least one character in common); the dataset-mention
sentences a third time, ``exact-adapted``: exact, once kg's dataset spans are written in
that corpus's convention (:mod:`kg.evaluate.conventions`). In each, a gold
span and a predicted span are matched at most once, and the number of matches
is the largest possible (a maximum bipartite matching), so one long prediction
cannot claim two gold spans. Paper-level gold (DataFinder) is scored as
``paper``: the set of dataset names a paper uses against the datasets kg finds
in its abstract. ``micro`` sums the counts of every label; a group of labels
(``models+datasets``) sums the counts of its labels when the gold annotates all
of them.
"""

from collections.abc import Collection, Iterable
from dataclasses import dataclass
from typing import Any

from spacy.language import Language

from kg.catalog import Catalog, load_catalog
from kg.evaluate import conventions
from kg.evaluate.gold import Gold, Span
from kg.extract import PaperExtraction, extract
from kg.models import EntityType, Paper
from kg.names import name_key, spelling_variants

__all__ = [
    "GROUPS",
    "LABEL_OF_TYPE",
    "MICRO",
    "Report",
    "Score",
    "evaluate",
    "label_of",
    "match_exact",
    "match_overlap",
    "predicted_names",
    "predicted_spans",
    "score_names",
    "score_spans",
]

# What each kg entity type counts as in gold data. SciERC calls models methods; gold
# that annotates models of its own (GSAP-NER) scores them as models (see label_of).
LABEL_OF_TYPE: dict[EntityType, str] = {
    EntityType.METHOD: "method",
    EntityType.MODEL: "method",
    EntityType.DATASET: "dataset",
    EntityType.TASK: "task",
    EntityType.METRIC: "metric",
    EntityType.ORGANIZATION: "organization",
}
MICRO = "micro"
# Rows summing several labels, scored when the gold annotates every one of them.
GROUPS = {"models+datasets": ("model", "dataset")}


@dataclass(frozen=True, slots=True)
class Score:
    """Counts for one label: matches (``tp``), predictions and gold spans (``support``).

    A ratio with nothing to divide by is 0.0, as scikit-learn's ``zero_division=0``.

    >>> s = Score(tp=3, predicted=4, support=6)
    >>> (s.precision, s.recall, round(s.f1, 3))
    (0.75, 0.5, 0.6)
    """

    tp: int = 0
    predicted: int = 0
    support: int = 0

    @property
    def precision(self) -> float:
        return self.tp / self.predicted if self.predicted else 0.0

    @property
    def recall(self) -> float:
        return self.tp / self.support if self.support else 0.0

    @property
    def f1(self) -> float:
        total = self.predicted + self.support
        return 2 * self.tp / total if total else 0.0

    def __add__(self, other: "Score") -> "Score":
        return Score(
            self.tp + other.tp, self.predicted + other.predicted, self.support + other.support
        )

    def to_dict(self) -> dict[str, Any]:
        """Return the ratios (rounded to 4 places) and the counts."""
        return {
            "precision": round(self.precision, 4),
            "recall": round(self.recall, 4),
            "f1": round(self.f1, 4),
            "support": self.support,
            "predicted": self.predicted,
            "tp": self.tp,
        }


# match kind ("exact", "overlap" or "paper") -> label (and MICRO) -> score
Scores = dict[str, dict[str, Score]]


@dataclass(frozen=True, slots=True)
class Report:
    """The scores of one gold file, with what was scored."""

    source: str
    format: str
    split: str
    level: str
    documents: int
    labels: tuple[str, ...]
    scores: Scores
    abstracts_only: bool = False

    def to_dict(self) -> dict[str, Any]:
        return {
            "gold": self.source,
            "format": self.format,
            "split": self.split,
            "abstracts_only": self.abstracts_only,
            "level": self.level,
            "documents": self.documents,
            "labels": list(self.labels),
            "scores": {
                match: {label: score.to_dict() for label, score in by_label.items()}
                for match, by_label in self.scores.items()
            },
        }


def evaluate(nlp: Language, gold: Gold, *, catalog: Catalog | None = None) -> Report:
    """Run the extractor on every gold document and score what it finds.

    Each document becomes a :class:`Paper` with an empty title and the
    document's text as its abstract. ``catalog`` (default: kg's own) supplies
    the aliases that paper-level names may match.
    """
    papers = (
        Paper(id=d.id, title="", abstract=d.text, source=gold.source, line=d.line)
        for d in gold.documents
    )
    extractions = extract(nlp, papers)
    documents = gold.documents
    if gold.level == "paper":
        cat = catalog if catalog is not None else load_catalog()
        names = (
            (d.names, predicted_names(x, catalog=cat))
            for d, x in zip(documents, extractions, strict=True)
        )
        scores = score_names(names)
    else:
        pairs = [
            (d, predicted_spans(x, gold.labels))
            for d, x in zip(documents, extractions, strict=True)
        ]
        scores = score_spans(((d.spans, p) for d, p in pairs), gold.labels)
        if gold.format == "dataset-mentions":
            adapted = ((d.spans, conventions.dataset_mention_spans(d.text, p)) for d, p in pairs)
            scores[conventions.ADAPTED] = score_spans(adapted, gold.labels)["exact"]
    return Report(
        gold.source,
        gold.format,
        gold.split,
        gold.level,
        len(documents),
        gold.labels,
        scores,
        gold.abstracts_only,
    )


def label_of(type_: EntityType, labels: Collection[str]) -> str:
    """Return the gold label a mention of ``type_`` counts as when gold scores ``labels``.

    >>> label_of(EntityType.MODEL, ["method", "task"]), label_of(EntityType.MODEL, ["model"])
    ('method', 'model')
    """
    if type_ is EntityType.MODEL and "model" in labels:
        return "model"
    return LABEL_OF_TYPE[type_]


def predicted_spans(extraction: PaperExtraction, labels: Collection[str]) -> set[Span]:
    """Return the abstract's mentions as labelled spans, once each, for the ``labels`` scored."""
    spans = set()
    for mention in extraction.mentions:
        label = label_of(mention.type, labels)
        if mention.section == "abstract" and label in labels:
            spans.add(Span(mention.start, mention.end, label))
    return spans


def predicted_names(extraction: PaperExtraction, *, catalog: Catalog) -> list[frozenset[str]]:
    """Return one set of name keys per dataset found in the abstract.

    A dataset is known by the spellings in the text, its canonical name, the
    aliases the text gave it and every name its catalog entry lists.
    """
    keys: dict[str, set[str]] = {}
    for mention in extraction.mentions:
        if mention.section != "abstract" or LABEL_OF_TYPE[mention.type] != "dataset":
            continue
        names = keys.setdefault(name_key(mention.canonical), set())
        names.update(name_key(n) for n in (mention.canonical, mention.text, *mention.aliases))
        entry = catalog.lookup(mention.canonical)
        if entry is not None:
            names.update(name_key(v) for n in entry.names for v in spelling_variants(n))
    return [frozenset(names) for names in keys.values()]


def score_spans(
    documents: Iterable[tuple[Collection[Span], Collection[Span]]], labels: Collection[str]
) -> Scores:
    """Score ``(gold spans, predicted spans)`` pairs, one per document, on ``labels``.

    >>> gold = [Span(0, 5, "method")]
    >>> scores = score_spans([(gold, [Span(0, 4, "method")])], ["method"])
    >>> scores["exact"]["method"].tp, scores["overlap"]["method"].tp
    (0, 1)
    """
    exact = {label: Score() for label in labels}
    overlap = dict(exact)
    for gold, predicted in documents:
        for label in labels:
            g = {s for s in gold if s.label == label}
            p = {s for s in predicted if s.label == label}
            exact[label] += Score(match_exact(g, p), len(p), len(g))
            overlap[label] += Score(match_overlap(g, p), len(p), len(g))
    return {"exact": _with_totals(exact), "overlap": _with_totals(overlap)}


def score_names(documents: Iterable[tuple[Collection[str], Collection[frozenset[str]]]]) -> Scores:
    """Score ``(gold names, predicted entities)`` pairs, one per paper, on the label dataset.

    Gold names count once per :func:`name_key`; a predicted entity is the set of
    keys it goes by, and matches a gold name whose key is among them.

    >>> scores = score_names([(["ImageNet", "COCO"], [frozenset({"imagenet", "ilsvrc"})])])
    >>> s = scores["paper"]["dataset"]
    >>> s.tp, s.predicted, s.support
    (1, 1, 2)
    """
    total = Score()
    for gold, predicted in documents:
        keys = sorted({name_key(name) for name in gold})
        edges = [[i for i, names in enumerate(predicted) if key in names] for key in keys]
        total += Score(_max_matching(edges, len(predicted)), len(predicted), len(keys))
    return {"paper": _with_totals({"dataset": total})}


def match_exact(gold: Collection[Span], predicted: Collection[Span]) -> int:
    """Count the gold spans predicted with the same start, end and label.

    >>> match_exact([Span(0, 3, "task"), Span(5, 9, "task")], [Span(0, 3, "task")])
    1
    """
    return len(set(gold) & set(predicted))


def match_overlap(gold: Collection[Span], predicted: Collection[Span]) -> int:
    """Count gold spans paired one-to-one with an overlapping prediction of the same label.

    One prediction covering two gold spans matches only one of them:

    >>> match_overlap([Span(0, 3, "task"), Span(4, 8, "task")], [Span(0, 8, "task")])
    1
    """
    predicted = list(predicted)
    edges = [
        [i for i, p in enumerate(predicted) if p.label == g.label and _overlaps(g, p)] for g in gold
    ]
    return _max_matching(edges, len(predicted))


def _overlaps(a: Span, b: Span) -> bool:
    return a.start < b.end and b.start < a.end


def _max_matching(edges: list[list[int]], right: int) -> int:
    """Size of a maximum matching; ``edges[left]`` lists the right nodes it may pair with.

    Kuhn's augmenting paths: a greedy pass could pair a gold span with the only
    prediction another gold span could have used.

    >>> _max_matching([[0, 1], [0]], 2)
    2
    """
    owner = [-1] * right

    def augment(left: int, seen: set[int]) -> bool:
        for r in edges[left]:
            if r not in seen:
                seen.add(r)
                if owner[r] < 0 or augment(owner[r], seen):
                    owner[r] = left
                    return True
        return False

    return sum(augment(left, set()) for left in range(len(edges)))


def _with_totals(by_label: dict[str, Score]) -> dict[str, Score]:
    """Add the ``micro`` row, then a row per group whose labels are all scored."""
    totals = {MICRO: sum(by_label.values(), Score())}
    for group, members in GROUPS.items():
        if all(label in by_label for label in members):
            totals[group] = sum((by_label[label] for label in members), Score())
    return {**dict(sorted(by_label.items())), **totals}
