"""Sentence boundaries of plain text, for the evidence sentence of each mention.

A sentence ends at ``.``, ``!`` or ``?`` (closing quotes and brackets included)
followed by white space and a character that may start a sentence, unless the
word before is an abbreviation (``e.g.``, ``et al.``, ``Fig.``). One regular
expression over the text: no tokens needed. The extractor and the linker both cut
evidence sentences here, so a mention gets the same sentence on either path (#15).
"""

import bisect
import re

__all__ = ["Sentences", "sentence_around", "sentence_starts"]

# Closing and opening quotes and brackets, curly quotes written as escapes.
_CLOSE = "\"')\\]\u201d\u2019"
_OPEN = "\"'(\\[\u201c\u2018"
# ``[.!?][.!?]*``, not ``[.!?]+``: a pattern starting with a character class is tried only
# at those characters (twice as fast over an abstract).
_END = re.compile(rf"[.!?][.!?]*[{_CLOSE}]*\s+(?=[{_OPEN}]?[A-Z0-9])")
_ABBREVIATIONS = frozenset(
    "e.g i.e al etc fig figs eq eqs sec vs cf resp approx no nos tab ref refs dr mr ms prof".split()
)
# The last letters of those: a sentence end after any other character (``2017).``, ``a
# new task.``) needs no look at the word before it.
_ABBREVIATION_ENDS = frozenset(word[-1] for word in _ABBREVIATIONS)


def sentence_starts(text: str) -> list[int]:
    """Return the offset where each sentence of ``text`` starts (the first is 0).

    >>> text = "We use PPO (Schulman et al. 2017). It works, e.g. on Atari! Fig. 2 shows it."
    >>> [text[s:s + 8] for s in sentence_starts(text)]
    ['We use P', 'It works', 'Fig. 2 s']
    """
    starts = [0]
    for match in _END.finditer(text):
        at = match.start()
        before = text[at - 1] if at else " "
        if before.lower() not in _ABBREVIATION_ENDS and before != "." and not before.isspace():
            starts.append(match.end())  # the word before ends so: no abbreviation
            continue
        words = text[max(0, at - 12) : at].rsplit(None, 1)
        word = words[-1].lstrip(_OPEN).lower() if words else ""
        if word in _ABBREVIATIONS or word.rstrip(".") in _ABBREVIATIONS:
            continue
        starts.append(match.end())
    return starts


def sentence_around(text: str, offset: int) -> str:
    """The sentence of ``text`` holding the character at ``offset``, stripped.

    For one offset; :class:`Sentences` cuts many of one text without splitting it again.

    >>> text = "We follow Schulman et al. 2017 and use PPO on Atari. It works."
    >>> sentence_around(text, text.index("PPO")), sentence_around(text, len(text) - 3)
    ('We follow Schulman et al. 2017 and use PPO on Atari.', 'It works.')
    """
    return Sentences(text, sentence_starts(text)).at(offset)


class Sentences:
    """The sentences of a text, each cut out and stripped once, when first asked for.

    >>> text = "First one. Second one."
    >>> sentences = Sentences(text, sentence_starts(text))
    >>> sentences.at(11), sentences.at(0)
    ('Second one.', 'First one.')
    """

    def __init__(self, text: str, starts: list[int]):
        self.text = text
        self.starts = starts
        self._cut: dict[int, str] = {}

    def crosses(self, start: int, end: int) -> bool:
        """Whether ``text[start:end]`` runs over the start of a sentence.

        >>> text = "We present X. X is fast."
        >>> sentences = Sentences(text, sentence_starts(text))
        >>> sentences.crosses(11, 15), sentences.crosses(14, 15)
        (True, False)
        """
        index = bisect.bisect_right(self.starts, start)
        return index < len(self.starts) and self.starts[index] < end

    def at(self, offset: int) -> str:
        """The sentence holding the character at ``offset`` (a span gets the one it starts in)."""
        index = bisect.bisect_right(self.starts, offset) - 1
        sentence = self._cut.get(index)
        if sentence is None:
            stop = self.starts[index + 1] if index + 1 < len(self.starts) else len(self.text)
            sentence = self._cut[index] = self.text[self.starts[index] : stop].strip()
        return sentence
