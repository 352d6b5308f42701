"""Find what a paper itself proposes: ``we propose X``, ``X, a new benchmark``, ``X: subtitle``."""

import re
from dataclasses import dataclass

from kg.extract.patterns import head_type
from kg.extract.shapes import NOT_NAMES, is_name
from kg.models import EntityType

__all__ = ["Proposal", "find_appositions", "find_proposals", "says_proposed", "title_name"]

# Matched against the lowercased text (same offsets), without re.I: many times faster.
_TRIGGER = re.compile(
    r"\b(?:we|this (?:paper|work)|our (?:paper|work))\s+(?:\w+ly\s+|also\s+|then\s+|further\s+)?"
    r"(?:propose|introduce|present|develop|release|build|design|construct|curate|create|"
    r"contribute|train|open-source)[sd]?\b"
)
_NOVEL = re.compile(r"\b(?:novel|new)\s+")
_ARTICLE_BEFORE = re.compile(r"(?<!\w)an?\s+\Z")
# Words that may stand between the verb and the name.
_LEAD = re.compile(
    r"\s*(?:(?:the|a|an|our|two|three|new|novel|simple|first|family\s+of|suite\s+of)\s+)*", re.I
)
# A name: up to four capitalised words, at least one looking like a name.
# A word of a name: a ``.`` only inside it (``Qwen2.5``), never a sentence's full stop.
_NAME_WORD = r"[A-Z](?:[\w+]|\.(?=\w))*(?:-(?:[\w+]|\.(?=\w))+)*"
_NAME = re.compile(rf"({_NAME_WORD}(?: {_NAME_WORD}){{0,3}})")
# ``X, a reinforcement learning framework``: an apposition that says what X is,
# found from the rarer ``, a ...``: a name is then looked for right before it.
_APPOSITION_TAIL = re.compile(r",\s+(an?|the)\s+([^,.;:()]{1,100})")
_NAME_BEFORE_COMMA = re.compile(rf"(?<![\w-])({_NAME_WORD}(?: {_NAME_WORD}){{0,3}})$")
# ``Glimmer, a new benchmark``: the name before ``, a new``, one plain word allowed.
_COMMA_ARTICLE = re.compile(r",\s+an?\s+\Z")
_NAME_BEFORE_NEW = re.compile(rf"(?<![\w-])({_NAME_WORD}(?: {_NAME_WORD}){{0,3}}),\s+an?\s+\Z")
# ``dubbed X``, ``called X``, ``termed X``: the paper names what it made.
_NAMING = re.compile(r"(?<!so-)\b(?:dubbed|called|named|termed|coined|nicknamed)\s+[\"'\u201c]?")
_NAMING_WORDS = ("dubbed", "called", "named", "termed", "coined", "nicknamed")
# ``finally applies X, a GRPO-style extension``: X, described right after, is the paper's.
_MODIFIER_END = re.compile(
    r"-(?:style|based|like|inspired|guided|driven|aware|free|enhanced|augmented|powered)$"
)
_LOWER_WORD_NEXT = re.compile(r"[ \t]+[a-z]")
_APPLIES = re.compile(r"\bappl(?:y|ies|ied|ying)\s+")
_NAME_WINDOW = 300  # characters before the comma where the name may start
# ``, a framework that ...`` after a name, possibly after its parenthesised long form.
_DESCRIPTION = re.compile(r"(?:\s*\([^()]{1,200}\))?,\s+(?:an?|the|our)\s+([^,.;:()]{1,100})")
# Where the object of ``we propose`` ends.
_REGION_END = re.compile(
    r",|;|:|\.\s|\b(?:which|that|to|for|with|on|in|of|by|from|across|at|using)\b|$"
)


@dataclass(frozen=True, slots=True)
class Proposal:
    """A span the paper says it proposes, and the type its description gives, if any."""

    start: int
    end: int
    type: EntityType | None
    region_end: int  # candidates starting before this (in the same clause) are proposed too


