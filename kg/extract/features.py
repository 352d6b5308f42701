"""Hashed word features for kg's entity tagger, computed for a whole batch of docs at once.

Each token gets one feature per *template*: the bias, its lowercase form, shape,
prefix and suffixes, the words and shapes around it, and word bigrams. A feature is
a 64-bit hash of the template and the attribute values it looks at; the tagger keeps
one row of weights per hash bucket (``rows`` buckets, a power of two).

Two ways to the same numbers:

- :func:`featurize` gives every token's buckets, for training.
- :func:`emissions` gives every token's summed weights, for tagging. A template that
  looks at one position depends on one word only, so its weights are summed once
  per distinct word of the batch, by offset, and each token adds five such sums
  (its own word's and its four neighbours') to the few templates that pair words.

Everything is numpy over the batch: the only per-token Python work is none; per
*distinct* word there is a dictionary lookup for its 4-letter suffix.
"""

from collections.abc import Sequence
from functools import cache
from importlib import resources
from typing import Any

import numpy as np
from spacy.attrs import IS_SPACE, LOWER, ORTH, PREFIX, SHAPE, SUFFIX
from spacy.strings import get_string_id
from spacy.tokens import Doc

__all__ = ["PAD", "TEMPLATES", "emissions", "featurize"]

# Columns of the attribute table: spaCy's lexical attributes, then kg's own: the
# 4-letter lowercase suffix and the word's cluster among 64, 256 and 1024 clusters of
# words that occur in similar contexts (kg/data/clusters.npz, training/clusters.py).
_SPACY_ATTRS = [ORTH, LOWER, SHAPE, SUFFIX, PREFIX, IS_SPACE]  # IS_SPACE is not a column
_ORTH, _W, _SHAPE, _SUF, _PRE, _SUF4, _C64, _C256, _C1024 = range(9)
_COLUMNS = 9
_CLUSTER_COLUMNS = {"c64": _C64, "c256": _C256, "c1024": _C1024}
# A template is a tuple of (column, offset from the token); () is the bias. Templates of
# one column are summed once per distinct word (see emissions()): add them freely.
TEMPLATES: tuple[tuple[tuple[int, int], ...], ...] = (
    (),
    ((_W, 0),),
    ((_SHAPE, 0),),
    ((_SUF, 0),),
    ((_PRE, 0),),
    ((_SUF4, 0),),
    ((_W, -1),),
    ((_W, 1),),
    ((_W, -2),),
    ((_W, 2),),
    ((_W, -1), (_W, 0)),
    ((_W, 0), (_W, 1)),
    ((_SHAPE, -1),),
    ((_SHAPE, 1),),
    ((_SHAPE, -1), (_SHAPE, 0), (_SHAPE, 1)),
    ((_SUF, -1),),
    ((_SUF, 1),),
    ((_C64, 0),),
    ((_C256, 0),),
    ((_C1024, 0),),
    ((_C256, -1),),
    ((_C256, 1),),
    ((_C1024, -1),),
    ((_C1024, 1),),
    ((_C64, -2),),
    ((_C64, 2),),
)
PAD = max(abs(offset) for template in TEMPLATES for _, offset in template)
_OFFSETS = tuple(range(-PAD, PAD + 1))
_PAD_VALUE = 0x5BD1E9955BD1E995  # every attribute of the rows around a doc
_MIX = np.uint64(0x9E3779B97F4A7C15)
_SHIFT = np.uint64(31)
_SEEDS = [np.uint64((i + 1) * 0x9E3779B97F4A7C15 % 2**64) for i in range(len(TEMPLATES))]
# The 4-letter lowercase suffix of each word seen, by the word's hash: computed once.
_suffix4: dict[int, int] = {}
_MAX_CACHED = 1_000_000  # a stream of junk words must not grow the cache forever
_CHUNK = 4096  # tokens summed at a time by emissions()


def featurize(docs: Sequence[Doc], rows: int) -> np.ndarray:
    """Return the feature buckets of every token of ``docs``, as ``(tokens, templates)``.

    ``rows`` (a power of two) is the number of buckets. Tokens of all docs follow
    one another in order; the features never look across a doc's edges.

    >>> import spacy
    >>> nlp = spacy.blank("en")
    >>> buckets = featurize([nlp("We use BERT."), nlp("Hi")], 2**10)
    >>> buckets.shape == (5, len(TEMPLATES)), int(buckets.max()) < 2**10
    (True, True)
    >>> bool((featurize([nlp("We use BERT.")], 2**10) == buckets[:4]).all())
    True
    """
    mask = _mask(rows)
    table, real, _, _ = _attribute_table(docs)
    n = len(table) - 2 * PAD
    out = np.empty((int(real.sum()), len(TEMPLATES)), dtype=np.intp)
    for i, template in enumerate(TEMPLATES):
        parts = [table[PAD + offset : PAD + offset + n, column] for column, offset in template]
        out[:, i] = (_hash(i, parts, n) & mask)[real[PAD : PAD + n]]
    return out


