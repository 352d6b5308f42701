"""Entity extraction with spaCy: rules, a catalog and a trained tagger on a blank English pipeline.

Importing this package registers kg's spaCy components (``kg_ner`` among them), so
``spacy.load("kg/data/ner")`` works after ``import kg``.
"""

from kg.extract import tagger as _tagger  # noqa: F401  (registers the kg_ner factory)
from kg.extract.pipeline import EXTRACTOR_VERSION, PaperExtraction, extract, load_nlp

__all__ = ["EXTRACTOR_VERSION", "PaperExtraction", "extract", "load_nlp"]
