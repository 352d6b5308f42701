"""Tell named entities (``CodeBERT``, ``XNLI``, ``Soft Actor-Critic``) from generic concepts.

Every mention gets a kind (#17): ``named``, the proper name of a model, dataset, method,
task, metric, organisation or repository, or ``concept``, a generic phrase (``policy
learning``, ``downstream tasks``, ``accuracy``). The graph's default views and top lists
show named entities; concepts stay stored and queryable.

The decision (:func:`mention_kind`) reads where the mention came from, then its form:

- from a rule that names things (a catalog name, an acronym the paper defines, a
  versioned model name, ``we propose X``, a URL): named, unless it is one of the generic
  concepts written as acronyms (``LLM``, ``RL``, ``VLM``: :data:`GENERIC_ACRONYMS`);
- otherwise from its form: an all-caps acronym, an inner capital, letters with digits, a
  hyphenated compound of capitalised parts, several capitalised words (or one capitalised
  word) that are not just the capitals of a sentence start or a title, a URL. Generic
  heads (``dataset``, ``benchmark``, ``model``) and versions after a name keep it named
  (``LoCoMo benchmark``, ``MultiVENT 2.0``); any other lowercase word makes it a concept
  (``LLM-based agents``, ``Wikipedia and long narrative datasets``).

An entity's kind is the one most of its papers give it (:func:`entity_kind`).

Long because the word lists the decision reads (generic acronyms, sensors and quantities,
languages, generic heads) sit beside the rules that use them, so one file says why a
mention is named or a concept.
"""

import re
from collections.abc import Iterable
from functools import lru_cache
from typing import Literal

from kg.extract.shapes import NOT_NAMES

__all__ = [
    "CONCEPT",
    "GENERIC_ACRONYMS",
    "GENERIC_PHRASES",
    "KINDS",
    "MODIFIER_SUFFIXES",
    "NAMED",
    "Kind",
    "entity_kind",
    "mention_kind",
]

Kind = Literal["named", "concept"]
NAMED: Kind = "named"
CONCEPT: Kind = "concept"
KINDS: tuple[Kind, ...] = (NAMED, CONCEPT)