def emissions(docs: Sequence[Doc], weights: np.ndarray) -> list[np.ndarray]:
    """Return each doc's ``(tokens, tags)`` sums of feature weights (as :func:`featurize`
    buckets would give, summed), computing one-word templates once per distinct word.

    >>> import spacy
    >>> nlp = spacy.blank("en")
    >>> docs = [nlp("We use BERT on SQuAD."), nlp(""), nlp("BERT")]
    >>> weights = np.random.default_rng(0).normal(size=(2**10, 3)).astype(np.float32)
    >>> fast = np.concatenate(emissions(docs, weights))
    >>> slow = weights[featurize(docs, 2**10)].sum(axis=1)
    >>> [len(e) for e in emissions(docs, weights)], bool(np.allclose(fast, slow, atol=1e-5))
    ([6, 0, 1], True)
    """
    mask = _mask(len(weights))
    table, real, firsts, inverse = _attribute_table(docs)
    k = weights.shape[1]
    words = table[firsts]  # one row per distinct word (the padding value included)
    by_offset = {offset: np.zeros((len(words), k), np.float32) for offset in _OFFSETS}
    pairs = []
    for i, template in enumerate(TEMPLATES):
        if len(template) == 1:
            ((column, offset),) = template
            by_offset[offset] += weights[_hash(i, [words[:, column]], len(words)) & mask]
        else:
            pairs.append(i)
    n = len(table) - 2 * PAD
    scores = np.empty((n, k), dtype=np.float32)
    gathered = np.empty((_CHUNK, k), dtype=np.float32)
    # In chunks that stay in the CPU's cache: every step reads and writes the whole chunk.
    for a in range(0, n, _CHUNK):
        b = min(a + _CHUNK, n)
        out, tmp = scores[a:b], gathered[: b - a]
        np.take(by_offset[0], inverse[PAD + a : PAD + b], axis=0, out=out)
        for offset in _OFFSETS:
            if offset:
                np.take(by_offset[offset], inverse[PAD + a + offset : PAD + b + offset], 0, tmp)
                out += tmp
        for i in pairs:
            parts = [
                table[PAD + a + offset : PAD + b + offset, column]
                for column, offset in TEMPLATES[i]
            ]
            np.take(weights, _hash(i, parts, b - a) & mask, axis=0, out=tmp)
            out += tmp
    kept = scores[real[PAD : PAD + n]]
    bounds = np.cumsum([len(doc) for doc in docs])[:-1]
    return np.split(kept, bounds)


def _hash(template: int, parts: list[np.ndarray], n: int) -> np.ndarray:
    h = np.full(n, _SEEDS[template], dtype=np.uint64)
    for values in parts:
        h ^= values
        h *= _MIX
        h ^= h >> _SHIFT
    return h


def _mask(rows: int) -> np.uint64:
    if rows <= 0 or rows & (rows - 1):
        raise ValueError(f"the number of weight rows must be a power of two, not {rows}")
    return np.uint64(rows - 1)


def _attribute_table(docs: Sequence[Doc]) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Stack the docs' attributes with ``PAD`` padding rows before, between and after them.

    Returns the table, a mask of its rows that are real tokens, the first row of each
    distinct word (by ORTH) and each row's index among the distinct words.
    """
    size = sum(len(doc) for doc in docs) + PAD * (len(docs) + 1)
    table = np.full((size, _COLUMNS), _PAD_VALUE, dtype=np.uint64)
    real = np.zeros(size, dtype=bool)
    at = PAD
    for doc in docs:
        if len(doc):
            attributes = doc.to_array(_SPACY_ATTRS)
            # White space (the break between title and abstract, a double space) looks
            # like the edge of the doc: the words after it are featurised as a start.
            attributes[attributes[:, -1] == 1] = _PAD_VALUE
            table[at : at + len(doc), : len(_SPACY_ATTRS) - 1] = attributes[:, :-1]
            real[at : at + len(doc)] = True
        at += len(doc) + PAD
    _, firsts, inverse = np.unique(table[:, _ORTH], return_index=True, return_inverse=True)
    if docs:
        words = table[firsts, _W]
        strings = docs[0].vocab.strings
        suffixes = [_word_suffix4(int(w), strings) for w in words.tolist()]
        table[:, _SUF4] = np.array(suffixes, dtype=np.uint64)[inverse]
        keys, clusters = _clusters()
        if len(keys):
            at = np.minimum(np.searchsorted(keys, words), len(keys) - 1)
            known = (keys[at] == words) & (words != _PAD_VALUE)
            for name, column in _CLUSTER_COLUMNS.items():
                ids = np.where(known, clusters[name][at].astype(np.uint64) + 1, 0)
                ids[words == _PAD_VALUE] = _PAD_VALUE
                table[:, column] = ids[inverse]
    return table, real, firsts, inverse


@cache
def _clusters() -> tuple[np.ndarray, dict[str, np.ndarray]]:
    """The word clusters shipped with kg: sorted word hashes and each word's cluster ids.

    Without the file every word is in no cluster (the features still work, worse).
    """
    path = resources.files("kg").joinpath("data/clusters.npz")
    if not path.is_file():
        return np.zeros(0, np.uint64), {}
    with path.open("rb") as f, np.load(f) as saved:
        return saved["keys"].astype(np.uint64), {name: saved[name] for name in _CLUSTER_COLUMNS}


def _word_suffix4(word: int, strings: Any) -> int:
    """The hash of a word's last four lowercase letters (the padding keeps its value)."""
    if word == _PAD_VALUE:
        return _PAD_VALUE
    value = _suffix4.get(word)
    if value is None:
        value = get_string_id("s4:" + strings[word][-4:])
        if len(_suffix4) < _MAX_CACHED:
            _suffix4[word] = value
    return value
