"""The spaCy pipeline: a blank English model plus kg's own rule and catalog components.

No model download is needed: ``load_nlp()`` builds the pipeline from
``spacy.blank("en")``, kg's trained tagger (``kg_ner``, shipped in ``kg/data/ner``) and
the components registered here.
Each component adds :class:`Candidate` spans to ``doc.user_data["kg.candidates"]``;
``kg_resolve`` picks the final, non-overlapping ones into ``doc.user_data["kg.mentions"]``.
(``doc.user_data`` rather than ``doc._`` extensions: each ``doc._`` access builds an
object, and these are read a dozen times per doc.)

Long because the components share the candidate spans and their resolution: the rule,
catalog and model components and ``kg_resolve`` are one algorithm, read top to bottom.
"""

import bisect
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, replace
from importlib import resources
from typing import Any

import numpy as np
import spacy
from spacy.attrs import IS_SPACE, LOWER, NORM, PREFIX, SHAPE, SUFFIX
from spacy.language import Language
from spacy.tokens import Doc

from kg.catalog import Catalog, CatalogEntry, load_catalog
from kg.extract.acronyms import find_acronyms
from kg.extract.kinds import MODIFIER_SUFFIXES, mention_kind
from kg.extract.named import find_named, name_parts
from kg.extract.patterns import find_cues, find_model_names, find_urls, head_type
from kg.extract.proposals import Proposal, find_appositions, find_proposals, title_name
from kg.extract.sentences import Sentences, sentence_starts
from kg.extract.tagger import MODEL_SPANS
from kg.models import EntityType, Mention, Paper, Repository
from kg.names import name_key, singular_acronym, singular_long, spelling_variants

__all__ = [
    "EXTRACTOR_VERSION",
    "Candidate",
    "CatalogMatcher",
    "PaperExtraction",
    "Resolver",
    "RuleMatcher",
    "catalog_trie",
    "extract",
    "load_nlp",
    "make_catalog_matcher",
    "make_resolver",
    "make_rules",
    "model_spans",
    "use_catalog_trie",
]

# The NER model trained by training/train.sh (kg_ner: MODEL, METHOD, TASK, DATASET, METRIC).
NER_PATH = resources.files("kg").joinpath("data/ner")
_NER_TYPES = {
    "MODEL": EntityType.MODEL,
    "METHOD": EntityType.METHOD,
    "TASK": EntityType.TASK,
    "DATASET": EntityType.DATASET,
    "METRIC": EntityType.METRIC,
}
# The tagger's coarse types: an evidenced rule type finer than these (MODEL from the
# catalog, ORGANIZATION) wins over the tagger's (_finer_type); the tagger's MODEL is fine.
_MODEL_TYPES = frozenset(_NER_TYPES.values()) - {EntityType.MODEL}
# Bump when a change alters what is extracted, so cached results are redone.
EXTRACTOR_VERSION = "3"
# The lexical attributes kg reads from its docs' tokens (features.py, CatalogMatcher).
_LEX_ATTRS = frozenset([LOWER, NORM, PREFIX, SUFFIX, SHAPE, IS_SPACE])
# Between the title and the abstract in the text a paper's doc is built from.
_SEPARATOR = "\n\n"
# When two candidates cover the same span, the lower rank wins.
# An acronym the paper defines beats the catalog's meaning of the same letters (DREAM).
_RULE_RANK = {
    "acronym": 0,
    "catalog": 1,
    "model": 2,
    "cue": 3,
    "apposition": 4,
    "propose": 5,
    "shape": 6,
    "ner": 7,
}

# Keys of what kg's components leave in doc.user_data.
_CANDIDATES, _MENTIONS, _URLS, _TEXT = "kg.candidates", "kg.mentions", "kg.urls", "kg.text"


@dataclass(slots=True)
class Candidate:
    """A span some rule believes names an entity; ``type``/``canonical`` may be left open.

    Mutable on purpose: the resolver fills in the open fields of a doc's own
    candidates in place (``dataclasses.replace`` was a tenth of extraction time).
    """

    start: int
    end: int
    rule: str
    type: EntityType | None = None
    canonical: str | None = None
    aliases: tuple[str, ...] = ()
    proposed: bool = False
    weight: int = 1  # how strongly ``type`` is evidenced: 3 catalog, 2 context, 1 guess
    cue: str = ""  # the cue word of a ``cue`` candidate: benchmark, style, based, ... (#5)
    by_form: bool = False  # typed by its form alone (``…BERT``): kept as evidenced, votes 1


@dataclass(frozen=True, slots=True)
class PaperExtraction:
    """What one paper yielded: entity mentions and linked repositories."""

    paper: Paper
    mentions: list[Mention]
    repositories: list[Repository]


