"""Merge the mentions of a corpus into entities: one node per thing, whatever its spelling.

Long because link() runs its steps in one order that matters (definitions, acronyms with
the dominance rule, keys, variants, concept keys, overrides) and each step reads what the
earlier ones decided; the rules themselves live in kg/link/aliases.py, definitions.py,
variants.py, concepts.py and kg/names.py.
"""

import re
from collections import Counter, defaultdict
from collections.abc import Collection, Iterable, Mapping
from dataclasses import dataclass, replace

from kg.catalog import Catalog, load_catalog
from kg.extract import PaperExtraction
from kg.extract.acronyms import match_long_form
from kg.extract.kinds import entity_kind, mention_kind
from kg.extract.patterns import normalise_url
from kg.extract.proposals import says_proposed
from kg.extract.sentences import Sentences, sentence_starts
from kg.link.aliases import head_noun_keys, key_groups, meaning_groups
from kg.link.concepts import concept_links
from kg.link.definitions import restore_definitions
from kg.link.overrides import Overrides, apply_to_entities, apply_to_mentions
from kg.link.provenance import mention_id, reasons, via
from kg.link.variants import find_variants, strip_size
from kg.models import Entity, EntityType, Graph, Mention, Paper, PaperEntity, Repository
from kg.names import is_name, name_key, singular_acronym

__all__ = [
    "AMBIGUOUS",
    "DOMINANT_PAPERS",
    "DOMINANT_SHARE",
    "DOMINANT_SHORT_PAPERS",
    "DOMINANT_USES",
    "SHORT_ACRONYM",
    "Meanings",
    "corpus_meanings",
    "dominant_meaning",
    "link",
]

# The kind of an entity that only stands for a bare acronym with several meanings in the
# corpus (``GT``: ground truth, game theory, graph transformer): kept, so ``kg entities
# show GT`` explains it, but views, top lists and overlap pairs skip it (they use named).
AMBIGUOUS = "ambiguous"
# A bare acronym (in a paper that does not define it) takes the corpus's meaning only when
# that meaning is dominant: at least DOMINANT_SHARE of the papers defining the acronym give
# it, and no more than DOMINANT_USES papers use the acronym bare per paper defining it that
# way (one paper's ``AI = Ada Initiative`` never names the 5,000 papers that say AI).
DOMINANT_SHARE = 0.8
DOMINANT_USES = 20
# ... and at least DOMINANT_PAPERS papers define it that way (one paper's definition never
# names another paper's bare use: MELM = Min-Entropy Latent Model said once is no corpus
# meaning), DOMINANT_SHORT_PAPERS for a short form of SHORT_ACRONYM letters or fewer, which
# has many meanings (HQ, ESP, GIF, BSP). Chosen on the dev half of the leave-one-out
# benchmark (benchmarks/acronym_loo.py --half dev) on the 51k corpus: precision 0.933 ->
# 0.972, strict 0.852 -> 0.926, recall 0.389 -> 0.357; the test half, never looked at
# while choosing: 0.925 -> 0.972, 0.828 -> 0.923, 0.362 -> 0.340 (docs/graph.md).
DOMINANT_PAPERS = 2
DOMINANT_SHORT_PAPERS = 3
SHORT_ACRONYM = 3

# Word-like tokens, as acronyms are written: GES, GPT-4, 3DGS, LLMs.
_TOKEN = re.compile(r"(?<![\w-])[A-Za-z0-9][\w+&.-]*?[\w+](?![\w-])")
# A number right before a token (``1.5 TB``, ``24\\,GB``, ``8~GPUs``) makes it a unit.
_QUOTES = " \t\"'*`-\u2010\u2013\u2014\u201c\u201d\u2018\u2019"
_ARTICLE = re.compile(r"(?:the|a|an)\s+", re.I)
_AFTER_NUMBER = re.compile(r"\d(?:\s|~|\\,|\\ )*$")


