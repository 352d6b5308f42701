"""Which entities say something about the papers that share them: idf, and the "specific" rule.

The one home of the rule (#18), used by the store, which writes ``papers``, ``idf`` and
``specific`` on every entity after each write (``cypher/internal/write_specificity*.cypher``),
and by the queries and views that rank what papers share:

- ``papers``: the papers that mention the entity, or one of its variants (``VARIANT_OF``,
  one hop: ``UniGRPO``'s papers count for ``GRPO``). A paper reaches a concept key through
  its phrases too (``bimanual dexterous manipulation`` for ``bimanual manipulation``,
  :mod:`kg.link.concepts`): that is a link of its own.
- ``idf``: ``ln(total papers / papers)``, the information one shared entity carries.
- ``specific``: whether the entity may join two papers at all. It must be named by two
  papers or more, and by at most :data:`MAX_SHARE` of the corpus (``idf >= MIN_IDF``);
  in a corpus too small for that share to mean anything, by at most
  :data:`SMALL_CORPUS_PAPERS` papers. Its key must not be one of :data:`GENERIC_KEYS`, the
  concepts that are common in any machine-learning corpus (``accuracy``, ``learning``,
  ``robustness``, ``LLM``), so they never join papers of a small corpus either, and its
  kind must not be ``ambiguous`` (a bare acronym with no dominant meaning).

Pairs of papers are then ranked by the sum of the idf of the specific entities they
share (``cypher/overlapping_pairs.cypher``). A paper that reaches the entity through a
variant (``UniGRPO`` for ``GRPO``) or a cue (``GRPO-style``, ``diffusion-based policy``)
counts :data:`VARIANT_WEIGHT` of it; through a phrase whose concept key it is
(:mod:`kg.link.concepts`), all of it.
"""

import math
from collections.abc import Iterable
from typing import Any

from kg.names import name_key

__all__ = [
    "CONCEPT_STYLES",
    "CONCEPT_VIA",
    "GENERIC_KEYS",
    "MAX_SHARE",
    "MIN_IDF",
    "SMALL_CORPUS_PAPERS",
    "STYLE_CUES",
    "VARIANT_WEIGHT",
    "idf",
    "is_specific",
    "specificity_params",
]

# An entity more than one paper in a hundred mentions joins too much to say anything.
MAX_SHARE = 0.01
MIN_IDF = math.log(1 / MAX_SHARE)  # about 4.6
# Below 100 * SMALL_CORPUS_PAPERS papers a share means little: up to this many papers count.
SMALL_CORPUS_PAPERS = 5
# What a paper reaching an entity through a variant or a cue counts for: half of it.
VARIANT_WEIGHT = 0.5
# The ``via`` of a link kg.link.concepts adds from a paper's phrase to its concept key.
CONCEPT_VIA = "concept"
# The cue words of ``X-style``, ``X-based``: in a link's ``via`` when the paper names the
# entity only so (the link then counts VARIANT_WEIGHT); the concept keys add the others.
STYLE_CUES = frozenset({"style", "based", "like", "inspired"})
CONCEPT_STYLES = frozenset({*STYLE_CUES, "driven", "guided", "powered", "enabled"})
# Concepts common in any machine-learning corpus: each is named by more than 1% (most by
# more than 0.3%) of the 51,584 papers of ../shared/data/corpus/paperlists, or is one of
# the generic classes of system papers write as acronyms (LLM, RL, VLM). Name keys.
GENERIC_KEYS = frozenset(
    name_key(name)
    for name in """
    accuracy; precision; recall; error; robustness; efficiency; scalability; speed;
    generalization; generalization error; interpretability; performance; complexity;
    convergence; convergence rate; computational cost; computational complexity;
    computational efficiency; running time; run time; time complexity; training time;
    sample complexity; sample efficiency; learning; training; inference; reasoning;
    evaluation; optimization; generation; classification; detection; segmentation;
    recognition; retrieval; reconstruction; prediction; translation; localization;
    clustering; vision; graph; network; 3d; english; state of the art; end to end;
    real world application; unified framework; objective function; loss function;
    learning rate; learning algorithm; learning problem; optimization problem;
    optimization algorithm; network architecture; deep architecture; theoretical analysis;
    human evaluation; evaluation metric; fine tuning; pre training; neural network;
    deep neural network; deep network; deep model; neural model; deep learning;
    machine learning; reinforcement learning; supervised learning; artificial intelligence;
    large language model; language model; pre trained language model; generative model;
    classifier; encoder; decoder; generator; discriminator; natural language processing;
    computer vision; classification task; computer vision task; vision task;
    classification accuracy; prediction accuracy; AI; ML; DL; NLP; CV; RL; NN; DNN; LM;
    LLM; PLM; MLLM; VLM; LVLM; LMM
    """.replace("\n", " ").split(";")
    if name.strip()
)


def idf(papers: int, total: int) -> float:
    """``ln(total / papers)``: what sharing an entity ``papers`` of ``total`` papers name says.

    >>> round(idf(2, 188), 2), round(idf(3892, 51584), 2)
    (4.54, 2.58)
    """
    return math.log(total / papers) if papers > 0 and total > 0 else 0.0


def is_specific(key: str, papers: int, total: int, *, kind: str = "named") -> bool:
    """Whether an entity named by ``papers`` of ``total`` papers may join two of them.

    >>> is_specific("bimanual manipulation", 2, 12), is_specific("accuracy", 2, 12)
    (True, False)
    >>> is_specific("diffusion policy", 46, 51584), is_specific("robustness", 931, 51584)
    (True, False)
    >>> is_specific("mpi", 4, 200, kind="ambiguous"), is_specific("ppo", 1, 200)
    (False, False)
    """
    return (
        kind != "ambiguous"
        and key not in GENERIC_KEYS
        and 2 <= papers <= max(SMALL_CORPUS_PAPERS, MAX_SHARE * total)
    )


def specificity_params(generic: Iterable[str] = GENERIC_KEYS) -> dict[str, Any]:
    """The parameters of the statements that write ``papers``, ``idf`` and ``specific``."""
    return {
        "generic": sorted(generic),
        "max_share": MAX_SHARE,
        "small": SMALL_CORPUS_PAPERS,
    }