# Rules whose spans are names by how they were found: a catalog name, an acronym the paper
# (or another paper of the corpus) defines, a versioned model name, a proposal, a URL.
_NAMING_RULES = frozenset(
    {"catalog", "acronym", "corpus-acronym", "model", "propose", "apposition", "url"}
)
_ACRONYM_RULES = frozenset({"acronym", "corpus-acronym"})
# Rules whose mentions are not judged by their own form alone (a cue: by the name it
# points at).
_NOT_BY_FORM = _NAMING_RULES | _ACRONYM_RULES | {"cue"}
# Of those, the rules that read the sentence around a span (``we propose a unified
# framework``): a lowercase phrase they give is still a concept.
_CONTEXT_RULES = frozenset({"propose", "apposition"})
# Catalog types whose entries include plain phrases (Papers with Code tasks and metrics:
# ``bug fixing``, ``accuracy``): there the form decides. So it does for a method of several
# words the text writes in lower case, as a common noun (``curriculum learning``); one word
# stays a name (``transformer``, ``dropout``, ``word2vec``).
_PHRASE_TYPES = frozenset({"Task", "Metric"})
# Generic concepts that papers write as acronyms: the classes of system or technique a
# paper is about, not one system or technique (#17). Singular, as kg.names keys them.
GENERIC_ACRONYMS = frozenset(
    """AI AGI ML DL NLP NLU NLG CV IR RL DRL MARL IL LLM LM PLM SLM MLLM LVLM LMM VLM VLA VLN
    VQA LRM MoE NN DNN ANN GAN VAE SFT PTQ QAT KD RAG SSL ASR TTS OCR QA MT FL GPU CPU API
    SOTA KV UI GUI OOD IID KG KB DAG OT MDP POMDP NAT DA DG CL TL MTL AL FSL ZSL HRL IRL
    NMT SMT S2S HCI IoT AR VR UAV SA FLOP ECG EEG MRI CT IE""".split()
) | frozenset(
    # Sensors, signals, imaging modalities, records and quantities: what a paper works on or
    # with, never one model, dataset or method (``LiDAR point clouds``, ``6-DoF poses``).
    """LiDAR LIDAR IMU RGB RGBD RGB-D ToF TOF HSI fMRI EHR BEV DoF DOF ROI RoI HDR HR LR FOV
    FoV NL AutoML""".split()
)
# A count before a quantity's acronym: ``6-DoF``, ``7-DOF``.
_COUNT_PREFIX = re.compile(r"\d+-")
# Natural languages are not the entities kg looks for, capitalised as they are; nor are the
# common nouns written with a capital (``images collected from the Internet``).
_LANGUAGES = frozenset(
    """English Chinese Mandarin Cantonese Japanese Korean German French Spanish Portuguese
    Italian Dutch Russian Arabic Hindi Bengali Urdu Turkish Persian Vietnamese Thai
    Indonesian Swahili Greek Hebrew Polish Czech Swedish Finnish Ukrainian Romanian
    Internet""".split()
)
# Long forms of those acronyms and other capitalised generic phrases (keys: lower case,
# no hyphens, singular): ``Large Language Models (LLMs)`` is a concept however written.
GENERIC_PHRASES = frozenset(
    {
        "artificial intelligence",
        "machine learning",
        "automated machine learning",
        "deep learning",
        "natural language processing",
        "computer vision",
        "information retrieval",
        "reinforcement learning",
        "deep reinforcement learning",
        "multi agent reinforcement learning",
        "imitation learning",
        "meta learning",
        "transfer learning",
        "representation learning",
        "contrastive learning",
        "multi task learning",
        "few shot learning",
        "zero shot learning",
        "active learning",
        "continual learning",
        "curriculum learning",
        "learning",
        "large language model",
        "language model",
        "small language model",
        "pretrained language model",
        "pre trained language model",
        "multimodal large language model",
        "multi modal large language model",
        "large vision language model",
        "large multimodal model",
        "vision language model",
        "vision language action model",
        "vision language action",
        "large reasoning model",
        "mixture of experts",
        "neural network",
        "deep neural network",
        "supervised fine tuning",
        "fine tuning",
        "post training quantization",
        "knowledge distillation",
        "retrieval augmented generation",
        "self supervised learning",
        "question answering",
        "visual question answering",
        "machine translation",
        "federated learning",
        "state of the art",
    }
)
# The first words of those phrases: a text starting otherwise is none of them.
_PHRASE_FIRSTS = frozenset(phrase.split()[0] for phrase in GENERIC_PHRASES)
# Words a name may carry after it and stay a name: ``LoCoMo benchmark``, ``BART model``.
_HEADS = frozenset(
    """dataset datasets benchmark benchmarks corpus corpora suite testbed leaderboard
    collection database environment environments simulator challenge task tasks model models
    framework frameworks algorithm algorithms method methods architecture architectures
    network networks library toolkit platform system systems agent agents family series
    variant variants version versions score scores metric metrics loss objective optimizer
    index engine language split set""".split()
)
# Words that open a sentence and that rules misread as names (``Meanwhile, X is proposed``).
_OPENERS = NOT_NAMES | frozenset(
    """Meanwhile Furthermore Additionally Further Instead Next First Second Third Lastly
    Similarly Consequently Therefore Indeed Importantly Experimentally Empirically
    Theoretically Extensive Experiments Results""".split()
)
# Small words a title-cased name may hold: ``Causal Hierarchy of Actions and Interactions``.
_GLUE = frozenset("of and for the in on with to a an via from by at or vs".split())
# Hyphen parts that make a word a modifier, not a name: ``BERT-based``, ``GRPO-style``.
MODIFIER_SUFFIXES = frozenset(
    """based style like guided driven aware free specific level scale inspired powered
    enhanced augmented conditioned centric oriented only tuned trained aligned""".split()
)
# Lowercase prefixes that make a hyphenated word an adjective: ``non-NN``, ``multi-GPU``.
_PREFIXES = frozenset("non anti pre post multi semi self cross sub super inter intra un".split())
# An inner capital (``LoRA``, ``mBART``), two capitals in a row (``XNLI``), letters and
# digits in one word (``Qwen3``, ``GPT-4``, ``LM1B``).
_INNER_CAPITAL = re.compile(r"[a-z][A-Z]|[A-Z]{2}")
_LETTER_DIGIT = re.compile(r"[A-Za-z]\d|\d[A-Za-z]")
_DIGIT = re.compile(r"\d")
_VERSION = re.compile(r"v?\d+(?:\.\d+)*[a-z]?|[IVX]+|\d+[BMK]|\(\w+\)")
_URL = re.compile(r"^(?:https?://|www\.)|^(?:github\.com|huggingface\.co|gitlab\.com)/", re.I)
_WORD_EDGES = "()[]{},;:.\"'"
_DASHES = re.compile("[-/\u2010\u2011\u2013]")  # hyphens, the en dash and the slash


