"""Find which entities are variants of others: sizes, versions, families and affixes."""

import re
from collections.abc import Mapping

from kg.catalog import Catalog
from kg.models import Entity, EntityType, Variant
from kg.names import name_key

__all__ = ["find_variants", "strip_size", "strip_tag", "strip_version"]

# A parameter count at the end of a model name: -8B, 7b, 1.5B, 8x7B, 350M.
_SIZE = re.compile(r"(?<=\w)[-_ ](?:\d+x)?\d+(?:\.\d+)?[BMKT]$", re.IGNORECASE)
# A version number at the end: -3, 2, 3.1, v2 (after a letter, so GPT-4o stays whole), or
# a lettered release after a hyphen: -R1, -V3.2.
_VERSION = re.compile(r"(?<=[A-Za-z])[-_ ]?v?\d+(?:\.\d+)*$|(?<=\w)[-_ ][A-Za-z]\d+(?:\.\d+)*$")
# A checkpoint of a model at the end: -Instruct, -Base, -Chat, -it, -Thinking, -Distill.
_TAG = re.compile(r"(?<=\w)[-_ ](?:instruct|base|chat|it|thinking|preview|distill)$", re.I)
# A short name another one can carry as an affix: GRPO, LLaMA, MMaDA (two capitals, 3+
# chars), or a versioned name (Qwen2.5).
_AFFIXABLE = re.compile(r"(?=(?:.*[A-Z]){2})[A-Za-z][A-Za-z0-9]{2,}|[A-Z][A-Za-z]{2,}\d+(?:\.\d+)*")


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
    >>> strip_version("DeepSeek-R1"), strip_version("DeepSeek-V3.2")
    ('DeepSeek', 'DeepSeek')
    """
    stripped = _VERSION.sub("", name)
    return stripped if stripped != name and len(stripped) >= 2 else None


def strip_tag(name: str) -> str | None:
    """Return ``name`` without a checkpoint tag (``-Instruct``, ``-Base``), or None.

    >>> strip_tag("Qwen2.5-7B-Instruct"), strip_tag("Gemma-3-1B-it"), strip_tag("Qwen3-8B")
    ('Qwen2.5-7B', 'Gemma-3-1B', None)
    """
    stripped = _TAG.sub("", name)
    return stripped if stripped != name else None


def find_variants(
    entities: Mapping[str, Entity], catalog: Catalog
) -> tuple[list[Variant], dict[str, Entity]]:
    """Return ``VARIANT_OF`` links between ``entities``, and the parents they need.

    Each entity gets at most one parent of its own type, by the first rule that
    finds one:

    - ``checkpoint``: ``Qwen3-8B-Instruct`` -> ``Qwen3-8B``; like ``size``, the
      tag-free name becomes an entity when the corpus does not name it.
    - ``size``: ``MMaDA-8B`` -> ``MMaDA``; a model's size-free name becomes an
      entity of its own when the corpus does not name it. A size-free name the
      corpus knows is the parent whatever its type (but an organisation).
    - ``family``: the catalog's ``family`` (``Code Llama`` -> ``LLaMA``).
    - ``version``: ``Qwen3`` -> ``Qwen``, when the corpus or the catalog knows it.
    - ``affix``: a known short name of the same type ends or starts the name, or
      one of its one-word aliases, at a word boundary (``UniGRPO`` -> ``GRPO``,
      ``GRPO-Zero`` -> ``GRPO``, ``MMDiT`` -> ``DiT``); or the name before a hyphen is
      an entity of the same type (``Qwen2.5-VL`` -> ``Qwen2.5``).

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
    model = entity.type is EntityType.MODEL
    # A parent is of the same type: DeepSeekMath is no variant of DeepSeek the company.
    # But the type of one name is a vote of its mentions, and may be wrong: a name whose
    # model-shaped ending (-8B, -Base, -R1) leads to a model the corpus knows is a variant
    # of that model whatever its own type.
    for strip, reason in ((strip_tag, "checkpoint"), (strip_size, "size")):
        if base_name := strip(name):
            base = _known_or_catalog(base_name, known, catalog)
            if model and base is None:
                return _new_entity(base_name, entity.type), reason
            if base is not None and (model or _corpus_model(base, known)):
                return (base, reason) if base.type is not EntityType.ORGANIZATION else None
    candidates: list[tuple[Entity, str]] = []
    entry = catalog.lookup(name)
    family = _known_or_catalog(entry.family, known, catalog) if entry and entry.family else None
    if family and family.type is entity.type:
        candidates.append((family, "family"))
    version_free = strip_version(name)
    version_of = _known_or_catalog(version_free, known, catalog) if version_free else None
    if version_of and (
        (model and version_of.type is entity.type) or _corpus_model(version_of, known)
    ):
        candidates.append((version_of, "version"))
    # The most specific parent first: Qwen2.5-VL -> Qwen2.5 rather than the Qwen family.
    others = {c.key for c, _ in candidates}
    for word in _one_word_names(entity):
        for prefix in _hyphen_prefixes(word):
            parent = known.get(name_key(prefix))
            if (
                parent
                and parent.key not in others | {entity.key}
                and _types_fit(entity, parent, prefix)
                and _long_forms_agree(entity, parent, prefix)
            ):
                return parent, "affix"
    for candidate, reason in candidates:
        if candidate.key != entity.key:
            return candidate, reason
    for word in _one_word_names(entity):
        for affix in _affixes(word):
            parent = known.get(short_names.get(affix, ""))
            if (
                parent
                and parent.key != entity.key
                and _types_fit(entity, parent, affix)
                and _long_forms_agree(entity, parent, affix)
            ):
                return parent, "affix"
    return None


