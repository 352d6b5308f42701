"""Concept keys: generic phrases that name one concept reach it, so they join their papers.

A generic concept phrase (an entity of kind ``concept``, :mod:`kg.extract.kinds`) is
written in many ways: ``bimanual dexterous manipulation``, ``bimanual robotic
manipulation`` and ``bimanual manipulation policy`` are all about ``bimanual
manipulation``. :func:`concept_key` reduces a phrase to that key with rules, no model:

1. The phrase is cut before its first function word (``diffusion policies for
   grasping``: ``diffusion policies``), and leading determiners and evaluative
   adjectives go (``a novel``, ``efficient``, ``highly robust``); a leading ``-ly`` word
   that is a key modifier stays (``partially observable``, ``weakly supervised``).
2. ``X-based``, ``X-style``, ``X-driven`` and the like become ``X``
   (``diffusion-based policy``: ``diffusion policy``); such a key is reached at a
   variant's weight (:data:`kg.specificity.VARIANT_WEIGHT`, :data:`~kg.specificity.CONCEPT_STYLES`).
3. Every word is made singular (``policies``: ``policy``; ``robotics`` stays).
4. Between the first word and the head (the last word), words shaped like adjectives
   (``-al``, ``-ic``, ``-ous``, ``-ive``, ``-able``, ...: ``dexterous``, ``robotic``) go,
   unless an adverb grades them (``partially observable Markov decision process``).
5. A generic head (``policy``, ``task``, ``framework``, ``benchmark``) goes when what is left
   has two words or more and the corpus knows it as a concept of its own.

A key keeps two words or more: one word (``manipulation``, ``learning``) is never a key.
A key that is a named entity and a head noun (``Transformer-based models``, ``UDA methods``,
``CNN architecture``: a name and ``model``, ``method``, ``architecture``, ...) is no concept
of its own: its papers reach the named entity (Transformer, UDA, CNN).

:func:`concept_links` then links each paper to the concept key of every phrase it uses,
when that key differs from the phrase's entity: ``(:Paper)-[:MENTIONS {via: ['concept']}]->``
the key's entity, with the phrases as the link's surfaces. It is done per paper and per
spelling, not per entity, because an entity may hold spellings of several concepts
(``bimanual robotic manipulation`` spelled into ``Robotic Manipulation`` by the catalog). The
key's entity is created when no paper names it but two papers or more reach it; its
``formed by`` line lists the phrases that reach it, and ``kg entities show`` lists each
paper's phrase and ``concept`` in the ``via`` column. A key reached through ``X-based`` has
the cue word in ``via`` too, and so has the link of a paper that names an entity only as
``X-style`` or ``X-based`` (``GRPO-style``): such links count at a variant's weight.
"""

import re
from collections import Counter, defaultdict
from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass, replace
from functools import lru_cache

from kg.models import Entity, EntityType, Mention, PaperEntity
from kg.names import american, compact_key, name_key
from kg.specificity import CONCEPT_STYLES, CONCEPT_VIA, GENERIC_KEYS, STYLE_CUES

__all__ = ["ConceptKey", "concept_key", "concept_links"]

