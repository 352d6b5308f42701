"""Measure extraction quality: gold readers (:mod:`.gold`), scoring (:mod:`.scoring`) and the
fixed held-out split of gold without an official one (:mod:`.splits`)."""

from kg.evaluate.gold import FORMATS, SPLITS, Gold, read_gold
from kg.evaluate.scoring import Report, Score, evaluate

__all__ = ["FORMATS", "SPLITS", "Gold", "Report", "Score", "evaluate", "read_gold"]
