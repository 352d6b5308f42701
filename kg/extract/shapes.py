"""Tell names (``LoCoMo``, ``GSM8K``, ``Long-Horizon Household``) from capitalised words."""

import re

__all__ = ["NOT_NAMES", "NOT_NAME_WORDS", "is_name"]

# Capitalised words that start sentences, titles or clauses and are not names.
NOT_NAMES = frozenset(
    """A An The This That These Those Our We It Its Their Each Every Both All Any Some Such
    Existing Previous Prior Recent Standard Popular Several Many Most Other New Novel Large
    Public Open Real Synthetic Unified Comprehensive Challenging Diverse Multiple Various
    In On Of For To By As At And Or But With Unlike Like Using Compared Beyond Besides Despite
    While When After Before Although However Moreover Finally Overall Specifically Notably
    Thus Hence Here Then Also Via Through Across From""".split()
)

# Words shaped like names (two capitals) that name a field, a kind of thing, hardware,
# a unit, a numeral or a conference, never one model or dataset: ``NLP``, ``LLMs``,
# ``GPU``, ``SOTA``, ``III``, ``NeurIPS``. :func:`kg.extract.named.name_shape` skips them,
# plurals too. (Which mentions are generic concepts is decided in kg.extract.kinds.)
NOT_NAME_WORDS = frozenset(
    """AI ML DL RL NLP NLU NLG NL CV IR QA MT ASR TTS OCR SSL NN DNN ANN MLP LM LLM VLM MLLM
    LVLM LMM SLM PLM GPU TPU CPU RAM GB TB MB KB API SDK URL SQL JSON HTML PDF UI GUI IoT SOTA
    SoTA OOD IID KL II III IV VI VII VIII IX XI XII US UK EU USA USD AM PM TODO RGB RGB-D
    FLOPs FLOP IS OR AND IT AS AT BY IN ON OF TO NO DO IF WE BE AN UP SO VS
    NeurIPS NIPS ICML ICLR CVPR ICCV ECCV ACL EMNLP NAACL COLING AAAI IJCAI KDD SIGIR WWW
    AISTATS UAI CoRL RSS ICRA IROS GitHub GitLab arXiv""".split()
)

# An inner capital, two capitals in a row, or a capitalised part after a hyphen.
_NAME_SHAPE = re.compile(r"[a-z][A-Z]|[A-Z]{2}|\w-[A-Z]")


def is_name(text: str) -> bool:
    """Return whether ``text`` reads as a name rather than ordinary capitalised words.

    A digit, an inner capital or a capitalised hyphen part makes a name; so do
    several capitalised words. One plain capitalised word does not.

    >>> [is_name(t) for t in ("LoCoMo", "Terminal-Corpus", "Implicit Intelligence", "Retrieval")]
    [True, True, True, False]
    >>> is_name("The Benchmark")
    False
    """
    words = text.split()
    if not words or words[0] in NOT_NAMES:
        return False
    if any(c.isdigit() for c in text) or _NAME_SHAPE.search(text):
        return True
    return len(words) > 1 and all(w[0].isupper() for w in words)
