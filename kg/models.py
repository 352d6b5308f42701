"""Plain data passed between the stages: papers in, mentions out, graph rows to the store."""

from collections.abc import Sequence
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any

__all__ = [
    "Entity",
    "EntityType",
    "Graph",
    "Mention",
    "Paper",
    "PaperEntity",
    "Repository",
    "Variant",
]


class EntityType(StrEnum):
    """The kinds of entity kg extracts; each is also a node label in the graph."""

    METHOD = "Method"
    DATASET = "Dataset"
    MODEL = "Model"
    TASK = "Task"
    METRIC = "Metric"
    ORGANIZATION = "Organization"


@dataclass(frozen=True, slots=True)
class Paper:
    """One paper as read from a source file.

    ``line`` is where the paper starts in ``source`` (1-based), so every later
    message can point back at it.
    """

    id: str
    title: str
    abstract: str
    source: str = ""
    line: int = 0
    date: str | None = None  # ISO 8601 day, e.g. "2026-02-24"
    upvotes: int | None = None
    authors_count: int | None = None
    organization: str | None = None  # display name, e.g. "Meta Llama"
    organization_handle: str | None = None  # the HF handle, e.g. "meta-llama"
    arxiv_id: str | None = None
    # Metadata some sources carry (#8); every field defaults to "unknown".
    authors: tuple[str, ...] = ()  # display names, in author order
    affiliations: tuple[str, ...] = ()  # organisation names, e.g. "University of Toronto"
    doi: str | None = None  # lower case, no resolver prefix: "10.1145/3292500.3330701"
    urls: tuple[str, ...] = ()  # code and project links given as metadata, not in the text
    published: str | None = None  # ISO day (or year) of first publication: arXiv v1, venue


@dataclass(frozen=True, slots=True)
class Mention:
    """One span of a paper's text that names an entity.

    ``start``/``end`` are character offsets into ``paper.title`` when
    ``section == "title"`` and into ``paper.abstract`` otherwise; ``sentence`` is
    the sentence that contains the span (the evidence stored on the edge).
    """

    paper_id: str
    text: str
    type: EntityType
    canonical: str
    start: int
    end: int
    sentence: str
    section: str = "abstract"  # "title" or "abstract"
    proposed: bool = False
    rule: str = ""  # which component found it: catalog, acronym, model, cue, propose
    aliases: tuple[str, ...] = ()  # other names the text gave it, e.g. its acronym
    cue: str = ""  # for rule "cue", the word that gave it away: "style" in GRPO-style (#5)
    # "named" (a proper name: CodeBERT, XNLI) or "concept" (a generic phrase: policy
    # learning), by kg.extract.kinds (#17); "" leaves it to the linker to decide.
    kind: str = ""

    # One encoding of a mention (#15), used by the extraction cache, the worker processes
    # and ``kg extract --json``: every field but ``paper_id`` (the paper holding the
    # mention knows it), the type as its value. ``to_values`` is the record's values in
    # ``RECORD_FIELDS`` order, for the worker messages (tuples marshal fastest).
    RECORD_FIELDS = (
        *("text", "type", "canonical", "start", "end", "sentence", "section"),
        *("proposed", "rule", "aliases", "cue", "kind"),
    )

    def to_values(self) -> tuple[Any, ...]:
        """The values of :meth:`to_record`, in :attr:`RECORD_FIELDS` order."""
        return (
            *(self.text, self.type.value, self.canonical, self.start, self.end, self.sentence),
            *(self.section, self.proposed, self.rule, list(self.aliases), self.cue, self.kind),
        )

    def to_record(self) -> dict[str, Any]:
        """The mention as plain data (JSON, Parquet), without ``paper_id``.

        >>> m = Mention("p1", "PPO", EntityType.METHOD, "PPO", 0, 3, "PPO works.", aliases=("P",),
        ...             kind="named")
        >>> Mention.from_record("p1", m.to_record()) == m
        True
        >>> m.to_record()["type"], m.to_record()["aliases"], m.to_record()["kind"]
        ('Method', ['P'], 'named')
        """
        return dict(zip(Mention.RECORD_FIELDS, self.to_values(), strict=True))

    @staticmethod
    def from_values(paper_id: str, values: Sequence[Any]) -> "Mention":
        """The mention of ``paper_id`` whose :meth:`to_values` are ``values``."""
        text, type_, canonical, start, end, sentence, section, *rest = values
        proposed, rule, aliases, cue, kind = rest
        return Mention(
            *(paper_id, text, _TYPES[type_], canonical, start, end, sentence, section),
            *(proposed, rule, tuple(aliases), cue, kind),
        )

    @staticmethod
    def from_record(paper_id: str, record: dict[str, Any]) -> "Mention":
        """The mention of ``paper_id`` whose :meth:`to_record` is ``record``."""
        return Mention.from_values(paper_id, [record[name] for name in Mention.RECORD_FIELDS])