def mention_kind(
    text: str,
    type_: str = "",
    *,
    rule: str = "",
    section: str = "abstract",
    sentence: str = "",
    canonical: str = "",
    aliases: Iterable[str] = (),
) -> Kind:
    """Return whether a mention is a ``named`` entity or a generic ``concept``.

    ``type_`` is the entity type's value (``Method``, ``Task``, ...); ``rule`` the
    component that found the span (``catalog``, ``acronym``, ``model``, ``propose``,
    ``cue``, ``ner``, ...); ``sentence`` the sentence holding it, to tell a capital that
    only starts the sentence; in a ``title`` section capitals tell nothing.

    Names by their form:

    >>> [mention_kind(t) for t in ("BERT-large", "LLaMA-3-7B", "CodeBERT", "SDXL", "XNLI")]
    ['named', 'named', 'named', 'named', 'named']
    >>> [mention_kind(t) for t in ("Show-o", "SEED-X", "MuJoCo", "Soft Actor-Critic")]
    ['named', 'named', 'named', 'named']
    >>> mention_kind("Franka Emika Panda"), mention_kind("github.com/x/y")
    ('named', 'named')
    >>> mention_kind("LoCoMo benchmark"), mention_kind("MultiVENT 2.0")
    ('named', 'named')

    Generic phrases, capitalised or not:

    >>> [mention_kind(t) for t in ("policy learning", "fast adaptation", "joint strategies")]
    ['concept', 'concept', 'concept']
    >>> mention_kind("real-world applications"), mention_kind("accuracy", "Metric")
    ('concept', 'concept')
    >>> mention_kind("LLM-based agents"), mention_kind("GRPO-style reinforcement learning")
    ('concept', 'concept')
    >>> mention_kind("Large Language Models"), mention_kind("LLMs"), mention_kind("RL")
    ('concept', 'concept', 'concept')

    A capital that only starts a sentence or belongs to a title names nothing:

    >>> mention_kind("Janus", sentence="We compare with Janus."), mention_kind(
    ...     "Transformers", sentence="Transformers are slow.")
    ('named', 'concept')
    >>> mention_kind("Agentic Data Synthesis", section="title")
    'concept'
    >>> mention_kind("PyVision-RL", section="title")
    'named'

    Where it came from:

    >>> mention_kind("attention-guided clustering", rule="acronym", aliases=["AGC"])
    'named'
    >>> mention_kind("reinforcement learning", rule="acronym", aliases=["RL"])
    'concept'
    >>> mention_kind("An Interactive Benchmark", rule="acronym", aliases=["Action"])
    'concept'
    >>> mention_kind("Transformer", "Method", rule="catalog")
    'named'
    >>> mention_kind("curriculum learning", "Method", rule="catalog")
    'concept'
    >>> mention_kind("bug fixing", "Task", rule="catalog")
    'concept'
    >>> mention_kind("GRPO-style", rule="cue", canonical="GRPO")
    'named'
    >>> mention_kind("Meanwhile", rule="propose"), mention_kind("End-to-End", section="title")
    ('concept', 'concept')
    """
    if (
        rule not in _NOT_BY_FORM
        and text.islower()
        and "/" not in text
        and "www." not in text
        and not _DIGIT.search(text)
    ):
        # Most mentions (the tagger's phrases): no capital, no digit, no URL, from a rule
        # that does not name things. Generic or not, the form makes them a concept.
        return CONCEPT
    # Only whether the mention opens its sentence depends on the sentence: the rest is
    # decided once per distinct mention (names repeat across a corpus's abstracts).
    aliases = tuple(aliases)
    opener = canonical if rule == "cue" and canonical else text
    initial = section == "title" or _starts(sentence, opener)
    return _kind(text, type_, rule, section, initial, canonical, aliases)


