"""Bare acronyms across a corpus: local first, corpus second, ambiguity explicit (#18)."""

import pytest

from kg.extract import PaperExtraction, extract
from kg.link import link
from kg.link.corpus import (
    AMBIGUOUS,
    DOMINANT_PAPERS,
    DOMINANT_SHARE,
    DOMINANT_SHORT_PAPERS,
    DOMINANT_USES,
    SHORT_ACRONYM,
    Meanings,
    dominant_meaning,
)
from kg.models import EntityType, Graph, Mention, Paper
from kg.readers.ids import paper_id


def papers(*abstracts: str) -> list[Paper]:
    return [
        Paper(id=paper_id(f"Paper {i}"), title=f"Paper {i}", abstract=a)
        for i, a in enumerate(abstracts)
    ]


def linked(graph: Graph, paper: Paper, surface: str) -> set[str]:
    """The canonical names of the entities ``surface`` in ``paper`` is linked to."""
    return {
        graph.entities[m.key].canonical
        for m in graph.mentions
        if m.paper_id == paper.id and surface in m.surfaces
    }


GROUND_TRUTH = "We compare each prediction with the ground truth (GT) labels."
GAME_THEORY = "We model the auction with game theory (GT). GT predicts the bids."


def test_a_dominant_meaning_links_bare_uses(nlp) -> None:  # type: ignore[no-untyped-def]
    # Five papers say ground truth, one game theory: 5/6 >= 0.8, ground truth dominates.
    corpus = papers(*[GROUND_TRUTH] * 5, GAME_THEORY, "Our masks are close to GT everywhere.")
    graph = link(extract(nlp, corpus))
    assert linked(graph, corpus[-1], "GT") == {"ground truth"}


def test_a_paper_s_own_definition_decides(nlp) -> None:  # type: ignore[no-untyped-def]
    # The corpus says ground truth; this paper defines GT as game theory in its abstract
    # and uses it bare in its title (which the extractor reads apart from the abstract).
    game = Paper(id=paper_id("Game"), title="GT for auctions", abstract=GAME_THEORY)
    graph = link(extract(nlp, [*papers(*[GROUND_TRUTH] * 5), game]))
    assert linked(graph, game, "GT") == {"game theory"}
    (use,) = [m for m in graph.mentions if m.paper_id == game.id and "GT" in m.surfaces]
    assert use.count == 4  # the title's GT, the definition (long and short form), the bare use


def test_no_dominant_meaning_makes_an_ambiguous_node(nlp) -> None:  # type: ignore[no-untyped-def]
    corpus = papers(*[GROUND_TRUTH] * 2, *[GAME_THEORY] * 2, "Unlike the GT-based baseline, ...")
    graph = link(extract(nlp, corpus))
    third = corpus[-1]
    (key,) = {m.key for m in graph.mentions if m.paper_id == third.id}
    entity = graph.entities[key]
    assert (entity.name, entity.kind) == ("GT", AMBIGUOUS)
    assert any(r.startswith("ambiguous acronym GT: no dominant meaning") for r in entity.formed)
    assert "game theory (2)" in " ".join(entity.formed)
    assert {m.kind for m in graph.mentions if m.key == key} == {AMBIGUOUS}
    # The meanings themselves stay named entities.
    kinds = {e.canonical: e.kind for e in graph.entities.values()}
    assert kinds["ground truth"] == kinds["game theory"] == "named"


def test_one_ada_initiative_never_names_the_papers_that_say_ai(nlp) -> None:  # type: ignore[no-untyped-def]
    """Bad input: one paper defines AI = Ada Initiative, hundreds of others say AI."""
    corpus = papers(
        "The Ada Initiative (AI) supports women in open source.",
        *[f"Safe AI systems need audits; study {i} shows how AI fails." for i in range(400)],
    )
    graph = link(extract(nlp, corpus))
    ada = [e for e in graph.entities.values() if e.canonical == "Ada Initiative"]
    assert len(ada) == 1
    assert {m.paper_id for m in graph.mentions if m.key == ada[0].key} == {corpus[0].id}


@pytest.mark.parametrize(
    ("defined", "bare", "meaning"),
    [
        ({"ground truth": 4, "game theory": 1}, 0, "ground truth"),  # 4/5 = DOMINANT_SHARE
        ({"ground truth": 3, "game theory": 1}, 0, None),  # 3/4 < DOMINANT_SHARE
        ({"ground truth": 3, "game theory": 2}, 0, None),  # 3/5 < DOMINANT_SHARE
        ({"Ada Initiative": 3}, 3 * DOMINANT_USES, "Ada Initiative"),
        ({"Ada Initiative": 3}, 3 * DOMINANT_USES + 1, None),  # too many bare uses per paper
        ({"Ada Initiative": 1}, 0, None),  # one paper's definition names no other paper
        ({"Ada Initiative": 1}, 5000, None),
        ({"ground truth": 10}, 10 * DOMINANT_USES, "ground truth"),
        ({"ground truth": 2}, 0, None),  # a short form of 2 letters: 3 papers needed
    ],
)
def test_dominance_rule(defined: dict[str, int], bare: int, meaning: str | None) -> None:
    # as docs/graph.md says
    assert (DOMINANT_SHARE, DOMINANT_USES) == (0.8, 20)
    assert (DOMINANT_PAPERS, DOMINANT_SHORT_PAPERS, SHORT_ACRONYM) == (2, 3, 3)
    count = iter(range(1000))
    papers_of = {long: {f"p{next(count)}" for _ in range(n)} for long, n in defined.items()}
    assert dominant_meaning(Meanings("GT", papers_of, {}, bare=bare)) == meaning


