"""``kg_ner``: a trainable spaCy component that tags entities with a linear-chain CRF.

Each token's tag scores are a sum of weight rows picked by hashed word features
(:mod:`kg.extract.features`); a linear-chain CRF over BILUO tags
(:mod:`kg.extract.crf`) turns them into whole entities. There is no dense layer:
tagging a token costs a few hundred additions, so the component keeps pace with
spaCy's tokenizer, where a ``tok2vec`` + ``ner`` pipeline of similar accuracy runs
at about a seventh of its speed. It trains with ``spacy train`` like any
component (``training/config.cfg``), learns from partial annotation (tokens whose
tag is unknown are summed over, not taught as ``O``), and saves its weights as a
compressed ``.npz`` of a few MB.
"""

from collections.abc import Callable, Iterable, Iterator, Sequence
from pathlib import Path
from typing import Any, cast

import numpy as np
import srsly
from spacy.attrs import ENT_IOB, ENT_TYPE, IDX, IS_SPACE, LENGTH
from spacy.language import Language
from spacy.pipeline import TrainablePipe
from spacy.tokens import Doc
from spacy.training import Example, validate_examples
from spacy.util import registry
from spacy.vocab import Vocab
from thinc.api import Model, Optimizer

from kg.atomic import atomic_open
from kg.errors import ModelError
from kg.extract.crf import Tagset, crf_gradients, viterbi
from kg.extract.features import TEMPLATES, emissions, featurize

__all__ = ["BATCH_TOKENS", "MODEL_SPANS", "EntityTagger", "hashed_linear", "make_entity_tagger"]

# Where set_annotations leaves the entities as (start_char, end_char, label) tuples.
MODEL_SPANS = "kg_ner.spans"
# ENT_IOB codes (spaCy's): B, I, and O with no type.
_BEGIN, _INSIDE = 3, 1
_OUTSIDE = np.array([[2, 0]], dtype=np.uint64)
# Tokens tagged at a time: large enough to share the decoder's numpy calls among many
# docs, small enough to keep the batch's arrays at a few tens of MB.
BATCH_TOKENS = 300_000
# Emission rows, then the CRF's scores: see kg.extract.crf.Tagset.
_PARAMS = ("E", "leave", "enter", "inner", "first", "last")


def hashed_linear(rows_log2: int = 18, nO: int | None = None) -> Model[list[Doc], list[Any]]:
    """Tag scores of each token: the sum of one weight row per hashed feature.

    ``rows_log2`` sets the number of rows (2**rows_log2); ``nO`` is the number of tags.
    The model also holds the CRF's transition, first-tag and last-tag scores.
    """
    return Model(
        "kg_hashed_linear",
        _forward,
        init=_init,
        dims={"nO": nO, "nR": 2**rows_log2},
        params=dict.fromkeys(_PARAMS),
    )


registry.architectures.register("kg.HashedLinear.v1", func=hashed_linear)


def _param(model: Model[Any, Any], name: str) -> np.ndarray:
    """A parameter of ``model`` as the numpy array it is (thinc types it as its own)."""
    value: np.ndarray = cast(Any, model.get_param(name))
    return value