def load_nlp(*, catalog: str | None = None, ner: bool = True) -> Language:
    """Build kg's extraction pipeline (no downloaded model needed).

    ``catalog`` is the path of a catalog JSON lines file to use instead of the
    one shipped with kg. ``ner=False`` leaves out the trained NER component
    (``kg/data/ner``): rules and catalog only, several times faster.
    """
    nlp = spacy.blank("en")
    # A word the vocab has not seen gets only the lexical attributes kg reads (the
    # tagger's features, the catalog's LOWER): spaCy's other getters (like_num, is_stop,
    # ...) were a quarter of tokenising. A new dict: the language's own stays whole.
    vocab: Any = nlp.vocab  # lex_attr_getters is a Cython attribute spaCy's stubs omit
    getters = vocab.lex_attr_getters
    vocab.lex_attr_getters = {k: f for k, f in getters.items() if k in _LEX_ATTRS}
    config = {"catalog": catalog}
    if ner and NER_PATH.joinpath("meta.json").is_file():
        trained = spacy.load(str(NER_PATH))
        nlp.add_pipe("kg_ner", source=trained)
    nlp.add_pipe("kg_catalog", config=config)
    nlp.add_pipe("kg_rules", config=config)
    nlp.add_pipe("kg_resolve", config=config)
    return nlp


def extract(
    nlp: Language, papers: Iterable[Paper], *, batch_size: int = 64
) -> Iterator[PaperExtraction]:
    """Yield each paper's mentions and repositories, in input order."""
    papers = iter(papers)

    def docs() -> Iterator[tuple[Doc, Paper]]:
        for paper in papers:
            text = paper.title + _SEPARATOR + paper.abstract
            doc = nlp.make_doc(text)
            doc.user_data[_TEXT] = text  # saves rebuilding doc.text from the tokens
            yield doc, paper

    for doc, paper in nlp.pipe(docs(), as_tuples=True, batch_size=batch_size):
        yield _to_extraction(doc, paper)


@Language.factory("kg_catalog", default_config={"catalog": None})
def make_catalog_matcher(nlp: Language, name: str, catalog: str | None) -> "CatalogMatcher":
    return CatalogMatcher(load_catalog(catalog), catalog_trie(catalog))


# The catalog's names as a trie of lowercase token hashes, per catalog path (None: the
# shipped catalog). A node maps the next token's hash to the next node; _END marks a name.
_Trie = dict[int, Any]
_END = -1
_TRIES: dict[str | None, _Trie] = {}


def catalog_trie(catalog: str | None = None) -> _Trie:
    """The catalog's names as a trie of lowercase token hashes (``token.lower``).

    Tokenised once per process (about a second for the 18k shipped names) with a
    scratch tokenizer: the pipeline's own would keep every name's words in its vocab.
    Hashes are spaCy's string hashes, the same in every process, so worker processes
    take the trie from their parent (:func:`use_catalog_trie`).
    """
    if catalog not in _TRIES:
        tokenizer: Any = spacy.blank("en").tokenizer  # a Cython class without type stubs
        entries = load_catalog(catalog).entries
        names = sorted({alias for entry in entries for alias in entry.names})
        trie: _Trie = {}
        for doc in tokenizer.pipe(names):
            node = trie
            for token in doc:
                node = node.setdefault(token.lower, {})
            if node is not trie:
                node[_END] = True
        _TRIES[catalog] = trie
    return _TRIES[catalog]


def use_catalog_trie(catalog: str | None, trie: _Trie) -> None:
    """Take ``trie``, made by :func:`catalog_trie` in another process, for ``catalog``."""
    _TRIES[catalog] = trie


class CatalogMatcher:
    """Mark names from the catalog: single tokens by exact case, longer names by lowercase.

    Names are matched as sequences of lowercase token hashes, walking a trie from
    each token whose lowercase form starts some name; names that must match in
    their own case are then checked against the text.
    """

    def __init__(self, catalog: Catalog, trie: _Trie):
        self.catalog = catalog
        self.trie = trie
        # Where a name may start, tested for all tokens at once: one-token names, and the
        # first two tokens of longer names (paired into one number; a collision only
        # costs a walk down the trie).
        self.singles = np.array(sorted(h for h, node in trie.items() if _END in node), np.uint64)
        two = np.array(
            [(h, h2) for h, node in trie.items() for h2 in node if h2 != _END], np.uint64
        ).reshape(-1, 2)
        self.pairs = np.unique(_pair(two[:, 0], two[:, 1]))
        # Short or single-token names (PPO, Adam, Amazon) match only in their own case.
        self.exact_names = {
            alias
            for entry in catalog.entries
            for alias in entry.names
            if len(alias) <= 5 or " " not in alias
        }
        # Dataset names match only as the catalog writes them (or a spelling variant):
        # in lowercase they are mostly plain words (``Street Scene``, ``AND Dataset``).
        self.dataset_names = {
            variant
            for entry in catalog.entries
            if entry.type is EntityType.DATASET
            for alias in entry.names
            for variant in spelling_variants(alias)
        }

    def __call__(self, doc: Doc) -> Doc:
        candidates = _candidates(doc)
        text = _text(doc)
        for start, end in self._matches(doc):
            surface = text[start:end]
            is_short = len(surface) <= 5 or " " not in surface
            if is_short and surface not in self.exact_names:
                continue
            entry = self.catalog.lookup(surface)
            if entry is None or not _word_bounded(text, start, end):
                continue
            if entry.type is EntityType.DATASET and surface not in self.dataset_names:
                continue  # ``street scene``, ``and dataset``: a name only as written
            candidates.append(
                Candidate(start, end, "catalog", entry.type, entry.canonical, weight=3)
            )
        return doc

    def _matches(self, doc: Doc) -> Iterator[tuple[int, int]]:
        """Yield the character span of every catalog name in ``doc`` (nested ones too)."""
        if not len(doc):
            return
        lowers = doc.to_array(LOWER)
        single = _member(lowers, self.singles)
        pair = np.zeros(len(lowers), dtype=bool)
        pair[:-1] = _member(_pair(lowers[:-1], lowers[1:]), self.pairs)
        starts = np.flatnonzero(single | pair)
        if not len(starts):
            return
        words = lowers.tolist()
        size = len(words)
        for i in starts.tolist():
            node = self.trie[words[i]]
            end = i + 1
            while True:
                if _END in node:
                    last = doc[end - 1]
                    yield doc[i].idx, last.idx + len(last)
                if end == size:
                    break
                node = node.get(words[end])
                if node is None:
                    break
                end += 1


