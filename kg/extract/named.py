"""Words shaped like names (``CodeBERT``, ``SROIE``, ``Qwen2-7B``, ``Show-o``), typed from context.

A word is *name-shaped* when it has an inner capital, two capitals, letters and digits
together, or a capitalised stem with a one-character hyphen part (:func:`name_shape`).
Each is typed from the words around it (``trained on X``, ``the X dataset``,
``outperforms X``, ``X achieves``), else from its form (``…BERT``, ``…Net``,
``…former``: a model), else left as a guess: a model, which is what most named
words in ML abstracts are. The corpus then gives every name the type most of its
mentions have (:func:`kg.link.link`).
"""

import re
from dataclasses import dataclass
from functools import lru_cache

from kg.extract.shapes import NOT_NAME_WORDS
from kg.models import EntityType

__all__ = ["Named", "context_type", "find_named", "form_type", "name_parts", "name_shape"]

# Word-like runs that may be names: starting with a capital or a digit, or with up to three
# lowercase letters and a capital (mBART, iGPT, kNN-LM); hyphenated parts included. The
# match starts at the capital (the pattern is tried at capitals only: 3 times faster than
# a look-behind tried everywhere); a lowercase prefix is added back by the caller.
_WORD = re.compile(
    r"[A-Z0-9](?:(?<![\w.+-][A-Z0-9])|(?<=(?<![\w.+-])[a-z][A-Z])"
    r"|(?<=(?<![\w.+-])[a-z]{2}[A-Z])|(?<=(?<![\w.+-])[a-z]{3}[A-Z]))"
    r"(?=[a-z_]*[A-Z0-9+.-])"  # not a plain capitalised word (``Retrieval``): most of them
    r"[\w+]*(?:[.-][\w+]+)*(?:(?<=\d)/\d+(?![\w/]))?"  # ``SogouT-08/12``: a version range
)
_INNER_CAPITAL = re.compile(r"[a-z][A-Z]")
_TWO_CAPITALS = re.compile(r"[A-Z][^A-Z]*[A-Z]")
_LETTER = re.compile(r"[A-Za-z]")
_DIGIT = re.compile(r"\d")
# Measures, not names: 16GB, 34B, 2D, 1M, 100K, 4x, 3.5B, V100 is kept (hardware below).
_MEASURE = re.compile(r"\d+(?:\.\d+)?[A-Za-z]{1,2}|[A-Z]?\d+(?:\.\d+)?")
# ``Show-o``, ``Janus-1``: a capitalised stem and a one-character part.
# A lowercase hyphen part that makes a modifier of the name, not part of it (sizes stay).
_MODIFIER = re.compile(
    r"(?:-(?!(?:base|large|small|tiny|mini|medium|huge|xl|xxl|instruct|chat|it|v\d)\b)"
    r"[a-z]{3,})+$"
)
# Capitalised words joined by hyphens, as titles write them: Real-World, Long-Horizon.
_TITLE_COMPOUND = re.compile(r"[A-Z][a-z]+(?:-[A-Z][a-z]+)+")
# Metrics written as acronyms, with a one-letter variant prefix (``rFID``, ``gFID``, ``mAP``).
_METRIC = re.compile(
    r"[a-z]?(?:FID|FVD|KID|PSNR|SSIM|LPIPS|BLEU|ROUGE(?:-\w+)?|CIDEr|METEOR|AUC|AUROC|AUPRC"
    r"|IoU|AP|MRR|NDCG|WER|CER|MSE|MAE|RMSE|EM|F1)(?:@\d+)?"
)
_METRIC_STARTS = ("Recall@", "Precision@", "Hits@", "Acc@", "Top-", "AU-", "F-")
_DIGITS_THEN_WORD = re.compile(r"\d+[a-z]{3,}")
_SHORT_PART = re.compile(r"[A-Z][a-z]{2,}-[a-z0-9]")
# Suffixes that make a trained model: CodeBERT, mBART, ClassiNet, RoFormer, StyleGAN, iGPT.
_MODEL_FORM = re.compile(
    r"(?:BERT|BART|GPT|T5|LM|Former|former|Net|GAN|CLIP|ViT|LLaMA|Llama|XL)s?"
    r"(?:-?v?\d[\w.]*|-(?:base|large|small|xl|xxl|tiny|mini))?$"
)
_SIZE_PART = re.compile(r"-\d+(?:\.\d+)?[BMK]\b|\d+(?:\.\d+)?B$")

