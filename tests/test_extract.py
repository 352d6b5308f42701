"""The spaCy extractor: every rule on small texts, offsets, evidence, and hostile input."""

import time

import pytest

from kg.extract import extract
from kg.extract.pipeline import EXTRACTOR_VERSION
from kg.models import EntityType, Mention, Paper
from kg.readers.ids import paper_id


def paper(abstract: str, title: str = "A Study") -> Paper:
    return Paper(id=paper_id(title), title=title, abstract=abstract)


def mentions(nlp, abstract: str, title: str = "A Study") -> list[Mention]:  # type: ignore[no-untyped-def]
    (result,) = extract(nlp, [paper(abstract, title)])
    return result.mentions


def by_text(found: list[Mention]) -> dict[str, Mention]:
    return {m.text: m for m in found}


def test_pipeline_needs_no_downloaded_model(nlp) -> None:  # type: ignore[no-untyped-def]
    assert nlp.meta["name"] == "pipeline"  # spacy.blank("en"), not a packaged model
    assert nlp.pipe_names == [
        "kg_catalog",
        "kg_rules",
        "kg_resolve",
    ]
    assert EXTRACTOR_VERSION


def test_acronym_defined_after_its_long_form(nlp) -> None:  # type: ignore[no-untyped-def]
    text = "We train agents with Hierarchical Reward Shaping (HRS). HRS converges faster."
    found = mentions(nlp, text)
    texts = [m.text for m in found]
    assert texts == ["Hierarchical Reward Shaping", "HRS", "HRS"]
    assert {m.canonical for m in found} == {"Hierarchical Reward Shaping"}
    for m in found:
        assert text[m.start : m.end] == m.text
        assert m.section == "abstract"


def test_acronym_defined_before_its_long_form(nlp) -> None:  # type: ignore[no-untyped-def]
    text = "We propose ZORB (Zero-Order Residual Boosting), a method for tabular data."
    found = by_text(mentions(nlp, text))
    assert found["ZORB"].canonical == "Zero-Order Residual Boosting"
    assert found["ZORB"].proposed and found["ZORB"].type is EntityType.METHOD


def test_british_spelling_of_a_catalog_method_maps_to_its_canonical(nlp) -> None:  # type: ignore[no-untyped-def]
    found = mentions(
        nlp, "Agents trained with Proximal Policy Optimisation (PPO) and then PPO again."
    )
    assert {m.canonical for m in found} == {"Proximal Policy Optimization"}
    assert all(m.type is EntityType.METHOD for m in found)


def test_word_after_an_acronym_gives_its_type(nlp) -> None:  # type: ignore[no-untyped-def]
    text = "We evaluate on the Kitchen Object Retrieval Arena (KORA) benchmark and beat baselines."
    found = by_text(mentions(nlp, text))
    assert found["KORA"].type is EntityType.DATASET


def test_model_names_with_versions_and_sizes(nlp) -> None:  # type: ignore[no-untyped-def]
    text = "We fine-tune LLaMA-3-7B and Zephyr-Nano-1.5B on our data."
    found = by_text(mentions(nlp, text))
    assert found["LLaMA-3-7B"].type is EntityType.MODEL
    assert found["Zephyr-Nano-1.5B"].type is EntityType.MODEL


def test_context_cues(nlp) -> None:  # type: ignore[no-untyped-def]
    text = (
        "Results on the HoloScene benchmark and the Quill-QA dataset improve, "
        "unlike ZORB-style boosting."
    )
    found = by_text(mentions(nlp, text))
    # The mention covers the noun, as annotators mark it; the entity is the name.
    assert found["HoloScene benchmark"].type is EntityType.DATASET
    assert found["HoloScene benchmark"].canonical == "HoloScene"
    assert found["Quill-QA dataset"].canonical == "Quill-QA"
    assert found["Quill-QA dataset"].type is EntityType.DATASET
    assert "ZORB" in found