_FUNCTION_WORDS = frozenset(
    """of for in on with via and or to from by using under through over at as into across
    between against without within towards toward versus vs than that which when where while
    based upon per among beyond""".split()
)
_DETERMINERS = frozenset("a an the this these those our their its".split())
_LEADING = frozenset(
    """a an the our their its this these those such novel new proposed existing efficient
    effective robust simple general generic unified scalable improved various different
    multiple several standard traditional conventional modern recent current popular powerful
    strong better best typical common key important challenging complex state-of-the-art
    most more less very highly
    end-to-end real-world large-scale high-quality lightweight flexible principled""".split()
)
# ``X-based``: the X is what the phrase is about.
_STYLE = re.compile(rf"^(.+?)-({'|'.join(sorted(CONCEPT_STYLES))})$", re.I)
# Heads that only say what kind of thing a phrase is.
_GENERIC_HEADS = frozenset(
    """policy task problem method approach framework technique setting scenario pipeline
    strategy paradigm scheme system capability ability benchmark dataset""".split()
)
# Head nouns a name may carry or not (kg.link.aliases joins ``X model`` and ``X`` so).
_HEADS = frozenset(
    "model network method algorithm framework approach architecture system technique scheme".split()
)
# Keys made of these words alone say nothing: ``deep learning model``, ``learning approach``.
_GENERIC_WORDS = frozenset(
    """learning method approach model network framework system algorithm technique task
    problem architecture training data deep neural machine performance pre trained pretrained
    based end""".split()
)
_ADJECTIVE = re.compile(r"[a-z]{3,}(?:al|ic|ical|ous|ive|ful|less|able|ible)$")
# Nouns with those endings: ``dense retrieval model`` keeps its retrieval.
_NOT_ADJECTIVES = frozenset(
    """retrieval removal proposal signal interval trial material terminal animal journal
    rival arrival approval reversal tutorial portal capital principal potential logic music
    topic traffic metric clinic fabric rubric arithmetic heuristic graphic critic public
    mimic objective incentive initiative narrative perspective alternative derivative
    primitive archive executive table cable variable vegetable""".split()
)
# A name several entities answer to leads a head noun to the one with this share of their
# papers (as a bare acronym takes a dominant meaning: kg.link.corpus.DOMINANT_SHARE).
_NAMED_SHARE = 0.8
# Words in ``-ly`` that are no adverbs.
_LY_NOUNS = frozenset(
    "family assembly anomaly supply reply monopoly butterfly rally jelly belly italy".split()
)
# Words whose final ``s`` is no plural.
_SINGULAR_S = re.compile(r".*(?:ss|us|is|as|ics|ous|news|lens|ways|series|species)$|.{0,3}")


@dataclass(frozen=True, slots=True)
class ConceptKey:
    """A phrase's concept key, and whether it was reached through ``X-based``/``X-style``."""

    key: str
    style: str = ""  # based, style, driven, ... when an ``X-based`` was undone
    shorter: str = ""  # the key without its generic head: the key if the corpus knows it


def concept_key(phrase: str, *, known: Collection[str] = ()) -> ConceptKey | None:
    """The concept key of a generic phrase (see the module's docstring), or None.

    ``known`` are the keys the corpus has: a generic head is dropped only when what is
    left is one of them.

    >>> [concept_key(p).key for p in ("bimanual dexterous manipulation",
    ...                               "Bimanual robotic manipulation", "diffusion policies")]
    ['bimanual manipulation', 'bimanual manipulation', 'diffusion policy']
    >>> concept_key("bimanual manipulation policy", known=["bimanual manipulation"]).key
    'bimanual manipulation'
    >>> concept_key("bimanual manipulation policy").key
    'bimanual manipulation policy'
    >>> concept_key("diffusion-based policies")
    ConceptKey(key='diffusion policy', style='based', shorter='')
    >>> [concept_key(p).key for p in ("natural language processing", "a novel graph neural network",
    ...                               "multi-agent reinforcement learning")]
    ['natural language processing', 'graph network', 'multi agent reinforcement learning']
    >>> [concept_key(p) for p in ("learning", "the robustness of LLMs", "deep learning model")]
    [None, None, None]
    """
    found = _concept_key(phrase)
    if found is not None and found.shorter and found.shorter in known:
        return ConceptKey(found.shorter, found.style)
    return found


@lru_cache(maxsize=1 << 18)  # phrases recur across papers
def _concept_key(phrase: str) -> ConceptKey | None:
    content = _content_words(phrase)
    if content is None:
        return None
    words, style = content
    if len(words) >= 3:  # an adjective an adverb grades stays: partially observable
        middle = [w for at, w in enumerate(words[1:-1]) if not _adjective(w) or _adverb(words[at])]
        words = [words[0], *middle, words[-1]]
    if len(words) < 2 or all(w.casefold() in _GENERIC_WORDS for w in words):
        return None
    key = name_key(" ".join(words))
    if len(words) >= 3 and words[-1].casefold() in _GENERIC_HEADS:
        return ConceptKey(key, style, name_key(" ".join(words[:-1])))
    return ConceptKey(key, style)


