"""The fixed splits of gold data that has no official split of its own.

The dataset-mention sentences come as one file. A sentence is held out for
evaluation when the hash of its text falls in one fifth of the range, so the split
never changes, needs no stored list, and training code and ``kg eval`` agree.

GSAP-NER's 50 publications (``../shared/data/gold/gsap-ner``) are split by
publication, never by paragraph, so no paper is on both sides: ranked by the
SHA-256 of the publication id, the first 10 are ``held-out`` (reported, never
trained or tuned on), the next 10 ``dev`` (looked at while tuning) and the other
30 ``train``. The ranking needs the whole set, so its result is stored, as ids
only, in ``gsap_split.json`` beside this module; :func:`gsap_split` rebuilds it.
"""

import hashlib
import json
from collections.abc import Iterable
from functools import cache
from importlib.resources import files

__all__ = [
    "GSAP_PARTS",
    "GSAP_SIZES",
    "HELD_OUT_FRACTION",
    "gsap_part",
    "gsap_split",
    "is_held_out",
    "load_gsap_split",
]

HELD_OUT_FRACTION = 5  # one sentence in five
# GSAP-NER publications per part, in ranking order; the rest is "train".
GSAP_SIZES = {"held-out": 10, "dev": 10}
GSAP_PARTS = ("held-out", "dev", "train")
_GSAP_FILE = "gsap_split.json"


def is_held_out(text: str) -> bool:
    """Return True when ``text`` belongs to the held-out (evaluation) part.

    >>> is_held_out("We evaluate on the CoNLL-2003 dataset.") in (True, False)
    True
    """
    digest = hashlib.sha256(text.strip().encode("utf-8")).hexdigest()
    return int(digest, 16) % HELD_OUT_FRACTION == 0


def gsap_split(publications: Iterable[str]) -> dict[str, list[str]]:
    """Split GSAP-NER publication ids into held-out, dev and train by the hash ranking.

    Each part's ids are sorted. With fewer ids than the sizes ask for, the later
    parts are smaller (train first, then dev).

    >>> gsap_split(["p1", "p2"])
    {'held-out': ['p1', 'p2'], 'dev': [], 'train': []}
    """
    ranked = sorted(set(publications), key=lambda p: hashlib.sha256(p.encode("utf-8")).hexdigest())
    parts: dict[str, list[str]] = {}
    for part in GSAP_PARTS:
        size = GSAP_SIZES.get(part, len(ranked))
        parts[part], ranked = sorted(ranked[:size]), ranked[size:]
    return parts


@cache
def load_gsap_split() -> dict[str, str]:
    """Return the committed split: publication id -> ``"held-out"``, ``"dev"`` or ``"train"``."""
    record = json.loads(files("kg.evaluate").joinpath(_GSAP_FILE).read_text(encoding="utf-8"))
    return {p: part for part in GSAP_PARTS for p in record[part]}


def gsap_part(publication: str) -> str | None:
    """Return the part GSAP-NER ``publication`` belongs to, None for one outside the 50.

    >>> gsap_part("00001_1911_02116"), gsap_part("not-a-gsap-paper")
    ('train', None)
    """
    return load_gsap_split().get(publication)