def test_proposed_entities_from_the_abstract_and_the_title(nlp) -> None:  # type: ignore[no-untyped-def]
    title = "FlexiNet: Elastic Networks for Everything"
    text = "We introduce FlexiNet, a framework for elastic inference. It beats BERT."
    found = mentions(nlp, text, title)
    flexi = [m for m in found if m.canonical == "FlexiNet"]
    assert {m.section for m in flexi} == {"title", "abstract"}
    assert all(m.proposed for m in flexi)
    assert flexi[0].type is EntityType.METHOD
    assert not any(m.proposed for m in found if m.canonical != "FlexiNet")


def test_organisations_from_the_catalog(nlp) -> None:  # type: ignore[no-untyped-def]
    found = by_text(mentions(nlp, "Models released by Amazon and Microsoft were compared."))
    assert found["Amazon"].type is EntityType.ORGANIZATION
    assert found["Microsoft"].type is EntityType.ORGANIZATION


def test_repository_and_project_urls(nlp) -> None:  # type: ignore[no-untyped-def]
    text = (
        "Code: https://github.com/owner/repo-name/tree/main/src. Data at "
        "huggingface.co/datasets/owner/data and a demo at https://example.org/demo/."
    )
    (result,) = extract(nlp, [paper(text)])
    urls = {(r.url, r.kind) for r in result.repositories}
    assert urls == {
        ("https://github.com/owner/repo-name", "code"),
        ("https://huggingface.co/datasets/owner/data", "dataset"),
        ("https://example.org/demo", "project"),
    }
    repo = next(r for r in result.repositories if r.kind == "code")
    assert text[repo.start : repo.end].startswith("https://github.com/owner/repo-name")


def test_title_and_abstract_offsets_and_evidence(nlp) -> None:  # type: ignore[no-untyped-def]
    title = "Scaling Soft Actor-Critic"
    text = "First sentence here. We study Soft Actor-Critic (SAC) at scale. SAC is strong."
    p = paper(text, title)
    (result,) = extract(nlp, [p])
    for m in result.mentions:
        source = p.title if m.section == "title" else p.abstract
        assert source[m.start : m.end] == m.text
        assert m.text in m.sentence
    titles = [m for m in result.mentions if m.section == "title"]
    assert titles and titles[0].sentence == title  # the title is its own sentence


def test_sample_page_finds_every_kind(nlp) -> None:  # type: ignore[no-untyped-def]
    from kg.readers.ingest import read_papers

    from .conftest import SAMPLE

    results = list(extract(nlp, read_papers(SAMPLE)))
    types = {m.type for r in results for m in r.mentions}
    assert {EntityType.METHOD, EntityType.DATASET, EntityType.MODEL, EntityType.TASK} <= types
    assert any(r.repositories for r in results)
    assert sum(m.proposed for r in results for m in r.mentions) >= 10
    rules = {m.rule for r in results for m in r.mentions}
    assert {"catalog", "acronym", "model", "cue"} <= rules


@pytest.mark.parametrize(
    "text",
    [
        "",
        " ",
        "((((((((((",
        "Die vorgeschlagene Methode (VM) übertrifft 基线方法 deutlich — très bien.",
        r"We minimise $\mathcal{L}(\theta) = \sum_i \|f(x_i) - y_i\|^2$ with \textbf{Adam}"
        r" \cite{kingma}.",
        "<p>We propose <b>XNet</b> (see <a href='https://github.com/a/b'>code</a>)</p><script>alert(1)</script>",
        "A" * 5000,
        "(" + "PPO " * 300 + ")",
    ],
)
@pytest.mark.parametrize("pipeline", ["nlp", "full_nlp"])
def test_hostile_text_does_not_crash(request, pipeline: str, text: str) -> None:  # type: ignore[no-untyped-def]
    (result,) = extract(request.getfixturevalue(pipeline), [paper(text)])
    for m in result.mentions:
        assert 0 <= m.start < m.end
        assert m.text == text[m.start : m.end] and m.text.strip() == m.text