def concept_links(
    entities: Mapping[str, Entity],
    links: Sequence[PaperEntity],
    mentions: Mapping[str, Sequence[Mention]],
) -> tuple[list[PaperEntity], dict[str, Entity]]:
    """Link papers to the concept keys of the phrases they use (see the module's docstring).

    ``mentions`` are each entity key's mentions. Returns every link, the new ones
    added, and the entities to add or replace: the concept keys no paper names, and the
    keys' entities with a ``formed`` line that says which phrases reach them. A paper that
    names an entity only as ``X-style``/``X-based`` has the cue word in the link's ``via``.
    """
    cues: defaultdict[tuple[str, str], set[str]] = defaultdict(set)  # (key, paper) -> cues
    for key, group in mentions.items():
        for mention in group:
            cues[key, mention.paper_id].add(mention.cue)
    links = [_with_style(link, cues.get((link.key, link.paper_id), set())) for link in links]
    papers = Counter(link.key for link in links)
    named_of = _named_index(entities, papers)
    links, joined = _to_named(links, entities, named_of, papers)
    direct: defaultdict[str, set[str]] = defaultdict(set)  # key -> papers naming it
    for link in links:
        direct[link.key].add(link.paper_id)
    phrases: list[tuple[PaperEntity, str]] = []
    for link in links:
        entity = entities.get(link.key)
        if entity is None or entity.type is EntityType.ORGANIZATION:
            continue
        if link.kind == "concept" or entity.kind == "concept":
            for phrase in dict.fromkeys((*link.surfaces, entity.canonical)):
                phrases.append((link, phrase))
    first = {phrase: _concept_key(phrase) for _, phrase in phrases}
    known = set(entities) | {found.key for found in first.values() if found}
    keyed: list[tuple[PaperEntity, str, ConceptKey | None]] = []
    reaching: defaultdict[str, set[str]] = defaultdict(set)  # key -> papers reaching it
    for link, phrase in phrases:
        found = first[phrase]
        if found is not None and found.shorter in known:
            found = ConceptKey(found.shorter, found.style)
        keyed.append((link, phrase, found))
        if found is not None:
            reaching[found.key].add(link.paper_id)
    reached: defaultdict[str, dict[str, list[tuple[PaperEntity, str, ConceptKey]]]]
    reached = defaultdict(dict)  # concept key -> paper -> the links and phrases reaching it
    for link, phrase, found in keyed:
        named = _named_head(found.key, named_of) if found is not None else None
        if named is not None and found is not None:
            if named == link.key:
                continue  # ``Transformer-based models`` said of the Transformer itself
            if papers[named] < len(reaching[found.key] | direct[found.key]):
                named = None  # the name is less known than the name and a head: neural network
            elif not _says_name(phrase, entities[named]):
                continue  # ``transformer-based models``: the Transformer's, but not written so
        if named is not None and found is not None:
            found = ConceptKey(named, found.style)  # ``UDA methods``: UDA, no concept
        elif found is None or _bare(found.key) == _bare(link.key) or found.key in GENERIC_KEYS:
            continue  # the entity itself, spelled with another head noun, or a generic key
        target = entities.get(found.key)
        if target is not None and target.type is EntityType.ORGANIZATION:
            continue
        if link.paper_id not in direct[found.key]:
            reached[found.key].setdefault(link.paper_id, []).append((link, phrase, found))
    added: list[PaperEntity] = []
    changed: dict[str, Entity] = {}
    for key, others in sorted(joined.items()):
        entity = entities[key]
        changed[key] = replace(
            entity, formed=(*entity.formed, *(f"head noun: {o}" for o in others))
        )
    for key, by_paper in sorted(reached.items()):
        if key not in entities and len(by_paper) < 2:
            continue  # a key only one paper reaches joins nothing
        names = sorted({phrase for ways in by_paper.values() for _, phrase, _ in ways})
        shown = ", ".join(names[:5]) + (f" and {len(names) - 5} more" if len(names) > 5 else "")
        entity = (
            changed.get(key)
            or entities.get(key)
            or _new_concept(key, [entities[ways[0][0].key] for ways in by_paper.values()])
        )
        line = f"concept key of {len(names)} phrase(s): {shown}"
        changed[key] = replace(entity, formed=(*entity.formed, line))
        for _, ways in sorted(by_paper.items()):
            first_link = ways[0][0]
            styles = {found.style for _, _, found in ways}
            style = () if "" in styles else (min(styles),)
            added.append(
                replace(
                    first_link,
                    key=key,
                    count=sum({id(link): link.count for link, _, _ in ways}.values()),
                    surfaces=tuple(sorted({phrase for _, phrase, _ in ways})),
                    proposed=False,
                    via=(CONCEPT_VIA, *style),
                    kind="concept",
                )
            )
    return links + added, changed