def link(
    extractions: Iterable[PaperExtraction],
    *,
    catalog: Catalog | None = None,
    overrides: Overrides | None = None,
) -> Graph:
    """Build the graph of a corpus from each paper's extraction.

    A bare acronym (``PPO``) is merged into the long form another paper defined
    for it, when the corpus gives it exactly one long form. An acronym defined
    with two long forms (``MPI``: Message Passing Interface, Model Predictive
    Inference) gives one entity per long form, and a paper that uses it without
    defining it is linked to neither: it is left out, or, when a rule names it
    (``MPI-based``), it becomes an entity of its own, ``MPI``. Each entity takes
    the type most of its mentions were given.

    Before that, each paper's acronym definitions are put back whole
    (:mod:`kg.link.definitions`); after it, keys that only split words differently or add
    a head noun are joined and long forms of one meaning are one
    (:mod:`kg.link.aliases`). Each entity records why it was formed (:mod:`kg.link.provenance`).

    ``overrides`` (the user's file, :mod:`kg.link.overrides`) drop, merge, split and type
    names before and after that.
    """
    catalog = catalog or load_catalog()
    overrides = overrides or Overrides()
    papers: list[Paper] = []
    mentions: list[Mention] = []
    repositories: list[Repository] = []
    for extraction in extractions:
        papers.append(extraction.paper)
        mentions.extend(extraction.mentions)
        repositories.extend(extraction.repositories)

    overridden = {
        mention_id(m): m.canonical for m in mentions if name_key(m.canonical) in overrides.merge
    }
    mentions = apply_to_mentions(mentions, overrides)
    mentions = restore_definitions(papers, mentions, catalog)
    mentions = [_singular_aliases(mention) for mention in mentions]
    mentions = [_own_name(mention, catalog) for mention in mentions]
    mentions = _wider_definitions(mentions, catalog)
    mentions = _organisation_modifiers(papers, mentions)
    mentions = [m for m in map(_named, mentions) if m is not None]
    long_forms = _acronym_table(mentions)
    for short in [s for s in long_forms if name_key(s) in overrides.split]:
        del long_forms[short]  # split: never linked to another paper's long form
    one_meaning = _one_meaning(long_forms, Counter(m.canonical for m in mentions))
    meanings = corpus_meanings(mentions, one_meaning, set(long_forms))
    bare = _bare_acronyms(papers, mentions, meanings)
    resolved = {short: dominant_meaning(m) for short, m in meanings.items()}
    ambiguous = {s for s, m in meanings.items() if resolved[s] is None and len(m.papers) > 1}
    mentions = [_own_meaning(m, meanings) for m in mentions]
    mentions.extend(_resolved(bare, meanings, resolved))
    mentions = [_with_kind(mention) for mention in mentions]
    canonical_of: dict[str, str] = {}
    for mention in mentions:
        canonical = one_meaning.get(mention.canonical, mention.canonical)
        if not mention.aliases and resolved.get(canonical) is not None:
            canonical = resolved[canonical] or canonical
        canonical_of[mention.canonical] = canonical
    ambiguous_keys = {name_key(short): meanings[short] for short in sorted(ambiguous)}

    by_key: dict[str, list[Mention]] = defaultdict(list)
    for mention in mentions:
        by_key[name_key(canonical_of.get(mention.canonical, mention.canonical))].append(mention)
    # ``multi-modal``/``multimodal``, ``Gemini-3``/``Gemini-3.0``: one entity, the
    # spelling most mentions use; ``Vision-Language-Action models``: the named thing.
    joined: dict[str, list[str]] = defaultdict(list)
    for keys in key_groups(by_key).values():
        kept, *others = sorted(keys, key=lambda k: (-len(by_key[k]), k))
        for other in others:
            by_key[kept].extend(by_key.pop(other))
            joined[kept].append(f"split words: {other}")
    for key, named in head_noun_keys(by_key).items():
        by_key[named].extend(by_key.pop(key))
        joined[named].append(f"head noun: {key}")
    entities = {}
    kinds = {key: _paper_kinds(group) for key, group in by_key.items()}
    for key in ambiguous_keys.keys() & set(by_key):
        if not any(m.aliases for m in by_key[key]):  # bare uses only, no paper defines it here
            kinds[key] = dict.fromkeys(kinds[key], AMBIGUOUS)
    for key, group in by_key.items():
        kind = AMBIGUOUS if AMBIGUOUS in kinds[key].values() else entity_kind(kinds[key].values())
        entity = replace(_entity(key, group, canonical_of), kind=kind)
        formed = reasons(
            key,
            entity.canonical,
            group,
            one_meaning=one_meaning,
            canonical_of=canonical_of,
            overridden=overridden,
            joined=joined.get(key, ()),
        )
        if kind == AMBIGUOUS:
            formed = (*formed, _ambiguity(ambiguous_keys[key]))
        entities[key] = replace(entity, formed=formed)
    entities = apply_to_entities(entities, overrides)

    links: list[PaperEntity] = []
    for key, group in by_key.items():
        per_paper: dict[str, list[Mention]] = defaultdict(list)
        for mention in group:
            per_paper[mention.paper_id].append(mention)
        for paper_id, paper_mentions in per_paper.items():
            first = _evidence(paper_mentions)
            links.append(
                PaperEntity(
                    paper_id=paper_id,
                    key=key,
                    count=len(paper_mentions),
                    evidence=first.sentence,
                    surfaces=tuple(sorted({m.text for m in paper_mentions})),
                    section=first.section,
                    start=first.start,
                    end=first.end,
                    proposed=any(m.proposed for m in paper_mentions),
                    via=via(paper_mentions, overridden),
                    kind=kinds[key][paper_id],
                )
            )

    affiliations = []
    for paper in papers:
        if paper.organization:
            entry = catalog.lookup(paper.organization) or (
                catalog.lookup(paper.organization_handle) if paper.organization_handle else None
            )
            name = entry.canonical if entry else paper.organization
            key = name_key(name)
            if key not in entities:
                aliases = tuple(sorted({paper.organization, *(entry.aliases if entry else ())}))
                entities[key] = Entity(key, name, name, EntityType.ORGANIZATION, aliases)
            affiliations.append((paper.id, key))
    affiliations += _metadata_affiliations(papers, entities, catalog, set(affiliations))
    repositories += _metadata_repositories(papers, repositories)
    # Sizes, versions, families and affixes: UniGRPO -> GRPO, LLaMA-3-7B -> LLaMA-3 (#5).
    variants, parents = find_variants(entities, catalog)
    entities.update(parents)
    # Concept phrases reach their concept key: bimanual dexterous manipulation -> bimanual
    # manipulation (#18, kg.link.concepts).
    links, concepts = concept_links(entities, links, by_key)
    entities.update(concepts)
    entities = _distinct_names(entities, links)
    return Graph(papers, entities, links, affiliations, repositories, variants)


