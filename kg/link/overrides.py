"""Read the overrides file that forces merges, splits, types and ignores on the linker.

```toml
ignore = ["our method"]          # mentions of these names are dropped
split = ["MPI"]                  # bare uses are never linked to another paper's long form
[merge]                          # name = the name of the entity it joins
"Proximal Policy Optimisation v2" = "PPO"
[types]                          # name = Method, Dataset, Model, Task, Metric or Organization
"LoCoMo" = "Dataset"
```

Names are compared by :func:`~kg.names.name_key`: case, hyphens and plurals do not matter.
"""

import tomllib
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from kg.errors import InputError
from kg.models import Entity, EntityType, Mention
from kg.names import name_key

__all__ = [
    "Overrides",
    "apply_to_entities",
    "apply_to_mentions",
    "load_overrides",
    "parse_overrides",
]

_SECTIONS = ("ignore", "split", "merge", "types")


@dataclass(frozen=True, slots=True)
class Overrides:
    """User decisions the linker applies, every name as its :func:`~kg.names.name_key`."""

    ignore: frozenset[str] = frozenset()
    split: frozenset[str] = frozenset()
    merge: dict[str, str] = field(default_factory=dict)  # key -> name it joins
    types: dict[str, EntityType] = field(default_factory=dict)


def load_overrides(path: str | Path) -> Overrides:
    """Read the TOML overrides file at ``path``."""
    try:
        text = Path(path).read_text("utf-8")
    except OSError as e:
        raise InputError(f"cannot read the overrides file: {e.strerror}", path=str(path)) from e
    return parse_overrides(text, source=str(path))


def parse_overrides(text: str, *, source: str = "<overrides>") -> Overrides:
    """Parse overrides from TOML text; a mistake names the file and what to fix.

    >>> o = parse_overrides('ignore = ["Our Method"]\\n[types]\\nLoCoMo = "Dataset"')
    >>> sorted(o.ignore), o.types
    (['our method'], {'locomo': <EntityType.DATASET: 'Dataset'>})
    >>> try:
    ...     parse_overrides('[types]\\nX = "Gadget"')
    ... except InputError as e:
    ...     print(str(e)[:47])
    <overrides>: types: 'Gadget' for 'X' is not one
    """
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as e:
        raise InputError(f"not valid TOML: {e}", path=source) from e
    unknown = sorted(set(data) - set(_SECTIONS))
    if unknown:
        raise InputError(
            f"unknown setting(s) {', '.join(unknown)}; expected {', '.join(_SECTIONS)}",
            path=source,
        )
    types: dict[str, EntityType] = {}
    for name, value in _table(data, "types", source).items():
        try:
            types[name_key(name)] = EntityType(value)
        except ValueError as e:
            allowed = ", ".join(t.value for t in EntityType)
            raise InputError(
                f"types: {value!r} for {name!r} is not one of {allowed}", path=source
            ) from e
    return Overrides(
        ignore=frozenset(name_key(n) for n in _names(data, "ignore", source)),
        split=frozenset(name_key(n) for n in _names(data, "split", source)),
        merge={name_key(k): v for k, v in _table(data, "merge", source).items()},
        types=types,
    )


def apply_to_mentions(mentions: list[Mention], overrides: Overrides) -> list[Mention]:
    """Drop ignored mentions and point merged ones at the entity they join.

    The name a merge targets may be any name the corpus gives that entity (``PPO``
    for ``Proximal Policy Optimization``); it takes that entity's canonical name.
    """
    kept = [
        m
        for m in mentions
        if name_key(m.canonical) not in overrides.ignore
        and name_key(m.text) not in overrides.ignore
    ]
    if not overrides.merge:
        return kept
    canonical_by_name: dict[str, str] = {}
    for m in kept:
        if name_key(m.canonical) not in overrides.merge:
            for name in (m.canonical, m.text, *m.aliases):
                canonical_by_name.setdefault(name_key(name), m.canonical)
    merged = []
    for m in kept:
        target = overrides.merge.get(name_key(m.canonical))
        if target is not None:
            m = replace(m, canonical=canonical_by_name.get(name_key(target), target))
        merged.append(m)
    return merged


def apply_to_entities(entities: Mapping[str, Entity], overrides: Overrides) -> dict[str, Entity]:
    """Give entities the type the overrides force on any of their names."""
    result = dict(entities)
    for key, entity in entities.items():
        for name in (entity.canonical, entity.name, *entity.aliases):
            forced = overrides.types.get(name_key(name))
            if forced is not None:
                result[key] = replace(entity, type=forced)
                break
    return result


def _names(data: dict[str, Any], section: str, source: str) -> list[str]:
    value = data.get(section, [])
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise InputError(f'{section} must be a list of names: {section} = ["..."]', path=source)
    return value


def _table(data: dict[str, Any], section: str, source: str) -> dict[str, str]:
    value = data.get(section, {})
    if not isinstance(value, dict) or not all(isinstance(v, str) for v in value.values()):
        raise InputError(f'[{section}] must map names to names: "name" = "..."', path=source)
    return value
