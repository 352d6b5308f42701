"""Names found by their shape, spans without generic heads, Model vs Method, proposals (#17).

The sentences are written for these tests; none comes from an evaluation set.
"""

import json
import subprocess
import sys
from pathlib import Path

import pytest
import spacy

from kg.extract import extract
from kg.extract.named import context_type, find_named, form_type, name_parts, name_shape
from kg.extract.pipeline import Candidate, _add_model_spans
from kg.extract.proposals import find_proposals, says_proposed
from kg.link import link
from kg.models import EntityType, Mention, Paper
from kg.readers.ids import paper_id

MODEL, METHOD, DATASET = EntityType.MODEL, EntityType.METHOD, EntityType.DATASET


def mentions(nlp, abstract: str, title: str = "A Study") -> list[Mention]:  # type: ignore[no-untyped-def]
    (result,) = extract(nlp, [Paper(id=paper_id(title), title=title, abstract=abstract)])
    return result.mentions


def typed(found: list[Mention]) -> dict[str, EntityType]:
    return {m.text: m.type for m in found}


def combined(text: str, ents: list[tuple[str, str]], rules: list[tuple[str, str, EntityType, int]]):  # type: ignore[no-untyped-def]
    """The NER/rule combination on ``text``, with the given model spans and rule spans."""
    doc = spacy.blank("en")(text)
    spans = []
    for phrase, label in ents:
        start = text.index(phrase)
        span = doc.char_span(start, start + len(phrase), label=label)
        assert span is not None, phrase
        spans.append(span)
    doc.ents = spans
    chosen = sorted(
        (
            Candidate(text.index(n), text.index(n) + len(n), rule, t, n, weight=w)
            for n, rule, t, w in rules
        ),
        key=lambda c: c.start,
    )
    return [(text[c.start : c.end], c.type) for c in _add_model_spans(doc, chosen)]


# --- 1. New names are found ------------------------------------------------------------


@pytest.mark.parametrize(
    "word",
    ["CodeBERT", "LayoutLMv2", "RoFormer", "mBART", "Qwen2-7B", "LLaMA-3-7B", "SEED-X",
     "Show-o", "SROIE", "CORD", "WiC", "ML50", "2DConvNet"],
)  # fmt: skip
def test_name_shaped_words(word: str) -> None:
    assert name_shape(word)


@pytest.mark.parametrize(
    "word",
    [
        "Retrieval",
        "NLP",
        "LLMs",
        "GPUs",
        "16GB",
        "7B",
        "2D",
        "III",
        "d1",
        "A100",
        "GitHub",
        "arXiv",
    ],
)
def test_ordinary_generic_and_measure_words_are_not_names(word: str) -> None:
    assert not name_shape(word)


def test_each_name_is_typed_from_its_context() -> None:
    text = (
        "We fine-tune RoFormer on the TabStack dataset and report results on MedQ-5. "
        "Our tagger outperforms DocSeg, and ClipLM achieves the best score; the ZeroLoss "
        "objective helps."
    )
    found = {text[n.start : n.end]: (n.type, n.weight) for n in find_named(text)}
    assert found["RoFormer"] == (MODEL, 2)  # fine-tune X
    assert found["TabStack"] == (DATASET, 2)  # the X dataset
    assert found["MedQ-5"] == (DATASET, 2)  # results on X
    assert found["DocSeg"] == (MODEL, 2)  # outperforms X
    assert found["ClipLM"] == (MODEL, 2)  # X achieves
    assert found["ZeroLoss"] == (METHOD, 2)  # the X objective


def test_form_gives_a_model_and_a_list_shares_its_type() -> None:
    assert form_type("FinBERT") is MODEL and form_type("PathNet") is MODEL
    assert form_type("ViTamin-7B") is MODEL and form_type("SROIE") is None
    text = "Scores are given on KorQA, TabFact-X and ZenoVQA."
    assert {text[n.start : n.end]: n.type for n in find_named(text)} == {
        "KorQA": DATASET,
        "TabFact-X": DATASET,
        "ZenoVQA": DATASET,
    }
    assert context_type("We tried ZenoVQA.", 9, 16) == (None, "")


