"""What the most-linked entities of a 51k build got wrong, on the corpus's own text (#17, #18).

The sentences are from abstracts and titles of the conference corpus in
``../shared/data/corpus/paperlists`` (public paper lists, not an evaluation set); each rule
they check is general, none names an entity of an evaluation set.
"""

import pytest

from kg.extract import extract
from kg.extract.kinds import CONCEPT, NAMED, mention_kind
from kg.models import EntityType, Mention, Paper
from kg.readers.ids import paper_id

METHOD, DATASET = EntityType.METHOD, EntityType.DATASET


def mentions(nlp, abstract: str, title: str = "A Study") -> list[Mention]:  # type: ignore[no-untyped-def]
    (result,) = extract(nlp, [Paper(id=paper_id(title), title=title, abstract=abstract)])
    return result.mentions


def test_a_catalog_name_is_not_one_part_of_a_hyphenated_word(nlp) -> None:  # type: ignore[no-untyped-def]
    """``Meta`` (the organisation) matched the ``Meta`` of ``Meta-learning`` in 168 papers."""
    found = mentions(
        nlp,
        "We propose a novel Meta-Auxiliary learning approach that combines Meta-learning and "
        "self-supervised Masked Autoencoder(MAE). Unlike non-Meta baselines, it runs on "
        "Meta AI's models. We use a BERT-style encoder, BERT-large and GPT-4.",
        title="Efficient Riemannian Meta-Optimization by Implicit Differentiation",
    )
    canonical = {(m.text, m.canonical) for m in found}
    assert not {c for c in canonical if c[0] == "Meta"}  # no part of a hyphenated word
    assert ("Meta AI", "Meta") in canonical  # the organisation, named
    # A hyphen part that modifies the name or gives its size or version keeps it.
    assert {("BERT", "BERT"), ("GPT-4", "GPT-4")} <= canonical
    assert any(m.canonical == "BERT" and m.text.startswith("BERT") for m in found)


def test_classic_vision_methods_are_methods(full_nlp) -> None:  # type: ignore[no-untyped-def]
    """SIFT and RANSAC were Models (the tagger's type) in 80 and 65 papers."""
    found = mentions(
        full_nlp,
        "For image classification, we propose new descriptors that perform similar to SIFT on "
        "Caltech101 and PASCAL VOC07. Our formulation can be efficiently implemented within "
        "RANSAC for robust estimation.",
    )
    types = {m.text: (m.type, m.canonical) for m in found}
    assert types["SIFT"] == (METHOD, "Scale-Invariant Feature Transform")
    assert types["RANSAC"] == (METHOD, "Random Sample Consensus")


def test_a_causal_model_is_a_method_and_mechanical_turk_an_organization(full_nlp) -> None:  # type: ignore[no-untyped-def]
    """``SCM`` was a Model (37 papers), ``Amazon Mechanical Turk`` a Method (26)."""
    found = mentions(
        full_nlp,
        "Differentiable DAG learning transforms the combinatorial problem of identifying the "
        "DAG underlying a Structural Causal Model (SCM) into a constrained continuous "
        "optimization problem. To study this problem, we propose a new image dataset "
        "annotated by Amazon Mechanical Turk.",
    )
    types = {m.text: m.type for m in found}
    assert types["SCM"] is METHOD
    assert types["Amazon Mechanical Turk"] is EntityType.ORGANIZATION


def test_sensors_quantities_and_common_nouns_are_concepts(full_nlp) -> None:  # type: ignore[no-untyped-def]
    """``LiDAR`` (159 papers, a Model by its shape), ``6-DoF``, ``fMRI`` and ``the Internet``
    (a Dataset) were named entities among the most linked."""
    found = mentions(
        full_nlp,
        "Voxel and point representations are widely applied in recent 3D object detection "
        "tasks from LiDAR point clouds. Second, we collect and annotate a new challenging "
        "dataset of real-world instruction videos from the Internet. We estimate 6-DoF poses.",
    )
    kinds = {m.text: m.kind for m in found}
    assert kinds["LiDAR"] == CONCEPT
    assert kinds["Internet"] == CONCEPT
    assert kinds["6-DoF"] == CONCEPT