@lru_cache(maxsize=1 << 16)
def _kind(
    text: str,
    type_: str,
    rule: str,
    section: str,
    initial: bool,
    canonical: str,
    aliases: tuple[str, ...],
) -> Kind:
    """:func:`mention_kind`, with ``initial`` for whether the mention opens its sentence."""
    if (
        _generic(text)
        or (canonical != text and _generic(canonical))
        or any(_generic(a) for a in aliases)
    ):
        return CONCEPT
    if text in _OPENERS:
        return CONCEPT  # ``Meanwhile``: a sentence's first word
    if rule in _ACRONYM_RULES and not any(_strong(a, title=False) for a in aliases or [text]):
        rule = ""  # ``From Perception to Action: An ...`` read as a definition of ``Action``
    if rule in _NAMING_RULES and not (rule == "catalog" and _plain_entry(text, type_)):
        return CONCEPT if rule in _CONTEXT_RULES and text.islower() and " " in text else NAMED
    if rule == "cue" and canonical:
        text = canonical  # the name the cue points at: GRPO in GRPO-style
    strip = text.strip(_WORD_EDGES + " ")
    if ("/" in strip or strip[:4].lower() == "www.") and _URL.search(strip):  # cheap test first
        return NAMED
    return NAMED if _named_form(strip, title=section == "title", initial=initial) else CONCEPT


def entity_kind(kinds: Iterable[str], *, tie: Kind = CONCEPT) -> Kind:
    """Return the kind most of ``kinds`` are, and ``tie`` when as many are named as not.

    The linker gives a paper's link to an entity the kind most of the paper's mentions
    of it have, a tie counting as named (``Test-Time Training`` in the title, a concept
    there, and ``TTT`` in the abstract: the paper names it). The entity takes the kind
    most of its papers give it, a tie counting as a concept: a generic phrase one paper
    happens to capitalise (``Policy Learning``) stays a concept, a name a paper spells
    in lower case (``bert``) stays named.

    >>> entity_kind(["named", "concept", "named"]), entity_kind(["concept", "named"])
    ('named', 'concept')
    >>> entity_kind(["concept", "named"], tie="named"), entity_kind([])
    ('named', 'concept')
    """
    named = concept = 0
    for kind in kinds:
        if kind == CONCEPT:
            concept += 1
        else:
            named += 1
    if named == concept:
        return tie
    return NAMED if named > concept else CONCEPT


def _plain_entry(text: str, type_: str) -> bool:
    """Whether a catalog name is a plain phrase, to be judged by its form.

    >>> _plain_entry("accuracy", "Metric"), _plain_entry("curriculum learning", "Method")
    (True, True)
    >>> _plain_entry("Adam", "Method"), _plain_entry("transformer", "Method")
    (False, False)
    """
    return type_ in _PHRASE_TYPES or (type_ == "Method" and text.islower() and " " in text)


def _modifier(word: str) -> bool:
    """Whether a hyphenated word modifies a noun (``BERT-based``, ``GRPO-style``)."""
    last = _DASHES.split(word)[-1]
    return last != word and last.casefold() in MODIFIER_SUFFIXES