# The words after a name that say what it is (the first word, lowercased, no punctuation).
_AFTER_WORDS: dict[str, EntityType] = {
    **dict.fromkeys(
        "dataset datasets corpus corpora benchmark benchmarks split splits leaderboard "
        "leaderboards accuracy score scores zero-shot few-shot collection database suite "
        "testbed images videos questions task tasks".split(),
        EntityType.DATASET,
    ),
    **dict.fromkeys(
        "model models baseline baselines checkpoint checkpoints encoder encoders decoder "
        "decoders variant variants achieves achieved outperforms outperformed obtains reaches "
        "surpasses performs generates predicts".split(),
        EntityType.MODEL,
    ),
    **dict.fromkeys(
        "algorithm algorithms method methods loss losses objective objectives technique "
        "techniques regularization regularizer optimizer optimizers strategy procedure".split(),
        EntityType.METHOD,
    ),
}
# Two words after a name: ``test set``, ``is trained``.
_SET_WORDS = frozenset("test dev development validation training train".split())
_TRAINED = frozenset("trained pre-trained pretrained fine-tuned finetuned".split())
# The word right before a name (after articles and adjectives, skipped).
_BEFORE_WORDS: dict[str, EntityType] = {
    **dict.fromkeys(
        "outperforms outperform outperforming outperformed surpasses surpass surpassing beats "
        "beat fine-tune fine-tunes fine-tuned fine-tuning finetune finetunes finetuned "
        "finetuning pre-trained pretrained distill distills distilled distilling against "
        "versus vs. than".split(),
        EntityType.MODEL,
    ),
}
_SKIPPED = frozenset(
    "the a an both several standard popular challenging multiple strong large base original "
    "pre-trained pretrained".split()
)
# ``on X`` names a dataset, except after these (``based on X``).
_NOT_ON = frozenset("based focus focuses focused rely relies built depend depends "
                    "conditioned work works working".split())  # fmt: skip
_COMPARE = frozenset("compare compares compared comparing".split())
_SUCH_AS = frozenset("as like including e.g. e.g., i.e. i.e., namely".split())
_KINDS_LISTED = {
    "datasets": EntityType.DATASET,
    "benchmarks": EntityType.DATASET,
    "corpora": EntityType.DATASET,
    "models": EntityType.MODEL,
    "baselines": EntityType.MODEL,
    "llms": EntityType.MODEL,
}
_EDGE = ",.;:()[]\"'"
_BEFORE_WINDOW = 48  # characters looked at before a name
_AFTER_WINDOW = 32
_LIST_GAP = re.compile(r",?\s+(?:and|or)\s+|,\s*|\s*/\s*")
_COMMON_LOWER = "etaoinsrlcdhu"
_CAPS_RUN = re.compile(r"[A-Z][A-Z]+[^a-z]{1,3}[A-Z][A-Z]+[^a-z]{1,3}[A-Z]{2}")


@dataclass(frozen=True, slots=True)
class Named:
    """A name-shaped word, the type its context or form gives, and how strongly."""

    start: int
    end: int
    type: EntityType
    weight: int  # 2: the context or the form says so; 1: a guess
    cue: str  # what said so: a context word, "form" or ""


@lru_cache(maxsize=1 << 16)  # a word's shape, the same in every abstract
def name_shape(word: str) -> bool:
    """Whether ``word`` is shaped like a name rather than an ordinary or generic word.

    >>> [name_shape(w) for w in ("CodeBERT", "mBART", "SROIE", "WiC", "Qwen2", "Show-o")]
    [True, True, True, True, True, True]
    >>> [name_shape(w) for w in ("Retrieval", "NLP", "16GB", "2D", "GPUs", "III", "Real-World")]
    [False, False, False, False, False, False, False]
    >>> [name_shape(w) for w in ("IS", "nD", "rFID", "NeurIPS")]
    [False, False, False, False]
    """
    if word.isalpha() and word.istitle():
        return False  # ``Retrieval``: most capitalised words, decided at once
    if len(word) < 3 or word in NOT_NAME_WORDS or _MEASURE.fullmatch(word):
        return False
    if _TITLE_COMPOUND.fullmatch(word) or _METRIC.fullmatch(word):
        return False  # ``Real-World`` in a title; ``rFID``, a metric
    if _DIGITS_THEN_WORD.match(word):  # ``8timesH100``: LaTeX ``8$\times$H100`` stripped
        return False
    if word.endswith("s") and word[:-1] in NOT_NAME_WORDS:
        return False
    if _INNER_CAPITAL.search(word) or _TWO_CAPITALS.search(word):
        return True
    if _SHORT_PART.fullmatch(word):
        return True
    return bool(_DIGIT.search(word) and _LETTER.search(word) and word[0].isupper())