MELM = "We localise objects with a Min-Entropy Latent Model (MELM) trained on {}."
MELM_USE = "Our detector beats MELM on PASCAL VOC."


@pytest.mark.parametrize(("defining", "meaning"), [(1, set()), (2, {"Min-Entropy Latent Model"})])
def test_one_paper_s_definition_names_no_other_paper(nlp, defining, meaning) -> None:  # type: ignore[no-untyped-def]
    """LOO: MELM = Masked Entity Language Modeling in one paper was resolved to the
    Min-Entropy Latent Model another single paper defined; two papers defining it make it
    the corpus's meaning."""
    corpus = papers(*[MELM.format(f"data set {i}") for i in range(defining)], MELM_USE)
    graph = link(extract(nlp, corpus))
    assert linked(graph, corpus[-1], "MELM") & {"Min-Entropy Latent Model"} == meaning


HQ = "We restore high-quality (HQ) images from {} inputs."
HQ_USE = "Our quantizer keeps HQ codes small."


@pytest.mark.parametrize(("defining", "meaning"), [(2, set()), (3, {"high-quality"})])
def test_a_short_acronym_needs_three_papers(nlp, defining, meaning) -> None:  # type: ignore[no-untyped-def]
    """A short form of 2-3 letters has many meanings (HQ: high quality, hyperspherical
    quantization): two papers defining it are not enough for a bare use."""
    corpus = papers(*[HQ.format(f"kind {i}") for i in range(defining)], HQ_USE)
    graph = link(extract(nlp, corpus))
    assert linked(graph, corpus[-1], "HQ") & {"high-quality"} == meaning


def test_an_entity_is_named_by_the_acronym_most_papers_write(nlp) -> None:  # type: ignore[no-untyped-def]
    """One paper's ``Gaussian mixture model (GM)`` named the whole Gaussian Mixture Model
    entity GM (the shortest acronym), where its papers write GMM (the 51k top list)."""
    corpus = papers(
        *[f"We fit a Gaussian Mixture Model (GMM) to data set {i}. The GMM is fast." for i in "ab"],
        "We fit a Gaussian mixture model (GM) to the data.",
    )
    graph = link(extract(nlp, corpus))
    (entity,) = [e for e in graph.entities.values() if "GM" in (e.name, *e.aliases)]
    assert entity.canonical.casefold() == "gaussian mixture model"
    assert entity.name == "GMM" and "GM" in entity.aliases


def test_a_fragment_is_no_acronym_definition_at_link_time() -> None:
    """A long form that is no name (a title fragment, a line break) defines nothing."""
    (a, b) = papers("It: Investigating the limits.", "It works. It is fast.")
    fragment = Mention(
        a.id, "It", EntityType.METHOD, "Investigating the", 0, 2, "s", aliases=("It",)
    )
    broken = Mention(a.id, "XAI", EntityType.METHOD, "XAI\n\nExplainable AI", 4, 7, "s")
    article = Mention(b.id, "the Transformer", EntityType.METHOD, "the Transformer", 0, 5, "s")
    graph = link([PaperExtraction(a, [fragment, broken], []), PaperExtraction(b, [article], [])])
    # ``It`` is no name either (a function word): nothing is left of the definition.
    assert sorted(e.canonical for e in graph.entities.values()) == ["Transformer"]
    assert all("\n" not in n for e in graph.entities.values() for n in (e.name, *e.aliases))


def test_a_paper_s_own_definition_decides_for_any_mention_of_the_acronym(nlp) -> None:  # type: ignore[no-untyped-def]
    # A mention another component named by the bare acronym (the tagger's ``GT``) in the
    # defining paper is the paper's meaning too, not the corpus's and not an ambiguous node.
    corpus = papers(*[GROUND_TRUTH] * 2, *[GAME_THEORY] * 2)
    extractions = list(extract(nlp, corpus))
    game = corpus[-1]
    text = "GT predicts"
    start = game.abstract.index(text)
    tagged = Mention(game.id, "GT", EntityType.METHOD, "GT", start, start + 2, "s", rule="ner")
    last = extractions[-1]
    kept = [m for m in last.mentions if (m.start, m.end) != (start, start + 2)]
    extractions[-1] = PaperExtraction(last.paper, [*kept, tagged], last.repositories)
    graph = link(extractions)
    assert linked(graph, game, "GT") == {"game theory"}
    assert "gt" not in graph.entities


def test_a_link_is_only_a_repository(nlp) -> None:  # type: ignore[no-untyped-def]
    # ``Code: https://...`` made ``Code`` an alias of an entity named by the link, which
    # joined every paper saying "Code".
    corpus = papers(
        "We detect objects. Code: https://github.com/cod-e/detector.",
        "Code and data are released.",
    )
    graph = link(extract(nlp, corpus))
    names = [n for e in graph.entities.values() for n in (e.canonical, e.name, *e.aliases)]
    assert not [n for n in names if "github" in n or n == "Code"]
    assert [r.url for r in graph.repositories] == ["https://github.com/cod-e/detector"]
    hand = Mention(corpus[1].id, "Code", EntityType.METHOD, "github.com/cod-e/detector", 0, 4, "s")
    graph = link([PaperExtraction(corpus[1], [hand], [])])
    assert graph.entities == {}


def test_quotes_and_dashes_around_a_long_form_go() -> None:
    (a,) = papers('the "Human-Object Interaction (HOI) task')
    start = a.abstract.index('"Human')
    quoted = '"Human-Object Interaction'
    long = Mention(a.id, quoted, EntityType.TASK, quoted, start, start + 25, "s", aliases=("HOI",))
    graph = link([PaperExtraction(a, [long], [])])
    (entity,) = graph.entities.values()
    assert (entity.canonical, entity.aliases) == ("Human-Object Interaction", ("HOI",))
