"""Named entities and generic concepts (#17): the decision, the graph, the CLI and the views."""

import json
import subprocess
import sys
from collections import defaultdict
from pathlib import Path

import pytest
from click.testing import CliRunner

from kg.cli import cli
from kg.export import ViewSpec, read_view
from kg.extract import extract
from kg.extract.kinds import CONCEPT, NAMED, entity_kind, mention_kind
from kg.extract.pipeline import PaperExtraction
from kg.link import link
from kg.models import EntityType, Mention, Paper
from kg.names import name_key
from kg.query import bind_params, load_query
from kg.readers.ingest import read_papers
from kg.store import FalkorStore, write_graph

from .conftest import SAMPLE

# Names a reader sees on the sample page, and generic phrases kg finds there too.
SAMPLE_NAMES = (
    *("CHAIN", "BEIR", "Qwen3", "LoCoMo benchmark", "ArtiAgent", "Nemotron-Terminal"),
    *("PyVision-RL", "MSR-VTT", "Llama3-8B", "ALFWorld", "TTT", "Terminal-Bench 2.0"),
)
SAMPLE_CONCEPTS = (
    *("real-world applications", "training strategies", "embodied agents", "diffusion models"),
    *("large language models", "multi-turn reasoning", "robustness", "perplexity"),
)


@pytest.fixture(scope="module")
def sample_mentions(full_nlp) -> dict[str, set[str]]:  # type: ignore[no-untyped-def]
    """The kinds the whole pipeline gives each surface of the sample page."""
    kinds: dict[str, set[str]] = defaultdict(set)
    for extraction in extract(full_nlp, read_papers(SAMPLE)):
        for mention in extraction.mentions:
            kinds[mention.text].add(mention.kind)
    return kinds


@pytest.mark.parametrize("text", SAMPLE_NAMES)
def test_names_on_the_sample_page_are_named(sample_mentions, text: str) -> None:  # type: ignore[no-untyped-def]
    assert sample_mentions[text] == {NAMED}


@pytest.mark.parametrize("text", SAMPLE_CONCEPTS)
def test_generic_phrases_on_the_sample_page_are_concepts(sample_mentions, text: str) -> None:  # type: ignore[no-untyped-def]
    assert sample_mentions[text] == {CONCEPT}


def test_every_extracted_mention_has_a_kind(sample_mentions) -> None:  # type: ignore[no-untyped-def]
    assert set().union(*sample_mentions.values()) == {NAMED, CONCEPT}


@pytest.mark.parametrize(
    ("text", "kwargs", "kind"),
    [
        ("LLaMA-3-7B", {}, NAMED),
        ("Soft Actor-Critic", {}, NAMED),
        ("Amazon", {"sentence": "Reviews from Amazon."}, NAMED),
        ("github.com/x/y", {}, NAMED),
        ("policy learning", {"rule": "ner"}, CONCEPT),
        ("downstream tasks", {}, CONCEPT),
        ("Policy Learning", {"section": "title"}, CONCEPT),
        ("Vision-Language Models", {"rule": "acronym", "aliases": ["VLM"]}, CONCEPT),
        ("PolicyRollout", {"rule": "propose"}, NAMED),
        ("a unified framework", {"rule": "propose"}, CONCEPT),
        ("Proximal Policy Optimization", {"rule": "acronym", "aliases": ["PPO"]}, NAMED),
        # Lowercase mentions: a concept at once only without digits, URL or a naming rule.
        ("huggingface.co/x/y", {"rule": "ner"}, NAMED),
        ("www.example.org", {"rule": "ner"}, NAMED),
        ("word2vec", {"rule": "ner"}, NAMED),
        ("attention-guided clustering", {"rule": "acronym", "aliases": ["AGC"]}, NAMED),
        ("transformer", {"type_": "Method", "rule": "catalog"}, NAMED),
        ("grpo-style", {"rule": "cue", "canonical": "GRPO"}, NAMED),
        ("grpo-style", {"rule": "shape"}, CONCEPT),
    ],
)
def test_mention_kind(text: str, kwargs: dict[str, object], kind: str) -> None:
    assert mention_kind(text, **kwargs) == kind  # type: ignore[arg-type]