def _to_named(
    links: list[PaperEntity],
    entities: Mapping[str, Entity],
    named_of: Mapping[str, str],
    papers: Mapping[str, int],
) -> tuple[list[PaperEntity], dict[str, list[str]]]:
    """The links of an entity that is a named entity and a head noun (``UDA methods``,
    ``Transformer models``) moved to the named entity; and the keys moved into each.

    Only to a name at least as many papers use as the name and head (not ``Neural`` for
    ``neural network``), and written as that name spells it (``UDA``, ``Transformer``; not
    the ``DENSE`` data set for ``dense models``)."""
    surfaces: defaultdict[str, set[str]] = defaultdict(set)
    for link in links:
        surfaces[link.key].update(link.surfaces)
    moved: dict[str, str] = {}
    styles: dict[str, str] = {}
    for key in sorted(surfaces):
        entity = entities.get(key)
        if entity is not None and entity.type is not EntityType.ORGANIZATION:
            named, styles[key] = _named_style(key, named_of)
            if named is None or papers.get(named, 0) < papers.get(key, 0):
                continue
            if any(_says_name(surface, entities[named]) for surface in surfaces[key]):
                moved[key] = named
    if not moved:
        return links, {}
    linked = {(link.paper_id, link.key) for link in links if link.key not in moved}
    kept: list[PaperEntity] = []
    for link in links:
        named = moved.get(link.key)
        if named is None:
            kept.append(link)
        elif (link.paper_id, named) not in linked:  # a paper naming both keeps one link
            linked.add((link.paper_id, named))
            cue = (styles[link.key],) if styles[link.key] else ()
            via = tuple(dict.fromkeys((*link.via, CONCEPT_VIA, *cue)))
            kept.append(replace(link, key=named, via=via))
    joined: defaultdict[str, list[str]] = defaultdict(list)
    for key, named in sorted(moved.items()):
        joined[named].append(key)
    return kept, dict(joined)


def _says_name(phrase: str, entity: Entity) -> bool:
    """Whether a phrase holds one of the entity's names as it spells it, as a word: ``UDA)
    methods`` and ``large Transformer-based models`` do, ``dense models`` (DENSE) does not."""
    for name in {entity.canonical, entity.name, *entity.aliases}:
        if name and re.search(rf"(?<![\w-]){re.escape(name)}(?![^\s)-])", phrase):
            return True
    return False


def _named_head(key: str, named_of: Mapping[str, str]) -> str | None:
    """The named entity a key is with a head noun added (``uda method``: UDA;
    ``transformer based model``: the Transformer), or None."""
    return _named_style(key, named_of)[0]


def _named_style(key: str, named_of: Mapping[str, str]) -> tuple[str | None, str]:
    """:func:`_named_head`, and the cue word (``based``) between the name and its head."""
    words = key.split(" ")
    if len(words) < 2 or words[-1] not in _HEADS:
        return None, ""  # no head noun
    words.pop()
    while len(words) > 1 and words[-1] in _HEADS:
        words.pop()
    style = words.pop() if len(words) > 1 and words[-1] in CONCEPT_STYLES else ""
    named = named_of.get(compact_key(" ".join(words)))
    return (named, style) if named is not None and named != key else (None, "")


def _named_index(entities: Mapping[str, Entity], papers: Counter[str]) -> dict[str, str]:
    """The entities a head noun may follow by each of their names without word breaks
    (:func:`_bare`): ``uda`` -> the key of (Unsupervised) Domain Adaptation. Named entities
    by every name, concepts by their acronyms (``UDA``). A name several entities answer to
    goes to the one with at least :data:`_NAMED_SHARE` of their papers (``papers``: the
    papers linked to each key), if any."""
    holders: defaultdict[str, set[str]] = defaultdict(set)
    for key, entity in entities.items():
        if entity.type is EntityType.ORGANIZATION or entity.kind not in ("named", "concept"):
            continue
        names = (key, entity.canonical, entity.name, *entity.aliases)
        if entity.kind == "concept":  # a concept by its acronyms only: UDA, not "domain"
            names = tuple(n for n in names if sum(c.isupper() for c in n) >= 2 and " " not in n)
        for name in names:
            holders[compact_key(name_key(name))].add(key)
    index = {}
    for name, keys in holders.items():
        best = max(sorted(keys), key=lambda k: papers[k])
        if papers[best] >= _NAMED_SHARE * sum(papers[k] for k in keys):
            index[name] = best
    return index


