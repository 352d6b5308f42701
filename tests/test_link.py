"""Linking mentions across a corpus into one entity per thing."""

from kg.extract import extract
from kg.ids import paper_id
from kg.link import link
from kg.models import EntityType, Paper


def papers(*abstracts: str) -> list[Paper]:
    return [
        Paper(id=paper_id(f"Paper {i}"), title=f"Paper {i}", abstract=a)
        for i, a in enumerate(abstracts)
    ]


def test_acronym_defined_in_one_paper_links_bare_uses_in_others(nlp) -> None:  # type: ignore[no-untyped-def]
    graph = link(
        extract(
            nlp,
            papers(
                "We propose Gradient Echo Sampling (GES) for fast training.",
                "Unlike GES, our sampler needs no warm-up.",
            ),
        )
    )
    ges = [e for e in graph.entities.values() if "GES" in (e.name, *e.aliases)]
    assert len(ges) == 1
    entity = ges[0]
    assert entity.canonical == "Gradient Echo Sampling" and entity.name == "GES"
    assert {m.paper_id for m in graph.mentions if m.key == entity.key} == {
        p.id for p in graph.papers
    }


def test_spellings_of_one_method_are_one_entity(nlp) -> None:  # type: ignore[no-untyped-def]
    graph = link(
        extract(
            nlp,
            papers(
                "We fine-tune with Proximal Policy Optimisation.",
                "Proximal policy optimization (PPO) is the baseline.",
                "PPO is unstable here.",
            ),
        )
    )
    ppo = [e for e in graph.entities.values() if e.canonical == "Proximal Policy Optimization"]
    assert len(ppo) == 1
    assert ppo[0].type is EntityType.METHOD and "PPO" in ppo[0].aliases
    assert len([m for m in graph.mentions if m.key == ppo[0].key]) == 3


def test_mention_links_carry_count_and_evidence(sample_graph) -> None:  # type: ignore[no-untyped-def]
    ttt = next(e for e in sample_graph.entities.values() if e.name == "TTT")
    (edge,) = [m for m in sample_graph.mentions if m.key == ttt.key]
    assert edge.count >= 5
    assert edge.evidence.startswith("Test-time training (TTT)")
    assert "Test-time training" in edge.surfaces and "TTT" in edge.surfaces


def test_page_organisations_become_affiliations(sample_graph) -> None:  # type: ignore[no-untyped-def]
    assert len(sample_graph.affiliations) == 5
    orgs = {sample_graph.entities[key].name for _, key in sample_graph.affiliations}
    assert "Meta Llama" in orgs
    assert all(
        sample_graph.entities[key].type is EntityType.ORGANIZATION
        for _, key in sample_graph.affiliations
    )


MPI_DEFINITIONS = (
    "We scale training with the Message Passing Interface (MPI) across nodes. MPI is fast.",
    "Model Predictive Inference (MPI) plans ahead. We show MPI beats search.",
)


def test_acronym_with_two_long_forms_stays_two_entities(nlp) -> None:  # type: ignore[no-untyped-def]
    # A bare MPI in a third paper could be either: it is linked to neither (#5).
    graph = link(extract(nlp, papers(*MPI_DEFINITIONS, "Our solver runs MPI on eight GPUs.")))
    first, second, third = (p.id for p in graph.papers)
    assert sorted((e.key, e.canonical, e.name, e.aliases) for e in graph.entities.values()) == [
        ("message passing interface", "Message Passing Interface", "MPI", ("MPI",)),
        ("model predictive inference", "Model Predictive Inference", "MPI", ("MPI",)),
    ]
    assert sorted((m.paper_id, m.key, m.count) for m in graph.mentions) == sorted(
        [(first, "message passing interface", 3), (second, "model predictive inference", 3)]
    )
    assert third not in {m.paper_id for m in graph.mentions}


def test_ambiguous_acronym_named_by_a_rule_is_its_own_entity(nlp) -> None:  # type: ignore[no-untyped-def]
    graph = link(extract(nlp, papers(*MPI_DEFINITIONS, "Unlike the MPI-based baseline, ...")))
    third = graph.papers[2].id
    assert [(m.key, m.surfaces) for m in graph.mentions if m.paper_id == third] == [
        ("mpi", ("MPI",))
    ]
    assert graph.entities["mpi"].aliases == ()
    assert {e.key for e in graph.entities.values()} == {
        "message passing interface",
        "model predictive inference",
        "mpi",
    }
