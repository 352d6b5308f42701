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


GARF = (
    "Gaussian Activated Neural Radiance Fields for High Fidelity Reconstruction & Pose Estimation",
    "Despite Neural Radiance Fields (NeRF) showing compelling results in photorealistic novel "
    "views synthesis of real-world scenes, most existing approaches require accurate prior "
    "camera poses. We present Gaussian Activated Neural Radiance Fields (GARF), a new "
    "positional embedding-free neural radiance field architecture -- employing Gaussian "
    "activations -- that is competitive with the current state-of-the-art.",
)
LENS = (
    "LENS: Localization enhanced by NeRF synthesis",
    "Neural Radiance Fields (NeRF) have recently demonstrated photorealistic results for the "
    "task of novel view synthesis. We demonstrate improvement of camera pose regression thanks "
    "to an additional synthetic dataset rendered by the NeRF class of algorithm.",
)
FALD = (
    "Federated Averaging Langevin Dynamics: Toward a unified theory and new algorithms",
    "Recently, Federated Averaging Langevin Dynamics (FALD) was introduced, which extends the "
    "Federated Averaging algorithm to Bayesian inference. We obtain a novel tight "
    "non-asymptotic upper bound on the Wasserstein distance to the global posterior for FALD.",
)
FEDAVG = (
    "Sharp Bounds for Federated Averaging (Local SGD) and Continuous Perspective",
    "Federated Averaging (FedAvg), also known as Local SGD, is one of the most popular "
    "algorithms in Federated Learning (FL). Despite its simplicity and popularity, the "
    "convergence rate of FedAvg has thus far been undetermined.",
)


def test_one_papers_variant_of_a_catalog_name_is_its_own_entity(full_nlp) -> None:  # type: ignore[no-untyped-def]
    """``NeRF`` was displayed ``GARF`` (104 papers) and ``FedAvg`` ``FALD`` (29): the
    extractor gave ``Gaussian Activated Neural Radiance Fields (GARF)`` the catalog name
    inside it, so one paper's variant joined the well-known entity and named it."""
    from kg.extract import extract
    from kg.link import link

    papers = [Paper(id=paper_id(t), title=t, abstract=a) for t, a in (GARF, LENS, FALD, FEDAVG)]
    graph = link(extract(full_nlp, papers))
    names = {e.key: e for e in graph.entities.values()}
    nerf, fedavg = names["neural radiance field"], names["federated averaging"]
    assert (nerf.name, fedavg.name) == ("NeRF", "FedAvg")
    assert "GARF" not in nerf.aliases and "FALD" not in fedavg.aliases
    garf = names["gaussian activated neural radiance field"]
    assert (garf.name, garf.aliases) == ("GARF", ("GARF",))
    assert names["federated averaging langevin dynamic"].name == "FALD"
    papers_of = {(m.paper_id, m.key) for m in graph.mentions}
    # The FALD paper still names Federated Averaging ("the Federated Averaging algorithm").
    assert (paper_id(FALD[0]), "federated averaging") in papers_of


def test_the_short_form_most_papers_write_names_the_entity() -> None:
    """A short form one paper writes often (its own variant's acronym) never names an
    entity other papers write with another short form, capitals and lower case (NeRF)."""
    from kg.extract import PaperExtraction
    from kg.link import link

    def said(title: str, text: str, short: str, times: int) -> PaperExtraction:
        paper = Paper(id=paper_id(title), title=title, abstract=text)
        found = [
            Mention(paper.id, short, METHOD, "Neural Radiance Fields", 0, len(short), text,
                    section="abstract", rule="acronym", aliases=(short,))
            for _ in range(times)
        ]  # fmt: skip
        return PaperExtraction(paper, found, [])

    graph = link(
        [
            said(GARF[0], GARF[1], "GARF", 5),
            said(LENS[0], LENS[1], "NeRF", 1),
            said(
                "3D Neural Scene Representations for Visuomotor Control",
                "We learn models of dynamic 3D scenes with Neural Radiance Fields (NeRF).",
                "NeRF",
                1,
            ),
        ]
    )
    (nerf,) = [e for e in graph.entities.values() if e.key == "neural radiance field"]
    assert nerf.name == "NeRF"
    # Nor a short form that does not spell the canonical name, however many papers write it
    # (the Siamese Network was shown RASNet).
    from kg.link.corpus import _entity

    def one(paper: str, short: str) -> Mention:
        return Mention(
            paper, short, METHOD, "Neural Radiance Fields", 0, 4, GARF[1], aliases=(short,)
        )

    group = [one("a", "GARF"), one("b", "GARF"), one("c", "GARF"), one("d", "NeRF")]
    assert _entity("neural radiance field", group, {}).name == "NeRF"