def _with_style(link: PaperEntity, cues: set[str]) -> PaperEntity:
    """The link with the cue word in its ``via`` when the paper names the entity only as
    ``X-style``, ``X-based``, ``X-like`` or ``X-inspired`` (``GRPO-style objective``)."""
    if not cues or not cues <= STYLE_CUES:
        return link
    return replace(link, via=(*link.via, *sorted(cues)))


def _content_words(phrase: str) -> tuple[list[str], str] | None:
    """Steps 1 to 3: the phrase's words before a function word, singular, without
    leading determiners, evaluative adjectives or a gerund; and the cue of an ``X-based``
    undone ("" if none)."""
    if not phrase.split() or phrase.split()[0].casefold() in _FUNCTION_WORDS:
        return None
    kept: list[str] = []
    raws = [raw.strip(".,;:!?\"'()[]{}\u201c\u201d\u2018\u2019`*") for raw in phrase.split()]
    for at, word in enumerate(raws):
        lower = word.casefold()
        if not word or lower in _FUNCTION_WORDS or (kept and lower in _DETERMINERS):
            break
        if kept or not (lower in _LEADING or _evaluative_adverb(lower, raws[at + 1 : at + 2])):
            kept.append(word)
    if len(kept) >= 4 and kept[0].casefold().endswith("ing"):
        kept = kept[1:]  # learning bimanual manipulation: about bimanual manipulation
    words = []
    style = ""
    for word in kept:
        if match := _STYLE.match(word):
            word, style = match.group(1), match.group(2).casefold()
        words.append(_singular(word))
    return (words, style) if words else None


def _adverb(word: str) -> bool:
    """Whether a word is shaped like an adverb (``partially``, ``weakly``), not a noun
    (``family``, ``assembly``, ``anomaly``) or a name."""
    lower = word.casefold()
    return (
        len(lower) >= 5
        and lower.endswith("ly")
        and word[1:] == lower[1:]
        and lower not in _LY_NOUNS
    )


def _evaluative_adverb(lower: str, after: list[str]) -> bool:
    """Whether a leading ``-ly`` word only grades the evaluative word after it (``highly
    efficient``, ``provably robust``), not a key modifier (``partially observable``,
    ``weakly supervised``, ``fully convolutional``: the concept is not the same without it)."""
    if not lower.endswith("ly"):
        return False  # a leading noun in -ly (family, assembly) is no adverb either way
    following = after[0].casefold() if after else ""
    return following in _LEADING or following.endswith("ly")


@lru_cache(maxsize=1 << 18)
def _bare(key: str) -> str:
    """A key without its generic head nouns and word breaks: ``cross lingual model`` and
    ``cross-lingual`` are one entity, not a concept and its key."""
    words = key.split(" ")
    while len(words) > 1 and words[-1] in _HEADS:
        words.pop()
    return compact_key(" ".join(words))


@lru_cache(maxsize=1 << 16)
def _singular(word: str) -> str:
    """``policies``: ``policy``; ``approaches``: ``approach``; ``robotics``, ``LLMs`` stay
    for :func:`kg.names.name_key`."""
    head, _, last = word.rpartition("-")
    lower = last.casefold()
    if not last.isalpha() or last[1:] != last[1:].casefold():
        return word  # an acronym (LLMs) or a name: name_key knows its plural
    if _SINGULAR_S.fullmatch(lower) or not lower.endswith("s"):
        return word
    if lower.endswith("ies"):
        last = last[:-3] + "y"
    elif lower.endswith(("sses", "ches", "shes", "xes")):
        last = last[:-2]
    else:
        last = last[:-1]
    return f"{head}-{last}" if head else last


@lru_cache(maxsize=1 << 16)
def _adjective(word: str) -> bool:
    """Whether a modifier is shaped like an adjective (``dexterous``, ``robotic``, ``neural``),
    not a noun (``retrieval``) or a name (``Transformer``)."""
    lower = american(word.casefold())
    if word[1:] != word[1:].casefold() or "-" in word:
        return False
    return _ADJECTIVE.fullmatch(lower) is not None and lower not in _NOT_ADJECTIVES


def _new_concept(key: str, children: list[Entity]) -> Entity:
    """The entity of a concept key no paper names, as its narrower phrases spell it."""
    type_ = max(
        {c.type for c in children}, key=lambda t: (sum(c.type is t for c in children), t.value)
    )
    return Entity(key=key, canonical=key, name=key, type=type_, aliases=(), kind="concept")