def _distinct_names(entities: dict[str, Entity], links: list[PaperEntity]) -> dict[str, Entity]:
    """Entities shown by a short form other entities are shown by too (``SN``: social
    network, Siamese network, segmentation network) are shown by their canonical names,
    unless one holds at least :data:`DOMINANT_SHARE` of their papers (``SfM``: structure from
    motion, not the submodular function minimization of 4 papers), as a bare acronym
    takes the dominant meaning. Ambiguous nodes, which views skip, are not counted."""
    papers: Counter[str] = Counter(link.key for link in links)
    shown: defaultdict[str, list[Entity]] = defaultdict(list)
    for entity in entities.values():
        if entity.kind != AMBIGUOUS and entity.type is not EntityType.ORGANIZATION:
            shown[entity.name.casefold()].append(entity)
    renamed = dict(entities)
    for group in shown.values():
        if len(group) < 2:
            continue
        total = sum(papers[e.key] for e in group)
        for entity in group:
            if entity.name != entity.canonical and papers[entity.key] < DOMINANT_SHARE * total:
                renamed[entity.key] = replace(entity, name=entity.canonical)
    return renamed


def _metadata_affiliations(
    papers: list[Paper],
    entities: dict[str, Entity],
    catalog: Catalog,
    seen: set[tuple[str, str]],
) -> list[tuple[str, str]]:
    """Link papers to the organisations their source lists (``Paper.affiliations``).

    A name the catalog knows takes its canonical form, so ``MIT`` and
    ``Massachusetts Institute of Technology`` are one organisation.
    """
    found = []
    for paper in papers:
        for name in paper.affiliations:
            entry = catalog.lookup(name)
            canonical = entry.canonical if entry else name
            key = name_key(canonical)
            if not key:
                continue
            if key not in entities:
                aliases = tuple(sorted({name, *(entry.aliases if entry else ())} - {canonical}))
                entities[key] = Entity(key, canonical, canonical, EntityType.ORGANIZATION, aliases)
            if (paper.id, key) not in seen:
                seen.add((paper.id, key))
                found.append((paper.id, key))
    return found


