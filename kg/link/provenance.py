"""Say how an entity was formed: the merge reasons stored with it (``Entity.formed``).

Each reason is one short, self-contained fact, so a later build can add reasons to
the stored ones without repeating or contradicting them:

- ``acronym PPO = Proximal Policy Optimization``: a paper defined the acronym.
- ``corpus acronym PPO``: bare uses in papers that did not define it were linked to
  the corpus's dominant long form (:func:`kg.link.corpus.dominant_meaning`).
- ``ambiguous acronym GT: no dominant meaning among ground truth (12); game theory (5)``:
  the entity of a bare acronym with several meanings, of kind ``ambiguous``.
- ``same meaning: Reinforcement learning with verifiers``: another long form of the
  same acronym, with the same meaning (:func:`kg.link.aliases.same_meaning`).
- ``spelling: Proximal Policy Optimisation``: a spelling with the same key
  (:func:`kg.names.name_key`: case, hyphens, plurals, -ise/-ize).
- ``split words: multimodal llm``, ``head noun: vision language action model``: keys
  joined by :func:`kg.names.compact_key` and :func:`kg.link.aliases.head_noun_keys`.
- ``catalog alias: PPO``: the catalog gave the name its canonical form.
- ``override merge: Gradient Echo Sampler``: the overrides file merged the name in.

A paper's link to the entity says which components found it there (``PaperEntity.via``).
"""

from collections.abc import Collection, Mapping

from kg.models import Mention
from kg.names import name_key, singular_acronym

__all__ = ["MentionId", "mention_id", "reasons", "via"]

MentionId = tuple[str, str, int, int]


def mention_id(mention: Mention) -> MentionId:
    """What tells one mention from another across the linker's steps."""
    return (mention.paper_id, mention.section, mention.start, mention.end)


def reasons(
    key: str,
    canonical: str,
    group: list[Mention],
    *,
    one_meaning: Mapping[str, str],
    canonical_of: Mapping[str, str],
    overridden: Mapping[MentionId, str],
    joined: Collection[str] = (),
) -> tuple[str, ...]:
    """The reasons the mentions in ``group`` became the entity ``key`` named ``canonical``.

    ``one_meaning`` maps long forms to the long form standing for their meaning,
    ``canonical_of`` each mention's canonical name to the one it was linked under,
    ``overridden`` mentions the overrides merged to the name they had before, and
    ``joined`` holds reasons recorded when keys were joined.
    """
    found = set(joined)
    once: dict[tuple[str, str], str] = {}  # one reason per meaning: not per case or plural
    for m in sorted(group, key=lambda m: (m.canonical, m.text)):
        if m.rule == "acronym" and m.aliases:
            for short in m.aliases:
                once.setdefault(
                    ("acronym", short + name_key(m.canonical)), f"{short} = {m.canonical}"
                )
        if m.canonical in one_meaning and name_key(m.canonical) != key:
            once.setdefault(("same meaning", name_key(m.canonical)), m.canonical)
        for spelling in (m.canonical, m.text):
            spelling = spelling.strip()
            if spelling != canonical and name_key(spelling) == key:
                once.setdefault(("spelling", spelling.casefold()), spelling)
        if m.rule == "corpus-acronym":
            found.add(f"corpus acronym {singular_acronym(m.text)}")
        elif not m.aliases and canonical_of.get(m.canonical, m.canonical) != one_meaning.get(
            m.canonical, m.canonical
        ):
            found.add(f"corpus acronym {m.canonical}")  # a rule named the bare acronym
        if m.rule == "catalog" and name_key(m.text) != name_key(m.canonical):
            found.add(f"catalog alias: {m.text}")
        if mention_id(m) in overridden:
            found.add(f"override merge: {overridden[mention_id(m)]}")
    for (kind, _), text in once.items():
        found.add(f"{kind} {text}" if kind == "acronym" else f"{kind}: {text}")
    return tuple(sorted(found))


def via(mentions: list[Mention], overridden: Mapping[MentionId, str]) -> tuple[str, ...]:
    """The components that linked a paper's mentions to an entity, and ``override``."""
    found = {m.rule for m in mentions if m.rule}
    if any(mention_id(m) in overridden for m in mentions):
        found.add("override")
    return tuple(sorted(found))
