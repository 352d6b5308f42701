"""Entity extraction with spaCy: rules and a catalog on a blank English pipeline."""

from kg.extract.pipeline import EXTRACTOR_VERSION, PaperExtraction, extract, load_nlp

__all__ = ["EXTRACTOR_VERSION", "PaperExtraction", "extract", "load_nlp"]
