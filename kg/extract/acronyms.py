"""Find acronym definitions: ``Proximal Policy Optimization (PPO)`` and ``PPO (Proximal ...)``.

The matching follows Schwartz & Hearst (2003), "A simple algorithm for
identifying abbreviation definitions in biomedical text": every letter of the
short form must appear, in order, in the long form, and its first letter must
start a word of the long form.
"""

import re
from dataclasses import dataclass

from kg.names import is_plural_acronym, singular_acronym

__all__ = ["Acronym", "find_acronyms", "match_long_form"]

# A short form: 2-12 characters, starts with a letter or digit, at least one capital,
# no spaces (``PPO``, ``DiT``, ``AaW``, ``COMiT``, ``3DGS``, ``GPT-4``).
_SHORT = r"[A-Za-z0-9][A-Za-z0-9\-+./&]{1,11}"
_PAREN = re.compile(r"\(([^()]{1,200})\)")
_WORD = re.compile(r"[^\s()]+")
_WINDOW_CHARS = 300
_CLAUSE_SPLIT = re.compile(r"\s*[;,]\s+")
_ARTICLE = re.compile(r"(?:the|a|an)\s+", re.I)
# ``SF = long form``, ``SF stands for long form``, ``SF denotes``, ``SF refers to``,
# ``SF: long form``.
# Found from the words that say it (rarer than words), then the short form just before.
_SAYS = re.compile(
    r"(?:\s+(?:=|:=|stands\s+for|denotes|refers\s+to|is\s+short\s+for"
    r"|is\s+an\s+abbreviation\s+for)|\s?:)\s+"
)
_SAYS_WORDS = ("=", ":", "stands", "denotes", "refers", "short for", "abbreviation")
_SAYS_REACH = 40  # characters around a key word where the pattern is tried
_SHORT_BEFORE = re.compile(r"(?<![\w-])[A-Za-z0-9][A-Za-z0-9\-+./&]{1,11}\Z")
_FUNCTION_WORDS = frozenset(
    [
        "a",
        "an",
        "and",
        "as",
        "at",
        "by",
        "for",
        "from",
        "in",
        "of",
        "on",
        "or",
        "the",
        "to",
        "via",
        "with",
    ]
)
# One capital and lowercase letters only: a dictionary or function word in title case.
_TITLE_CASE_WORD = re.compile(r"[A-Z][a-z]+")
# Where the long form's words start: each word, hyphenated or slashed part, and capital.
_PARTS = re.compile(r"[\s/\u2010-\u2014-]+")
_PART_PUNCTUATION = "()[]{}\"'*`,;:.~$\u201c\u201d"
_STOP_SHORT = frozenset({"e.g.", "i.e.", "cf.", "etc.", "resp.", "see", "ours", "ii", "iii", "iv"})


@dataclass(frozen=True, slots=True)
class Acronym:
    """A short form defined by a long form in the same sentence (character offsets)."""

    short: str
    long: str
    short_start: int
    short_end: int
    long_start: int
    long_end: int