def find_proposals(text: str) -> list[Proposal]:
    """Return spans introduced by the paper's own contribution sentences.

    >>> text = "We introduce PyVision-RL, a reinforcement learning framework for agents."
    >>> [(text[p.start:p.end], p.type) for p in find_proposals(text)]
    [('PyVision-RL', <EntityType.METHOD: 'Method'>)]
    >>> text = "We present Implicit Intelligence, an evaluation framework."
    >>> [text[p.start:p.end] for p in find_proposals(text)]
    ['Implicit Intelligence']
    >>> text = "Our model, dubbed Vista, then applies Rollo, a PPO-style update. We present Quill."
    >>> [text[p.start:p.end] for p in find_proposals(text) if p.end > p.start]
    ['Vista', 'Rollo', 'Quill']
    >>> text = "Glimmer, a new benchmark for charts, is released."
    >>> [(text[p.start:p.end], p.type.value) for p in find_proposals(text) if p.end > p.start]
    [('Glimmer', 'Dataset')]
    """
    found = []
    lowered = text.lower()
    if len(lowered) != len(text):  # a letter whose lowercase is longer: offsets would shift
        lowered = "".join(c if len(c.lower()) != 1 else c.lower() for c in text)
    for trigger in _matches_at_words(_TRIGGER, lowered, ("we", "this", "our")):
        after = trigger.end()
        lead = _LEAD.match(text, after)
        name_start = lead.end() if lead else after
        region = _REGION_END.search(text, name_start)
        region_end = region.start() if region and region.start() > name_start else name_start
        name = _NAME.match(text, name_start)
        if name and _MODIFIER_END.search(name.group(1)):
            name = None  # ``we train a GRPO-based planner``: the planner, no name, is proposed
        if name and _plain_or_name(name.group(1), text, name.end(1)):
            end = _cut_trailing_common(text, name.start(1), name.end(1))
            apposition = _DESCRIPTION.match(text, end)
            described = head_type(apposition.group(1)) if apposition else None
            found.append(Proposal(name.start(1), end, described, max(region_end, end)))
        elif region_end > name_start:
            described = head_type(text[name_start:region_end])
            # No name right after the verb: candidates in the clause (an acronym definition,
            # ``a novel attention-guided clustering (AGC)``) are what is proposed.
            found.append(Proposal(name_start, name_start, described, region_end))
    for match in _matches_at_words(_NOVEL, lowered, ("novel", "new")):
        if not _ARTICLE_BEFORE.search(lowered, max(0, match.start() - 12), match.start()):
            continue  # ``a novel`` and ``an new`` only
        region = _REGION_END.search(text, match.end())
        end = region.start() if region else len(text)
        described = head_type(text[match.end() : end])
        found.append(Proposal(match.end(), match.end(), described, end))
        comma = _COMMA_ARTICLE.search(lowered, max(0, match.start() - 6), match.start())
        before = comma and _NAME_BEFORE_NEW.search(text, max(0, match.start() - 120), match.start())
        if before and _plain_or_name(before.group(1), text, before.end(1)):
            found.append(Proposal(before.start(1), before.end(1), described, before.end(1)))
    for match in _matches_at_words(_NAMING, lowered, _NAMING_WORDS):
        name = _NAME.match(text, match.end())
        if name and _plain_or_name(name.group(1), text, -1):  # ``called Orbit that ...``
            end = _cut_trailing_common(text, name.start(1), name.end(1))
            found.append(Proposal(name.start(1), end, None, end))
    for match in _matches_at_words(_APPLIES, lowered, ("appl",)):
        name = _NAME.match(text, match.end())
        if name and _plain_or_name(name.group(1), text, name.end(1)):
            end = _cut_trailing_common(text, name.start(1), name.end(1))
            apposition = _DESCRIPTION.match(text, end)
            if apposition and text[end] == ",":
                found.append(Proposal(name.start(1), end, head_type(apposition.group(1)), end))
    found.sort(key=lambda p: p.start)
    return found


