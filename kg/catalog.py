"""The catalog of well-known entities shipped with kg (``kg/data/catalog.jsonl``).

Each line is ``{"canonical", "type", "aliases", ["family"]}``. The catalog is
for widely known names only (PPO, ImageNet, LLaMA-3, Amazon); paper-specific
names are found by the extraction rules instead.
"""

import json
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from functools import cache, lru_cache
from importlib import resources
from pathlib import Path

from kg.errors import InputError
from kg.models import EntityType

__all__ = [
    "CATALOG_FILES",
    "Catalog",
    "CatalogEntry",
    "load_catalog",
    "name_key",
    "spelling_variants",
]


@dataclass(frozen=True, slots=True)
class CatalogEntry:
    """One well-known entity and the names it goes by."""

    canonical: str
    type: EntityType
    aliases: tuple[str, ...] = ()
    family: str | None = None

    @property
    def names(self) -> tuple[str, ...]:
        """The canonical name followed by its aliases."""
        return (self.canonical, *self.aliases)


# Hyphens, dashes, slashes and whitespace all separate words the same way.
_SEPARATORS = re.compile(r"[-_\u2010\u2011\u2013\u2014/\s]+")
_BRITISH = re.compile(r"(?<=\w)is(ation|ations|e|ed|es|ing|er|ers)\b")
# Punctuation around a name that is not part of it: "(PPO)", "“ImageNet”,", "`GRPO`".
_PUNCTUATION = ".,;:!?\"'()[]{}\u201c\u201d\u2018\u2019`*\u00ab\u00bb"
# A plural acronym: capitals (and digits/lowercase inside) ending in a capital, then "s".
_ACRONYM_PLURAL = re.compile(r"(?=.{4})(?=(?:.*[A-Z]){2})[A-Z][A-Za-z0-9]*[A-Z]s")
# A plural-looking word of 3+ letters plus "s"; -ss, -us and -is are singular (loss, corpus,
# analysis), and a capital S is an acronym's (SIMS).
_WORD_PLURAL = re.compile(r"[A-Za-z]{2,}[a-hj-rtv-z]s")


@lru_cache(maxsize=1 << 16)  # the same names recur in every abstract
def name_key(name: str) -> str:
    """Return the key under which two spellings of a name are the same.

    Ignores case, hyphens versus spaces, surrounding punctuation, British
    versus American ``-ise``/``-isation`` spellings, and the plural of the last
    word of a multi-word name or of an acronym.

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

    >>> [name_key(n) for n in ("SIMS", "LMs", "Transformers", "Focal Loss", "Kalman Filters")]
    ['sims', 'lms', 'transformers', 'focal loss', 'kalman filter']
    >>> [name_key(n) for n in ("Principal Component Analysis", "Common Corpus", "Dataset SIMS")]
    ['principal component analysis', 'common corpus', 'dataset sims']
    >>> name_key("Google Maps") == name_key("google maps")
    True
    >>> [(name_key(a) == name_key(b)) for a, b in [
    ...     ("GPT-4", "GPT-4o"), ("ResNet-50", "ResNet-101"), ("CIFAR-10", "CIFAR-100"),
    ...     ("Adam", "AdamW"), ("SIMS", "SIM")]]
    [False, False, False, False, False]
    """
    text = _SEPARATORS.sub(" ", name.strip(_PUNCTUATION + " \t\n")).strip()
    words = text.split(" ")
    last = words[-1]
    if _ACRONYM_PLURAL.fullmatch(last) or (len(words) > 1 and _WORD_PLURAL.fullmatch(last)):
        text = text[:-1]
    text = _BRITISH.sub(r"iz\1", text.casefold())
    return text


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


class Catalog:
    """Catalog entries indexed by the :func:`name_key` of every name they go by."""

    def __init__(self, entries: Iterable[CatalogEntry]):
        self.entries = list(entries)
        self._by_key: dict[str, CatalogEntry] = {}
        for entry in self.entries:
            for name in entry.names:
                for variant in spelling_variants(name):
                    self._by_key.setdefault(name_key(variant), entry)

    def __len__(self) -> int:
        return len(self.entries)

    def lookup(self, name: str) -> CatalogEntry | None:
        """Return the entry that ``name`` (any alias, any spelling) refers to, if any."""
        return self._by_key.get(name_key(name))

    def families(self) -> dict[str, CatalogEntry]:
        """Return model families (entries others name as ``family``), keyed by lowercase name."""
        family_names = {e.family for e in self.entries if e.family}
        return {
            name.casefold(): e
            for e in self.entries
            if e.canonical in family_names
            for name in e.names
        }


# The shipped catalog files; on a name both know, the earlier file wins.
CATALOG_FILES = ("catalog.jsonl", "catalog_pwc.jsonl", "catalog_universities.jsonl")


@cache
def load_catalog(path: str | None = None) -> Catalog:
    """Load the catalog shipped with kg, or the JSON lines file at ``path``.

    The shipped catalog is the hand-written ``catalog.jsonl`` (methods, models,
    datasets, tasks, metrics, organisations) followed by the lists generated by
    ``scripts/build_catalog.py`` from Papers with Code and a list of universities.
    """
    if path is not None:
        return Catalog(_parse(Path(path).read_text("utf-8"), path))
    data = resources.files("kg").joinpath("data")
    entries: list[CatalogEntry] = []
    for name in CATALOG_FILES:
        entries += _parse(data.joinpath(name).read_text("utf-8"), f"kg/data/{name}")
    return Catalog(entries)


def _parse(text: str, source: str) -> Iterator[CatalogEntry]:
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        try:
            record = json.loads(line)
            yield CatalogEntry(
                canonical=record["canonical"],
                type=EntityType(record["type"]),
                aliases=tuple(record.get("aliases", ())),
                family=record.get("family"),
            )
        except (ValueError, KeyError, TypeError) as e:
            raise InputError(f"bad catalog entry: {e}", path=source, line=number) from e
