"""Readers turn a source file into :class:`~kg.models.Paper` records, one format per module."""

from kg.readers.arxiv_atom import looks_like_arxiv_atom, read_arxiv_atom
from kg.readers.arxiv_snapshot import looks_like_arxiv_snapshot, read_arxiv_snapshot
from kg.readers.bibtex import looks_like_bibtex, read_bibtex
from kg.readers.daily_page import looks_like_daily_page, parse_daily_page
from kg.readers.hf_json import looks_like_hf_json, read_hf_json
from kg.readers.records import looks_like_records, parse_field_map, read_records

__all__ = [
    "looks_like_arxiv_atom",
    "looks_like_arxiv_snapshot",
    "looks_like_bibtex",
    "looks_like_daily_page",
    "looks_like_hf_json",
    "looks_like_records",
    "parse_daily_page",
    "parse_field_map",
    "read_arxiv_atom",
    "read_arxiv_snapshot",
    "read_bibtex",
    "read_hf_json",
    "read_records",
]
