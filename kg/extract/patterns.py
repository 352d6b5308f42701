"""Rules over raw text: repository URLs, versioned model names and context cues.

Each function takes the text and returns ``(start, end, ...)`` tuples with
character offsets; the spaCy components in :mod:`kg.extract.pipeline` turn them
into candidates.
"""

import re
from dataclasses import dataclass
from functools import lru_cache

from kg.extract.shapes import NOT_NAMES, is_name
from kg.models import EntityType

__all__ = [
    "Cue",
    "UrlMatch",
    "find_cues",
    "find_model_names",
    "find_urls",
    "head_type",
    "normalise_url",
]

_URL = re.compile(
    r"(?:https?://|www\.)[^\s<>\"'()\[\]{}]+"
    r"|\b(?:github\.com|gitlab\.com|huggingface\.co|bitbucket\.org)/[^\s<>\"'()\[\]{}]+",
    re.I,
)
# Every URL _URL finds holds one of these, in some case (plain searches are much faster).
_URL_HINTS = ("://", "www.", ".com/", ".co/", ".org/")
_CODE_HOSTS = {"github.com", "gitlab.com", "bitbucket.org", "codeberg.org"}

# Size or version parts of a model name: 7B, 0.5B, 70b, 1.5T, 125M, v2, 3.1, 2.5
_SIZE = r"\d+(?:\.\d+)?[BMTbmt]"
_VERSION = r"v?\d+(?:\.\d+)*[a-z]?"
_PART = r"[A-Za-z0-9][A-Za-z0-9.]*"
_VERSION_START = re.compile(r"[-\s]?v?\d")  # what must follow a family name
# A capitalised name followed by hyphenated parts, at least one being a size: LLaMA-3-7B,
# Nemotron-Terminal-8B, Qwen2.5-VL-7B-Instruct, Llama3-8B.
_SIZED_MODEL = re.compile(
    rf"([A-Z](?<![\w-][A-Z])[A-Za-z0-9.]*(?:-{_PART})*?-{_SIZE}(?:-{_PART})*)(?![\w-])"
)
_SIZE_HINT = re.compile(rf"-{_SIZE}(?![\w])")
# A name word: a ``.`` only inside it (``Qwen2.5``), never a sentence's full stop.
_NAME_WORDS = r"[A-Z](?:[\w+]|\.(?=\w))*(?:-(?:[\w+]|\.(?=\w))+)*"
# ``the X benchmark``, ``X dataset``, ``on the X Benchmark`` with X a capitalised name.
_CUE_NOUNS = {
    "benchmark": EntityType.DATASET,
    "dataset": EntityType.DATASET,
    "corpus": EntityType.DATASET,
    "testbed": EntityType.DATASET,
    "leaderboard": EntityType.DATASET,
    "collection": EntityType.DATASET,
    "database": EntityType.DATASET,
    "suite": EntityType.DATASET,
    "environment": EntityType.DATASET,
    "model": EntityType.MODEL,
    "algorithm": EntityType.METHOD,
    "method": EntityType.METHOD,
    "framework": EntityType.METHOD,
    "architecture": EntityType.METHOD,
    "optimizer": EntityType.METHOD,
    "loss": EntityType.METHOD,
    "task": EntityType.TASK,
    "metric": EntityType.METRIC,
    "score": EntityType.METRIC,
}
_NON_SPACE = re.compile(r"\S+")
# A word starting with a capital (the last word of a name), a space and a cue noun. The
# look-behind comes after the capital: a pattern that starts with one is tried at every
# character, one that starts with [A-Z] only at capitals (2.6 times faster).
_CAPITAL_THEN_CUE = re.compile(
    rf"[A-Z](?<![\w.+-][A-Z])[\w.+-]* ({'|'.join(_CUE_NOUNS)})(?:s|es)?\b"
)
# A capitalised name of up to four words ending with the space before a cue noun.
_NAME_BEFORE = re.compile(rf"((?:{_NAME_WORDS} ){{0,3}}{_NAME_WORDS}) $")
_NUMBER_BEFORE = re.compile(r"\d $")
# Cue nouns that belong to the mention: ``MegaFace dataset``, ``OntoNotes corpus``.
_HEAD_NOUNS = frozenset({"dataset", "corpus", "benchmark", "collection", "database"})
_CUE_WINDOW = 160  # characters: four name words and some
# Names that say what they are: Terminal-Bench 2.0, LongCLI-Bench, SWE-bench, AgentBench.
# The look-behind comes after the first capital, as in _CAPITAL_THEN_CUE (twice as fast).
_BENCH_NAME = re.compile(
    r"([A-Z](?<![\w-][A-Z])(?:\w* [A-Z])?\w*-?[Bb]ench(?:mark)?(?: \d+(?:\.\d+)?)?)(?![\w-])"
)
# ``GRPO-style``, ``BERT-based``, ``AlphaEvolve-inspired``.
_STYLE = re.compile(r"([A-Z](?<![\w-][A-Z])[\w.]*[A-Z0-9][\w.]*)-(style|based|like|inspired)\b")
_STYLE_HINT = re.compile(r"-(?:style|based|like|inspired)\b")
_HEAD_TYPES = (
    (
        re.compile(r"\b(benchmark|dataset|corpus|testbed|suite|leaderboard|bench)s?\b", re.I),
        EntityType.DATASET,
    ),
    (re.compile(r"\b(metric|score|measure)s?\b", re.I), EntityType.METRIC),
    (re.compile(r"\b(models?|LLMs?|VLMs?|checkpoints?|agents?)\b", re.I), EntityType.MODEL),
    (
        re.compile(
            r"\b(framework|method|approach|algorithm|pipeline|technique|mechanism|architecture|"
            r"strategy|paradigm|optimizer|objective|loss|sampler|protocol|system|tokenizer|"
            r"harness|setup|scheme|procedure|module|layer|operator)s?\b",
            re.I,
        ),
        EntityType.METHOD,
    ),
)