def mention(paper: str, text: str, kind: str = "") -> Mention:
    return Mention(paper, text, EntityType.METHOD, text, 0, len(text), f"We use {text}.", kind=kind)


def test_an_entity_is_named_when_most_of_its_papers_name_it() -> None:
    papers = [Paper(f"p{i}", f"Title {i}", "Abstract.") for i in range(3)]
    kinds = {"p0": [NAMED, NAMED, NAMED, NAMED], "p1": [CONCEPT], "p2": [CONCEPT, NAMED, CONCEPT]}
    extractions = [
        PaperExtraction(p, [mention(p.id, "Policy Learning", k) for k in kinds[p.id]], [])
        for p in papers
    ]
    graph = link(extractions)
    key = name_key("Policy Learning")
    # Papers vote, not mentions: p0 names it four times, but p1 and p2 call it a concept.
    assert graph.entities[key].kind == CONCEPT
    assert {m.paper_id: m.kind for m in graph.mentions if m.key == key} == {
        "p0": NAMED,
        "p1": CONCEPT,
        "p2": CONCEPT,
    }
    # A tie: named for a paper's link (its mentions), a concept for an entity (its papers).
    assert entity_kind([NAMED, CONCEPT], tie=NAMED) == NAMED
    assert entity_kind([NAMED, CONCEPT]) == CONCEPT


def test_the_linker_decides_the_kind_of_mentions_made_without_one() -> None:
    paper = Paper("p0", "T", "We use CodeBERT and downstream tasks.")
    made = [mention("p0", "CodeBERT"), mention("p0", "downstream tasks")]
    graph = link([PaperExtraction(paper, made, [])])
    assert {e.canonical: e.kind for e in graph.entities.values()} == {
        "CodeBERT": NAMED,
        "downstream tasks": CONCEPT,
    }


@pytest.fixture(scope="module")
def kinds_db(tmp_path_factory: pytest.TempPathFactory, full_nlp) -> Path:  # type: ignore[no-untyped-def]
    """The sample page built with the whole pipeline into a real embedded FalkorDB."""
    path = tmp_path_factory.mktemp("kinds") / "kg.db"
    with FalkorStore(path) as store:
        write_graph(store, link(extract(full_nlp, read_papers(SAMPLE))))
    return path


def test_the_graph_stores_the_kind_on_entities_and_mentions(kinds_db: Path) -> None:
    with FalkorStore(kinds_db) as store:
        entities = dict(store.run("MATCH (e:Entity) RETURN e.key, e.kind").rows)
        edges = store.run(
            "MATCH (:Paper)-[m:MENTIONS]->(e:Entity) RETURN e.key, m.kind ORDER BY e.key"
        ).rows
    assert set(entities.values()) == {NAMED, CONCEPT}
    for name in ("BEIR", "LoCoMo", "Qwen3"):
        assert entities[name_key(name)] == NAMED, name
    for name in ("real-world applications", "training strategies"):
        assert entities[name_key(name)] == CONCEPT, name
    assert {kind for _, kind in edges} == {NAMED, CONCEPT}
    assert {kind for key, kind in edges if key == name_key("BEIR")} == {NAMED}


def run_query(db: Path, name: str, **given: str) -> list[dict[str, object]]:
    query = load_query(name)
    with FalkorStore(db) as store:
        return store.run(query.text, bind_params(query, given)).records()


def kinds_of(db: Path) -> dict[str, str]:
    with FalkorStore(db) as store:
        return dict(store.run("MATCH (e:Entity) RETURN e.name, e.kind").rows)


