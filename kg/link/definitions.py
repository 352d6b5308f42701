"""Make sure every acronym a paper defines reaches the linker as a definition.

The extractor may drop a definition (its words gave no type), cut it (``Key-Value (KV``)
or swallow it into a wider phrase (``Supervised Fine-Tuning (SFT)``). The linker needs
each definition whole, because it is what joins ``PPO`` to ``Proximal Policy
Optimization`` across papers; so :func:`restore_definitions` reads the definitions of
each paper again (:func:`kg.extract.acronyms.find_acronyms`, as the extractor does)
and puts the long and the short form back as two mentions wherever the extraction
did not already give them as one.
"""

import re
from collections import Counter, defaultdict
from collections.abc import Iterable

from kg.catalog import Catalog
from kg.extract.acronyms import Acronym, find_acronyms
from kg.extract.patterns import head_type
from kg.extract.sentences import Sentences, sentence_starts
from kg.models import EntityType, Mention, Paper
from kg.names import name_key, singular_acronym, singular_long

__all__ = ["restore_definitions"]


def restore_definitions(
    papers: Iterable[Paper], mentions: list[Mention], catalog: Catalog
) -> list[Mention]:
    """Return ``mentions`` with each paper's acronym definitions whole.

    A definition the extraction already gives (a mention on the long form's exact
    span with the short form as alias) is left alone. Otherwise the mentions that
    overlap the definition are replaced by two: the long form and the short form,
    with the long form (or the catalog's name for it) as canonical name and the type
    the catalog, the replaced mentions or the long form's last word suggest.
    """
    by_place: dict[tuple[str, str], list[Mention]] = defaultdict(list)
    for mention in mentions:
        by_place[(mention.paper_id, mention.section)].append(mention)
    for paper in papers:
        for section, text in (("title", paper.title), ("abstract", paper.abstract)):
            place = by_place[(paper.id, section)]
            acronyms = find_acronyms(text)
            if not acronyms:
                continue
            sentences = Sentences(text, sentence_starts(text))  # split once per text
            for acronym in acronyms:
                place[:] = _restore(paper.id, section, sentences, acronym, place, catalog)
    return [m for place in by_place.values() for m in place]


def _restore(
    paper_id: str,
    section: str,
    sentences: Sentences,
    acronym: Acronym,
    place: list[Mention],
    catalog: Catalog,
) -> list[Mention]:
    spans = ((acronym.long_start, acronym.long_end), (acronym.short_start, acronym.short_end))
    # LLMs: Large Language Models, CoTs: Chains of Thoughts
    short, long = singular_acronym(acronym.short), singular_long(acronym.short, acronym.long)
    if any((m.start, m.end) == spans[0] and short in m.aliases for m in place):
        return place
    touched = [m for m in place if any(m.start < end and start < m.end for start, end in spans)]
    entry = catalog.lookup(long)
    by_short = catalog.lookup(short)
    if entry is None and by_short is not None and name_key(long) in map(name_key, by_short.names):
        entry = by_short
    if entry is not None:
        canonical, type_ = entry.canonical, entry.type
    else:
        types = Counter(m.type for m in touched)
        canonical = long
        type_ = types.most_common(1)[0][0] if types else _type_of(long)
    return [m for m in place if m not in touched] + [
        Mention(
            paper_id=paper_id,
            text=sentences.text[start:end],
            type=type_,
            canonical=canonical,
            start=start,
            end=end,
            sentence=sentences.at(start),
            section=section,
            proposed=any(m.proposed for m in touched),
            rule="acronym",
            aliases=(short,),
        )
        for start, end in spans
    ]


def _type_of(long: str) -> EntityType:
    """The type a long form's last word suggests (``... Benchmark``: a dataset)."""
    return head_type(re.split(r"[\s-]", long)[-1]) or EntityType.METHOD
