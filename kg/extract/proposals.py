"""Find what a paper itself proposes: ``we propose X``, ``X, a new benchmark``, ``X: subtitle``."""

import re
from dataclasses import dataclass

from kg.extract.patterns import head_type
from kg.extract.shapes import NOT_NAMES, is_name
from kg.models import EntityType

__all__ = ["Proposal", "find_appositions", "find_proposals", "title_name"]

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
_NAME = re.compile(r"([A-Z][\w.+]*(?:-[\w.+]+)*(?: [A-Z][\w.+]*(?:-[\w.+]+)*){0,3})")
# ``X, a reinforcement learning framework``: an apposition that says what X is,
# found from the rarer ``, a ...``: a name is then looked for right before it.
_APPOSITION_TAIL = re.compile(r",\s+(an?|the)\s+([^,.;:()]{1,100})")
_NAME_BEFORE_COMMA = re.compile(
    r"(?<![\w-])([A-Z][\w.+]*(?:-[\w.+]+)*(?: [A-Z][\w.+]*(?:-[\w.+]+)*){0,3})$"
)
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
        if name and is_name(name.group(1)):
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
        found.append(Proposal(match.end(), match.end(), head_type(text[match.end() : end]), end))
    return found


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
