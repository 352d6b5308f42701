"""Concept keys (#18): generic phrases reach the concept they name, and link their papers to it."""

from dataclasses import replace

import pytest

from kg.link.concepts import concept_key, concept_links
from kg.models import Entity, EntityType, Mention, PaperEntity
from kg.specificity import GENERIC_KEYS, is_specific


@pytest.mark.parametrize(
    "phrase",
    [
        "bimanual dexterous manipulation",
        "Bimanual Robotic Manipulation",
        "bimanual manipulations",
        "learning bimanual robotic manipulation",
        "bimanual manipulation for household tasks",
    ],
)
def test_phrases_of_bimanual_manipulation_reach_it(phrase: str) -> None:
    found = concept_key(phrase)
    assert found is not None and found.key == "bimanual manipulation"


def test_a_generic_head_goes_only_when_the_corpus_knows_the_rest() -> None:
    known = {"bimanual manipulation"}
    assert concept_key("bimanual manipulation policy", known=known).key == "bimanual manipulation"  # type: ignore[union-attr]
    assert concept_key("bimanual manipulation policy").key == "bimanual manipulation policy"  # type: ignore[union-attr]
    # Two words stay two words: a diffusion policy is no "diffusion".
    assert concept_key("diffusion policies", known={"diffusion"}).key == "diffusion policy"  # type: ignore[union-attr]


@pytest.mark.parametrize(
    ("phrase", "key"),
    [
        ("dense retrieval model", "dense retrieval model"),  # retrieval is a noun
        ("natural language processing", "natural language processing"),
        ("vision Transformer encoder", "vision transformer encoder"),  # a name stays
        ("multi-agent reinforcement learning", "multi agent reinforcement learning"),
        ("a novel contact-rich assembly", "contact rich assembly"),
        ("mathematical reasoning capabilities", "mathematical reasoning capability"),
        ("robotics foundation models", "robotics foundation model"),  # robotics is no plural
    ],
)
def test_words_that_carry_meaning_stay(phrase: str, key: str) -> None:
    assert concept_key(phrase).key == key  # type: ignore[union-attr]


@pytest.mark.parametrize(
    "phrase", ["learning", "accuracy", "of the model", "the robustness of LLMs"]
)
def test_one_word_is_no_concept_key(phrase: str) -> None:
    assert concept_key(phrase) is None


def test_x_based_reaches_x_and_says_so() -> None:
    found = concept_key("diffusion-based policies")
    assert found is not None and (found.key, found.style) == ("diffusion policy", "based")
    assert concept_key("diffusion policies").style == ""  # type: ignore[union-attr]


def entity(name: str, kind: str = "concept", type_: EntityType = EntityType.TASK) -> Entity:
    from kg.names import name_key

    return Entity(name_key(name), name, name, type_, (), kind=kind)


def link(paper: str, e: Entity, *surfaces: str) -> PaperEntity:
    return PaperEntity(
        paper, e.key, 1, f"{paper} uses {e.name}.", surfaces or (e.name,), "abstract", 0, 5,
        False, via=("ner",), kind=e.kind,
    )  # fmt: skip


def test_papers_reach_a_key_no_paper_names_when_two_do() -> None:
    dexterous = entity("bimanual dexterous manipulation")
    robotic = entity("Robotic Manipulation")  # the catalog's name for the second paper's phrase
    lone = entity("trimanual dexterous grasping")
    entities = {e.key: e for e in (dexterous, robotic, lone)}
    links = [
        link("p1", dexterous),
        link("p2", robotic, "bimanual robotic manipulation"),
        link("p3", lone),
    ]
    linked, changed = concept_links(entities, links, {})
    added = [x for x in linked if x.key == "bimanual manipulation"]
    assert [(x.paper_id, x.via, x.surfaces) for x in added] == [
        ("p1", ("concept",), ("bimanual dexterous manipulation",)),
        ("p2", ("concept",), ("bimanual robotic manipulation",)),
    ]
    key = changed["bimanual manipulation"]
    assert (key.kind, key.type) == ("concept", EntityType.TASK)
    assert key.formed == (
        "concept key of 2 phrase(s): "
        "bimanual dexterous manipulation, bimanual robotic manipulation",
    )
    # One paper reaching a key joins nothing: no node for "trimanual grasping".
    assert "trimanual grasping" not in changed and len(linked) == len(links) + 2