def test_shouted_text_gives_no_names_by_shape() -> None:
    text = "WE STUDY THE PROBLEM OF ROUTING IN LARGE NETWORKS WITH DEEP MODELS"
    assert find_named(text) == []
    mixed = "We use ZenoVQA.\n\n" + text
    assert [mixed[n.start : n.end] for n in find_named(mixed)] == ["ZenoVQA"]


def test_new_names_in_the_pipeline(nlp) -> None:  # type: ignore[no-untyped-def]
    found = typed(
        mentions(
            nlp,
            "We fine-tune CodeBERT and LayoutLMv2 on SROIE and CORD, and compare with "
            "mBART on the WiC benchmark. We also compare against SEED-X and Show-o.",
        )
    )
    assert found["CodeBERT"] is MODEL and found["LayoutLMv2"] is MODEL
    assert found["SROIE"] is DATASET and found["CORD"] is DATASET
    assert found["mBART"] is MODEL
    assert found["SEED-X"] is MODEL and found["Show-o"] is MODEL


def test_the_corpus_gives_a_name_the_type_most_of_its_mentions_have(nlp) -> None:  # type: ignore[no-untyped-def]
    abstracts = [
        "We report results on ZenoVQA for all models.",
        "Accuracy on ZenoVQA rises by four points.",
        "ZenoVQA remains hard for small agents.",  # nothing here says what ZenoVQA is
    ]
    papers = [Paper(id=f"p{i}", title=f"Paper {i}", abstract=a) for i, a in enumerate(abstracts)]
    extractions = list(extract(nlp, papers))
    guessed = [m for m in extractions[2].mentions if m.text == "ZenoVQA"]
    assert [m.type for m in guessed] == [MODEL]  # the guess, alone
    graph = link(extractions)
    (entity,) = [e for e in graph.entities.values() if e.canonical == "ZenoVQA"]
    assert entity.type is DATASET


# --- 2. Spans follow the public corpora's convention ------------------------------------


def test_generic_heads_are_left_out_and_coordinations_split() -> None:
    def parts(phrase: str) -> list[tuple[str, EntityType | None]] | None:
        found = name_parts(phrase, 0, len(phrase))
        return found and [(phrase[s:e], t) for s, e, t in found]

    assert parts("XNLI accuracy") == [("XNLI", DATASET)]
    assert parts("ML50 benchmark") == [("ML50", DATASET)]
    assert parts("ImageNet zero-shot") == [("ImageNet", DATASET)]
    assert parts("BART framework") == [("BART", None)]
    assert parts("GLUE and XNLI benchmarks") == [("GLUE", DATASET), ("XNLI", DATASET)]
    assert parts("ViTamin-7B model") == [("ViTamin-7B", MODEL)]
    # Versions and sizes stay; plain phrases and names of several words stay whole.
    assert parts("BERT-large") is None and parts("LLaMA-3-7B") is None
    assert parts("graph attention model") is None and parts("Neural Radiance Fields") is None


def test_model_spans_are_cut_to_the_names_they_hold() -> None:
    text = (
        "XLM gains 3 points of XNLI accuracy, on the GLUE and XNLI benchmarks, with BART framework."
    )
    found = combined(
        text,
        [("XNLI accuracy", "METRIC"), ("GLUE and XNLI benchmarks", "DATASET"),
         ("BART framework", "METHOD")],
        [("BART", "catalog", MODEL, 3)],
    )  # fmt: skip
    assert found == [
        ("XNLI", DATASET),
        ("GLUE", DATASET),
        ("XNLI", DATASET),
        ("BART", MODEL),
    ]


def test_a_hyphenated_name_inside_a_longer_phrase_is_a_mention_of_its_own() -> None:
    text = "It then uses a GRPO-style reinforcement learning extension to refine plans."
    found = combined(
        text,
        [("GRPO-style reinforcement learning extension", "METHOD")],
        [("GRPO", "catalog", METHOD, 3)],
    )
    assert found == [("GRPO", METHOD), ("GRPO-style reinforcement learning extension", METHOD)]


