"""Names: the key two spellings share, the plural rules and the spelling variants.

The one home of these rules, used by the catalog, the extractor, the linker and its
aliases: a plural or a British spelling is treated the same way on every path (#15).

The plural rule for acronyms (:func:`is_plural_acronym`): a word with two capitals or
more that ends in a capital followed by a lowercase ``s`` is the plural of the word
without it. ``LLMs``, ``CoTs``, ``LMs`` and ``VLAs`` are plurals; ``SIMS`` (a capital
``S``), ``Ms`` (one capital) and ``PPO`` are not.
"""

import re
from functools import lru_cache

__all__ = [
    "american",
    "compact_key",
    "is_name",
    "is_plural_acronym",
    "name_key",
    "singular_acronym",
    "singular_long",
    "spelling_variants",
]

# Hyphens, dashes, slashes and whitespace all separate words the same way.
_SEPARATORS = re.compile(r"[-_\u2010\u2011\u2013\u2014/\s]+")
_BRITISH = re.compile(r"(?<=\w)is(ation|ations|e|ed|es|ing|er|ers)\b")
# Punctuation around a name that is not part of it: "(PPO)", "“ImageNet”,", "`GRPO`".
_PUNCTUATION = ".,;:!?\"'()[]{}\u201c\u201d\u2018\u2019`*\u00ab\u00bb"
# A plural acronym: two capitals or more, ending in a capital and a lowercase "s".
_ACRONYM_PLURAL = re.compile(r"(?=(?:[^A-Z]*[A-Z]){2})\w[\w.-]*[A-Z]s")
# A plural-looking word of 3+ letters plus "s"; -ss, -us and -is are singular (loss, corpus,
# analysis), and a capital S is an acronym's (SIMS).
_WORD_PLURAL = re.compile(r"[A-Za-z]{2,}[a-hj-rtv-z]s")
# Words a name never starts or ends with (``Investigating the``, ``On``, ``and Structure``).
FUNCTION_WORDS = frozenset(
    "a an and as at by for from in into its it of on onto or our the their this these those "
    "to via vs with within without".split()
)
MAX_NAME_WORDS = 8  # a longer run of words is a sentence or a title, not a name
# A link, with or without its scheme: ``https://...``, ``www.x.org``, ``github.com/a/b``.
_LINK = re.compile(r"://|\bwww\.|\b[\w-]+\.(?:com|org|net|io|ai|edu|gov|co)(?:/|$)", re.I)
_EDGE_PUNCTUATION = '.,;:!?"()[]{}\u201c\u201d'  # around an edge word; ``A*`` keeps its star
_JOIN = re.compile(r"(?<!\d) | (?!\d)")  # a space not between two digits
_DOT_ZERO = re.compile(r"(?<=\d)\.0(?![\d.])")


def is_name(name: str) -> bool:
    """Whether ``name`` can name an entity: the one check the linker applies (#18).

    Not when it holds a line break or a link, starts with punctuation, starts or ends with a
    function word (:data:`FUNCTION_WORDS`), or runs past :data:`MAX_NAME_WORDS` words.

    >>> [is_name(n) for n in ("PPO", "Proximal Policy Optimization", "3DGS", "AT", "OF")]
    [True, True, True, True, True]
    >>> [is_name(n) for n in ("Investigating the", "On", "-shot", "an End-to-end Approach",
    ...                       "Title\\n\\nAbstract", "a b c d e f g h i")]
    [False, False, False, False, False, False]
    """
    if not name or "\n" in name or "\r" in name or _LINK.search(name):
        return False  # a line break, or a link: links are Repository nodes
    text = name.strip()
    if not text or not (text[0].isalnum() or text[0] in "$\\"):
        return False
    words = text.split()
    if len(words) > MAX_NAME_WORDS:
        return False
    for word in (words[0], words[-1]):
        word = word.strip(_EDGE_PUNCTUATION)
        if word.casefold() in FUNCTION_WORDS and not (len(word) > 1 and word.isupper()):
            return False  # ``the``, ``On``; all capitals is an acronym: ``AT``, ``OF``, ``IT``
    return True


def is_plural_acronym(word: str) -> bool:
    """Whether ``word`` is the plural of an acronym (see the module's docstring).

    >>> [is_plural_acronym(w) for w in ("LLMs", "CoTs", "LMs", "VLAs", "DOFs", "vLLMs")]
    [True, True, True, True, True, True]
    >>> [is_plural_acronym(w) for w in ("SIMS", "Ms", "PPO", "Transformers", "GPT-4s")]
    [False, False, False, False, False]
    """
    return _ACRONYM_PLURAL.fullmatch(word) is not None


def singular_acronym(short: str) -> str:
    """``CoTs``, ``VLAs``, ``LLMs``, ``LMs`` -> ``CoT``, ``VLA``, ``LLM``, ``LM``; ``SIMS`` stays.

    >>> [singular_acronym(s) for s in ("CoTs", "LLMs", "LMs", "SIMS", "Ms", "PPO")]
    ['CoT', 'LLM', 'LM', 'SIMS', 'Ms', 'PPO']
    """
    return short[:-1] if is_plural_acronym(short) else short