def _metadata_repositories(papers: list[Paper], found: list[Repository]) -> list[Repository]:
    """Repositories and project pages a source lists as metadata (``Paper.urls``).

    A link the abstract already gave is not repeated; these carry no sentence, and
    their ``section`` is ``metadata``.
    """
    seen = {(r.paper_id, r.url) for r in found}
    repositories = []
    for paper in papers:
        for raw in paper.urls:
            url, kind = normalise_url(raw)
            if (paper.id, url) not in seen and url.count("/") >= 2:
                seen.add((paper.id, url))
                repositories.append(Repository(paper.id, url, kind, "", 0, 0, section="metadata"))
    return repositories


def _acronym_table(mentions: list[Mention]) -> dict[str, set[str]]:
    """Map each short form to the long forms the corpus defined it as."""
    table: dict[str, set[str]] = defaultdict(set)
    for mention in mentions:
        for short in mention.aliases:
            table[short].add(mention.canonical)
    return table


def _one_meaning(long_forms: dict[str, set[str]], counts: Counter[str]) -> dict[str, str]:
    """Map each long form to the one that stands for its meaning, where they differ.

    ``Reinforcement learning with verifiers`` and ``Reinforcement Learning with
    Verifiable Rewards``, both defining RLVR, are one meaning
    (:func:`kg.link.aliases.same_meaning`), named by the long form most mentions use.
    Acronyms inside long forms (``Multimodal LLMs``) are spelled out with the acronyms the
    corpus defines once.
    """
    expansions: dict[str, str] = {}
    for _ in range(2):  # the second pass knows the acronyms the first made unambiguous
        chosen: dict[str, str] = {}
        for short, longs in long_forms.items():
            ordered = sorted(longs, key=lambda long: (-counts[long], long))
            groups = meaning_groups(ordered, expansions)
            for group in groups:
                for long in group[1:]:
                    chosen[long] = group[0]
            if len(groups) == 1:
                expansions[short] = ordered[0]
    return chosen


def _singular_aliases(mention: Mention) -> Mention:
    """``CoTs``, ``VLAs``, ``LLMs`` as acronyms: ``CoT``, ``VLA``, ``LLM``."""
    aliases = tuple(singular_acronym(a) for a in mention.aliases)
    return replace(mention, aliases=aliases) if aliases != mention.aliases else mention


def _own_name(mention: Mention, catalog: Catalog) -> Mention:
    """A one-word name that extends its canonical name names an entity of its own.

    ``GPT-Image-1.5`` given the canonical name ``GPT`` (a wider span that kept the
    name inside it), or ``gpt-oss-120b`` given ``gpt-oss``, becomes its own entity;
    the variant rules then link it to ``GPT`` and ``gpt-oss``. Cue mentions
    (``GRPO-style``) and a catalog's own size-free aliases keep their canonical name.
    """
    text = mention.text.strip()
    if mention.rule == "cue" or mention.aliases or not text or any(c.isspace() for c in text):
        return mention
    own, given = name_key(text), name_key(mention.canonical)
    if own == given or not given or not own.startswith(given):
        return mention
    after = own[len(given)]
    if not (after == " " or (after.isdigit() and given[-1].isalpha())):
        return mention
    entry = catalog.lookup(text)
    if entry and entry.canonical == mention.canonical and strip_size(text) is None:
        return mention
    return replace(mention, canonical=text)


# A capitalised word right after a mention: ``Meta Knowledge-Driven``, ``Meta Consistency``.
_CAPITALISED_NEXT = re.compile(r" [A-Z][a-z]")


def _organisation_modifiers(papers: list[Paper], mentions: list[Mention]) -> list[Mention]:
    """Without the one-word organisation names that modify the capitalised name after them.

    ``Meta`` (the organisation, also Facebook) was linked from ``LEA: Meta Knowledge-Driven
    Self-Attentive Document Embedding``, ``Meta Test-Time Training (MT3)`` and ``Meta
    Normalization``: there the word is a prefix of another name. An organisation written
    before a name of its own is caught by a longer catalog name (``Meta AI``, ``Google
    DeepMind``); one word before a capitalised word is a modifier of that name.
    """
    texts = {paper.id: {"title": paper.title, "abstract": paper.abstract} for paper in papers}
    kept = []
    for mention in mentions:
        if mention.type is EntityType.ORGANIZATION and mention.text.isalpha():
            text = texts.get(mention.paper_id, {}).get(mention.section, "")
            if text[mention.start : mention.end] == mention.text and _CAPITALISED_NEXT.match(
                text, mention.end
            ):
                continue
        kept.append(mention)
    return kept


