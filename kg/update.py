"""Add new papers to a stored graph, and say what changed.

``kg update`` reads its sources and merges them with the papers the store holds
(matched like duplicates: arXiv id, DOI, normalised title), so what a later source adds
to a stored paper is merged in; the whole corpus is extracted (stored papers from the
cache), linked and written, and entity counts before and after the write are compared.
A paper counts as stored only once its content hash, written after all its rows, is
there: the papers an interrupted write left unfinished are written again and reported
with the new ones. The pipeline that calls these helpers is :func:`kg.build.update_store`.
"""

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from kg.models import Paper
from kg.query import load_internal
from kg.readers.dedupe import identity_keys, merge_papers, merge_two
from kg.store.base import GraphStore, WriteStats, stored_paper_states

__all__ = [
    "Corpus",
    "EntityCount",
    "UpdateReport",
    "corpus_papers",
    "entity_counts",
    "one_per_id",
    "report_changes",
    "split_new",
]

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

    new_papers: list[Paper]  # new to the store, or left unfinished by an interrupted write
    known_papers: int  # papers read that the store held completely
    new_entities: list[EntityCount] = field(default_factory=list)
    risen: list[tuple[EntityCount, EntityCount]] = field(default_factory=list)  # before, after
    updated: int = 0  # stored papers written again: a source added to them, or their links moved


@dataclass(slots=True)
class Corpus:
    """The stored papers merged with those read, and which of them are new."""

    papers: list[Paper]  # in corpus order: the stored ones first, as one build orders them
    new: list[Paper]  # not stored completely yet (no content hash): new or interrupted
    known: int  # papers read that match a paper stored completely


def split_new(store: GraphStore, papers: Iterable[Paper]) -> Corpus:
    """Merge ``papers`` after the stored ones, and tell which are not stored completely."""
    read = list(papers)
    states = stored_paper_states(store)
    stored = [paper for paper, _ in states]
    complete = {paper.id for paper, done in states if done}
    base = merge_papers(stored)  # the first slots of the merged corpus, one per stored paper
    merged = merge_papers([*stored, *read])
    corpus, done = one_per_id(
        merged, [i < len(base) and base[i].id in complete for i in range(len(merged))]
    )
    known_keys = {key for i, paper in enumerate(base) if done[i] for key in identity_keys(paper)}
    known_ids = {paper.id for i, paper in enumerate(base) if done[i]}
    known = sum(
        1
        for paper in read
        if paper.id in known_ids or any(key in known_keys for key in identity_keys(paper))
    )
    new = [paper for paper, stored_whole in zip(corpus, done, strict=True) if not stored_whole]
    return Corpus(corpus, new, known)


def corpus_papers(stored: Sequence[Paper], read: Sequence[Paper]) -> list[Paper]:
    """The corpus a store holding ``stored`` ends with once ``read`` is added: merged like
    duplicates, in first-seen order, one paper per id."""
    return one_per_id(merge_papers([*stored, *read]), [False] * (len(stored) + len(read)))[0]


def one_per_id(papers: Sequence[Paper], flags: Sequence[bool]) -> tuple[list[Paper], list[bool]]:
    """Merge papers that share an id (two short titles alike, too short to merge on) into the
    first, which keeps its flag: the store holds one node per id, so the graph must too.

    >>> a, b = Paper(id="title:1", title="Preface", abstract="A."), Paper(
    ...     id="title:1", title="Preface", abstract="Longer.")
    >>> papers, flags = one_per_id([a, b], [True, False])
    >>> [(p.abstract) for p in papers], flags
    (['Longer.'], [True])
    """
    slots: dict[str, int] = {}
    kept: list[Paper] = []
    kept_flags: list[bool] = []
    for paper, flag in zip(papers, flags[: len(papers)], strict=True):
        slot = slots.get(paper.id)
        if slot is None:
            slots[paper.id] = len(kept)
            kept.append(paper)
            kept_flags.append(flag)
        else:
            kept[slot] = merge_two(kept[slot], paper)
    return kept, kept_flags


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
    written: WriteStats | None = None,
) -> UpdateReport:
    """Compare entity counts before and after a write.

    An entity no completely stored paper mentioned before is new. ``written`` (what the
    write sent) tells how many stored papers were written again.

    >>> a = EntityCount("ppo", "PPO", "Method", 1, 2)
    >>> b = EntityCount("ppo", "PPO", "Method", 3, 5)
    >>> n = EntityCount("grpo", "GRPO", "Method", 1, 1)
    >>> r = report_changes([], 0, {"ppo": a}, {"ppo": b, "grpo": n})
    >>> [e.name for e in r.new_entities], [(x.mentions, y.mentions) for x, y in r.risen]
    (['GRPO'], [(2, 5)])
    """
    mentioned = {key: count for key, count in before.items() if count.papers}
    new_entities = sorted(
        (
            count
            for key, count in after.items()
            if key not in before or (key not in mentioned and count.papers)
        ),
        key=lambda c: (-c.mentions, c.name),
    )
    risen = sorted(
        (
            (mentioned[key], count)
            for key, count in after.items()
            if key in mentioned and count.mentions > mentioned[key].mentions
        ),
        key=lambda pair: (pair[0].mentions - pair[1].mentions, pair[1].name),
    )
    sent = 0 if written is None else written.rows.get("write_papers", 0)
    updated = max(0, sent - len(new_papers))
    return UpdateReport(new_papers, known_papers, new_entities, risen[:top], updated)
