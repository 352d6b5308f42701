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


# Only real acronyms become acronyms (#18). Each case below was an acronym definition
# before the rules it names; the comments say what it gave.


def test_a_word_in_title_case_is_no_short_form() -> None:
    # It = Investigating the, On = Overcoming Noisy, Data = Distillation across, ...
    for text in (
        "It: Investigating the Limits of Transformers",
        "On: Overcoming Noisy labels",
        "One: Optimal Nets for Everything",
        "Data: Distillation across tasks",
        "All: A lightweight learner",
        "Most: Multi-objective search tool",
        "Here (Hierarchical Embedding Reasoning Engine) works.",
        "Set Interdependence Transformer: Set-to-Sequence Neural Networks for Permutation",
    ):
        assert pairs(text) == [], text
    # An all-capitals or mixed-case short form still is one.
    assert pairs("Investigating Transformers (IT) is hard.") == [
        ("IT", "Investigating Transformers")
    ]
    assert pairs("a diffusion transformer (DiT) denoises") == [("DiT", "diffusion transformer")]


def test_a_link_is_no_long_form() -> None:
    # Code = https://github.com/cod-e/detector: Code became an alias of a repository.
    assert pairs("Code: https://github.com/cod-e/detector.") == []
    assert pairs("Code: https://www.code.org/open-dense-encoder") == []
    assert pairs("CODE: https://www.code.org/open-dense-encoder") == []


def test_a_long_form_never_ends_or_starts_on_a_function_word() -> None:
    assert pairs("a learning of the (LOT) test") == []  # LOT = learning of the
    assert pairs("the ordinary equation of differential equation (ODE) is") == []


def test_a_long_form_never_crosses_a_line_break() -> None:
    # XAI = "XAI\n\nExplainable Artificial Intelligence": a title, then the abstract.
    assert pairs("XAI\n\nExplainable Artificial Intelligence (XAI) matters.") == []
    assert pairs("Graph Methods\nNeural Networks (GMNN) are used.") == []
    assert pairs("A Title\nNeural Networks (NN) are used.") == [("NN", "Neural Networks")]


def test_the_capitals_must_start_words_of_the_long_form() -> None:
    # Letters found inside words are no definition: ImageNet = image generation on
    # ILSVRC2012, WordNet = word images and concepts mined from a lexical database.
    assert pairs("image generation on ILSVRC2012 (ImageNet)") == []
    assert pairs("WordNet (word images and concepts mined from a lexical database) is") == []
    assert pairs("the challenging 3D driving simulator (CARLA)") == []
    assert pairs("BiLingual Evaluation Understudy (BLEU) scores") == [
        ("BLEU", "BiLingual Evaluation Understudy")
    ]
    assert pairs("Federated Averaging (FedAvg) is used") == [("FedAvg", "Federated Averaging")]