def _init(model: Model[list[Doc], list[Any]], X: Any = None, Y: Any = None) -> None:
    k, rows = model.get_dim("nO"), model.get_dim("nR")
    model.set_param("E", cast(Any, np.zeros((rows, k), dtype=np.float32)))
    for name in ("leave", "enter", "first", "last"):
        model.set_param(name, cast(Any, np.zeros(k, dtype=np.float32)))
    model.set_param("inner", cast(Any, np.zeros(((k - 1) // 4, 4), dtype=np.float32)))


def _forward(
    model: Model[list[Doc], list[Any]], docs: list[Doc], is_train: bool
) -> tuple[list[Any], Callable[[list[Any]], list[Doc]]]:
    weights = _param(model, "E")
    if not is_train:
        return emissions(docs, weights), lambda d_out: docs
    buckets = featurize(docs, model.get_dim("nR"))
    scores = weights[buckets[:, 0]]
    for column in range(1, buckets.shape[1]):
        scores += weights[buckets[:, column]]
    bounds = np.cumsum([len(doc) for doc in docs])[:-1]
    out = np.split(scores, bounds)

    def backprop(d_out: list[Any]) -> list[Doc]:
        d_scores = np.concatenate(d_out) if d_out else np.zeros((0, weights.shape[1]))
        used, where = np.unique(buckets.ravel(), return_inverse=True)
        repeated = np.repeat(d_scores, buckets.shape[1], axis=0)
        d_weights = np.zeros_like(weights)
        for tag in range(weights.shape[1]):
            d_weights[used, tag] = np.bincount(where, repeated[:, tag], minlength=len(used))
        support = model.attrs.get("support")
        if support is not None:
            d_weights *= support
        model.inc_grad("E", cast(Any, d_weights))
        return docs

    return out, backprop


@Language.factory(
    "kg_ner",
    default_config={
        "model": {"@architectures": "kg.HashedLinear.v1", "rows_log2": 18},
        "scorer": {"@scorers": "spacy.ner_scorer.v1"},
    },
)
def make_entity_tagger(
    nlp: Language, name: str, model: Model[list[Doc], list[Any]], scorer: Callable[..., Any]
) -> "EntityTagger":
    return EntityTagger(nlp.vocab, model, name, scorer=scorer)


class EntityTagger(TrainablePipe):  # type: ignore[misc]
    """Set ``doc.ents`` from a CRF over hashed features (see the module's docstring)."""

    def __init__(
        self,
        vocab: Vocab,
        model: Model[list[Doc], list[Any]],
        name: str = "kg_ner",
        *,
        scorer: Callable[..., Any] | None = None,
    ):
        self.vocab = vocab
        self.model = model
        self.name = name
        self.cfg: dict[str, Any] = {"labels": []}
        self.scorer = scorer
        self._tagset: Tagset | None = None

    @property
    def labels(self) -> tuple[str, ...]:
        return tuple(self.cfg["labels"])

    @property
    def tags(self) -> Tagset:
        """The BILUO tags of the labels (made again only when the labels change)."""
        if self._tagset is None or self._tagset.labels != list(self.labels):
            self._tagset = Tagset(self.labels)
        return self._tagset

    def add_label(self, label: str) -> int:
        if label in self.labels:
            return 0
        self._allow_extra_label()
        self.cfg["labels"] = sorted([*self.labels, label])
        return 1

    def initialize(
        self,
        get_examples: Callable[[], Iterable[Example]],
        *,
        nlp: Language | None = None,
        labels: Sequence[str] | None = None,
    ) -> None:
        """Take the labels from ``labels`` or the training examples; zero the weights."""
        validate_examples(get_examples(), "EntityTagger.initialize")
        if labels is None:
            labels = sorted({ent.label_ for eg in get_examples() for ent in eg.reference.ents})
        self.cfg["labels"] = sorted(labels)
        self.model.set_dim("nO", len(self.tags))
        self.model.initialize()
        self.model.attrs["support"] = self._support(get_examples())

    def _support(self, examples: Iterable[Example]) -> np.ndarray:
        """Mark the (feature, tag) pairs seen together in the gold data: only they learn.

        A weight for a tag that a feature never occurred with only fits noise (as in
        CRFsuite, which creates no such weights).
        """
        rows = self.model.get_dim("nR")
        support = np.zeros((rows, len(self.tags)), dtype=np.float32)
        examples = list(examples)
        for i in range(0, len(examples), 256):
            batch = examples[i : i + 256]
            buckets = featurize([eg.predicted for eg in batch], rows)
            gold = np.concatenate([self._gold(eg) for eg in batch])
            known = gold >= 0
            support[buckets[known], gold[known][:, None]] = 1.0
        return support

    def pipe(self, stream: Iterable[Doc], *, batch_size: int = 128) -> Iterator[Doc]:
        """Tag a stream of docs in batches of up to :data:`BATCH_TOKENS` tokens.

        ``batch_size`` is ignored: the CRF decodes all docs of a batch in step, one
        token at a time, so a batch of a few hundred abstracts costs hardly more
        numpy calls than one abstract does.
        """
        batch: list[Doc] = []
        tokens = 0
        for doc in stream:
            batch.append(doc)
            tokens += len(doc)
            if tokens >= BATCH_TOKENS:
                yield from self._tag(batch)
                batch, tokens = [], 0
        yield from self._tag(batch)

    def _tag(self, docs: list[Doc]) -> list[Doc]:
        if docs:
            self.set_annotations(docs, self.predict(docs))
        return docs

    def predict(self, docs: Iterable[Doc]) -> list[np.ndarray]:
        docs = list(docs)
        if not docs:
            return []
        emissions = self.model.predict(docs)
        return viterbi(emissions, self.tags, self._learned())

    def set_annotations(self, docs: Iterable[Doc], tags: list[np.ndarray]) -> None:
        """Set ``doc.ents``, and leave the entities' character spans in
        ``doc.user_data[MODEL_SPANS]`` for kg's resolver (all docs at once, in numpy)."""
        docs = list(docs)
        if not docs:
            return
        tagset = self.tags
        sizes = np.array([len(doc) for doc in docs])
        offsets = np.concatenate([[0], np.cumsum(sizes)])
        flat = np.concatenate(tags) if len(tags) else np.zeros(0, np.intp)
        tokens = np.concatenate([doc.to_array([IDX, LENGTH, IS_SPACE]) for doc in docs])
        starts, ends, labels = tagset.spans(flat)
        # An entity never starts or ends with white space (``\n\nTIMIT``).
        space = tokens[:, 2].astype(bool)
        while (moved := (starts < ends) & space[np.minimum(starts, len(space) - 1)]).any():
            starts = starts + moved
        while (moved := (ends > starts) & space[ends - 1]).any():
            ends = ends - moved
        kept = starts < ends
        starts, ends, labels = starts[kept], ends[kept], labels[kept]
        ids = np.array([self.vocab.strings.add(label) for label in tagset.labels], np.uint64)
        annotation = _OUTSIDE.repeat(len(flat), axis=0)
        if len(starts):
            edges = np.zeros(len(flat) + 1, np.int64)
            np.add.at(edges, starts + 1, 1)
            np.add.at(edges, ends, -1)
            inside = np.cumsum(edges[:-1]) > 0
            annotation[inside, 0] = _INSIDE
            annotation[starts, 0] = _BEGIN
            typed = np.zeros(len(flat) + 1, np.int64)
            np.add.at(typed, starts, labels + 1)
            np.add.at(typed, ends, -(labels + 1))
            which = np.cumsum(typed[:-1])
            annotation[which > 0, 1] = ids[which[which > 0] - 1]
        first_chars = tokens[starts, 0]
        end_chars = tokens[ends - 1, 0] + tokens[ends - 1, 1]
        names = [tagset.labels[i] for i in labels.tolist()]
        cut = np.searchsorted(starts, offsets)
        for i, doc in enumerate(docs):
            doc.from_array([ENT_IOB, ENT_TYPE], cast(Any, annotation[offsets[i] : offsets[i + 1]]))
            a, b = int(cut[i]), int(cut[i + 1])
            doc.user_data[MODEL_SPANS] = list(
                zip(
                    first_chars[a:b].tolist(),
                    end_chars[a:b].tolist(),
                    names[a:b],
                    strict=True,
                )
            )

    def update(
        self,
        examples: Iterable[Example],
        *,
        drop: float = 0.0,
        sgd: Optimizer | None = None,
        losses: dict[str, float] | None = None,
    ) -> dict[str, float]:
        """Learn from a batch: one CRF gradient step on the weights and transitions."""
        losses = {} if losses is None else losses
        losses.setdefault(self.name, 0.0)
        examples = list(examples)
        validate_examples(examples, "EntityTagger.update")
        docs = [eg.predicted for eg in examples]
        emissions, backprop = self.model.begin_update(docs)
        loss, d_emissions = self._loss_and_gradients(examples, emissions)
        # The mean over tokens, so that the step size does not depend on the batch size.
        tokens = max(1, sum(len(doc) for doc in docs))
        backprop([d / tokens for d in d_emissions])
        if sgd is not None:
            self.finish_update(sgd)
        losses[self.name] += loss
        return losses

    def get_loss(self, examples: Iterable[Example], scores: Any) -> tuple[float, Any]:
        return self._loss_and_gradients(list(examples), scores, learn=False)

    def _loss_and_gradients(
        self, examples: list[Example], emissions: list[np.ndarray], *, learn: bool = True
    ) -> tuple[float, list[np.ndarray]]:
        """The CRF loss of a batch and its emission gradients; with ``learn``, also pass
        the gradients of the transition scores to the model (as means over tokens)."""
        tagset = self.tags
        leave, enter, inner, first, last = self._learned()
        loss, d_emissions, d_trans, d_first, d_last = crf_gradients(
            emissions,
            [self._gold(eg) for eg in examples],
            tagset.transitions(leave, enter, inner),
            first + tagset.first_mask,
            last + tagset.last_mask,
        )
        if learn:
            tokens = max(1, sum(len(e) for e in emissions))
            grads = (*tagset.split(d_trans), d_first, d_last)
            for name, grad in zip(_PARAMS[1:], grads, strict=True):
                self.model.inc_grad(name, cast(Any, (grad / tokens).astype(np.float32)))
        return loss, d_emissions

    def to_disk(self, path: str | Path, *, exclude: Iterable[str] = ()) -> None:
        """Save ``cfg`` (labels, templates) and ``weights.npz`` (float16, compressed)."""
        path = Path(path)
        path.mkdir(parents=True, exist_ok=True)
        cfg = {**self.cfg, "rows": self.model.get_dim("nR"), "templates": len(TEMPLATES)}
        with atomic_open(path / "cfg") as f:
            f.write(srsly.json_dumps(cfg, indent=2))
        with atomic_open(path / "weights.npz", "wb") as f:
            arrays = {name: _param(self.model, name).astype("float16") for name in _PARAMS}
            np.savez_compressed(f, allow_pickle=False, **arrays)

    def from_disk(self, path: str | Path, *, exclude: Iterable[str] = ()) -> "EntityTagger":
        path = Path(path)
        cfg = srsly.read_json(path / "cfg")
        if cfg.get("templates") != len(TEMPLATES):
            raise ModelError(
                f"{path}: this NER model was trained with other features "
                f"({cfg.get('templates')} feature templates; this kg uses {len(TEMPLATES)}). "
                "Retrain it (training/train.sh), or run with --no-ner"
            )
        self.cfg["labels"] = list(cfg["labels"])
        self.model.set_dim("nO", len(self.tags), force=True)
        self.model.set_dim("nR", int(cfg["rows"]), force=True)
        with np.load(path / "weights.npz") as saved:
            for name in _PARAMS:
                self.model.set_param(name, cast(Any, saved[name].astype(np.float32)))
        return self

    def _learned(self) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
        """The learned ``leave``, ``enter``, ``inner``, ``first`` and ``last`` scores."""
        leave, enter, inner, first, last = (_param(self.model, n) for n in _PARAMS[1:])
        return leave, enter, inner, first, last

    def _gold(self, example: Example) -> np.ndarray:
        """The gold tag index of each predicted token, -1 where unknown."""
        index = {tag: i for i, tag in enumerate(self.tags.names)}
        return np.array(
            [index.get(tag, -1) if tag else -1 for tag in example.get_aligned_ner()],
            dtype=np.intp,
        )