@pytest.mark.parametrize("pipeline", ["nlp", "full_nlp"])
def test_huge_abstract_in_bounded_time(request, pipeline: str) -> None:  # type: ignore[no-untyped-def]
    nlp = request.getfixturevalue(pipeline)
    sentence = (
        "We apply Proximal Policy Optimization (PPO) to the ZetaGrid benchmark with LLaMA-3-8B. "
    )
    text = (sentence * 1200)[:100_000]
    started = time.perf_counter()
    (result,) = extract(nlp, [paper(text)])
    elapsed = time.perf_counter() - started
    assert len(result.mentions) > 1000
    assert elapsed < 15, f"100k-character abstract took {elapsed:.1f}s"


def test_worker_processes_give_the_same_result_as_one(full_nlp) -> None:  # type: ignore[no-untyped-def]
    from kg.extract.workers import extract_parallel
    from kg.readers.ingest import read_papers

    from .conftest import SAMPLE

    papers = list(read_papers(SAMPLE))
    one = list(extract(full_nlp, papers))
    two = list(extract_parallel(papers, workers=2, chunk_size=5))
    assert [e.paper.id for e in two] == [p.id for p in papers]
    assert [e.mentions for e in two] == [e.mentions for e in one]
    assert [e.repositories for e in two] == [e.repositories for e in one]


def test_a_papers_own_definition_beats_the_catalog_meaning(nlp) -> None:  # type: ignore[no-untyped-def]
    text = "We define the Pixel Prediction Objective (PPO). PPO improves sharpness."
    found = mentions(nlp, text)
    assert {m.canonical for m in found} == {"Pixel Prediction Objective"}


def test_catalog_includes_generated_lists() -> None:
    from kg.catalog import load_catalog

    catalog = load_catalog()
    assert len(catalog) > 10_000
    assert catalog.lookup("Stanford University") is not None
    entry = catalog.lookup("object detection")
    assert entry is not None and entry.type is EntityType.TASK


def test_full_pipeline_adds_the_trained_model_to_the_rules(full_nlp) -> None:  # type: ignore[no-untyped-def]
    from kg.extract.pipeline import NER_PATH

    if not NER_PATH.joinpath("meta.json").is_file():
        pytest.skip("no trained NER model shipped in kg/data/ner (run training/train.sh)")
    assert full_nlp.pipe_names[0] == "kg_ner"
    text = (
        "We present a robust estimation algorithm for dense stereo reconstruction, "
        "trained with Proximal Policy Optimization (PPO) on the HoloScene benchmark."
    )
    found = mentions(full_nlp, text)
    # The rules still decide what they know (the model may tag the same span) ...
    assert by_text(found)["PPO"].canonical == "Proximal Policy Optimization"
    assert any(m.text.startswith("HoloScene") and m.type is EntityType.DATASET for m in found)
    # ... and the model adds open-vocabulary phrases no rule knows.
    assert any(m.rule == "ner" for m in found)
    for m in found:
        assert text[m.start : m.end] == m.text


def test_acronyms_defined_in_words_and_with_notes_in_the_parenthesis() -> None:
    from kg.extract.acronyms import find_acronyms

    pairs = {
        (a.short, a.long)
        for a in find_acronyms(
            "Here BYO = bring your own. In this table BU stands for Binary Unigram. "
            "It uses an application programming interface (API; see the docs). "
            "TCP (the top concept popularity) is related to counts."
        )
    }
    assert pairs == {
        ("BYO", "bring your own"),
        ("BU", "Binary Unigram"),
        ("API", "application programming interface"),
        ("TCP", "top concept popularity"),
    }