@dataclass(frozen=True, slots=True)
class UrlMatch:
    """A URL in the text, its normalised form and what it points at."""

    start: int
    end: int
    url: str
    kind: str  # code | model | dataset | space | project


@dataclass(frozen=True, slots=True)
class Cue:
    """A name found by the words around it (``the X benchmark``, ``X-style``)."""

    start: int
    end: int
    type: EntityType | None  # None: the cue does not say (``X-style``)
    cue: str  # the word that gave it away: benchmark, style, ...
    name_end: int = -1  # where the name ends, when the span also covers the cue noun

    @property
    def name_span(self) -> tuple[int, int]:
        """The name alone: ``MegaFace`` in ``MegaFace dataset``."""
        return self.start, self.name_end if self.name_end >= 0 else self.end


def normalise_url(url: str) -> tuple[str, str]:
    """Return ``(url, kind)``: scheme added, trailing punctuation and ``.git`` dropped.

    Code hosts are cut to ``owner/repo``; Hugging Face links keep their type.

    >>> normalise_url("github.com/hanxiangqin/omni-col-press.")
    ('https://github.com/hanxiangqin/omni-col-press', 'code')
    >>> normalise_url("https://github.com/google-deepmind/superhuman/tree/main/aletheia")
    ('https://github.com/google-deepmind/superhuman', 'code')
    >>> normalise_url("https://huggingface.co/collections/nvidia/nemotron-terminal.")
    ('https://huggingface.co/collections/nvidia/nemotron-terminal', 'model')
    >>> normalise_url("https://social-ai-studio.github.io/CHAIN/")
    ('https://social-ai-studio.github.io/CHAIN', 'project')
    """
    url = url.rstrip(".,;:!?'\")]}")
    if not re.match(r"https?://", url, re.I):
        url = "https://" + url
    match = re.match(r"(https?)://([^/]+)(/.*)?$", url, re.I)
    if not match:
        return url, "project"
    scheme, host, path = match.group(1).lower(), match.group(2).lower(), match.group(3) or ""
    host = host.removeprefix("www.")
    parts = [p for p in path.split("/") if p]
    if host in _CODE_HOSTS and len(parts) >= 2:
        repo = parts[1].removesuffix(".git")
        return f"https://{host}/{parts[0]}/{repo}", "code"
    if host == "huggingface.co" and parts:
        kinds = {"datasets": "dataset", "spaces": "space", "papers": "project"}
        return f"https://{host}/{'/'.join(parts)}".rstrip("/"), kinds.get(parts[0], "model")
    return f"{scheme}://{host}{path}".rstrip("/"), "project"


def find_urls(text: str) -> list[UrlMatch]:
    """Return the URLs in ``text`` (with or without a scheme for well-known hosts)."""
    found: list[UrlMatch] = []
    if "/" not in text and "www." not in text.lower():
        return found  # most abstracts: every hint but ``www.`` holds a slash
    lowered = text.lower()
    if not any(hint in lowered for hint in _URL_HINTS):
        return found
    for match in _URL.finditer(text):
        raw = match.group().rstrip(".,;:!?'\")]}")
        url, kind = normalise_url(raw)
        found.append(UrlMatch(match.start(), match.start() + len(raw), url, kind))
    return found


