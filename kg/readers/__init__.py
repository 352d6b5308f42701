"""Readers turn a source file into :class:`~kg.models.Paper` records, one format per module."""

from kg.readers.daily_page import looks_like_daily_page, parse_daily_page

__all__ = ["looks_like_daily_page", "parse_daily_page"]
