"""Find which entities are variants of others: sizes, versions, families and affixes."""

import re
from collections.abc import Mapping

from kg.catalog import Catalog, name_key
from kg.models import Entity, EntityType, Variant

__all__ = ["find_variants", "strip_size", "strip_version"]

# A parameter count at the end of a model name: -8B, 7b, 1.5B, 8x7B, 350M.
_SIZE = re.compile(r"(?<=\w)[-_ ](?:\d+x)?\d+(?:\.\d+)?[BMKT]$", re.IGNORECASE)
# A version number at the end: -3, 2, 3.1, v2 (after a letter, so GPT-4o or R1 stay whole).
_VERSION = re.compile(r"(?<=[A-Za-z])[-_ ]?v?\d+(?:\.\d+)*$")
# A short name another one can carry as an affix: GRPO, LLaMA, MMaDA (two capitals, 3+ chars).
_AFFIXABLE = re.compile(r"(?=(?:.*[A-Z]){2})[A-Za-z][A-Za-z0-9]{2,}")


def strip_size(name: str) -> str | None:
    """Return ``name`` without its parameter count, or None when it has none.

    >>> strip_size("MMaDA-8B"), strip_size("LLaMA-3-7B"), strip_size("Mixtral 8x7B")
    ('MMaDA', 'LLaMA-3', 'Mixtral')
    >>> strip_size("GPT-4"), strip_size("ResNet-50")
    (None, None)
    """
    stripped = _SIZE.sub("", name)
    return stripped if stripped != name else None


def strip_version(name: str) -> str | None:
    """Return ``name`` without its version number, or None when it has none.

    >>> strip_version("LLaMA-3"), strip_version("Qwen2.5"), strip_version("GPT-4o")
    ('LLaMA', 'Qwen', None)
    """
    stripped = _VERSION.sub("", name)
    return stripped if stripped != name and len(stripped) >= 2 else None


def find_variants(
    entities: Mapping[str, Entity], catalog: Catalog
) -> tuple[list[Variant], dict[str, Entity]]:
    """Return ``VARIANT_OF`` links between ``entities``, and the parents they need.

    Each entity gets at most one parent of its own type, by the first rule that
    finds one:

    - ``size``: ``MMaDA-8B`` -> ``MMaDA``; a model's size-free name becomes an
      entity of its own when the corpus does not name it.
    - ``family``: the catalog's ``family`` (``Code Llama`` -> ``LLaMA``).
    - ``version``: ``Qwen3`` -> ``Qwen``, when the corpus or the catalog knows it.
    - ``affix``: a known short name of the same type ends or starts the name at a
      word boundary (``UniGRPO`` -> ``GRPO``, ``GRPO-Zero`` -> ``GRPO``).

    Parents found for a new parent are followed too: ``LLaMA-3-7B`` -> ``LLaMA-3``
    -> ``LLaMA``. Parent entities that must be created are returned apart.
    """
    known = dict(entities)
    short_names: dict[str, str] = {}  # affixable name -> entity key ("" when ambiguous: MPI)
    for entity in entities.values():
        for name in (entity.name, entity.canonical, *entity.aliases):
            if _AFFIXABLE.fullmatch(name):
                other = short_names.setdefault(name, entity.key)
                if other != entity.key:
                    short_names[name] = ""
    variants: list[Variant] = []
    created: dict[str, Entity] = {}
    pending = sorted(entities)
    done: set[str] = set()
    while pending:
        key = pending.pop()
        if key in done:
            continue
        done.add(key)
        entity = known[key]
        found = _parent(entity, known, short_names, catalog)
        if found is None:
            continue
        parent, reason = found
        if parent.key not in known:
            known[parent.key] = created[parent.key] = parent
            pending.append(parent.key)
        variants.append(Variant(key, parent.key, reason))
    return sorted(variants, key=lambda v: (v.key, v.parent)), created


def _parent(
    entity: Entity,
    known: Mapping[str, Entity],
    short_names: Mapping[str, str],
    catalog: Catalog,
) -> tuple[Entity, str] | None:
    name = entity.canonical
    # A parent is of the same type: DeepSeekMath is no variant of DeepSeek the company.
    if entity.type is EntityType.MODEL and (size_free := strip_size(name)):
        base = _known_or_catalog(size_free, known, catalog) or _new_entity(size_free, entity.type)
        return (base, "size") if base.type is entity.type else None
    candidates: list[tuple[Entity | None, str]] = []
    entry = catalog.lookup(name)
    if entry and entry.family:
        candidates.append((_known_or_catalog(entry.family, known, catalog), "family"))
    if entity.type is EntityType.MODEL and (version_free := strip_version(name)):
        candidates.append((_known_or_catalog(version_free, known, catalog), "version"))
    for candidate, reason in candidates:
        if candidate and candidate.key != entity.key and candidate.type is entity.type:
            return candidate, reason
    if " " not in name:
        for affix in _affixes(name):
            parent = known.get(short_names.get(affix, ""))
            if parent and parent.key != entity.key and parent.type is entity.type:
                return parent, "affix"
    return None


def _affixes(name: str) -> list[str]:
    """Prefixes and suffixes of ``name`` cut at a hyphen or a lower-to-upper change, longest first.

    >>> _affixes("UniGRPO"), _affixes("GRPO-Zero")
    (['GRPO', 'Uni'], ['GRPO', 'Zero'])
    """
    parts = []
    for i in range(1, len(name)):
        if name[i - 1] == "-":
            parts += [name[: i - 1], name[i:]]
        elif name[i - 1].islower() and name[i].isupper():
            parts += [name[:i], name[i:]]
    return sorted(dict.fromkeys(p for p in parts if p), key=len, reverse=True)


def _known_or_catalog(name: str, known: Mapping[str, Entity], catalog: Catalog) -> Entity | None:
    """The entity ``name`` refers to: one of the corpus, else a catalog entry."""
    entry = catalog.lookup(name)
    canonical = entry.canonical if entry else name
    key = name_key(canonical)
    if key in known:
        return known[key]
    if entry:
        return Entity(key, canonical, canonical, entry.type, tuple(sorted(entry.aliases)))
    return None


def _new_entity(name: str, type_: EntityType) -> Entity:
    return Entity(name_key(name), name, name, type_, ())
