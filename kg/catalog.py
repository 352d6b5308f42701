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

__all__ = ["Catalog", "CatalogEntry", "load_catalog", "name_key", "spelling_variants"]


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


@lru_cache(maxsize=1 << 16)  # the same names recur in every abstract
def name_key(name: str) -> str:
    """Return the key under which two spellings of a name are the same.

    Ignores case, hyphens versus spaces, surrounding punctuation and British
    versus American ``-ise``/``-isation`` spellings.

    >>> name_key("Proximal Policy Optimisation")
    'proximal policy optimization'
    >>> name_key("  Soft Actor-Critic. ")
    'soft actor critic'
    >>> name_key("LLaMA-3-7B") == name_key("llama 3 7b")
    True
    """
    text = name.casefold().strip().strip(".,;:!?\"'()[]{}")
    text = _SEPARATORS.sub(" ", text)
    text = _BRITISH.sub(r"iz\1", text)
    return text.strip()


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


@cache
def load_catalog(path: str | None = None) -> Catalog:
    """Load the catalog shipped with kg, or the JSON lines file at ``path``."""
    if path is None:
        text = resources.files("kg").joinpath("data/catalog.jsonl").read_text("utf-8")
        source = "kg/data/catalog.jsonl"
    else:
        text, source = Path(path).read_text("utf-8"), path
    return Catalog(_parse(text, source))


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
