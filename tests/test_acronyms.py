"""Acronym definitions: the forms kg/extract/acronyms.py reads (#5)."""

from kg.extract.acronyms import find_acronyms


def pairs(text: str) -> list[tuple[str, str]]:
    return [(a.short, a.long) for a in find_acronyms(text)]


def test_a_plural_short_form_matches_without_its_s() -> None:
    assert pairs("Reasoning with Long Chains of Thought (CoTs) is slow.") == [
        ("CoTs", "Chains of Thought")
    ]


def test_words_the_short_form_skips_end_the_long_form() -> None:
    assert pairs("We stack gated recurrent unit networks (GRU) on top.") == [
        ("GRU", "gated recurrent unit")
    ]
    # ... unless the shorter long form no longer spells the short form.
    assert pairs("Multimodal LLMs (MLLMs) see images.") == [("MLLMs", "Multimodal LLMs")]


def test_a_head_noun_said_twice_is_left_out() -> None:
    text = "It adds a Sparse Token Router module (STR module) to each layer."
    (acronym,) = find_acronyms(text)
    assert (acronym.short, acronym.long) == ("STR", "Sparse Token Router")
    assert text[acronym.short_start : acronym.short_end] == "STR"


def test_a_colon_defines_a_title_acronym() -> None:
    assert pairs("GES: Gradient Echo Sampling for Fast Training") == [
        ("GES", "Gradient Echo Sampling")
    ]
    # Not every colon: the words after it must spell the short form.
    assert pairs("Results: we beat GES by far.") == []