def _pair(first: np.ndarray, second: np.ndarray) -> np.ndarray:
    """One number for two token hashes (uint64 arithmetic wraps around)."""
    mixed: np.ndarray = (first * np.uint64(0x9E3779B97F4A7C15)) ^ second
    return mixed


def _member(values: np.ndarray, sorted_keys: np.ndarray) -> np.ndarray:
    """Which of ``values`` are in ``sorted_keys`` (a sorted array)."""
    if not len(sorted_keys):
        return np.zeros(len(values), dtype=bool)
    at = np.minimum(np.searchsorted(sorted_keys, values), len(sorted_keys) - 1)
    found: np.ndarray = sorted_keys[at] == values
    return found


@Language.factory("kg_rules", default_config={"catalog": None})
def make_rules(nlp: Language, name: str, catalog: str | None) -> "RuleMatcher":
    return RuleMatcher(load_catalog(catalog))


class RuleMatcher:
    """Mark acronym definitions, versioned model names, context cues, proposals and URLs."""

    def __init__(self, catalog: Catalog):
        self.catalog = catalog
        self.families = frozenset(catalog.families())

    def __call__(self, doc: Doc) -> Doc:
        text = _text(doc)
        candidates = _candidates(doc)
        urls = find_urls(text)
        doc.user_data[_URLS] = urls
        url_spans = [(u.start, u.end) for u in urls]
        for acronym in find_acronyms(text):
            entry = self.catalog.lookup(acronym.long)
            by_short = self.catalog.lookup(acronym.short)
            if (
                entry is None
                and by_short is not None
                and _long_form_matches(by_short, acronym.long)
            ):
                entry = by_short  # ``Proximal Policy Optimisation (PPO)``: same thing
            # Otherwise the paper's own long form wins: ``PPO (Pixel Prediction Objective)``
            # is not the catalog's PPO.
            after = text[acronym.short_end + 1 : acronym.short_end + 40]
            if entry:
                type_, canonical, weight = entry.type, entry.canonical, 3
            elif right_after := _type_right_after(after):
                type_, weight = right_after, 2
                canonical = singular_long(acronym.short, acronym.long)
            else:
                type_, weight = _long_form_type(acronym.long), 1
                canonical = singular_long(acronym.short, acronym.long)
            short = singular_acronym(acronym.short)
            for start, end in (
                (acronym.short_start, acronym.short_end),
                (acronym.long_start, acronym.long_end),
            ):
                candidates.append(
                    Candidate(start, end, "acronym", type_, canonical, (short,), weight=weight)
                )
        for start, end in find_model_names(text, self.families):
            if not _inside(start, end, url_spans):
                candidates.append(Candidate(start, end, "model", EntityType.MODEL, weight=2))
        for named in find_named(text):
            if not _inside(named.start, named.end, url_spans):
                candidates.append(
                    Candidate(
                        named.start,
                        named.end,
                        "shape",
                        named.type,
                        weight=named.weight,
                        by_form=named.cue == "form",
                    )
                )
        for cue in find_cues(text):
            if not _inside(cue.start, cue.end, url_spans):
                name_start, name_end = cue.name_span
                candidates.append(
                    Candidate(
                        cue.start,
                        cue.end,
                        "cue",
                        cue.type,
                        text[name_start:name_end],
                        weight=2,
                        cue=cue.cue,
                    )
                )
        for start, end, type_ in find_appositions(text):
            candidates.append(Candidate(start, end, "apposition", type_, weight=2))
        title_length = _title_length(text)
        announced = title_name(text[:title_length]) if title_length else None
        if announced:
            candidates.append(Candidate(*announced, "propose", proposed=True))
        proposals = find_proposals(text)
        for proposal in proposals:
            if proposal.end > proposal.start:
                candidates.append(
                    Candidate(
                        proposal.start,
                        proposal.end,
                        "propose",
                        proposal.type,
                        proposed=True,
                        weight=2,
                    )
                )
        _mark_proposed(candidates, proposals)
        return doc