def singular_long(short: str, long: str) -> str:
    """The long form of a plural acronym without its plural ``s``.

    >>> singular_long("LLMs", "Large Language Models"), singular_long("CoTs", "Chains of Thoughts")
    ('Large Language Model', 'Chains of Thought')
    >>> singular_long("SIMS", "Simulations"), singular_long("PPO", "Proximal Policies")
    ('Simulations', 'Proximal Policies')
    """
    return long[:-1] if is_plural_acronym(short) and long.endswith("s") else long


def american(text: str) -> str:
    """``text`` with British ``-ise``/``-isation`` endings spelled ``-ize``/``-ization``.

    >>> american("optimisation and tokenisers"), american("analysis, rise, noise")
    ('optimization and tokenizers', 'analysis, rize, noize')
    """
    return _BRITISH.sub(r"iz\1", text)


@lru_cache(maxsize=1 << 16)  # the same names recur in every abstract
def name_key(name: str) -> str:
    """Return the key under which two spellings of a name are the same.

    Ignores case, hyphens versus spaces, surrounding punctuation, British
    versus American ``-ise``/``-isation`` spellings, and the plural of the last
    word of a multi-word name or of an acronym (:func:`is_plural_acronym`).

    >>> name_key("Proximal Policy Optimisation")
    'proximal policy optimization'
    >>> name_key("  Soft Actor-Critic. ")
    'soft actor critic'
    >>> name_key("LLaMA-3-7B") == name_key("llama 3 7b")
    True
    >>> name_key("Graph Neural Networks") == name_key("graph neural network")
    True
    >>> name_key("LLMs"), name_key("(GANs),"), name_key("“Vision-Language Models”")
    ('llm', 'gan', 'vision language model')

    A final ``s`` stays when it is not a plural, or when stripping it would
    leave less than a 3-letter word; a version or size is never touched:

    >>> [name_key(n) for n in ("SIMS", "LMs", "CoTs", "Transformers", "Kalman Filters")]
    ['sims', 'lm', 'cot', 'transformers', 'kalman filter']
    >>> [name_key(n) for n in ("Principal Component Analysis", "Common Corpus", "Dataset SIMS")]
    ['principal component analysis', 'common corpus', 'dataset sims']
    >>> name_key("Google Maps") == name_key("google maps"), name_key("Focal Loss")
    (True, 'focal loss')
    >>> [(name_key(a) == name_key(b)) for a, b in [
    ...     ("GPT-4", "GPT-4o"), ("ResNet-50", "ResNet-101"), ("CIFAR-10", "CIFAR-100"),
    ...     ("Adam", "AdamW"), ("SIMS", "SIM")]]
    [False, False, False, False, False]
    """
    text = _SEPARATORS.sub(" ", name.strip(_PUNCTUATION + " \t\n")).strip()
    words = text.split(" ")
    last = words[-1]
    if is_plural_acronym(last) or (len(words) > 1 and _WORD_PLURAL.fullmatch(last)):
        text = text[:-1]
    return american(text.casefold())


def spelling_variants(name: str) -> set[str]:
    """Return ``name`` with its British/American and plural variants.

    >>> sorted(spelling_variants("Graph Neural Network"))
    ['Graph Neural Network', 'Graph Neural Networks']
    >>> sorted(spelling_variants("Proximal Policy Optimization"))
    ['Proximal Policy Optimisation', 'Proximal Policy Optimization']
    >>> sorted(spelling_variants("GAN"))
    ['GAN', 'GANs']
    """
    variants = {name}
    for pattern, repl in (("ization", "isation"), ("isation", "ization"), ("izing", "ising")):
        if pattern in name:
            variants.add(name.replace(pattern, repl))
    last = re.split(r"[\s-]", name)[-1]
    if re.fullmatch(r"[A-Z]{2,}", last) or re.fullmatch(r"[A-Z][a-z]+(?:er|or|work|model)", last):
        variants |= {v + "s" for v in variants}
    return variants


def compact_key(key: str) -> str:
    """Return ``key`` (a :func:`name_key`) without word breaks, and ``3.0`` as ``3``.

    Digits on both sides of a space keep it: ``llama 3 1b`` is not ``llama 31b``.

    >>> compact_key(name_key("Multi-Modal LLMs")) == compact_key(name_key("multimodal LLM"))
    True
    >>> compact_key(name_key("Gemini-3.0-Pro")) == compact_key(name_key("Gemini 3 Pro"))
    True
    >>> compact_key("llama 3 1b"), compact_key("qwen2.5 vl 7b")
    ('llama3 1b', 'qwen2.5vl7b')
    """
    return _JOIN.sub("", _DOT_ZERO.sub("", key))