def find_acronyms(text: str) -> list[Acronym]:
    """Return the acronym definitions in ``text``, in both directions.

    >>> for a in find_acronyms(
    ...     "We train with Proximal Policy Optimisation (PPO) and DREAM (Deep Research "
    ...     "Evaluation with Agentic Metrics) on a diffusion transformer (DiT)."):
    ...     print(a.short, "=", a.long)
    PPO = Proximal Policy Optimisation
    DREAM = Deep Research Evaluation with Agentic Metrics
    DiT = diffusion transformer
    >>> find_acronyms("small models (e.g., 4B parameters) and Qwen3(8B, 14B)")
    []
    """
    found: list[Acronym] = []
    for paren in _PAREN.finditer(text):
        # ``(API; see bitbucket.org/...)``: only the part before a ``;`` or ``,`` is the form.
        raw = _CLAUSE_SPLIT.split(paren.group(1), maxsplit=1)[0]
        inner = raw.strip()
        inner_start = paren.start(1) + (len(raw) - len(raw.lstrip()))
        # Only the words just before the parenthesis matter; never rescan the whole text.
        window_start = max(0, paren.start() - _WINDOW_CHARS)
        # A long form never crosses a line break (a title and the abstract after it).
        window_start = max(window_start, text.rfind("\n", window_start, paren.start()) + 1)
        before_end = paren.start()  # where the text before the parenthesis ends, spaces cut
        while before_end > 0 and text[before_end - 1].isspace():
            before_end -= 1
        short_here = _short_in_parenthesis(inner, text, window_start, before_end)
        if short_here is not None:
            # Long form (SF): the long form is in the words just before the parenthesis.
            short, words = short_here
            words = words[-(min(len(short) + 5, len(short) * 2)) :]
            words = _clip_at_clause(words)
            start = match_long_form(short, [w.group() for w in words])
            if start is not None:
                last = _last_word(short, [w.group() for w in words], start)
                long_start, long_end = words[start].start(), words[last].end()
                long_text = _strip_trailing(text[long_start:long_end])
                found.append(
                    Acronym(
                        short,
                        long_text,
                        inner_start,
                        inner_start + len(short),
                        long_start,
                        long_start + len(long_text),
                    )
                )
            continue
        # SF (Long form): the short form is the word just before the parenthesis.
        if len(inner.split()) < 2:
            continue
        previous = _last_word_before(text, window_start, before_end)
        if previous is None:
            continue
        short = previous.group().rstrip(",:;")
        if not _is_short_form(short):
            continue
        # ``TCP (the top concept's popularity)``: a leading article is not part of the form.
        article = _ARTICLE.match(inner)
        if article:
            inner, inner_start = inner[article.end() :], inner_start + article.end()
        inner_words = inner.split()
        if len(inner_words) > min(len(short) + 5, len(short) * 2):
            continue
        start = match_long_form(short, inner_words)
        if start == 0:
            last = _last_word(short, inner_words, 0)
            inner = " ".join(inner_words[: last + 1]) if last < len(inner_words) - 1 else inner
            found.append(
                Acronym(
                    short,
                    inner,
                    previous.start(),
                    previous.start() + len(short),
                    inner_start,
                    inner_start + len(inner),
                )
            )
    found += _defined_in_words(text)
    return [a for a in found if _plausible(a.short, a.long)]


def _short_in_parenthesis(
    inner: str, text: str, start: int, end: int
) -> tuple[str, list[re.Match[str]]] | None:
    """The short form a parenthesis gives, and the words of ``text[start:end]`` (just
    before it) that may define it.

    ``(PPO)`` gives PPO; ``framework (FEA framework)`` gives FEA, the head noun said
    twice left out of the long form's words.
    """
    if _is_short_form(inner):
        return inner, list(_WORD.finditer(text, start, end))
    parts = inner.split()
    if len(parts) == 2 and _is_short_form(parts[0]):
        words = list(_WORD.finditer(text, start, end))
        if words and words[-1].group().casefold() == parts[1].casefold():
            return parts[0], words[:-1]
    return None


def _last_word_before(text: str, start: int, end: int) -> re.Match[str] | None:
    """The last run of characters other than spaces and brackets in ``text[start:end]``."""
    at = end
    while at > start and (text[at - 1].isspace() or text[at - 1] in "()"):
        at -= 1
    if at == start:
        return None
    first = at
    while first > start and not (text[first - 1].isspace() or text[first - 1] in "()"):
        first -= 1
    return _WORD.match(text, first, at)


def _defined_in_words(text: str) -> list[Acronym]:
    """``BYO = bring your own``, ``BU stands for Binary Unigram``, ``PV denotes ...``."""
    found: list[Acronym] = []
    if not any(word in text for word in _SAYS_WORDS):  # most texts: skip the pattern
        return found
    taken = 0  # where the last definition's words ended: they never overlap
    for says in _says(text):
        match = _SHORT_BEFORE.search(text, max(taken, says.start() - 12), says.start())
        if match is None:
            continue
        short = match.group()
        if not _is_short_form(short):
            continue
        taken = says.end()
        opening = _WORD.search(text, says.end(), says.end() + _WINDOW_CHARS)
        if opening is None or not _may_start(short, opening.group()):
            continue  # a quick test first: most colons and equals define nothing
        words = list(_WORD.finditer(text, says.end(), says.end() + _WINDOW_CHARS))
        words = words[: min(len(short) + 5, len(short) * 2)]
        cut = next((i for i, w in enumerate(words) if w.group()[-1] in ",;:."), None)
        if cut is not None:
            words = words[: cut + 1]
        if not words or not _may_start(short, words[0].group()):
            continue
        # The long form ends where the short form's letters run out.
        for end in range(len(words), 0, -1):
            candidate = [w.group().rstrip(",;:.") for w in words[:end]]
            if (
                match_long_form(short, candidate) == 0
                and _match_ends(short, candidate)
                and _last_word(short, candidate, 0) == end - 1
            ):
                long_start, long_end = words[0].start(), words[end - 1].end()
                long_text = text[long_start:long_end].rstrip(",;:.")
                found.append(
                    Acronym(
                        short,
                        long_text,
                        match.start(),
                        match.end(),
                        long_start,
                        long_start + len(long_text),
                    )
                )
                break
    return found