def says_proposed(sentence: str, name: str) -> bool:
    """Whether ``sentence`` is one that proposes ``name`` (``We present X, a ...``).

    >>> says_proposed("We present Quill, a planner.", "Quill")
    True
    >>> says_proposed("Quill beats PPO on every task.", "Quill")
    False
    """
    at = sentence.find(name)
    if at < 0:
        return False
    return any(p.start <= at < max(p.end, p.region_end) for p in find_proposals(sentence))


def _plain_or_name(name: str, text: str, end: int) -> bool:
    """A name, or one capitalised word standing alone (``Orbit,``; not ``The``, nor the
    adjective of ``Bayesian optimisation``); ``end`` < 0: followed by anything."""
    if " " in name and name.isupper():
        return False  # words of a text written in capitals: ``METHOD CALLED FOONET``
    if is_name(name):
        return True
    if " " in name or name in NOT_NAMES:
        return False
    return end < 0 or not _LOWER_WORD_NEXT.match(text, end)


def _matches_at_words(
    pattern: re.Pattern[str], text: str, words: tuple[str, ...]
) -> list[re.Match[str]]:
    """``pattern.finditer(text)`` for a pattern that can only start with one of ``words``
    at a word start: plain searches for the words, the pattern tried only there.

    >>> [m.group() for m in _matches_at_words(_NOVEL, "a new, anew novel  x", ("novel", "new"))]
    ['novel  ']
    """
    found = []
    for word in words:
        at = text.find(word)
        while at >= 0:
            if at == 0 or not (text[at - 1].isalnum() or text[at - 1] == "_"):
                match = pattern.match(text, at)
                if match:
                    found.append(match)
            at = text.find(word, at + 1)
    found.sort(key=lambda m: m.start())
    kept: list[re.Match[str]] = []
    for match in found:  # non-overlapping, leftmost first, as finditer gives them
        if not kept or match.start() >= kept[-1].end():
            kept.append(match)
    return kept


def find_appositions(text: str) -> list[tuple[int, int, EntityType]]:
    """Return ``(start, end, type)`` for names described by an apposition.

    >>> text = "Our pipeline yields Terminal-Corpus, a large-scale open-source dataset for tasks."
    >>> [(text[s:e], t.value) for s, e, t in find_appositions(text)]
    [('Terminal-Corpus', 'Dataset')]
    """
    found = []
    taken = 0  # where the last apposition ended: matches never overlap, as in finditer
    for tail in _APPOSITION_TAIL.finditer(text):
        comma = tail.start()
        match = _NAME_BEFORE_COMMA.search(text, max(taken, comma - _NAME_WINDOW), comma)
        if match is None:
            continue
        taken = tail.end()
        name = match.group(1)
        type_ = head_type(tail.group(2))
        if type_ is None or not is_name(name):
            continue
        start = match.start(1)
        words = name.split()
        # ``Using General AgentBench, we`` -> drop leading capitalised verbs.
        while len(words) > 1 and (
            words[0] in NOT_NAMES or re.fullmatch(r"[A-Z][a-z]+ing", words[0])
        ):
            start += len(words[0]) + 1
            words = words[1:]
        found.append((start, comma, type_))
    return found


def title_name(title: str) -> tuple[int, int] | None:
    """Return the span of the name a title announces before its colon, if it has one.

    >>> title = "PyVision-RL: Forging Open Agentic Vision Models via RL"
    >>> span = title_name(title); title[span[0]:span[1]]
    'PyVision-RL'
    >>> title_name("From Perception to Action: An Interactive Benchmark") is None
    True
    """
    match = re.match(r"\s*([^:]{2,60}?)\s*:\s+\S", title)
    if not match:
        return None
    name = match.group(1)
    if len(name.split()) > 3 or not is_name(name):
        return None
    return match.start(1), match.end(1)


def _cut_trailing_common(text: str, start: int, end: int) -> int:
    words = list(re.finditer(r"\S+", text[start:end]))
    while len(words) > 1 and words[-1].group() in NOT_NAMES:
        words.pop()
    return start + words[-1].end()
