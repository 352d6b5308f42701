"""Add only what is new to a stored graph, and say what changed.

``kg update`` reads its sources, drops the papers the store already holds
(matched like duplicates: arXiv id, DOI, normalised title), extracts and writes
the rest, and compares entity counts before and after the write. The pipeline that
calls these helpers is :func:`kg.build.update_store`.
"""

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from kg.models import Paper
from kg.query import load_internal
from kg.readers.dedupe import identity_keys
from kg.readers.ids import normalise_title
from kg.store.base import GraphStore

__all__ = ["EntityCount", "UpdateReport", "entity_counts", "report_changes", "split_new"]

_BATCH = 5_000


@dataclass(frozen=True, slots=True)
class EntityCount:
    """How many papers mention an entity, and how many mentions they hold in all."""

    key: str
    name: str
    type: str
    papers: int
    mentions: int


@dataclass(slots=True)
class UpdateReport:
    """What one update added: papers, entities, and the entities that grew most."""

    new_papers: list[Paper]
    known_papers: int
    new_entities: list[EntityCount] = field(default_factory=list)
    risen: list[tuple[EntityCount, EntityCount]] = field(default_factory=list)  # before, after


def split_new(store: GraphStore, papers: Iterable[Paper]) -> tuple[list[Paper], int]:
    """Return the papers the store does not hold yet, and how many it already holds."""
    known: set[tuple[str, str]] = set()
    ids: set[str] = set()
    for stored_id, arxiv_id, doi, title_key, title in store.run(
        load_internal("lookup_paper_keys").text
    ).rows:
        ids.add(stored_id)
        if arxiv_id:
            known.add(("arxiv", arxiv_id))
        if doi:
            known.add(("doi", doi))
        key = title_key or (normalise_title(title) if title else "")
        if key:
            known.add(("title", key))
    new: list[Paper] = []
    count = 0
    for paper in papers:
        if paper.id in ids or any(key in known for key in identity_keys(paper)):
            count += 1
        else:
            new.append(paper)
    return new, count


def entity_counts(store: GraphStore, keys: Sequence[str]) -> dict[str, EntityCount]:
    """Return the stored counts of the entities ``keys`` (missing ones are not stored yet)."""
    text = load_internal("lookup_entity_counts").text
    counts: dict[str, EntityCount] = {}
    for start in range(0, len(keys), _BATCH):
        result = store.run(text, {"keys": list(keys[start : start + _BATCH])})
        for key, name, type_, papers, mentions in result.rows:
            counts[key] = EntityCount(key, name or key, type_ or "", int(papers), int(mentions))
    return counts


def report_changes(
    new_papers: list[Paper],
    known_papers: int,
    before: dict[str, EntityCount],
    after: dict[str, EntityCount],
    *,
    top: int = 10,
) -> UpdateReport:
    """Compare entity counts before and after a write.

    >>> a = EntityCount("ppo", "PPO", "Method", 1, 2)
    >>> b = EntityCount("ppo", "PPO", "Method", 3, 5)
    >>> n = EntityCount("grpo", "GRPO", "Method", 1, 1)
    >>> r = report_changes([], 0, {"ppo": a}, {"ppo": b, "grpo": n})
    >>> [e.name for e in r.new_entities], [(x.mentions, y.mentions) for x, y in r.risen]
    (['GRPO'], [(2, 5)])
    """
    new_entities = sorted(
        (count for key, count in after.items() if key not in before),
        key=lambda c: (-c.mentions, c.name),
    )
    risen = sorted(
        (
            (before[key], count)
            for key, count in after.items()
            if key in before and count.mentions > before[key].mentions
        ),
        key=lambda pair: (pair[0].mentions - pair[1].mentions, pair[1].name),
    )
    return UpdateReport(new_papers, known_papers, new_entities, risen[:top])