def test_top_entities_lists_named_entities_unless_asked(kinds_db: Path) -> None:
    kinds = kinds_of(kinds_db)
    named = run_query(kinds_db, "top_entities", limit="500")
    concepts = run_query(kinds_db, "top_entities", kind="concept", limit="500")
    both = run_query(kinds_db, "top_entities", kind="all", limit="1000")
    assert named and {kinds[str(r["entity"])] for r in named} == {NAMED}
    assert concepts and {kinds[str(r["entity"])] for r in concepts} == {CONCEPT}
    assert len(both) == len(named) + len(concepts)
    assert "real-world applications" in {r["entity"] for r in concepts}


def test_overlap_pairs_share_named_entities_only(kinds_db: Path) -> None:
    kinds = kinds_of(kinds_db)
    pairs = run_query(kinds_db, "overlapping_pairs", kind="named", limit="100")
    everything = run_query(kinds_db, "overlapping_pairs", limit="100")  # all kinds (#18)
    assert pairs and {kinds[name] for p in pairs for name in p["shared"]} == {NAMED}  # type: ignore[attr-defined]
    assert CONCEPT in {kinds[name] for p in everything for name in p["shared"]}  # type: ignore[attr-defined]


def entity_labels(db: Path, spec: ViewSpec) -> set[str]:
    with FalkorStore(db) as store:
        view, _ = read_view(store, spec)
    return {data["label"] for node, data in view.nodes(data=True) if node[0] == "entity"}


def test_the_default_view_shows_named_entities_and_kind_concept_the_others(
    kinds_db: Path,
) -> None:
    kinds = kinds_of(kinds_db)
    named = entity_labels(kinds_db, ViewSpec())
    concepts = entity_labels(kinds_db, ViewSpec(kind="concept"))
    assert {"CHAIN", "BEIR", "LoCoMo"} <= named
    assert {kinds[label] for label in named} == {NAMED}
    assert "real-world applications" in concepts
    assert {kinds[label] for label in concepts} == {CONCEPT}
    assert entity_labels(kinds_db, ViewSpec(kind="all")) == named | concepts


def test_extract_json_prints_the_kind() -> None:
    result = CliRunner().invoke(cli, ["extract", str(SAMPLE), "--json"])
    assert result.exit_code == 0, result.output
    records = [json.loads(line) for line in result.stdout.splitlines()]
    kinds = {r["text"]: r["kind"] for r in records if r["type"] != "Repository"}
    assert kinds["CHAIN"] == NAMED and kinds["BEIR"] == NAMED
    assert kinds["real-world applications"] == CONCEPT


def kg(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "kg", *args], capture_output=True, text=True, timeout=300
    )


def test_stats_counts_kinds_and_lists_named_entities(kinds_db: Path) -> None:
    result = kg("stats", "--db", str(kinds_db))
    assert result.returncode == 0, result.stderr
    counts = dict(
        line.split()
        for line in result.stdout.splitlines()
        if line.startswith(("named ", "concept "))
    )
    kinds = kinds_of(kinds_db)
    with FalkorStore(kinds_db) as store:  # by key: two entities may share a name (RL)
        by_key = [k for _, k in store.run("MATCH (e:Entity) RETURN e.key, e.kind").rows]
    assert counts == {
        NAMED: str(sum(k == NAMED for k in by_key)),
        CONCEPT: str(sum(k == CONCEPT for k in by_key)),
    }
    top = result.stdout.split("Most mentioned named entities")[1].splitlines()[4:]
    assert top and {kinds[line.split("  ")[0]] for line in top if line} == {NAMED}


def test_export_kind_concept_draws_the_concepts(kinds_db: Path, tmp_path: Path) -> None:
    out = tmp_path / "concepts.graphml"
    result = kg("export", "graphml", str(out), "--kind", "concept", "--db", str(kinds_db))
    assert result.returncode == 0, result.stderr
    text = out.read_text(encoding="utf-8")
    assert "real-world applications" in text and ">BEIR<" not in text


def test_entities_show_finds_a_concept(kinds_db: Path) -> None:
    result = kg("entities", "show", "real-world applications", "--db", str(kinds_db))
    assert result.returncode == 0, result.stderr
    assert "real-world applications" in result.stdout