@Language.factory("kg_resolve", default_config={"catalog": None})
def make_resolver(nlp: Language, name: str, catalog: str | None) -> "Resolver":
    return Resolver(load_catalog(catalog))


class Resolver:
    """Choose non-overlapping candidates and give each a type and a canonical name.

    Acronyms defined in the doc also claim their bare uses (``... PPO ...`` after
    ``Proximal Policy Optimization (PPO)``), and a name keeps one type and one
    canonical form throughout the doc.
    """

    def __init__(self, catalog: Catalog):
        self.catalog = catalog

    def __call__(self, doc: Doc) -> Doc:
        text = _text(doc)
        candidates: list[Candidate] = list(_candidates(doc))
        # Bare uses of names the doc defined as acronyms.
        defined = {c.aliases[0]: c for c in candidates if c.rule == "acronym" and c.aliases}
        for short, definition in defined.items():
            for start, end in _bare_uses(text, short):
                candidates.append(replace(definition, start=start, end=end))
        chosen = _choose(candidates)
        chosen = _add_model_spans(doc, chosen)
        # An acronym-shaped word nothing else found or typed (``MPI``) is no mention; a
        # camel-cased one (``DocQA``) is.
        chosen = [c for c in chosen if c.rule != "shape" or c.weight >= 2 or _camel(text, c)]
        mentions = _unify(text, chosen, self.catalog)
        doc.user_data[_MENTIONS] = mentions
        return doc


def _bare_uses(text: str, short: str) -> Iterator[tuple[int, int]]:
    """Yield the spans of ``short`` (or its plural) standing alone as a word in ``text``.

    A string search, not a regex: a pattern per acronym meant a compile per doc.

    >>> list(_bare_uses("PPO, PPOs, PPO-style, xPPO and PPO.", "PPO"))
    [(0, 3), (5, 9), (31, 34)]
    """
    size, i = len(text), text.find(short)
    while i >= 0:
        end = i + len(short)
        if i > 0 and _glued(text[i - 1]):
            end = i + 1  # no match here; look again from the next character
        elif end < size and text[end] == "s" and (end + 1 == size or not _glued(text[end + 1])):
            yield i, end + 1
            end += 1
        elif end == size or not _glued(text[end]):
            yield i, end
        else:
            end = i + 1
        i = text.find(short, end)


def _glued(char: str) -> bool:
    """Whether ``char`` continues a word (``\\w`` or a hyphen)."""
    return char.isalnum() or char in "_-"


def _add_model_spans(doc: Doc, chosen: list[Candidate]) -> list[Candidate]:
    """Combine the trained NER's spans with the rules': the model's boundaries win.

    The model sets the span of an open-vocabulary phrase better than a rule does
    (``the UT Multiview dataset``, ``word alignment component``), so a model span
    replaces every rule span it overlaps and keeps its own type, except that a
    span made of names and generic words is cut to the names (``GLUE and XNLI
    benchmarks``: GLUE, XNLI; :func:`~kg.extract.named.name_parts`), and a rule name
    inside a longer phrase stays a mention of its own (``a GRPO-style extension``: GRPO).
    From a rule on the very same span it keeps what the model cannot know: the
    canonical name, aliases and a finer type (MODEL, ORGANIZATION; any catalog type).
    Rule spans the model did not touch stay when their type is evidenced: catalog
    names, cues, versioned models, acronyms the catalog or context types.
    """
    spans = model_spans(doc)
    if not spans:
        return chosen
    text = _text(doc)
    spans = _split_lists(text, spans)
    added: list[Candidate] = []
    replaced: set[int] = set()
    first, size = 0, len(chosen)  # chosen spans never overlap: sorted by start and by end
    for start, end, type_, cut in _model_pieces(text, spans):
        while first < size and chosen[first].end <= start:
            first += 1
        last = first
        while last < size and chosen[last].start < end:
            last += 1
        one = chosen[first] if last - first == 1 else None
        if one is not None and _within_word(text, one, start, end):
            # ``ALBERT`` of ``ALBERT-xxlarge``, ``Meta Representations`` of the long form
            # ``Meta Representations for Agents (MRA)``: the rule's whole name
            start, end = one.start, one.end
        if added and start < added[-1].end:
            continue
        if one is None or (one.start, one.end) != (start, end):
            nested = [i for i in range(first, last) if _nested_name(text, chosen[i], start, end)]
            replaced.update(set(range(first, last)) - set(nested))
            type_ = _named_type(text, start, end, type_)
            # Proposed when a rule span it replaces was: the clause proposes it.
            proposed = any(chosen[i].proposed for i in range(first, last) if i not in nested)
            if one is not None and not nested and _around(one, start, end, type_):
                # ``the PPO algorithm``: the name's canonical form
                added.append(
                    Candidate(
                        start, end, "ner", type_, one.canonical, one.aliases, proposed=proposed
                    )
                )
            else:
                added.append(Candidate(start, end, "ner", type_, proposed=proposed))
            continue
        replaced.add(first)
        added.append(
            Candidate(
                start,
                end,
                "ner",
                one.type if cut and one.weight >= 3 and one.type else _finer_type(one, type_),
                one.canonical,
                one.aliases,
                one.proposed,
                weight=max(one.weight, 2),
                cue=one.cue,
            )
        )
    # Where the model saw nothing, a rule span stays only if its type has evidence
    # (catalog, context cue): a type guessed from the words alone is right less than one
    # time in ten there (acronym long forms on SciERC train: 6 of 135).
    kept = [
        c
        for i, c in enumerate(chosen)
        if i not in replaced and (c.weight >= 2 or (c.rule == "shape" and _camel(text, c)))
    ]
    return sorted(kept + added, key=lambda c: c.start)