def test_a_key_the_corpus_names_takes_one_paper_and_generic_keys_none() -> None:
    named = entity("diffusion policy", kind="named", type_=EntityType.METHOD)
    phrase = entity("diffusion-based policies", type_=EntityType.METHOD)
    common = entity("large language models for reasoning")  # its key is a generic one
    org = entity("Robotic Manipulation Lab", type_=EntityType.ORGANIZATION)
    entities = {e.key: e for e in (named, phrase, common, org)}
    links = [link("p1", named), link("p2", phrase), link("p3", common), link("p4", org)]
    linked, changed = concept_links(entities, links, {})
    added = linked[len(links) :]
    assert [(x.paper_id, x.key, x.via) for x in added] == [
        ("p2", "diffusion policy", ("concept", "based"))
    ]
    assert "large language model" in GENERIC_KEYS and set(changed) == {"diffusion policy"}


def test_a_paper_that_names_an_entity_only_as_x_style_says_so() -> None:
    grpo = entity("GRPO", kind="named", type_=EntityType.METHOD)
    links = [link("p1", grpo), link("p2", grpo)]

    def mention(paper: str, cue: str) -> Mention:
        return Mention(paper, "GRPO", EntityType.METHOD, "GRPO", 0, 4, "s", rule="catalog", cue=cue)

    mentions = {grpo.key: [mention("p1", "style"), mention("p2", "style"), mention("p2", "")]}
    linked, _ = concept_links({grpo.key: grpo}, links, mentions)
    assert [x.via for x in linked] == [("ner", "style"), ("ner",)]


def test_specific_means_rare_enough_and_not_generic() -> None:
    assert is_specific("bimanual manipulation", 2, 12)
    assert not is_specific("bimanual manipulation", 1, 12)  # joins nothing
    assert not is_specific("accuracy", 2, 12) and not is_specific("llm", 2, 12)
    assert not is_specific("diffusion policy", 7, 600)  # more than 5, and more than 1%
    assert is_specific("diffusion policy", 400, 51_584) and not is_specific("x", 600, 51_584)
    assert not is_specific("mpi", 3, 100, kind="ambiguous")


def test_a_head_noun_the_entity_lacks_makes_no_concept_of_it() -> None:
    """``cross-lingual models`` in an entity keyed ``cross lingual`` is that entity."""
    short = entity("cross-lingual")
    policy = entity("bimanual manipulation policy", type_=EntityType.METHOD)
    key = entity("bimanual manipulation")
    entities = {e.key: e for e in (short, policy, key)}
    links = [
        link("p1", short, "cross-lingual models"),
        link("p2", short, "cross-lingual model"),
        link("p3", policy),
        link("p4", key),
    ]
    linked, changed = concept_links(entities, links, {})
    assert [(x.paper_id, x.key) for x in linked[len(links) :]] == [("p3", "bimanual manipulation")]
    assert set(changed) == {"bimanual manipulation"}