def find_model_names(
    text: str, families: set[str] | frozenset[str] = frozenset()
) -> list[tuple[int, int]]:
    """Return spans of model names with a size (``LLaMA-3-7B``) or a known family and version.

    ``families`` holds lowercase family names (``llama``, ``qwen``); a family name
    glued to a version (``Qwen3``, ``Llama3-8B``, ``GPT-4o``) counts as a model.

    >>> text = "We fine-tune LLaMA-3-7B and Qwen3 against GPT-4o."
    >>> [text[s:e] for s, e in find_model_names(text, {"qwen", "gpt", "llama"})]
    ['LLaMA-3-7B', 'Qwen3', 'GPT-4o']
    """
    spans: set[tuple[int, int]] = set()
    # Cheap tests first: most abstracts name no sized model and no model family.
    if _SIZE_HINT.search(text):
        spans |= {(m.start(1), m.end(1)) for m in _SIZED_MODEL.finditer(text)}
    lowered = text.casefold()
    for family in families:
        if family in lowered and _family_may_occur(lowered, family):
            spans |= {(m.start(1), m.end(1)) for m in _family_pattern(family).finditer(text)}
    # Keep the longest of overlapping spans.
    kept: list[tuple[int, int]] = []
    for start, end in sorted(spans, key=lambda s: (s[0], -s[1])):
        if kept and start < kept[-1][1]:
            continue
        kept.append((start, end))
    return kept


def find_cues(text: str) -> list[Cue]:
    """Return names given away by the words around them.

    >>> text = "It sets a new state of the art on the LoCoMo benchmark, unlike GRPO-style RL."
    >>> [(text[c.start:c.end], c.type, c.cue) for c in find_cues(text)]
    [('LoCoMo benchmark', <EntityType.DATASET: 'Dataset'>, 'benchmark'), ('GRPO', None, 'style')]
    >>> [text[slice(*c.name_span)] for c in find_cues(text)]
    ['LoCoMo', 'GRPO']
    """
    cues = []
    # Find a capitalised word followed by a cue noun first (most cue nouns follow a
    # lowercase word: ``our model``), then the longest name ending with that word.
    for found in _CAPITAL_THEN_CUE.finditer(text):
        noun_start, noun_end, noun = found.start(1), found.end(), found.group(1)
        window_start = max(0, noun_start - _CUE_WINDOW)
        # The leftmost match ending right before the noun is the longest name there.
        match = _NAME_BEFORE.search(text, window_start, noun_start)
        if not match or (match.start() > 0 and text[match.start() - 1] not in " (\n"):
            continue
        if _NUMBER_BEFORE.search(text, max(0, match.start() - 3), match.start()):
            # ``12 IR datasets``: not a name (``\d $`` just before it)
            continue
        start, end = _trim_non_names(text, match.start(1), match.end(1))
        if start < end and is_name(text[start:end]):
            if noun in _HEAD_NOUNS:
                # ``the MegaFace dataset``: annotators take the noun into the mention
                # (the dataset-mention gold does, 9 times in 10); the name stays canonical.
                cues.append(Cue(start, noun_end, _CUE_NOUNS[noun], noun, end))
            else:
                cues.append(Cue(start, end, _CUE_NOUNS[noun], noun))
    for match in _BENCH_NAME.finditer(text) if "ench" in text else ():
        start, end = _trim_non_names(text, match.start(1), match.end(1))
        if start < end:
            cues.append(Cue(start, end, EntityType.DATASET, "bench"))
    for match in _STYLE.finditer(text) if _STYLE_HINT.search(text) else ():
        cues.append(Cue(match.start(1), match.end(1), None, match.group(2)))
    return sorted(cues, key=lambda c: c.start)


def head_type(text: str) -> EntityType | None:
    """Return the entity type a descriptive phrase points at, from its head words.

    >>> head_type("a reinforcement learning framework for open-weight models")
    <EntityType.METHOD: 'Method'>
    >>> head_type("a conversational and longitudinal benchmark")
    <EntityType.DATASET: 'Dataset'>
    """
    best: tuple[int, EntityType] | None = None
    for pattern, type_ in _HEAD_TYPES:
        match = pattern.search(text)
        if match and (best is None or match.start() < best[0]):
            best = (match.start(), type_)
    return best[1] if best else None


def _family_may_occur(lowered: str, family: str) -> bool:
    """Whether ``family`` stands as a word start followed by a version somewhere
    (``phi-3``, not ``graphical``): a quick test before the full pattern.

    >>> _family_may_occur("a graphical model and phi-3", "phi"), _family_may_occur("bert", "bert")
    (True, False)
    """
    at = lowered.find(family)
    while at >= 0:
        end = at + len(family)
        if (at == 0 or not (lowered[at - 1].isalnum() or lowered[at - 1] in "_-")) and (
            _VERSION_START.match(lowered, end)
        ):
            return True
        at = lowered.find(family, at + 1)
    return False


@lru_cache(maxsize=4096)
def _family_pattern(family: str) -> re.Pattern[str]:
    """One pattern per family, compiled once (one per set of families meant a compile a doc)."""
    name = re.escape(family)
    return re.compile(rf"(?<![\w-])((?i:{name})[-\s]?{_VERSION}(?:-{_PART})*)(?![\w-])")


def _trim_non_names(text: str, start: int, end: int) -> tuple[int, int]:
    """Drop leading words that are capitalised but are not part of a name (``The``, ``On``)."""
    words = list(_NON_SPACE.finditer(text[start:end]))
    while words and words[0].group() in NOT_NAMES:
        words.pop(0)
    if not words:
        return end, end
    return start + words[0].start(), end