def _says(text: str) -> list[re.Match[str]]:
    """The matches of ``_SAYS`` in ``text``, as ``finditer`` gives them, found faster.

    The pattern is tried only in a small window around each of its key words or
    signs (plain string searches), not at every space of the text.
    """
    found: dict[int, re.Match[str]] = {}
    for key in _SAYS_WORDS:
        at = text.find(key)
        while at >= 0:
            match = _SAYS.search(text, max(0, at - _SAYS_REACH), at + len(key) + _SAYS_REACH)
            while match and match.start() <= at:
                found.setdefault(match.start(), match)
                match = _SAYS.search(text, match.end(), at + len(key) + _SAYS_REACH)
            at = text.find(key, at + 1)
    kept: list[re.Match[str]] = []
    for start in sorted(found):  # leftmost first, never overlapping
        if not kept or start >= kept[-1].end():
            kept.append(found[start])
    return kept


def _may_start(short: str, word: str) -> bool:
    """Whether ``word`` can open a long form of ``short``: its first letter starts the
    word or a part of it (a quick test before the full match, which most fail).

    >>> _may_start("TTT", "Test-time"), _may_start("RL", "in"), _may_start("AR", "non-AR")
    (True, False, True)
    """
    first = next((c for c in short if c.isalnum()), "").casefold()
    word = word.casefold()
    return word[:1] == first or any(
        word[i] == first and not word[i - 1].isalnum() for i in range(1, len(word))
    )


def _last_word(short: str, words: list[str], start: int) -> int:
    """Index of the word that ends the long form: trailing words the short form skips go.

    ``long short term memory networks (LSTM)`` ends at ``memory``: when the last word
    does not start with the short form's last letter (a plural ``s`` aside) and an
    earlier word of the long form does, the long form ends at that earlier word, if
    the words up to it still spell the short form (``Multimodal LLMs (MLLMs)`` stays).

    >>> words = "long short term memory networks".split()
    >>> _last_word("LSTM", words, 0), _last_word("LSTMs", words, 0)
    (3, 3)
    >>> _last_word("DASH", "distributed accelerated SHampoo".split(), 0)
    2
    >>> _last_word("MLLMs", ["Multimodal", "LLMs"], 0)
    1
    """
    letters = [c for c in singular_acronym(short) if c.isalnum()]
    last = letters[-1].casefold()

    def starts_with_last(word: str) -> bool:
        return any(part[:1].casefold() == last for part in word.split("-"))

    end = len(words) - 1
    if starts_with_last(words[end]):
        return end
    for index in range(end - 1, start - 1, -1):
        if starts_with_last(words[index]):
            # Only if the shorter long form still spells the whole short form.
            return index if match_long_form(short, words[start : index + 1]) == 0 else end
    return end


def _match_ends(short: str, words: list[str]) -> bool:
    """The last word must hold the short form's last letter (no trailing extra words)."""
    last = next((c.casefold() for c in reversed(short) if c.isalnum()), "")
    return bool(words) and last in words[-1].casefold()


def match_long_form(short: str, words: list[str]) -> int | None:
    """Return the index of the word where the long form for ``short`` starts, or None.

    Walks the short form's letters and digits from the end, matching each one in
    the words from the end; the first letter must start a word (or a hyphenated
    part of one, as in ``Test-time``).

    >>> match_long_form("PPO", ["trained", "with", "Proximal", "Policy", "Optimization"])
    2
    >>> match_long_form("TTT", ["Test-time", "training"])
    0
    >>> match_long_form("BEIR", ["retrieval", "tasks", "spanning", "text"]) is None
    True
    """
    if is_plural_acronym(short):
        # ``DOFs``, ``CoTs``: the plural ``s`` is no letter of the long form.
        singular = match_long_form(short[:-1], words)
        if singular is not None:
            return singular
    chars = [c.casefold() for c in short if c.isalnum()]
    if len(chars) < 2 or not words:
        return None
    initials = _match_initials(chars, words)
    if initials is not None:
        return initials
    text = " ".join(words).casefold()
    # Offsets in ``text`` where each word starts, to map a character back to its word.
    starts = []
    offset = 0
    for word in words:
        starts.append(offset)
        offset += len(word) + 1
    pos = len(text) - 1
    for index in range(len(chars) - 1, -1, -1):
        char = chars[index]
        while pos >= 0:
            at_word_start = pos == 0 or not text[pos - 1].isalnum()
            if text[pos] == char and (index > 0 or at_word_start):
                break
            pos -= 1
        if pos < 0:
            return None
        pos -= 1
    first = pos + 1
    word_index = max(i for i, s in enumerate(starts) if s <= first)
    # The long form must not be padded with words the short form never touched.
    if len(words) - word_index > len(chars) + 4:
        return None
    return word_index