@lru_cache(maxsize=1 << 16)  # a word's shape, the same in every abstract
def form_type(word: str) -> EntityType | None:
    """The type a name's own form gives: a model family suffix or a size makes a model.

    >>> form_type("CodeBERT"), form_type("ClassiNet"), form_type("Qwen2-7B"), form_type("SROIE")
    (<EntityType.MODEL: 'Model'>, <EntityType.MODEL: 'Model'>, <EntityType.MODEL: 'Model'>, None)
    """
    match = _MODEL_FORM.search(word)
    if (match and match.start() > 0) or _SIZE_PART.search(word):
        return EntityType.MODEL
    return None


def context_type(text: str, start: int, end: int) -> tuple[EntityType | None, str]:
    """The type the words around ``text[start:end]`` give, and the word that gave it.

    >>> text = "We fine-tune CodeBERT on the SROIE dataset; CodeBERT achieves 90%."
    >>> [context_type(text, text.index(w), text.index(w) + len(w))[0].value
    ...  for w in ("CodeBERT", "SROIE")]
    ['Model', 'Dataset']
    """
    after = text[end : end + _AFTER_WINDOW].split(None, 2)
    if after and not text[end : end + 1].isalnum():
        first = after[0].strip(_EDGE).lower()
        type_ = _AFTER_WORDS.get(first)
        if type_ is not None and after[0][:1].isalnum():
            return type_, first
        if len(after) > 1 and after[0].isalpha():
            second = after[1].strip(_EDGE).lower()
            if first in _SET_WORDS and second in ("set", "sets"):
                return EntityType.DATASET, first
            if first in ("is", "was") and second in _TRAINED:
                return EntityType.MODEL, second
    words = text[max(0, start - _BEFORE_WINDOW) : start].lower().split()
    while words and words[-1] in _SKIPPED:
        words.pop()
    if not words:
        return None, ""
    last = words[-1]
    if last in _BEFORE_WORDS:
        return _BEFORE_WORDS[last], last
    previous = words[-2] if len(words) > 1 else ""
    if last == "on" and previous not in _NOT_ON:
        return EntityType.DATASET, last
    if last in ("to", "with") and previous in _COMPARE:
        return EntityType.MODEL, previous
    if last in _SUCH_AS:
        listed = words[-3] if last == "as" and previous == "such" and len(words) > 2 else previous
        listed = listed.strip(_EDGE)  # ``two datasets, i.e., X``
        if listed in _KINDS_LISTED:
            return _KINDS_LISTED[listed], listed
    return None, ""


def find_named(text: str) -> list[Named]:
    """Return the name-shaped words of ``text``, each typed from its context or form.

    Words in a passage written in capitals (a shouted title) are not names by shape.

    >>> text = "We fine-tune CodeBERT and LayoutLMv2 on SROIE and CORD, unlike NLP work."
    >>> for n in find_named(text):
    ...     print(text[n.start:n.end], n.type.value, n.cue)
    CodeBERT Model fine-tune
    LayoutLMv2 Model form
    SROIE Dataset on
    CORD Dataset list
    """
    found: list[Named] = []
    shouting = _shouting(text)
    for match in _WORD.finditer(text):
        word = match.group()
        at = start = match.start()
        if word.isalpha() and word.istitle() and not text[at - 1 : at].islower():
            continue  # ``Retrieval``: most words found, decided at once
        while start > 0 and text[start - 1].islower():
            start -= 1  # ``mBART``: the lowercase prefix the pattern looked behind at
        word = _name_in(text[start:at] + word if start < at else word)
        if not word:
            continue
        end = start + len(word)
        if shouting and _in_shouting(text, start, shouting):
            continue
        type_, cue = context_type(text, start, end)
        weight = 2
        if type_ is None:
            type_ = form_type(word)
            cue = "form"
            if type_ is None:
                type_, weight, cue = EntityType.MODEL, 1, ""
        found.append(Named(start, end, type_, weight, cue))
    return _coordinated(text, found)