def _wider_definitions(mentions: list[Mention], catalog: Catalog) -> list[Mention]:
    """A paper's definition of a wider name than the catalog name inside it names its own.

    ``Federated Averaging Langevin Dynamics (FALD)`` and ``Gaussian Activated Neural
    Radiance Fields (GARF)`` came from the extractor with the canonical name of the catalog
    name they hold (Federated Averaging, Neural Radiance Fields), so one paper's variant
    joined the well-known entity, and its acronym named it. When the short form spells the
    wider name and not the catalog's, and the catalog does not give that short form to its
    name, the paper's mentions of the wider name and of its short form take the wider
    name as canonical; the paper's other mentions of the catalog name (``Federated
    Averaging algorithm``) keep it.
    """
    renamed: dict[tuple[str, str], tuple[str, set[str]]] = {}
    for mention in mentions:
        text = mention.text.strip()
        if not mention.aliases or mention.rule == "cue" or not is_name(text):
            continue
        own, given = name_key(text), name_key(mention.canonical)
        if own == given or f" {given} " not in f" {own} ":
            continue  # the mention is the canonical name, or no wider span around it
        for short in mention.aliases:
            entry = catalog.lookup(short)
            if entry is not None and name_key(entry.canonical) == given:
                continue  # the catalog says the short form names it
            words = mention.canonical.split()
            if match_long_form(short, text.split()) == 0 and match_long_form(short, words) is None:
                found = renamed.setdefault((mention.paper_id, mention.canonical), (text, {own}))
                found[1].add(name_key(short))
    if not renamed:
        return mentions
    changed = []
    for mention in mentions:
        wider = renamed.get((mention.paper_id, mention.canonical))
        if wider is not None and name_key(mention.text.strip()) in wider[1]:
            mention = replace(mention, canonical=wider[0])
        changed.append(mention)
    return changed


@dataclass(frozen=True, slots=True)
class Meanings:
    """What a corpus says one short form stands for.

    ``papers`` maps each meaning (the long form standing for it) to the papers defining
    the short form that way; ``own`` maps each of those papers to its meaning; ``bare`` is
    how many other papers use the short form (a mention named by it, or the bare token).
    """

    short: str
    papers: dict[str, set[str]]
    own: dict[str, str]
    bare: int = 0


def corpus_meanings(
    mentions: Iterable[Mention], one_meaning: Mapping[str, str], shorts: Collection[str]
) -> dict[str, Meanings]:
    """The meanings each short form in ``shorts`` has in the corpus, from its definitions
    (mentions with the short form as alias); bare uses are counted by the caller."""
    found: dict[str, Meanings] = {}
    for mention in mentions:
        for short in mention.aliases:
            if short not in shorts:
                continue
            meaning = one_meaning.get(mention.canonical, mention.canonical)
            entry = found.setdefault(short, Meanings(short, {}, {}))
            entry.papers.setdefault(meaning, set()).add(mention.paper_id)
            entry.own.setdefault(mention.paper_id, meaning)
    return found


def dominant_meaning(
    meanings: Meanings, *, share: float | None = None, uses: int | None = None
) -> str | None:
    """The meaning a bare use of the short form takes, or None when none is dominant.

    Dominant: at least ``share`` of the papers defining the short form give that
    meaning, the papers using it bare are no more than ``uses`` per paper that
    defines it so, and at least :data:`DOMINANT_PAPERS` papers define it so
    (:data:`DOMINANT_SHORT_PAPERS` for a short form of :data:`SHORT_ACRONYM` letters
    or fewer) (by default :data:`DOMINANT_SHARE` and :data:`DOMINANT_USES`; all read
    when called: ``benchmarks/acronym_loo.py`` tries others).

    >>> gt = Meanings("GT", {"ground truth": {"a", "b", "c"}, "game theory": {"d"}}, {}, bare=9)
    >>> dominant_meaning(gt) is None, dominant_meaning(gt, share=0.75)
    (True, 'ground truth')
    >>> ai = Meanings("AI", {"Ada Initiative": {"a", "b", "c"}}, {}, bare=5000)
    >>> dominant_meaning(ai) is None, dominant_meaning(replace(ai, bare=60))
    (True, 'Ada Initiative')
    >>> dominant_meaning(Meanings("MELM", {"Min-Entropy Latent Model": {"a"}}, {})) is None
    True
    """
    share = DOMINANT_SHARE if share is None else share
    uses = DOMINANT_USES if uses is None else uses
    if not meanings.papers:
        return None
    ranked = sorted(meanings.papers.items(), key=lambda item: (-len(item[1]), item[0]))
    top, papers = ranked[0]
    defining = len({p for group in meanings.papers.values() for p in group})
    if len(papers) < share * defining or meanings.bare > uses * len(papers):
        return None
    short = len(singular_acronym(meanings.short)) <= SHORT_ACRONYM
    if len(papers) < (DOMINANT_SHORT_PAPERS if short else DOMINANT_PAPERS):
        return None
    return top