_INNER_CAPITAL = re.compile(r"[a-z][A-Z]")


def _camel(text: str, candidate: Candidate) -> bool:
    """Whether a name has a capital after a lowercase letter (``DocQA``, ``mBART``): a
    name-shaped word the model missed stays on that evidence alone, unlike acronyms."""
    return _INNER_CAPITAL.search(text, candidate.start, candidate.end) is not None


def _around(rule: Candidate, start: int, end: int, model_type: EntityType) -> bool:
    """Whether the model's span holds the rule's name and is of the same kind."""
    return start <= rule.start and rule.end <= end and _same_kind(rule.type, model_type)


def _within_word(text: str, candidate: Candidate, start: int, end: int) -> bool:
    """Whether the model's span lies inside one rule word (``ALBERT`` in ``ALBERT-xxlarge``)
    or inside an acronym's long form."""
    if not (candidate.start <= start and end <= candidate.end):
        return False
    if candidate.rule == "acronym":
        return True  # a long form the paper defines (Schwartz & Hearst): the name's extent
    return (
        candidate.weight >= 2
        and candidate.rule in _NESTED_RULES
        and not any(c.isspace() for c in text[candidate.start : candidate.end])
    )


def _finer_type(rule: Candidate, model_type: EntityType) -> EntityType:
    """The type of a span both the model and a rule found.

    The rule's when it is finer than the model's (MODEL, ORGANIZATION) and evidenced;
    a rule's guess of MODEL still beats the model's METHOD, as the model calls models
    methods (``TAPEX``, ``DACNN``). A catalog dataset stays a dataset: the model calls
    ``CoLA`` and ``COPA`` methods (10 times on GSAP-NER dev, where the catalog was right
    10 times in 11).
    """
    if rule.type is None:
        return model_type
    if rule.type is EntityType.DATASET and rule.rule == "catalog":
        return rule.type
    if rule.type in _MODEL_TYPES:
        return model_type
    if rule.weight >= 2 or (rule.type is EntityType.MODEL and model_type is EntityType.METHOD):
        return rule.type
    return model_type


# The last word of a capitalised name that makes it a trained model: Decision Transformer.
_MODEL_NAME_HEADS = frozenset({"Transformer", "Transformers", "Network", "Networks", "Net"})


def _named_type(text: str, start: int, end: int, model_type: EntityType) -> EntityType:
    """The model's type, except that a capitalised name ending in ``Transformer`` or
    ``Network`` that the model calls a method is a model (``Decision Transformer``)."""
    if model_type is not EntityType.METHOD or not text[start].isupper():
        return model_type
    words = text[start:end].split()
    if len(words) > 1 and words[-1] in _MODEL_NAME_HEADS and all(w[0].isupper() for w in words):
        return EntityType.MODEL
    return model_type


def _model_pieces(
    text: str, spans: list[tuple[int, int, str]]
) -> Iterator[tuple[int, int, EntityType, bool]]:
    """The model's spans with kg's types, and whether each was cut from a longer phrase.

    A phrase of names and generic words is cut to the names (``XNLI accuracy``: XNLI,
    a dataset, which the catalog may still type otherwise: ``RMSE score``); a sentence's
    full stop is left out (``CelebA.``).
    """
    for start, end, label in spans:
        type_ = _NER_TYPES.get(label)
        if type_ is None:
            continue
        if end - start > 1 and text[end - 1] == "." and "." not in text[start : end - 1]:
            end -= 1
        phrase = text[start:end]
        # Names have a capital or a digit: most phrases are lower case (``optical flow``).
        parts = name_parts(text, start, end) if " " in phrase and not phrase.islower() else None
        if parts is None:
            yield start, end, type_, False
        else:
            for part_start, part_end, part_type in parts:
                yield part_start, part_end, part_type or type_, True


# A dataset list's shared head (``NPB and MLB data sets``). Lowercase only: a capitalised
# one is part of a name (``Toronto Book Corpus``). A benchmark head is left out of the
# names, as after one name (``GLUE benchmark``: GLUE).
_LIST_HEADS = re.compile(
    r"\s(?:datasets?|data sets?|corpus|corpora|databases?|collections?|(benchmarks?))\Z"
)
# What stands between two names of a list: ``A, B and the C``. A comma needs a space
# after it, so the one of ``55,630 documents`` is no gap.
_LIST_GAP = re.compile(r"\s*,\s+(?:(?:and|or|&)\s+)?(?:the\s+)?|\s+(?:and|or|&)\s+(?:the\s+)?")


