"""Decide when two names of a corpus are one entity beyond :func:`~kg.names.name_key`.

Two rules, both used by :func:`kg.link.link`:

- :func:`~kg.names.compact_key`: spellings that differ only in where words are
  split (``multi-modal``/``multimodal``, ``fine-tuning``/``finetuning``) or in a ``.0``
  version (``Gemini-3``/``Gemini-3.0``).
- :func:`meaning_groups`: the long forms a corpus gives one acronym, grouped by
  meaning. ``RLVR`` as ``Reinforcement Learning with Verifiable Rewards`` and as
  ``Reinforcement learning with verifiers`` is one thing; ``MPI`` as ``Message
  Passing Interface`` and as ``Model Predictive Inference`` is two.
"""

import re
from collections.abc import Iterable, Mapping

from kg.names import compact_key, singular_acronym

__all__ = ["head_noun_keys", "key_groups", "meaning_groups", "same_meaning"]

# Words that only say what kind of thing a name is: ``Vision-Language-Action models``.
_HEAD_NOUNS = frozenset(
    "model network method algorithm framework approach architecture system technique scheme".split()
)
_FUNCTION_WORDS = frozenset("a an and for from in of on or the to via with".split())
# Endings dropped before comparing words: verifiable/verified/verifiers, using/use.
_ENDING = re.compile(r"(?:ing|able|ible|ed|ers|er|es|e|s|ies|y)$")


def _stems(long: str, expansions: Mapping[str, str]) -> list[str]:
    """Content words of a long form, cut to comparable stems; known acronyms spelled out."""
    words: list[str] = []
    for word in re.split(r"[\s/-]+", long):
        bare = word.strip("()[],.;:'\"")
        expanded = expansions.get(bare) or expansions.get(singular_acronym(bare))
        if expanded and expanded != long:
            words += re.split(r"[\s/-]+", expanded)
        elif bare:
            words.append(bare)
    stems = []
    for word in words:
        word = word.casefold()
        if word in _FUNCTION_WORDS:
            continue
        stem = _ENDING.sub("", word) if len(word) > 2 else word
        stems.append(stem[:5])
    return stems


def same_meaning(a: str, b: str, expansions: Mapping[str, str] | None = None) -> bool:
    """Whether two long forms of one acronym name the same thing.

    They do when their content words agree after light stemming, or when they share
    two or more and one adds words to the other, or when they differ in one word
    each and those two start alike; acronyms inside a long form are spelled out
    first from ``expansions`` (short form -> long form).

    >>> same_meaning("Reinforcement Learning with Verifiable Rewards",
    ...              "Reinforcement learning with verifiers")
    True
    >>> same_meaning("Computer-Using Agents", "computer-use agents")
    True
    >>> same_meaning("Multimodal LLMs", "multimodal large language models",
    ...              {"LLM": "large language model"})
    True
    >>> same_meaning("Message Passing Interface", "Model Predictive Inference")
    False
    >>> same_meaning("self-supervised learning", "Sweet Spot Learning")
    False
    >>> same_meaning("Large Reasoning Model", "Large Recommendation Model")
    False
    """
    expansions = expansions or {}
    sa, sb = _stems(a, expansions), _stems(b, expansions)
    if sa == sb:
        return True
    only_a, only_b = set(sa) - set(sb), set(sb) - set(sa)
    if len(set(sa) & set(sb)) < 2:
        return False
    if not only_a or not only_b:
        return True
    if len(only_a) == len(only_b) == 1:
        return next(iter(only_a))[:3] == next(iter(only_b))[:3]
    return False


def meaning_groups(longs: Iterable[str], expansions: Mapping[str, str]) -> list[list[str]]:
    """Group the long forms of one acronym by :func:`same_meaning`, in the order given.

    A long form joins the first group holding a long form of the same meaning.
    """
    groups: list[list[str]] = []
    for long in longs:
        for group in groups:
            if any(same_meaning(long, other, expansions) for other in group):
                group.append(long)
                break
        else:
            groups.append([long])
    return groups


def key_groups(keys: Iterable[str]) -> dict[str, list[str]]:
    """Group entity keys by :func:`compact_key`; only groups of two or more."""
    groups: dict[str, list[str]] = {}
    for key in keys:
        groups.setdefault(compact_key(key), []).append(key)
    return {k: v for k, v in groups.items() if len(v) > 1}


def head_noun_keys(keys: Iterable[str]) -> dict[str, str]:
    """Map keys that are another key plus a head noun to that key.

    Both must have two words or more before the head noun, so ``vision language action
    model`` joins ``vision language action`` but ``diffusion model`` stays.

    >>> head_noun_keys(["vision language action", "vision language action model",
    ...                 "diffusion", "diffusion model", "large language model"])
    {'vision language action model': 'vision language action'}
    """
    known = set(keys)
    found = {}
    for key in sorted(known):  # in a fixed order: the caller merges in this order
        *words, head = key.split(" ")
        named = " ".join(words)
        if head in _HEAD_NOUNS and len(words) >= 2 and named in known:
            found[key] = named
    return found
