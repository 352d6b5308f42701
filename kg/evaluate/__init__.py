"""Measure extraction quality: gold readers (:mod:`.gold`), scoring (:mod:`.scoring`) and the
fixed held-out split of gold without an official one (:mod:`.splits`).

Scoring needs spaCy: its names are imported on first use (PEP 562), so that the ``kg``
command, which reads :data:`FORMATS` and :data:`SPLITS` for its options, starts without it.
"""

from typing import TYPE_CHECKING, Any

from kg.evaluate.gold import FORMATS, SPLITS, Gold, read_gold

if TYPE_CHECKING:
    from kg.evaluate.scoring import Report, Score, evaluate

__all__ = ["FORMATS", "SPLITS", "Gold", "Report", "Score", "evaluate", "read_gold"]


def __getattr__(name: str) -> Any:
    """Import the scoring names on first use."""
    if name in ("Report", "Score", "evaluate"):
        from kg.evaluate import scoring

        return getattr(scoring, name)
    raise AttributeError(f"module 'kg.evaluate' has no attribute {name!r}")