def _split_lists(text: str, spans: list[tuple[int, int, str]]) -> list[tuple[int, int, str]]:
    """The tagger's spans with a list of datasets cut into its names.

    The tagger, trained on corpora that annotate such lists whole, may mark ``MNIST, SVHN
    and the SARCOS datasets`` as one span; the graph needs each dataset as an entity of its
    own (issue #17: coordinations are split). The last name keeps the head, as a single
    ``X dataset`` does, except a benchmark head. A list without a shared head (``the
    MIR-Flickr database and PASCAL VOC 2007``, ``KTH Actions and UCF Sports``) is cut too.
    Every name must start with a capital or a digit and hold a letter, else the span
    stays; so does a list without a head whose last word is lowercase (``Dunn and
    Davies-Bouldin indices``) or a capitalised head (``Conversational and Longitudinal
    Benchmark``: one name); a gap inside brackets is no gap.

    >>> t = "On MNIST, SVHN and the SARCOS datasets and on NPB and MLB data sets."
    >>> [t[a:b] for a, b, _ in _split_lists(t, [(3, 38, "DATASET"), (46, 67, "DATASET")])]
    ['MNIST', 'SVHN', 'SARCOS datasets', 'NPB', 'MLB data sets']
    >>> t = "on the MIR-Flickr database and PASCAL VOC 2007"
    >>> [t[a:b] for a, b, _ in _split_lists(t, [(7, 46, "DATASET")])]
    ['MIR-Flickr database', 'PASCAL VOC 2007']
    >>> t = "on the KTH Actions and UCF Sports benchmarks"
    >>> [t[a:b] for a, b, _ in _split_lists(t, [(7, 44, "DATASET")])]
    ['KTH Actions', 'UCF Sports']
    >>> t = "A Conversational and Longitudinal Benchmark"
    >>> [t[a:b] for a, b, _ in _split_lists(t, [(2, 43, "DATASET")])]
    ['Conversational and Longitudinal Benchmark']
    >>> t = "on real and synthetic datasets"
    >>> [t[a:b] for a, b, _ in _split_lists(t, [(3, 30, "DATASET")])]
    ['real and synthetic datasets']
    """
    out: list[tuple[int, int, str]] = []
    for start, end, label in spans:
        if label != "DATASET":
            out.append((start, end, label))
            continue
        head = _LIST_HEADS.search(text, start, end)
        gaps = [
            gap
            for gap in _LIST_GAP.finditer(text, start, head.start() if head else end)
            if text.count("(", start, gap.start()) == text.count(")", start, gap.start())
        ]
        pieces, at = [], start
        for gap in gaps:
            pieces.append((at, gap.start()))
            at = gap.end()
        pieces.append((at, head.start() if head and head.group(1) else end))
        if (
            len(pieces) < 2
            or not all(_list_name(text[a:b]) for a, b in pieces)
            # ``Dunn and Davies-Bouldin indices``: a lowercase word may be a shared head;
            # ``Conversational and Longitudinal Benchmark``: one name with a capitalised head
            or (head is None and _shared_last_word(text[start:end].rsplit(None, 1)[-1]))
        ):
            out.append((start, end, label))
            continue
        out.extend((a, b, label) for a, b in pieces)
    return out


_CAPITALISED_HEADS = frozenset(
    "dataset datasets corpus corpora database databases collection collections benchmark "
    "benchmarks suite set sets".split()
)


def _shared_last_word(word: str) -> bool:
    """Whether the last word of a list without a lowercase head may be shared by its names."""
    return word.islower() or word.lower() in _CAPITALISED_HEADS


def _list_name(piece: str) -> bool:
    """Whether ``piece`` of a list may be a name: a capital or digit first, and a letter
    (``5`` of ``TREC Disk 4 and 5`` is a volume, not a name)."""
    return bool(piece) and (piece[0].isupper() or piece[0].isdigit()) and not piece.isdigit()


def _nested_name(text: str, candidate: Candidate, start: int, end: int) -> bool:
    """Whether a rule's name inside the model's longer span stays a mention of its own.

    Only a name that modifies the phrase through a hyphen (``GRPO-style``, ``BERT-based``):
    ``the Cityscapes dataset`` and ``zero-shot CLIP`` are one mention each, as annotated.
    """
    return (
        start <= candidate.start
        and candidate.end < end
        and candidate.weight >= 2
        and candidate.rule in _NESTED_RULES
        and text[candidate.end] == "-"
    )


# Rules whose names stay inside a longer phrase (``GRPO`` in ``GRPO-style RL``).
_NESTED_RULES = frozenset({"catalog", "model", "shape", "cue"})