def test_a_name_and_a_generic_head_reach_the_named_entity_not_a_concept_of_their_own() -> None:
    """``Transformer models`` (181 papers), ``UDA methods`` and ``CNN methods`` were concept
    rows of their own among the 300 most-linked entities of the 51k build, next to the
    Transformer, UDA and CNN themselves."""
    transformer = entity("Transformer", kind="named", type_=EntityType.METHOD)
    # The 51k build's UDA: a concept, Domain Adaptation, with UDA among its names.
    uda = Entity("domain adaptation", "Domain Adaptation", "UDA", EntityType.METHOD, ("UDA",))
    uda = replace(uda, kind="concept")
    cnn = Entity(
        "convolutional neural network", "Convolutional Neural Network", "CNN",
        EntityType.METHOD, ("CNN", "CNNs"), kind="named",
    )  # fmt: skip
    cellular = Entity(  # one paper's CNN: the CNN methods are not its methods
        "cellular neural network", "Cellular Neural Network", "CNN", EntityType.METHOD,
        ("CNN",), kind="named",
    )  # fmt: skip
    based = entity("transformer-based models", type_=EntityType.METHOD)
    methods = entity("UDA methods", type_=EntityType.METHOD)
    cnn_methods = entity("CNN-based methods", type_=EntityType.METHOD)
    large = entity("large-scale transformer-based models", type_=EntityType.METHOD)
    neural = entity("Neural", kind="named", type_=EntityType.METHOD)
    networks = entity("Neural Networks", type_=EntityType.METHOD)
    entities = {
        e.key: e
        for e in (
            transformer,
            uda,
            cnn,
            cellular,
            based,
            methods,
            cnn_methods,
            large,
            neural,
            networks,
        )
    }
    links = [
        # "Transformer-based models have achieved state-of-the-art results ..."
        link("p1", based, "Transformer-based models"),
        link("p2", based, "transformer-based model"),
        # "A majority of unsupervised domain adaptation (UDA) methods ..."
        link("p3", methods, "UDA methods"),
        link("p4", methods, "UDA) methods"),
        *(link(p, transformer) for p in ("p5", "p14", "p15", "p16")),
        *(link(p, uda) for p in ("p20", "p21")),
        link("p6", large, "large-scale Transformer-based models"),  # the Transformer's key
        link("p13", large, "large-scale transformer-based models"),  # not written as its name
        link("p7", cnn_methods, "CNN-based methods"),
        *(link(p, cnn) for p in ("p8", "p9", "p10", "p11")),
        link("p12", cellular),
        # Neural, a name of 1 paper, is no name of the neural networks of 2.
        link("p17", neural),
        link("p18", networks),
        link("p19", networks),
    ]
    linked, changed = concept_links(entities, links, {})
    assert sorted(
        (x.paper_id, x.key, x.via)
        for x in linked
        if x.paper_id in {"p1", "p2", "p3", "p4", "p5", "p6", "p7", "p13", "p17", "p18"}
    ) == sorted(
        [
            ("p1", "transformer", ("ner", "concept", "based")),
            ("p2", "transformer", ("ner", "concept", "based")),
            ("p3", "domain adaptation", ("ner", "concept")),
            ("p4", "domain adaptation", ("ner", "concept")),
            ("p5", "transformer", ("ner",)),
            ("p6", "large scale transformer based model", ("ner",)),
            ("p6", "transformer", ("concept", "based")),
            ("p7", "convolutional neural network", ("ner", "concept", "based")),
            (
                "p13",
                "large scale transformer based model",
                ("ner",),
            ),  # no "Transformer models" either
            ("p17", "neural", ("ner",)),
            ("p18", "neural network", ("ner",)),
        ]
    )
    assert set(changed) == {"transformer", "domain adaptation", "convolutional neural network"}
    assert changed["transformer"].formed == (
        "head noun: transformer based model",
        "concept key of 1 phrase(s): large-scale Transformer-based models",
    )
    assert changed["domain adaptation"].formed == ("head noun: uda method",)


def test_a_key_modifier_in_ly_stays_in_the_key() -> None:
    """``Partially`` went from ``Partially Observable Markov Decision Process`` (60 papers
    reached ``Observable Markov Decision Process``): POMDP is no observable MDP."""
    for phrase in ("Partially Observable Markov Decision Process",
                   "partially observable Markov decision processes"):  # fmt: skip
        assert concept_key(phrase).key == "partially observable markov decision process"  # type: ignore[union-attr]
    assert concept_key("weakly supervised object localization").key == (  # type: ignore[union-attr]
        "weakly supervized object localization"
    )
    assert concept_key("fully convolutional networks").key == "fully convolutional network"  # type: ignore[union-attr]
    # An adverb that only grades an evaluative word goes with it.
    assert concept_key("highly efficient graph models").key == "graph model"  # type: ignore[union-attr]
    pomdp = entity("partially observable Markov decision process", type_=EntityType.METHOD)
    links = [
        link("p1", pomdp, "Partially Observable Markov Decision Processes"),
        link("p2", pomdp, "partially observable Markov decision processes"),
    ]
    linked, changed = concept_links({pomdp.key: pomdp}, links, {})
    assert linked == links and not changed  # no "observable markov decision process"