def _ambiguity(entry: Meanings) -> str:
    """The reason an entity is ambiguous: the meanings its short form has, most papers first."""
    ranked = sorted(entry.papers.items(), key=lambda item: (-len(item[1]), item[0]))
    said = "; ".join(f"{long} ({len(papers)})" for long, papers in ranked[:5])
    more = f"; {len(ranked) - 5} more" if len(ranked) > 5 else ""
    return f"ambiguous acronym {entry.short}: no dominant meaning among {said}{more}"


def _own_meaning(mention: Mention, meanings: Mapping[str, Meanings]) -> Mention:
    """A paper's own definition decides what its bare uses of the acronym mean."""
    if mention.aliases:
        return mention
    entry = meanings.get(mention.canonical) or meanings.get(singular_acronym(mention.canonical))
    own = entry.own.get(mention.paper_id) if entry else None
    return replace(mention, canonical=own) if own else mention


def _resolved(
    bare: list[Mention], meanings: Mapping[str, Meanings], resolved: Mapping[str, str | None]
) -> list[Mention]:
    """The bare tokens that name a meaning: the paper's own, or the corpus's dominant one."""
    found = []
    for mention in bare:
        short = mention.canonical
        own = meanings[short].own.get(mention.paper_id)
        if own is not None:  # the paper's own definition: an acronym use, not the corpus's
            found.append(replace(mention, canonical=own, rule="acronym"))
        elif (meaning := resolved.get(short)) is not None:
            found.append(replace(mention, canonical=meaning))
    return found


def _bare_acronyms(
    papers: list[Paper], mentions: list[Mention], meanings: dict[str, Meanings]
) -> list[Mention]:
    """Find uses of the acronyms in ``meanings`` where no mention named them, and count
    the papers using each bare (``Meanings.bare``: these and the mentions named by it).

    The mentions found have the short form as canonical name; :func:`_resolved` keeps
    those a meaning is known for.
    """
    if not meanings:
        return []
    taken: dict[str, list[tuple[str, int, int]]] = defaultdict(list)
    types: dict[str, EntityType] = {}
    users: dict[str, set[str]] = defaultdict(set)
    for mention in mentions:
        taken[mention.paper_id].append((mention.section, mention.start, mention.end))
        if mention.aliases:
            for short in mention.aliases:
                types.setdefault(short, mention.type)
        else:
            named = mention.canonical
            named = named if named in meanings else singular_acronym(named)
            if named in meanings and mention.paper_id not in meanings[named].own:
                users[named].add(mention.paper_id)
    found = []
    for paper in papers:
        for section, text in (("title", paper.title), ("abstract", paper.abstract)):
            sentences: Sentences | None = None  # split once, at the first use found
            for match in _TOKEN.finditer(text):
                token = match.group()
                singular = singular_acronym(token)
                short = token if token in meanings else singular
                if short not in meanings:
                    continue
                start, end = match.span()
                if any(s == section and b < end and start < e for s, b, e in taken[paper.id]):
                    continue
                if _AFTER_NUMBER.search(text, max(0, start - 12), start):
                    continue  # ``1.5 TB of RAM``: a unit, not the acronym
                if paper.id not in meanings[short].own:
                    users[short].add(paper.id)
                if sentences is None:
                    sentences = Sentences(text, sentence_starts(text))
                found.append(
                    Mention(
                        paper_id=paper.id,
                        text=token,
                        type=types.get(short, EntityType.METHOD),
                        canonical=short,
                        start=start,
                        end=end,
                        sentence=sentences.at(start),
                        section=section,
                        rule="corpus-acronym",
                    )
                )
    for short, entry in meanings.items():
        meanings[short] = replace(entry, bare=len(users.get(short, ())))
    return found