def _generic_word(word: str) -> bool:
    """Whether one word is a generic acronym, singular or plural (``LLM``, ``VLMs``,
    ``6-DoF``), or a language (``English``)."""
    if word in GENERIC_ACRONYMS or word in _LANGUAGES:
        return True
    count = _COUNT_PREFIX.match(word) if word[:1].isdigit() else None
    if count is not None:
        word = word[count.end() :]  # ``6-DoF``: the quantity
        if word in GENERIC_ACRONYMS:
            return True
    return word.endswith("s") and word[:-1] in GENERIC_ACRONYMS


@lru_cache(maxsize=1 << 16)
def _generic(text: str) -> bool:
    """Whether ``text`` is a generic acronym or phrase (``LLMs``, ``Vision-Language Model``).

    >>> _generic("LLMs"), _generic("Vision-Language Models"), _generic("VLA models")
    (True, True, True)
    >>> _generic("GRPO"), _generic("Large Language Model Meta AI")
    (False, False)
    """
    first_word = text.split(None, 1)
    if not first_word or not _may_be_generic(first_word[0]):
        return False  # most texts: the first word tells at once (cached per word)
    # ``Language Model (LM) agents``: without the acronym and the head, a generic phrase.
    words = [w for w in text.split() if not (w.startswith("(") and w.endswith(")"))]
    words = [w.strip(_WORD_EDGES) for w in words]
    if not words or not words[0]:
        return False
    first = _DASHES.split(words[0].casefold(), maxsplit=1)[0]
    if first not in _PHRASE_FIRSTS and first[:-1] not in _PHRASE_FIRSTS:
        # No generic phrase starts so: only a generic word with generic heads is generic.
        return _generic_word(words[0]) and all(w.casefold() in _HEADS for w in words[1:])
    while words and words[0]:
        if len(words) == 1 and _generic_word(words[0]):
            return True
        key = _DASHES.sub(" ", " ".join(words).casefold())
        if key in GENERIC_PHRASES or (key.endswith("s") and key[:-1] in GENERIC_PHRASES):
            return True
        if len(words) == 1 or words[-1].casefold() not in _HEADS:
            return False
        words.pop()  # ``VLA models``, ``LLM agents``: without the head
    return False


@lru_cache(maxsize=1 << 16)  # the same first words recur in every abstract
def _may_be_generic(word: str) -> bool:
    """Whether a text starting with the whitespace-separated ``word`` may be generic: False
    when :func:`_generic` would say no from its first word alone.

    >>> _may_be_generic("policy"), _may_be_generic("Large"), _may_be_generic("LLMs")
    (False, True, True)
    """
    if word.startswith("(") and word.endswith(")"):
        return True  # left out of the words: the next one decides
    word = word.strip(_WORD_EDGES)
    if not word:
        return False
    first = _DASHES.split(word.casefold(), maxsplit=1)[0]
    return first in _PHRASE_FIRSTS or first[:-1] in _PHRASE_FIRSTS or _generic_word(word)


def _starts(sentence: str, text: str) -> bool:
    """Whether ``text`` opens ``sentence`` (its capital may be the sentence's)."""
    return bool(sentence) and sentence.lstrip(" \"'(").startswith(text)