def _match_initials(chars: list[str], words: list[str]) -> int | None:
    """Match each short-form character to the initial of a word (or hyphenated part).

    Tried first because it picks the intended long form where the plain
    letter-by-letter match stops too early (``Policy Optimization`` for PPO).
    Function words may be skipped; any other skipped word ends the attempt.
    """
    parts = [(i, part) for i, word in enumerate(words) for part in re.split(r"-", word) if part]
    index = len(chars) - 1
    for word_index, part in reversed(parts):
        if part[0].casefold() == chars[index]:
            if index == 0:
                return word_index
            index -= 1
        elif part.casefold() not in _FUNCTION_WORDS:
            return None
    return None


def _is_short_form(text: str) -> bool:
    """Whether ``text`` is shaped like a short form: ``PPO``, ``DiT``, ``3DGS``, ``GPT-4``.

    A word in title case (``It``, ``On``, ``Data``, ``Here``, ``Code``, ``Transformer``)
    is a word, never a short form, wherever it stands.

    >>> [_is_short_form(w) for w in ("PPO", "DiT", "CoTs", "3DGS", "It", "Data", "Code")]
    [True, True, True, True, False, False, False]
    """
    if text.casefold() in _STOP_SHORT or not re.fullmatch(_SHORT, text):
        return False
    if _TITLE_CASE_WORD.fullmatch(text):
        return False
    if not any(c.isupper() for c in text):
        return False
    return sum(c.isalpha() for c in text) >= 2


def _clip_at_clause(words: list[re.Match[str]]) -> list[re.Match[str]]:
    """Keep only the words after the last clause break (comma, colon, semicolon, full stop)."""
    for i in range(len(words) - 1, -1, -1):
        if words[i].group()[-1] in ",;:." and i < len(words) - 1:
            return words[i + 1 :]
    return words


def _strip_trailing(text: str) -> str:
    return text.rstrip(",;:")


def _plausible(short: str, long: str) -> bool:
    """Whether ``long`` can be what ``short`` stands for, beyond the letter match.

    Not when the long form holds a line break or a link, starts or ends on a function
    word (``Investigating the``, ``of differential equations``), or when no more than half
    of the short form's capitals (all its letters, for an all-capitals one) start a
    word or a part of one, or are capitals there: ``ImageNet`` is not ``image
    generation on ILSVRC2012``, ``CARLA`` not ``challenging 3D driving simulator``.

    >>> [_plausible(*pair) for pair in [("PPO", "Proximal Policy Optimization"),
    ...     ("DiT", "diffusion transformer"), ("BLEU", "BiLingual Evaluation Understudy")]]
    [True, True, True]
    >>> [_plausible(*pair) for pair in [("ImageNet", "image generation on ILSVRC2012"),
    ...     ("ODE", "of differential equation"), ("CARLA", "challenging 3D driving simulator")]]
    [False, False, False]
    """
    if "\n" in long or "\r" in long or "://" in long or "www." in long:
        return False
    words = [w.strip(_PART_PUNCTUATION) for w in long.split()]
    words = [w for w in words if w]
    if (
        not words
        or words[0].casefold() in _FUNCTION_WORDS
        or words[-1].casefold() in _FUNCTION_WORDS
    ):
        return False
    letters = [c for c in singular_acronym(short) if c.isalpha()]
    if any(c.islower() for c in letters):
        letters = [c for c in letters if c.isupper()]  # ``DiT``, ``ResNet``: the capitals
    anchors: list[str] = []
    for part in _PARTS.split(long):
        part = part.strip(_PART_PUNCTUATION)
        if part:
            anchors.append(part[0].casefold())
            anchors.extend(c.casefold() for c in part[1:] if c.isupper())
    return 2 * _common(letters, anchors) > len(letters)


def _common(letters: list[str], anchors: list[str]) -> int:
    """How many of ``letters`` match ``anchors`` in order (longest common subsequence)."""
    letters = [c.casefold() for c in letters]
    row = [0] * (len(anchors) + 1)
    for letter in letters:
        previous = 0
        for j, anchor in enumerate(anchors, 1):
            kept = row[j]
            row[j] = previous + 1 if letter == anchor else max(row[j], row[j - 1])
            previous = kept
    return row[-1]