def _corpus_model(entity: Entity, known: Mapping[str, Entity]) -> bool:
    return entity.type is EntityType.MODEL and entity.key in known


def _types_fit(entity: Entity, parent: Entity, affix: str) -> bool:
    """Same type; or a parent model the corpus knows, or whose name the long form gives.

    ``Traceability CoT`` (T-CoT) voted a dataset is still a variant of CoT, the method:
    its long form names CoT. An organisation is never a parent of another type.
    """
    if parent.type is entity.type:
        return True
    if EntityType.ORGANIZATION in (parent.type, entity.type):
        return False
    return " " in entity.canonical and _long_forms_agree(entity, parent, affix)


def _long_forms_agree(entity: Entity, parent: Entity, affix: str) -> bool:
    """An acronym's long form must name the parent it is a variant of.

    ``MS-MoE`` (modality-specific mixture-of-experts) is a variant of MoE, but
    ``K-FAC`` (Kronecker-factored approximate curvature) is none of FAC (feature
    activation coverage). A name without a long form passes.
    """
    if " " not in entity.canonical:
        return True
    words = name_key(entity.canonical).split()
    return name_key(affix) in words or name_key(parent.canonical) in name_key(entity.canonical)


def _one_word_names(entity: Entity) -> list[str]:
    """The entity's names without spaces: its canonical name, else its display name and aliases."""
    if " " not in entity.canonical:
        return [entity.canonical]
    return [n for n in dict.fromkeys((entity.name, *entity.aliases)) if " " not in n]


def _hyphen_prefixes(name: str) -> list[str]:
    """``DeepSeek-R1-Distill`` -> ``DeepSeek-R1``, ``DeepSeek``: longest first."""
    parts = name.split("-")
    return ["-".join(parts[:i]) for i in range(len(parts) - 1, 0, -1) if parts[i - 1]]


def _affixes(name: str) -> list[str]:
    """Prefixes and suffixes of ``name`` cut at a hyphen or a change of case, longest first.

    A change of case is lower to upper (``Uni|GRPO``) or the last of several capitals
    before a lower-case letter (``MM|DiT``).

    >>> _affixes("UniGRPO"), _affixes("GRPO-Zero"), _affixes("MMDiT")
    (['GRPO', 'Uni'], ['GRPO', 'Zero'], ['MMDi', 'DiT', 'MM', 'T'])
    """
    parts = []
    for i in range(1, len(name)):
        if name[i - 1] == "-":
            parts += [name[: i - 1], name[i:]]
        elif name[i].isupper() and (
            name[i - 1].islower() or (name[i - 1].isupper() and name[i + 1 : i + 2].islower())
        ):
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