@lru_cache(maxsize=1 << 16)
def _named_form(text: str, *, title: bool, initial: bool) -> bool:
    """Whether the words of ``text`` are shaped like a name (see :func:`mention_kind`).

    >>> _named_form("Cupboard Fitting benchmark", title=False, initial=False)
    True
    >>> _named_form("Gaussian relaxation training", title=False, initial=False)
    False
    >>> _named_form("Vision-language-action", title=False, initial=True)
    False
    >>> _named_form("Bayesian models", title=False, initial=False)
    False
    >>> _named_form("Hamiltonian Monte Carlo", title=False, initial=False)
    True
    >>> _named_form("TREC and DBLP data sets", title=False, initial=False)
    True
    """
    if text.islower() and not _DIGIT.search(text):
        return False  # no capital and no digit (most phrases): no word has a name's shape
    words = [w.strip(_WORD_EDGES) for w in text.split()]
    words = [w for w in words if w]
    if not words:
        return False
    if len(words) > 2 and words[-2] == "data" and words[-1] in ("set", "sets"):
        words[-2:] = ["dataset"]  # ``MNIST data set``: a generic head, in two words
    strong = capitalised = 0
    last = len(words) - 1
    for i, word in enumerate(words):
        shape = _word_shape(word, title)
        if shape == _MODIFIER:
            return False  # ``LLM-based agents``: a phrase about a name
        if shape == _STRONG:
            strong += 1
        elif shape == _NO_NAME:
            continue  # ``Bayesian models``, ``LLM``: capitalised, but no name of their own
        elif shape in (_CAPITAL, _OPENER):
            if i == 0 and shape == _OPENER:
                return False  # ``The Benchmark``, ``Existing methods``
            capitalised += 1
        elif shape == _VERSION_WORD and i > 0:
            continue  # ``MultiVENT 2.0``, ``TREC DL 19``
        elif shape == _GLUE_WORD and 0 < i < last:
            continue
        elif shape == _HEAD and i == last and i > 0:
            continue  # ``LoCoMo benchmark``
        else:
            return False  # a lowercase word: a phrase, not a name
    if strong:
        return True
    if title:
        return False
    if capitalised >= 2:
        return True
    return capitalised == 1 and not initial


# What one word of a phrase is, for :func:`_named_form` (which adds where it stands).
_MODIFIER, _STRONG, _NO_NAME, _CAPITAL, _OPENER, _VERSION_WORD, _GLUE_WORD, _HEAD, _LOWER = range(9)


@lru_cache(maxsize=1 << 16)  # the same words recur in every abstract
def _word_shape(word: str, title: bool) -> int:
    """One word's shape: a modifier, a name by itself, a capitalised word that names
    nothing, a capitalised word (one that opens a generic phrase: ``_OPENER``), a
    version, a glue word, a generic head, or another lowercase word."""
    if _modifier(word):
        return _MODIFIER
    if _strong(word, title=title):
        return _STRONG
    lower = word.casefold()
    if lower.endswith(("ian", "ean")) or _generic_word(word):
        return _NO_NAME
    if word[0].isupper():
        return _OPENER if word in NOT_NAMES else _CAPITAL
    if _VERSION.fullmatch(word):
        return _VERSION_WORD
    if lower in _GLUE:
        return _GLUE_WORD
    if lower in _HEADS:
        return _HEAD
    return _LOWER


@lru_cache(maxsize=1 << 16)
def _strong(word: str, *, title: bool) -> bool:
    """Whether one word is a name by its own shape, wherever it stands.

    >>> [_strong(w, title=False) for w in ("CodeBERT", "Qwen3", "Predictor-Corrector")]
    [True, True, True]
    >>> [_strong(w, title=False) for w in ("BERT-based", "LLMs", "non-NN")]
    [False, False, False]
    >>> _strong("Test-Time", title=True), _strong("Show-o", title=True), _strong("3D", title=False)
    (False, True, False)
    """
    parts = [p for p in _DASHES.split(word) if p]
    if not parts or _modifier(word) or _generic_word(word):
        return False
    if len(parts) > 1 and parts[0] in _PREFIXES:
        return False  # ``non-NN``, ``multi-GPU``: a modifier
    if _INNER_CAPITAL.search(word):
        return True
    if _LETTER_DIGIT.search(word) and sum(c.isalpha() for c in word) >= 2:
        return True
    if len(parts) > 1 and parts[0][0].isupper():
        rest = parts[1:]
        if any(len(p) <= 2 and p.isalpha() and p not in _GLUE for p in rest):
            return True  # ``Show-o``, ``SEED-X``, not ``End-to-End``
        if not title and all(p[0].isupper() or p.isdigit() for p in rest):
            return True  # ``Predictor-Corrector``, ``Soft Actor-Critic``
    return False