@lru_cache(maxsize=1 << 16)  # the same words recur in every abstract
def _name_in(word: str) -> str:
    """The name a word found by the pattern holds (``BERT`` of ``BERT-based``), or ``""``
    when it is not shaped like one.

    >>> _name_in("BERT-based."), _name_in("mBART"), _name_in("2020"), _name_in("NLP")
    ('BERT', 'mBART', '', '')
    """
    word = word.rstrip(".")
    if word.endswith("'s"):
        word = word[:-2]
    modifier = _MODIFIER.search(word) if "-" in word else None
    if modifier:
        word = word[: modifier.start()]  # ``FAQ-like``, ``BERT-based``: the name only
    return word if name_shape(word) else ""


def _coordinated(text: str, found: list[Named]) -> list[Named]:
    """Give a guessed name the type of a typed name it is listed with (``SROIE and CORD``).

    >>> text = "on GLUE, XNLI and MLQA benchmarks"
    >>> [(text[n.start:n.end], n.type.value) for n in find_named(text)]
    [('GLUE', 'Dataset'), ('XNLI', 'Dataset'), ('MLQA', 'Dataset')]
    """
    for order in (range(1, len(found)), range(len(found) - 2, -1, -1)):
        for i in order:
            j = i - 1 if order.step == 1 else i + 1
            name, other = found[i], found[j]
            if name.weight > 1 or other.weight < 2:
                continue
            first, second = (other, name) if j < i else (name, other)
            if _LIST_GAP.fullmatch(text, first.end, second.start):
                found[i] = Named(name.start, name.end, other.type, 2, "list")
    return found


def _shouting(text: str) -> list[tuple[int, int]]:
    """The paragraphs of ``text`` written mostly in capitals, as ``(start, end)``."""
    spans: list[tuple[int, int]] = []
    if not _CAPS_RUN.search(text):  # most texts: no three capitalised words in a row
        return spans
    at = 0
    for paragraph in text.split("\n\n"):
        # Common lowercase letters, counted fast, bound the lowercase count from below:
        # when 3 of them per capital are there whatever the other characters, no need to
        # count every character.
        if 4 * sum(map(paragraph.count, _COMMON_LOWER)) < len(paragraph):
            upper = sum(map(str.isupper, paragraph))
            if upper > 3 * sum(map(str.islower, paragraph)):
                spans.append((at, at + len(paragraph)))
        at += len(paragraph) + 2
    return spans


def _in_shouting(text: str, start: int, spans: list[tuple[int, int]]) -> bool:
    return any(a <= start < b for a, b in spans)


# Generic heads a name leaves out (``XNLI accuracy``, ``BART framework``, ``ML50 benchmark``),
# with the type they give the name; None: the name keeps its own.
_HEADS = {
    **dict.fromkeys(
        "benchmark benchmarks suite testbed leaderboard split splits".split(),
        EntityType.DATASET,
    ),
    **dict.fromkeys(
        "accuracy accuracies score scores f1 bleu rouge em error errors performance results "
        "zero-shot few-shot one-shot".split(),
        EntityType.DATASET,
    ),
    **dict.fromkeys(
        "model models baseline baselines checkpoint checkpoints variant variants "
        "encoder decoder backbone".split(),
        EntityType.MODEL,
    ),
    **dict.fromkeys(
        "framework frameworks architecture architectures".split(),
        None,
    ),
}
# Heads the dataset-mention annotators keep in the name (``the MegaFace dataset``, ``COCO
# training set``, ``TREC and DBLP data sets``: 6 gold spans in 10 there end so), where
# GSAP-NER leaves them out (1 in 8 of its datasets is followed by one). Kept: cutting them
# cost 0.14 exact F1 on the dataset-mention training split.
_DATASET_HEADS = {
    "set": EntityType.DATASET,
    "sets": EntityType.DATASET,
    "dataset": EntityType.DATASET,
    "datasets": EntityType.DATASET,
    "corpus": EntityType.DATASET,
    "corpora": EntityType.DATASET,
    "database": EntityType.DATASET,
    "collection": EntityType.DATASET,
}
_ALL_HEADS = frozenset(_HEADS) | frozenset(_DATASET_HEADS)
_HAS_COORDINATION = re.compile(r" (?:and|or|&|/|vs\.|versus) |, ")
_LEADING = frozenset("the a an our their its this these both".split())
_SPAN_WORD = re.compile(r"\S+")
# A version after a name, part of it (``LayoutLM v2``, ``MultiWOZ 2.1``).
_VERSION_WORD = re.compile(r"v?\d+(?:\.\d+)*[a-z]?")
# A dimension or a size, never a name of its own (``3D``, ``2D``, ``16GB``).
_DIMENSION = re.compile(r"\d+(?:\.\d+)?[A-Za-z]{1,2}")
_COORDINATION = frozenset({"and", "or", "&", "/", "vs.", "versus"})


