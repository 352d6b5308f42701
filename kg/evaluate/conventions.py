"""Span conventions of gold corpora that differ from kg's, applied to kg's predictions.

kg marks a dataset by its name and splits a coordination (issue #17: ``GLUE and XNLI
benchmarks`` gives GLUE and XNLI). The dataset-mention sentences
(``../shared/data/gold/dataset-mentions``) write the same mentions differently: a list
of names under one shared head is one mention (``NPB and MLB data sets``, about one gold
span in ten) and a generic head after a name is part of it (``GLUE benchmark``). Scored
raw, each such list counts as a miss and two false positives though kg found every name.

:func:`dataset_mention_spans` rewrites kg's predicted dataset spans into that corpus's
convention by two fixed rules that look only at the text and the predictions, never at the
gold:

1. *Head*: a predicted span followed by a generic head (``dataset(s)``, ``data set(s)``,
   ``corpus``/``corpora``, ``collection(s)``, ``benchmark(s)``, ``database(s)``) that it
   does not already end with takes the head in.
2. *Shared head*: predicted spans standing next to each other with only a comma, ``and``,
   ``or`` or ``&`` (and maybe ``the``) between them, where only the last one ends with a
   head, become one span from the first name to the head. A name with a head of its own
   (``the HTTP dataset and the SMTP dataset``) stays a mention of its own, as the corpus
   writes it.

``kg eval`` reports the adapted exact score (match ``exact-adapted``) beside the raw one
for this corpus only. The rules were chosen on the corpus's train part (the held-out
fifth was scored only to report).
"""

import re
from collections.abc import Collection

from kg.evaluate.gold import Span

__all__ = ["ADAPTED", "dataset_mention_spans"]

# The match kind of the adapted score in a report.
ADAPTED = "exact-adapted"

_HEAD = r"(?:data\s?sets?|corpus|corpora|collections?|benchmarks?|databases?)"
_HEAD_AFTER = re.compile(r"\s+" + _HEAD + r"\b", re.IGNORECASE)
_ENDS_WITH_HEAD = re.compile(r"\b" + _HEAD + r"\Z", re.IGNORECASE)
_GAP = re.compile(r"\s*(?:,\s*(?:(?:and|or|&)\s+)?|\s(?:and|or|&)\s+)(?:the\s+)?", re.IGNORECASE)


def dataset_mention_spans(text: str, predicted: Collection[Span]) -> set[Span]:
    """Return ``predicted`` with its dataset spans written as the dataset-mention corpus
    writes them (module docstring); spans of other labels are kept as they are.

    >>> t = "on the NPB and MLB data sets and the GLUE benchmark"
    >>> spans = [Span(7, 10, "dataset"), Span(15, 28, "dataset"), Span(37, 41, "dataset")]
    >>> sorted(t[s.start:s.end] for s in dataset_mention_spans(t, spans))
    ['GLUE benchmark', 'NPB and MLB data sets']
    >>> t = "the HTTP dataset and the SMTP dataset"
    >>> spans = [Span(4, 16, "dataset"), Span(25, 37, "dataset")]
    >>> sorted(t[s.start:s.end] for s in dataset_mention_spans(t, spans))
    ['HTTP dataset', 'SMTP dataset']
    """
    others = {s for s in predicted if s.label != "dataset"}
    spans = sorted({_with_head(text, s) for s in predicted if s.label == "dataset"})
    joined: list[Span] = []
    i = 0
    while i < len(spans):
        j = i
        while (
            j + 1 < len(spans)
            and spans[j + 1].start >= spans[j].end
            and not _ENDS_WITH_HEAD.search(text, spans[j].start, spans[j].end)
            and _GAP.fullmatch(text, spans[j].end, spans[j + 1].start)
        ):
            j += 1
        if j > i and _ENDS_WITH_HEAD.search(text, spans[j].start, spans[j].end):
            joined.append(Span(spans[i].start, spans[j].end, "dataset"))
            i = j + 1
        else:
            joined.append(spans[i])
            i += 1
    return others | set(joined)


def _with_head(text: str, span: Span) -> Span:
    """``span`` taking in the generic head right after it (``GLUE`` + `` benchmark``)."""
    if _ENDS_WITH_HEAD.search(text, span.start, span.end):
        return span
    head = _HEAD_AFTER.match(text, span.end)
    return Span(span.start, head.end(), span.label) if head else span