def test_software_libraries_are_methods_not_models(full_nlp) -> None:  # type: ignore[no-untyped-def]
    """``TensorFlow`` (26 papers) and ``PyTorch`` (25) were Models, by the tagger's type."""
    found = mentions(
        full_nlp,
        "We show that this can efficiently be achieved by equipping an automatic "
        "differentiation framework, such as TensorFlow or PyTorch, with some linear algebra "
        "operators dedicated to banded matrices. LightSeq supports models trained using "
        "PyTorch and Tensorflow.",
    )
    types = {(m.text, m.canonical, m.type) for m in found}
    assert {("TensorFlow", "TensorFlow", METHOD), ("PyTorch", "PyTorch", METHOD)} <= types
    assert ("Tensorflow", "TensorFlow", METHOD) in types


def test_a_one_word_organisation_before_a_capitalised_name_is_a_modifier(full_nlp) -> None:  # type: ignore[no-untyped-def]
    """``Meta`` (34 papers) held the ``Meta`` of title-case names: ``Meta Knowledge-Driven``,
    ``Meta Test-Time Training (MT3)``, ``Meta Normalization``."""
    from kg.extract import extract
    from kg.link import link

    papers = [
        Paper(
            id=paper_id(title), title=title, abstract=abstract
        )
        for title, abstract in (
            ("LEA: Meta Knowledge-Driven Self-Attentive Document Embedding for Few-Shot Text "
             "Classification", "Text classification has achieved great success in many tasks."),
            ("Test-Time Adaptation", "The proposed method Meta Test-Time Training (MT3), "
             "however, is evaluated on CIFAR-10."),
            ("CoNTACT: A Dutch COVID-19 Adapted BERT for Vaccine Hesitancy",
             "For both tasks, not only Twitter but also Facebook data was used. We thank Meta "
             "for the compute."),
        )
    ]  # fmt: skip
    graph = link(extract(full_nlp, papers))
    meta = [m for m in graph.mentions if m.key == "meta"]
    assert {m.paper_id for m in meta} == {papers[2].id}  # Facebook and "thank Meta"
    assert set(meta[0].surfaces) == {"Facebook", "Meta"}


def test_entities_a_short_form_names_show_it_only_when_dominant(nlp) -> None:  # type: ignore[no-untyped-def]
    """``SN`` (92 papers) was the name of the social network, the Siamese network and the
    segmentation network; ``MAP`` of mean average precision and maximum a posteriori."""
    from kg.extract import extract
    from kg.link import link

    sfm = [
        "Feature correspondences are obtained using structure from motion (SfM) computation on "
        "Internet photo collections which serve as the training data.",
        "Videos consisting of thousands of high resolution frames are challenging for existing "
        "structure from motion (SfM) and simultaneous-localization and mapping techniques.",
        "This is problematic when it comes to their reconstruction through Structure from "
        "Motion (SfM).",
        "We also demonstrate that when using R5Pup solver in structure from motion (SfM) "
        "pipelines, it is better to transform already reconstructed scenes.",
        "MfS is related to Structure from Motion (SfM) and motion segmentation problems.",
    ]
    others = [
        "However, in large-scale applications, solving Submodular Function Minimization (SFM) "
        "problems remains challenging.",
        "This paper proposes a generative approach based on the Stacked Adversarial Network "
        "(SAN) and the advantage of Siamese Network (SN) for ZS-SBIR.",
        "SSNet consists of a segmentation network (SN) and a saliency aggregation module.",
    ]
    papers = [
        Paper(id=paper_id(f"Paper {i}"), title=f"Paper {i}", abstract=text)
        for i, text in enumerate(sfm + others)
    ]
    graph = link(extract(nlp, papers))
    names = {e.key: e.name for e in graph.entities.values()}
    assert names["structure from motion"] == "SfM"  # 5 of the 6 papers that say SfM/SFM
    assert names["submodular function minimization"] == "Submodular Function Minimization"
    assert names["siamese network"] == "Siamese Network"
    assert names["segmentation network"] == "segmentation network"
