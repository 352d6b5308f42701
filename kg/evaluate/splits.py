"""The fixed train / held-out split of gold data that has no official split of its own.

The dataset-mention sentences come as one file. A sentence is held out for
evaluation when the hash of its text falls in one fifth of the range, so the split
never changes, needs no stored list, and training code and ``kg eval`` agree.
"""

import hashlib

__all__ = ["HELD_OUT_FRACTION", "is_held_out"]

HELD_OUT_FRACTION = 5  # one sentence in five


def is_held_out(text: str) -> bool:
    """Return True when ``text`` belongs to the held-out (evaluation) part.

    >>> is_held_out("We evaluate on the CoNLL-2003 dataset.") in (True, False)
    True
    """
    digest = hashlib.sha256(text.strip().encode("utf-8")).hexdigest()
    return int(digest, 16) % HELD_OUT_FRACTION == 0
