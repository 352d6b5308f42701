"""Plain data passed between the stages: papers in, mentions out, graph rows to the store."""

from dataclasses import dataclass, field
from enum import StrEnum

__all__ = ["EntityType", "Mention", "Paper", "Repository", "Variant"]


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


@dataclass(frozen=True, slots=True)
class Entity:
    """One node for everything that names the same thing across the corpus."""

    key: str  # name_key(canonical): what the store merges on
    canonical: str
    name: str  # short display name: the acronym when there is one
    type: EntityType
    aliases: tuple[str, ...]
    formed: tuple[str, ...] = ()  # how it was formed: merge reasons (kg.link.provenance, #5)


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