def test_nested_mentions_reach_the_graph(nlp) -> None:  # type: ignore[no-untyped-def]
    papers = [Paper(id="p1", title="T", abstract="We train a GRPO-based planner agent.")]
    extraction = next(extract(nlp, papers))
    outer = Mention(
        "p1", "GRPO-based planner", METHOD, "GRPO-based planner", 11, 29, "", "abstract"
    )
    extraction.mentions.append(outer)  # an overlapping mention, as the model would add
    assert extraction.mentions[0].canonical == "Group Relative Policy Optimization"
    assert not extraction.mentions[0].proposed  # ``we train a GRPO-based ...``: GRPO is used
    graph = link([extraction])
    names = {e.canonical for e in graph.entities.values()}
    assert {"Group Relative Policy Optimization", "GRPO-based planner"} <= names
    assert len(graph.mentions) == 2  # both linked to the paper


def test_a_model_span_inside_a_name_word_takes_the_whole_word() -> None:
    text = "We compare against ALBERT-xxlarge here."
    found = combined(text, [("ALBERT", "METHOD")], [("ALBERT-xxlarge", "shape", MODEL, 2)])
    assert found == [("ALBERT-xxlarge", MODEL)]


# --- 3. Model vs Method -------------------------------------------------------------------


def test_trained_artefacts_are_models_and_techniques_methods(nlp) -> None:  # type: ignore[no-untyped-def]
    found = typed(
        mentions(
            nlp,
            "We fine-tune BERT, CodeBERT, FinBERT, BioBERT, NAS-BERT, RoFormer, LLaMA-3-7B and "
            "Qwen2-7B with LoRA, train SDXL with PPO and GRPO, and query ChatGPT. A Transformer "
            "encoder serves as the backbone.",
        )
    )
    for name in ("BERT", "CodeBERT", "FinBERT", "BioBERT", "NAS-BERT", "RoFormer", "LLaMA-3-7B",
                 "Qwen2-7B", "SDXL", "ChatGPT"):  # fmt: skip
        assert found[name] is MODEL, name
    for name in ("LoRA", "PPO", "GRPO", "Transformer"):
        assert found[name] is METHOD, name


def test_the_model_calls_models_methods_but_a_named_model_wins() -> None:
    text = "We adapt PathNet and the Sparse Planner Transformer to new tasks."
    found = combined(
        text,
        [("PathNet", "METHOD"), ("Sparse Planner Transformer", "METHOD")],
        [("PathNet", "shape", MODEL, 1)],
    )
    assert found == [("PathNet", MODEL), ("Sparse Planner Transformer", MODEL)]


def test_full_pipeline_types_named_models(full_nlp) -> None:  # type: ignore[no-untyped-def]
    found = typed(
        mentions(
            full_nlp,
            "We pre-train FinBERT and BioBERT on domain text and compare them with RoFormer.",
        )
    )
    assert found.get("FinBERT") is MODEL and found.get("BioBERT") is MODEL
    assert found.get("RoFormer") is MODEL


# --- 4. Proposals ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("abstract", "name"),
    [
        ("To cut errors, we propose the Multimodal Decision Supervised Correction (MDSC) "
         "module, which revises each decision.", "MDSC"),
        ("In this paper, we propose Meta Representations for Agents (MRA), which shares "
         "skills across agents.", "MRA"),
        ("The pipeline samples plans and finally applies PlanRollout, a GRPO-style "
         "reinforcement learning extension, to refine them.", "PlanRollout"),
        ("Our planner, dubbed Vistara, beats earlier planners.", "Vistara"),
        ("We build an agent called Orbit that plans household tasks.", "Orbit"),
        ("Glimmer, a new benchmark for chart reasoning, is released with this paper.", "Glimmer"),
        ("We introduce TabWeaver, a framework for table synthesis.", "TabWeaver"),
    ],
)  # fmt: skip
def test_proposals(nlp, abstract: str, name: str) -> None:  # type: ignore[no-untyped-def]
    found = [m for m in mentions(nlp, abstract) if m.text == name]
    assert found and all(m.proposed for m in found), [m.text for m in mentions(nlp, abstract)]
    assert found[0].sentence in abstract and name in found[0].sentence


def test_applies_gives_the_used_name_too(nlp) -> None:  # type: ignore[no-untyped-def]
    found = mentions(
        nlp,
        "The pipeline finally applies PlanRollout, a GRPO-style reinforcement learning "
        "extension, to refine plans.",
    )
    grpo = [m for m in found if m.canonical == "Group Relative Policy Optimization"]
    assert grpo and not grpo[0].proposed