def model_spans(doc: Doc) -> list[tuple[int, int, str]]:
    """The trained tagger's entities as ``(start_char, end_char, label)``, in order.

    ``kg_ner`` leaves them in ``doc.user_data`` (cheaper than making a Span of each);
    any other NER component's ``doc.ents`` work too.
    """
    spans: list[tuple[int, int, str]] | None = doc.user_data.get(MODEL_SPANS)
    if spans is None:
        spans = [(ent.start_char, ent.end_char, ent.label_) for ent in doc.ents]
    return spans


def _same_kind(rule_type: EntityType | None, model_type: EntityType) -> bool:
    """Whether a rule's type and the model's agree (the model calls models methods)."""
    if rule_type is None or rule_type is model_type:
        return True
    return {rule_type, model_type} == {EntityType.MODEL, EntityType.METHOD}


def _mark_proposed(candidates: list[Candidate], proposals: list[Proposal]) -> None:
    """Mark what starts in a proposal's clause as proposed, and as what the clause describes.

    ``we introduce X (SF), a benchmark``: X and SF are proposed, and are datasets.
    A widely known (catalog) name in the clause is used, not proposed.
    """
    candidates.sort(key=lambda c: c.start)
    starts = [c.start for c in candidates]
    known = {(c.start, c.end) for c in candidates if c.rule == "catalog"}
    extra: list[Candidate] = []
    for proposal in proposals:
        first = bisect.bisect_left(starts, proposal.start)
        last = bisect.bisect_left(starts, proposal.region_end)
        for i in range(first, last):
            candidate = candidates[i]
            if candidate.rule == "catalog" or (candidate.start, candidate.end) in known:
                continue  # ``GRPO`` of ``GRPO-based``, found by a cue too: still the catalog's
            candidate.proposed = True
            if proposal.type is not None and candidate.weight < 3:
                extra.append(replace(candidate, type=proposal.type, weight=2, proposed=True))
    candidates.extend(extra)


def _choose(candidates: list[Candidate]) -> list[Candidate]:
    """Keep the longest candidate where spans overlap; on equal spans, the best rule.

    Proposal flags, types and cue words known only to a losing candidate pass to the winner.
    """
    ordered = sorted(candidates, key=lambda c: (c.start, -(c.end - c.start), _RULE_RANK[c.rule]))
    kept: list[Candidate] = []
    for candidate in ordered:
        if kept and candidate.start < kept[-1].end:
            winner = kept[-1]
            winner.proposed = winner.proposed or candidate.proposed
            same_span = (candidate.start, candidate.end) == (winner.start, winner.end)
            if same_span and candidate.type and candidate.weight > winner.weight < 3:
                # A guessed type yields to an evidenced one: an acronym typed from its long
                # form's last word, a ``CodeBERT`` whose context says what it is.
                winner.type, winner.weight = candidate.type, candidate.weight
                winner.by_form = candidate.by_form
            winner.type = winner.type or candidate.type
            if candidate.cue and (candidate.start, candidate.end) == (winner.start, winner.end):
                winner.cue = winner.cue or candidate.cue  # ``GRPO-style``: the catalog's GRPO
            continue
        kept.append(candidate)
    return [c for c in kept if c.end > c.start]


def _unify(text: str, chosen: list[Candidate], catalog: Catalog) -> list[Candidate]:
    """Give every span of the same name one canonical form, one type and one proposal flag."""
    canonical_of: dict[str, str] = {}
    for c in chosen:
        surface = text[c.start : c.end]
        canonical = c.canonical or _catalog_canonical(catalog, surface) or surface
        for name in (surface, canonical, *c.aliases):
            canonical_of.setdefault(name_key(name), canonical)
    votes: dict[str, dict[EntityType, int]] = {}
    proposed: set[str] = set()
    for c in chosen:
        canonical = canonical_of[name_key(c.canonical or text[c.start : c.end])]
        c.canonical = canonical
        if c.type is not None:
            tally = votes.setdefault(canonical, {})
            tally[c.type] = tally.get(c.type, 0) + (1 if c.by_form else c.weight)
        if c.proposed:
            proposed.add(canonical)
    # The type with most votes; on a tie, the first voted for.
    winner = {name: max(tally, key=tally.__getitem__) for name, tally in votes.items()}
    for c in chosen:
        assert c.canonical is not None
        c.type = winner.get(c.canonical, EntityType.METHOD)
        c.proposed = c.canonical in proposed
    return chosen