@pytest.mark.parametrize(
    ("text", "kwargs", "kind"),
    [
        ("LiDAR", {"rule": "shape"}, CONCEPT),
        ("LiDARs", {"rule": "ner"}, CONCEPT),
        ("7-DoF", {"rule": "shape"}, CONCEPT),
        ("IMU", {"rule": "acronym", "aliases": ["IMU"]}, CONCEPT),
        (
            "functional magnetic resonance imaging",
            {"rule": "acronym", "aliases": ["fMRI"]},
            CONCEPT,
        ),
        ("Electronic Health Records", {"rule": "acronym", "aliases": ["EHR"]}, CONCEPT),
        ("Internet", {"rule": "ner", "sentence": "Images from the Internet."}, CONCEPT),
        ("low-resolution", {"rule": "acronym", "aliases": ["LR"]}, CONCEPT),
        ("field of view", {"rule": "acronym", "aliases": ["FOV"]}, CONCEPT),
        ("natural language", {"rule": "acronym", "aliases": ["NL"]}, CONCEPT),
        ("automated machine learning", {"rule": "acronym", "aliases": ["AutoML"]}, CONCEPT),
        # Still names: an acronym with a count that is no quantity, a sensor's dataset.
        ("LiDAR-MOS", {"rule": "shape"}, NAMED),
        ("3DGS", {"rule": "shape"}, NAMED),
    ],
)
def test_generic_acronyms_of_sensors_and_quantities(
    text: str, kwargs: dict[str, object], kind: str
) -> None:
    assert mention_kind(text, **kwargs) == kind  # type: ignore[arg-type]


def test_a_version_before_a_generic_head_stays_in_the_name(full_nlp) -> None:  # type: ignore[no-untyped-def]
    """``CASIA NIR-VIS v2.0 benchmark`` gave ``CASIA NIR-VIS``: the version went with the head."""
    found = mentions(
        full_nlp,
        "We report results on the CASIA NIR-VIS v2.0 benchmark, without the need at all to "
        "re-train the recognition system.",
    )
    assert ("CASIA NIR-VIS v2.0", DATASET) in {(m.text, m.type) for m in found}


def test_a_dimension_or_a_letter_before_a_metric_word_is_no_dataset(full_nlp) -> None:  # type: ignore[no-untyped-def]
    """Cutting ``accuracy``/``score`` off a span made ``3D`` and ``F`` datasets."""
    found = mentions(
        full_nlp,
        "Our model outperforms previous approaches both on 2D and 3D errors. "
        "It reaches a higher F score and 3D accuracy than the baselines.",
    )
    texts = {m.text for m in found if m.type is DATASET}
    assert not texts & {"3D", "F", "2D"}


def test_a_version_range_after_a_slash_stays_in_the_name() -> None:
    """``Youtube-VIS-19/21`` and ``SogouT-08/12``-like names were cut at the slash."""
    from kg.extract.named import find_named

    text = (
        "Extensive experiments have been conducted on popular VIS datasets, i.e. Youtube-VIS-19/21."
    )
    names = [text[n.start : n.end] for n in find_named(text)]
    assert "Youtube-VIS-19/21" in names
    assert "Youtube-VIS-19" not in names


def test_datasets_i_e_names_datasets() -> None:
    """``four widely used datasets, i.e. N-UCLA, ...``: the names after ``i.e.`` are datasets."""
    from kg.extract.named import find_named

    text = (
        "Extensive experiments are conducted on four widely used datasets, i.e. N-UCLA, SBU, "
        "NTU RGB+D and NTU RGB+D 120 to verify the effectiveness of Ta-CNN."
    )
    found = {text[n.start : n.end]: (n.type, n.cue) for n in find_named(text)}
    assert found["N-UCLA"] == (DATASET, "datasets")


def test_a_name_with_a_data_set_head_is_named(full_nlp) -> None:  # type: ignore[no-untyped-def]
    """``the MNIST data set`` was a concept (``data`` read as a lowercase word), ``the MNIST
    dataset`` named."""
    found = mentions(full_nlp, "On the LeNet-5 model for the MNIST data set, we achieve 71.")
    kinds = {m.text: m.kind for m in found}
    assert kinds["MNIST data set"] == NAMED
    assert mention_kind("TREC and DBLP data sets") == NAMED
    assert mention_kind("big data sets") == CONCEPT