def test_a_known_method_used_is_not_proposed(nlp) -> None:  # type: ignore[no-untyped-def]
    found = typed(mentions(nlp, "We train the policy with PPO. It converges."))
    assert "PPO" in found
    assert not any(m.proposed for m in mentions(nlp, "We train the policy with PPO."))


def test_the_evidence_of_a_proposal_is_the_sentence_that_says_so(nlp) -> None:  # type: ignore[no-untyped-def]
    title = "UniPlan: Planning for Everything"
    abstract = (
        "Planning is hard for agents. Inspired by search, we present UniPlan, a planner "
        "for long tasks. UniPlan beats all baselines."
    )
    graph = link(extract(nlp, [Paper(id="p1", title=title, abstract=abstract)]))
    (link_,) = [pe for pe in graph.mentions if graph.entities[pe.key].canonical == "UniPlan"]
    assert link_.proposed
    assert link_.evidence == "Inspired by search, we present UniPlan, a planner for long tasks."
    assert says_proposed(link_.evidence, "UniPlan")
    assert not says_proposed("UniPlan beats all baselines.", "UniPlan")


def test_a_proposed_name_never_takes_the_next_sentence() -> None:
    text = "Existing planners are slow. We present UniPlan. UniPlan unifies both tasks."
    spans = [text[p.start : p.end] for p in find_proposals(text) if p.end > p.start]
    assert spans == ["UniPlan"]


# --- 5. Bad input -----------------------------------------------------------------------------


def test_no_name_crosses_a_title_abstract_or_sentence_boundary(nlp, full_nlp) -> None:  # type: ignore[no-untyped-def]
    title = "Planning With Graphs And Trees"
    abstract = (
        "We present UniPlan. UniPlan Agents work on GraphBench. Tests use ZenoVQA. "
        "We introduce Foo. Bar Baz is used. The X. Y Corpus helps."
    )
    for pipeline in (nlp, full_nlp):
        for m in mentions(pipeline, abstract, title):
            text = title if m.section == "title" else abstract
            assert text[m.start : m.end] == m.text
            inside = m.sentence.find(m.text)
            assert inside >= 0, (m.text, m.sentence)


_HOSTILE = r"""
import json, sys
from kg.extract import extract, load_nlp
from kg.models import Paper
caps = "WE PROPOSE A NEW METHOD CALLED FOONET THAT BEATS BERT ON GLUE AND XNLI TASKS. " * 1300
latex = (r"We minimise $\mathcal{L}_{KL}(\theta) = \sum_{i=1}^{N} \|f_{\theta}(x_i) - y_i\|^2$ "
         r"with \textbf{Adam} \cite{kingma}. " * 900)
names = "CodeBERT, mBART, SROIE, CORD, WiC, Qwen2-7B, LLaMA-3-7B, SEED-X, Show-o and " * 1400
apposition = "Foo Bar Baz Qux, a new " * 5000
naming = "called Foo dubbed Bar termed Baz " * 3500
nlp = load_nlp(ner=sys.argv[1] == "ner")
texts = [t[:100_000] for t in (caps, latex, names, apposition, naming)]
papers = [Paper(id=str(i), title="A TITLE IN CAPITALS", abstract=t) for i, t in enumerate(texts)]
counts = [len(r.mentions) for r in extract(nlp, papers)]
print(json.dumps(counts))
"""


@pytest.mark.parametrize("ner", ["rules", "ner"])
def test_hostile_abstracts_run_in_bounded_time(ner: str) -> None:
    # A generous wall limit in a subprocess: a rule that backtracks on these would hang.
    done = subprocess.run(
        [sys.executable, "-c", _HOSTILE, ner],
        capture_output=True,
        text=True,
        timeout=300,
        cwd=Path(__file__).resolve().parent.parent,
    )
    assert done.returncode == 0, done.stderr
    caps, latex, names, apposition, naming = json.loads(done.stdout)
    assert names > 10_000  # every name of every list found
    if ner == "rules":
        assert caps <= 3 * 1300  # BERT, GLUE, XNLI per sentence; no shouted words as names
        assert latex < 5
        assert apposition > 1000 and naming > 1000  # ``X, a new``, ``called X``: proposals