def _to_extraction(doc: Doc, paper: Paper) -> PaperExtraction:
    title_length = len(paper.title)
    abstract_offset = title_length + len(_SEPARATOR)
    text = _text(doc)
    sentences = Sentences(
        text,
        sentence_starts(paper.title)
        + [abstract_offset + start for start in sentence_starts(paper.abstract)],
    )

    def locate(start: int, end: int) -> tuple[str, int, int, str]:
        sentence = sentences.at(start)
        if start < title_length:
            return "title", start, end, sentence
        return "abstract", start - abstract_offset, end - abstract_offset, sentence

    mentions = []
    for c in doc.user_data.get(_MENTIONS, ()):
        if c.start < title_length and c.end > abstract_offset:  # title into abstract: no name
            continue
        if sentences.crosses(c.start, c.end):  # ``UniGRPO. UniGRPO``: no name either
            continue
        section, start, end, sentence = locate(c.start, c.end)
        assert c.type is not None and c.canonical is not None
        surface = text[c.start : c.end]
        mentions.append(
            Mention(
                paper.id,
                surface,
                c.type,
                c.canonical,
                start,
                end,
                sentence,
                section,
                c.proposed,
                c.rule,
                c.aliases,
                c.cue,
                mention_kind(
                    surface,
                    c.type.value,
                    rule=c.rule,
                    section=section,
                    sentence=sentence,
                    canonical=c.canonical,
                    aliases=c.aliases,
                ),  # named or concept (#17)
            )
        )
    repositories = []
    for url in doc.user_data.get(_URLS, ()):
        section, start, end, sentence = locate(url.start, url.end)
        repositories.append(Repository(paper.id, url.url, url.kind, sentence, start, end, section))
    return PaperExtraction(paper, mentions, repositories)


def _title_length(text: str) -> int:
    """Where the title ends in a paper's text (0 when there is no title/abstract break)."""
    at = text.find(_SEPARATOR)
    return at if at >= 0 else 0


def _text(doc: Doc) -> str:
    """``doc.text``, built once per doc (spaCy rebuilds it from the tokens on every access)."""
    text: str | None = doc.user_data.get(_TEXT)
    if text is None:
        text = doc.user_data[_TEXT] = doc.text
    return text


def _candidates(doc: Doc) -> list[Candidate]:
    candidates: list[Candidate] | None = doc.user_data.get(_CANDIDATES)
    if candidates is None:
        candidates = doc.user_data[_CANDIDATES] = []
    return candidates


def _catalog_canonical(catalog: Catalog, name: str) -> str | None:
    entry = catalog.lookup(name)
    return entry.canonical if entry else None


def _long_form_matches(entry: CatalogEntry, long: str) -> bool:
    """Whether ``long`` spells one of the entry's names (ignoring case, hyphens, -ise/-ize)."""
    key = name_key(long)
    return any(name_key(name) == key for name in entry.names)


def _type_right_after(text: str) -> EntityType | None:
    """The type named by the word right after an acronym: ``(CHAIN) benchmark``."""
    match = re.match(r"\s*([\w-]+)", text)
    return head_type(match.group(1)) if match else None


def _long_form_type(long: str) -> EntityType:
    last = re.split(r"[\s-]", long)[-1]
    return head_type(last) or EntityType.METHOD


def _inside(start: int, end: int, spans: list[tuple[int, int]]) -> bool:
    return any(a <= start and end <= b for a, b in spans)


def _word_bounded(text: str, start: int, end: int) -> bool:
    """A catalog name must stand as a word of its own: not glued to letters (``Adam`` in
    ``Adamant``), nor one part of a hyphenated word that is something else (``Meta`` in
    ``Meta-learning``, ``Transformer`` in ``Vision-Transformer``).

    A hyphen part that only modifies the name or gives its version or size keeps it:
    ``BERT-style``, ``GRPO-based``, ``GPT-4``, ``BERT-large``, ``ResNet-50``.

    >>> t = "Meta-learning, Meta-RL, non-Meta, BERT-style, GPT-4 and BERT-large beat Meta."
    >>> [t[a:b] for a, b in [(0, 4), (15, 19), (28, 32), (34, 38), (46, 49), (56, 60), (72, 76)]]
    ['Meta', 'Meta', 'Meta', 'BERT', 'GPT', 'BERT', 'Meta']
    >>> [_word_bounded(t, a, b) for a, b in [(0, 4), (15, 19), (28, 32), (34, 38), (46, 49),
    ...  (56, 60), (72, 76)]]
    [False, False, False, True, True, True, True]
    """
    before = text[start - 1] if start > 0 else " "
    after = text[end] if end < len(text) else " "
    if before.isalnum() or after.isalnum():
        return False
    if before == "-" and start > 1 and text[start - 2].isalnum():
        return False  # the last part of ``non-Meta``, ``Vision-Transformer``
    if after == "-" and end + 1 < len(text) and text[end + 1].isalnum():
        part = _HYPHEN_PART.match(text, end + 1)
        return part is not None and _keeps_name(part.group())
    return True


# A hyphenated word's next part (up to the next hyphen or the end of the word).
_HYPHEN_PART = re.compile(r"[^\W_]+")
# Hyphen parts that modify a name (``BERT-style``) or give its size (``BERT-large``).
_NAME_KEEPING_PARTS = MODIFIER_SUFFIXES | frozenset(
    """type pretrained initialized generated labeled labelled annotated sized base large
    small tiny mini medium huge xl xxl instruct chat it""".split()
)


def _keeps_name(part: str) -> bool:
    """Whether a hyphen part after a name leaves the name itself (a modifier, a version
    or a size: ``style``, ``4``, ``v2``, ``large``, ``7B``), not another word (``learning``)."""
    return part.lower() in _NAME_KEEPING_PARTS or any(c.isdigit() for c in part) or len(part) == 1