def name_parts(
    text: str, start: int, end: int, *, dataset_heads: bool = False
) -> list[tuple[int, int, EntityType | None]] | None:
    """The names a phrase is made of, without generic heads and split at coordinations.

    None when the phrase is not a name with generic words around it: it stays whole.
    ``dataset_heads`` also drops ``dataset``/``corpus`` heads.

    >>> def parts(phrase):
    ...     found = name_parts(phrase, 0, len(phrase))
    ...     return found and [(phrase[s:e], t and t.value) for s, e, t in found]
    >>> parts("XNLI accuracy"), parts("BART framework"), parts("ImageNet zero-shot")
    ([('XNLI', 'Dataset')], [('BART', None)], [('ImageNet', 'Dataset')])
    >>> parts("GLUE and XNLI benchmarks"), parts("MS COCO, LVIS benchmarks")
    ([('GLUE', 'Dataset'), ('XNLI', 'Dataset')], [('MS COCO', 'Dataset'), ('LVIS', 'Dataset')])
    >>> parts("WikiTableQuestions denotation accuracy"), parts("BERT-large"), parts("the PPO")
    ([('WikiTableQuestions', 'Dataset')], None, [('PPO', None)])
    >>> parts("neural machine translation model"), parts("Stochastic Configuration Networks")
    (None, None)
    """
    phrase = text[start:end]
    last_space = phrase.rfind(" ")
    if last_space < 0:
        return None
    if (
        phrase[last_space + 1 :].lower() not in _ALL_HEADS
        and not _HAS_COORDINATION.search(phrase)
        and phrase[: phrase.find(" ")].lower() not in _LEADING
    ):
        return None  # no head, list or article: the phrase stays whole (most phrases)
    words = [(start + m.start(), start + m.end()) for m in _SPAN_WORD.finditer(phrase)]
    if len(words) < 2:
        return None
    lowered = [text[a:b].lower() for a, b in words]
    heads = {**_HEADS, **_DATASET_HEADS} if dataset_heads else _HEADS
    type_: EntityType | None = None
    last = len(words)
    # Trailing generic words: ``denotation accuracy``; a head must end the phrase.
    if lowered[-1] in heads:
        type_ = heads[lowered[-1]]
        last -= 1
        while (
            last > 1
            and text[words[last - 1][0] : words[last - 1][1]].islower()
            and (lowered[last - 1] not in _COORDINATION)
            and not _VERSION_WORD.fullmatch(lowered[last - 1])  # ``LayoutLM v2 model``
        ):
            last -= 1
    elif lowered[-1] in _DATASET_HEADS:
        return None
    first = 0
    while first < last and lowered[first] in _LEADING:
        first += 1
    # The rest: names joined by coordinations, each one name-shaped word.
    parts: list[tuple[int, int, EntityType | None]] = []
    joined = False  # whether the next name starts a new part
    for i in range(first, last):
        raw = text[words[i][0] : words[i][1]]
        word = raw.rstrip(",")
        if word.lower() in _COORDINATION or not word:
            joined = False
            continue
        bare = word.rstrip(".")
        if parts and joined and _VERSION_WORD.fullmatch(bare):
            parts[-1] = (parts[-1][0], words[i][0] + len(word), type_)  # ``MultiWOZ 2.1``
            joined = word == raw
            continue
        if _METRIC.fullmatch(bare) or bare.startswith(_METRIC_STARTS):
            return None  # ``F1 score``, ``Recall@1 accuracy``: a metric, whole
        if len(bare) < 2 or _DIMENSION.fullmatch(bare):
            return None  # ``F score``, ``3D accuracy``: no name in it
        if not (name_shape(bare) or (bare.isupper() and bare not in NOT_NAME_WORDS)):
            return None  # ``MS`` of ``MS COCO`` is part of a name here
        if joined and parts:
            parts[-1] = (parts[-1][0], words[i][0] + len(word), type_)  # ``MS COCO``
        else:
            parts.append((words[i][0], words[i][0] + len(word), type_))
        joined = word == raw
    if not parts or (len(parts) == 1 and first == 0 and last == len(words)):
        return None
    return parts