def _named(mention: Mention) -> Mention | None:
    """The mention with a canonical name that is a name (:func:`kg.names.is_name`).

    A long form that is none (``Investigating the``, a title with a line break) leaves
    the mention its own text, without the acronym it defined; with no name at all, the
    mention goes.
    """
    if is_name(mention.canonical):
        return mention
    cleaned = mention.canonical.strip(_QUOTES)  # ``"Human-Object Interaction``, ``-Restricted``
    if cleaned != mention.canonical and is_name(cleaned):
        return replace(mention, canonical=cleaned)
    if mention.aliases:  # a definition whose long form is no name: the short form alone
        text = mention.text.strip()
        return replace(mention, canonical=text, aliases=()) if is_name(text) else None
    article = _ARTICLE.match(mention.canonical)  # ``the Transformer``: the name after it
    if article and is_name(mention.canonical[article.end() :]):
        return replace(mention, canonical=mention.canonical[article.end() :])
    return None


def _with_kind(mention: Mention) -> Mention:
    """The mention with its kind decided, if no extractor did (restored definitions,
    corpus acronyms, mentions made by hand)."""
    if mention.kind:
        return mention
    kind = mention_kind(
        mention.text,
        mention.type.value,
        rule=mention.rule,
        section=mention.section,
        sentence=mention.sentence,
        canonical=mention.canonical,
        aliases=mention.aliases,
    )
    return replace(mention, kind=kind)


def _paper_kinds(group: list[Mention]) -> dict[str, str]:
    """The kind each paper gives an entity: the one most of its mentions have (#17).

    The entity's own kind is the one most of its papers give it
    (:func:`kg.extract.kinds.entity_kind`): counting papers, not mentions, so one paper
    repeating a phrase does not outvote the others.
    """
    per_paper: dict[str, list[str]] = defaultdict(list)
    for mention in group:
        per_paper[mention.paper_id].append(mention.kind)
    return {paper_id: entity_kind(kinds, tie="named") for paper_id, kinds in per_paper.items()}


def _entity(key: str, group: list[Mention], canonical_of: dict[str, str]) -> Entity:
    canonicals = Counter(canonical_of.get(m.canonical, m.canonical) for m in group)
    canonical = canonicals.most_common(1)[0][0]
    types = Counter(m.type for m in group)
    type_ = types.most_common(1)[0][0]
    names = {
        canonical,
        *(m.canonical for m in group),
        *(m.text for m in group),
        *(a for m in group for a in m.aliases),
    }
    names = {n for n in names if is_name(n)} | {canonical}  # no line break, no fragment
    # The short form of the canonical name most papers write (NLI, not the TE one paper
    # defined for textual entailment; GMM, not GM; NeRF, not the GARF one paper defined for
    # its variant; Siamese Network's SN, not RASNet), then the most written, then the
    # shortest: never by set order, which differs from run to run.
    writers: defaultdict[str, set[str]] = defaultdict(set)
    for m in group:
        for written in (m.text, *m.aliases):
            writers[written].add(m.paper_id)
    used = Counter(m.text for m in group) + Counter(a for m in group for a in m.aliases)
    acronyms = sorted(
        (n for n in names if _short_form(n) and match_long_form(n, canonical.split()) is not None),
        key=lambda n: (-len(writers[n]), -used[n], len(n), n),
    )
    display = acronyms[0] if acronyms and len(canonical) > 12 else canonical
    # One spelling per key: ``PPO``/``PPOs`` and case variants collapse to the first seen.
    aliases: dict[str, str] = {}
    for name in sorted(names - {canonical}):
        aliases.setdefault(name_key(name), name)
    aliases.pop(name_key(canonical), None)
    return Entity(key, canonical, display, type_, tuple(sorted(aliases.values())))


def _short_form(name: str) -> bool:
    """Whether a name is written as a short form: one word of 2 to 10 characters with two
    capitals or more (``GMM``, ``NeRF``, ``FedAvg``, ``LoRA``; not ``Adam``, ``mixup``)."""
    return 2 <= len(name) <= 10 and " " not in name and sum(c.isupper() for c in name) >= 2


def _evidence(mentions: list[Mention]) -> Mention:
    """The mention whose sentence is a paper's evidence for an entity: the first one,
    or for an entity the paper proposes, the first sentence that says so (#17).

    ``UniGRPO: ...`` as a title, then ``We present UniGRPO, a ...``: that sentence.
    """
    if any(m.proposed for m in mentions):
        for mention in mentions:
            if mention.section == "abstract" and says_proposed(mention.sentence, mention.text):
                return mention
    return mentions[0]