@dataclass(frozen=True, slots=True)
class Repository:
    """A code repository or project page linked from a paper's abstract."""

    paper_id: str
    url: str  # normalised: https://github.com/owner/repo
    kind: str  # "code" (GitHub, GitLab, ...), "model" / "dataset" (Hugging Face) or "project"
    sentence: str
    start: int
    end: int
    section: str = "abstract"

    # Encoded like :class:`Mention`: every field but ``paper_id``.
    RECORD_FIELDS = ("url", "kind", "sentence", "start", "end", "section")

    def to_values(self) -> tuple[Any, ...]:
        """The values of :meth:`to_record`, in :attr:`RECORD_FIELDS` order."""
        return (self.url, self.kind, self.sentence, self.start, self.end, self.section)

    def to_record(self) -> dict[str, Any]:
        """The repository link as plain data (JSON, Parquet), without ``paper_id``.

        >>> r = Repository("p1", "https://github.com/a/b", "code", "See it.", 4, 26)
        >>> Repository.from_record("p1", r.to_record()) == r
        True
        """
        return dict(zip(Repository.RECORD_FIELDS, self.to_values(), strict=True))

    @staticmethod
    def from_values(paper_id: str, values: Sequence[Any]) -> "Repository":
        """The repository link of ``paper_id`` whose :meth:`to_values` are ``values``."""
        return Repository(paper_id, *values)

    @staticmethod
    def from_record(paper_id: str, record: dict[str, Any]) -> "Repository":
        """The repository link of ``paper_id`` whose :meth:`to_record` is ``record``."""
        return Repository(paper_id, *(record[name] for name in Repository.RECORD_FIELDS))


@dataclass(frozen=True, slots=True)
class Entity:
    """One node for everything that names the same thing across the corpus."""

    key: str  # name_key(canonical): what the store merges on
    canonical: str
    name: str  # short display name: the acronym when there is one
    type: EntityType
    aliases: tuple[str, ...]
    formed: tuple[str, ...] = ()  # how it was formed: merge reasons (kg.link.provenance, #5)
    kind: str = "named"  # or "concept": what most of its papers call it (kg.extract.kinds, #17)


@dataclass(frozen=True, slots=True)
class PaperEntity:
    """A paper's link to an entity: how often it is named and the evidence sentence."""

    paper_id: str
    key: str
    count: int
    evidence: str  # the first sentence naming it
    surfaces: tuple[str, ...]  # the spellings used in this paper
    section: str
    start: int
    end: int
    proposed: bool
    via: tuple[str, ...] = ()  # the components that linked it: acronym, catalog, ner, ... (#5)
    kind: str = "named"  # or "concept": how this paper's mentions name it (#17)


@dataclass(frozen=True, slots=True)
class Variant:
    """``(:Entity {key})-[:VARIANT_OF {reason}]->(:Entity {key: parent})``.

    ``reason`` is the rule that found it: ``size``, ``version``, ``family`` or ``affix``.
    """

    key: str
    parent: str
    reason: str


@dataclass(slots=True)
class Graph:
    """Everything one build writes: papers, entities and the links between them."""

    papers: list[Paper]
    entities: dict[str, Entity]
    mentions: list[PaperEntity]
    affiliations: list[tuple[str, str]]  # (paper id, organisation entity key)
    repositories: list[Repository]
    variants: list[Variant] = field(default_factory=list)  # (#5)


_TYPES = {t.value: t for t in EntityType}  # faster than EntityType(value) per mention
