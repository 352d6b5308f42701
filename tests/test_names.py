"""Every path treats a plural acronym the same way: one rule, in kg.names (#15)."""

import pytest

from kg.catalog import Catalog, CatalogEntry
from kg.extract.acronyms import find_acronyms, match_long_form
from kg.extract.sentences import sentence_around
from kg.link.definitions import restore_definitions
from kg.models import EntityType, Paper
from kg.names import is_name, name_key, singular_acronym

# (plural as written, its singular: None when it is not a plural)
CASES = [("CoTs", "CoT"), ("LMs", "LM"), ("LLMs", "LLM"), ("SIMS", None)]
LONG = {"CoT": "Chain of Thought", "LM": "Language Model", "LLM": "Large Language Model"}


@pytest.mark.parametrize(("word", "singular"), CASES)
def test_name_key_and_singular_agree(word: str, singular: str | None) -> None:
    assert singular_acronym(word) == (singular or word)
    assert (name_key(word) == name_key(word[:-1])) is (singular is not None)


@pytest.mark.parametrize(("word", "singular"), CASES)
def test_catalog_lookup(word: str, singular: str | None) -> None:
    entry = CatalogEntry(word[:-1], EntityType.METHOD)
    assert (Catalog([entry]).lookup(word) is entry) is (singular is not None)


@pytest.mark.parametrize(("word", "singular"), [c for c in CASES if c[1]])
def test_extractor_and_definitions_use_the_singular(word: str, singular: str) -> None:
    long = LONG[singular] + "s"
    text = f"We study {long} ({word}) here."
    [acronym] = find_acronyms(text)
    assert (acronym.short, acronym.long) == (word, long)
    assert match_long_form(word, long.split()) == 0
    paper = Paper("p", "Title", text)
    mentions = restore_definitions([paper], [], Catalog([]))
    assert sorted((m.text, m.canonical, m.aliases) for m in mentions) == sorted(
        [(long, LONG[singular], (singular,)), (word, LONG[singular], (singular,))]
    )


def test_linker_and_extractor_cut_the_same_sentence() -> None:
    text = (
        "We follow Schulman et al. 2017 and use Proximal Policy Optimization (PPO) on Atari. "
        "It works."
    )
    paper = Paper("p", "Title", text)
    [long, short] = sorted(restore_definitions([paper], [], Catalog([])), key=lambda m: m.start)
    whole = text[: text.index(" It works.")]
    assert long.sentence == short.sentence == sentence_around(text, 0) == whole


@pytest.mark.parametrize(
    "name",
    [
        "Investigating the",  # ends with a function word
        "and Structure Prediction",  # starts with one
        "On",
        "It",
        "-shot",  # starts with punctuation
        "(cid:173) Maximization",
        "Existence and High Dimensional Consistency\n\nThis paper considers",  # a line break
        "Set-to-Sequence Neural Networks for Permutation Learning and Structure Prediction Now",
        "https://huggingface.co/spaces/uhhlt/CompUGE-Bench",  # a link: a Repository node
        "github.com/owner/repo",
        "www.example.org",
    ],
)
def test_what_is_no_name(name: str) -> None:
    assert not is_name(name)


@pytest.mark.parametrize(
    "name",
    [
        "PPO",
        "Proximal Policy Optimization",
        "3DGS",
        "$k$-means",
        "Chain-of-Thought",
        "A* search",
        "Node.js",
        "GPT-4o",
        "AT",  # all capitals: Adversarial Training, not the word ``at``
        "OF",
        "Flow OR",
    ],
)
def test_names_are_names(name: str) -> None:
    assert is_name(name)