def _combined(text: str, ents: list[tuple[str, str]], rules: list[tuple[str, EntityType, int]]):  # type: ignore[no-untyped-def]
    """Run the NER/rule combination on ``text`` with the given model and rule spans."""
    import spacy

    from kg.extract.pipeline import Candidate, _add_model_spans

    doc = spacy.blank("en")(text)
    spans = []
    for phrase, label in ents:
        start = text.index(phrase)
        span = doc.char_span(start, start + len(phrase), label=label)
        assert span is not None
        spans.append(span)
    doc.ents = spans
    chosen = [
        Candidate(text.index(name), text.index(name) + len(name), "catalog", type_, name, weight=w)
        for name, type_, w in rules
    ]
    return [(text[c.start : c.end], c.type, c.canonical) for c in _add_model_spans(doc, chosen)]


def test_the_models_span_replaces_the_rule_spans_it_overlaps() -> None:
    text = "An unsupervised word alignment component. Since UT Multiview dataset is small."
    found = _combined(
        text,
        [("unsupervised word alignment component", "METHOD"), ("UT Multiview dataset", "DATASET")],
        [("word alignment", EntityType.TASK, 3), ("Since UT Multiview", EntityType.DATASET, 2)],
    )
    # The model's boundaries and type; a contained name of another kind lends no canonical.
    assert found == [
        ("unsupervised word alignment component", EntityType.METHOD, None),
        ("UT Multiview dataset", EntityType.DATASET, None),
    ]


def test_the_model_keeps_a_rule_names_canonical_and_finer_type() -> None:
    text = "We train with the PPO algorithm and compare against GPT-4 on it."
    found = _combined(
        text,
        [("the PPO algorithm", "METHOD"), ("GPT-4", "METHOD")],
        [("PPO", EntityType.METHOD, 3), ("GPT-4", EntityType.MODEL, 2)],
    )
    assert found == [
        ("the PPO algorithm", EntityType.METHOD, "PPO"),
        ("GPT-4", EntityType.MODEL, "GPT-4"),
    ]


def test_rule_spans_the_model_missed_stay_only_with_an_evidenced_type() -> None:
    text = "Results on ImageNet with a digital signal processor and a recipe."
    found = _combined(
        text,
        [("recipe", "METHOD")],
        [("ImageNet", EntityType.DATASET, 3), ("digital signal processor", EntityType.METHOD, 1)],
    )
    assert [name for name, _, _ in found] == ["ImageNet", "recipe"]


def test_building_the_catalog_matcher_leaves_the_pipelines_vocab_alone() -> None:
    # Tokenised by the pipeline's own tokenizer, the catalog's 18k names made it 3x slower.
    from kg.catalog import load_catalog
    from kg.extract import load_nlp

    words = {w for e in load_catalog().entries for n in e.names for w in n.split()}
    fresh = load_nlp(ner=False)
    assert "Proximal" in words and "Proximal" not in fresh.vocab
    assert len(fresh.vocab) < len(words)
    found = mentions(fresh, "Agents trained with Proximal Policy Optimization beat DQN.")
    assert {m.canonical for m in found} == {"Proximal Policy Optimization", "Deep Q-Network"}


def test_new_words_get_every_lexical_attribute_the_tagger_and_catalog_read() -> None:
    # load_nlp leaves spaCy's other lexical getters (like_num, is_stop, ...) out (#17):
    # the attributes kg reads must still be spaCy's own, for words the vocab never saw.
    import spacy

    from kg.extract import load_nlp
    from kg.extract.features import _SPACY_ATTRS

    text = "Zqxlumo-7B beats ResNet-50 on ImageNet-1k\n\n(94.1%), see https://x.org/a ."
    ours = load_nlp(ner=False).make_doc(text)
    spacys = spacy.blank("en").make_doc(text)
    assert ours.to_array(_SPACY_ATTRS).tolist() == spacys.to_array(_SPACY_ATTRS).tolist()
    assert [t.norm_ for t in ours] == [t.norm_ for t in spacys]
    assert any(t.like_num for t in spacys) and not any(t.like_num for t in ours)
