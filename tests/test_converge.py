"""Any sequence of `kg build` / `kg update` runs into one database, interrupted or not, ends
with the graph one clean `kg build` of all the inputs, in the same order, gives (#16).

Graphs are compared whole (:func:`tests.dumps.dump_graph`): every node with its labels and
properties, every relationship with its properties and both ends, as multisets.
"""

import os
import signal
import subprocess
import sys
from collections import Counter
from pathlib import Path

import pytest
from click.testing import CliRunner

from kg.build import build_from, store_graph
from kg.cli import cli
from kg.errors import StoreError
from kg.models import Entity, EntityType, Graph, Paper, PaperEntity, Variant
from kg.store import FalkorStore, write_graph
from kg.store.base import graph_rows, stored_papers, write_statements

from .conftest import ROOT, SAMPLE, SHARED
from .dumps import describe_difference, dump_db, dump_graph

DATA = ROOT / "tests" / "data"
HF_API = DATA / "hf_daily_api.json"  # two Daily Papers records that are also on the sample page
DAYS = SHARED / "corpus" / "hf-daily-papers" / "papers"
needs_days = pytest.mark.skipif(not DAYS.is_dir(), reason=f"{DAYS} is not there")


def kg(*args: str) -> str:
    """Run `kg ARGS` (no NER: the rules are enough here); return what it printed."""
    result = CliRunner().invoke(cli, [*args, "--no-ner"])
    assert result.exit_code == 0, result.output
    return result.stdout


def built(folder: Path, *runs: tuple[str, ...], command: str = "build") -> dict[str, Counter[str]]:
    """The graph of ``runs`` (each a tuple of inputs) built one after the other into one db."""
    db = folder / "kg.db"
    folder.mkdir(parents=True, exist_ok=True)
    for inputs in runs:
        kg(command, *inputs, "--db", str(db), "--cache", str(folder.parent / "cache"))
    return dump_db(db)


def count(dump: dict[str, Counter[str]], label: str) -> int:
    return sum(n for key, n in dump["nodes"].items() if key.startswith(f'[["{label}"]'))


def arxiv_ids(db: Path) -> set[str]:
    with FalkorStore(db) as store:
        rows = store.run("MATCH (p:Paper) WHERE p.arxiv_id IS NOT NULL RETURN p.arxiv_id").rows
    return {row[0] for row in rows}


# -- item 1: a second build into the same database ---------------------------------------------


def test_a_second_build_merges_its_papers_with_the_stored_ones(tmp_path: Path) -> None:
    """The sample page (title: ids), then Daily Papers records of two of its papers (arXiv
    ids): one paper each, as one build of both gives, not a title: and an arXiv: copy."""
    one = built(tmp_path / "one", (str(SAMPLE), str(HF_API)))
    two = built(tmp_path / "two", (str(SAMPLE),), (str(HF_API),))
    assert two == one, describe_difference(two, one)
    assert count(two, "Paper") == 24


@needs_days
def test_the_sample_page_then_a_day_give_the_papers_of_one_build(tmp_path: Path) -> None:
    day = str(DAYS / "2026-02-25")
    one = built(tmp_path / "one", (str(SAMPLE), day))
    two = built(tmp_path / "two", (str(SAMPLE),), (day,))
    assert count(one, "Paper") == count(two, "Paper") == 32  # not 55
    assert two == one, describe_difference(two, one)


# -- item 2: kg update merges what later sources add -------------------------------------------


@needs_days
def test_update_merges_what_a_later_source_adds_to_a_stored_paper(tmp_path: Path) -> None:
    day = str(DAYS / "2026-02-25")
    one = built(tmp_path / "one", (str(SAMPLE), day))
    updated = built(tmp_path / "updated", (str(SAMPLE),), (day,), command="update")
    assert count(updated, "Author") == count(one, "Author") > 100
    assert count(updated, "Repository") == count(one, "Repository")
    assert arxiv_ids(tmp_path / "updated" / "kg.db") == arxiv_ids(tmp_path / "one" / "kg.db")
    assert updated == one, describe_difference(updated, one)


def test_update_gives_a_stored_paper_the_arxiv_id_and_authors_of_a_later_record(
    tmp_path: Path,
) -> None:
    one = built(tmp_path / "one", (str(SAMPLE), str(HF_API)))
    updated = built(tmp_path / "updated", (str(SAMPLE),), (str(HF_API),), command="update")
    assert len(arxiv_ids(tmp_path / "updated" / "kg.db")) == 2
    assert count(updated, "Author") == count(one, "Author") > 0
    assert updated == one, describe_difference(updated, one)


def test_update_reports_merged_papers_as_stored_and_written_again(tmp_path: Path) -> None:
    db = str(tmp_path / "kg.db")
    kg("update", str(SAMPLE), "--db", db)
    again = kg("update", str(HF_API), "--db", db).splitlines()
    assert again[0] == "0 new paper(s); 2 already stored (2 written again with what changed)."


# -- item 3: an interrupted write is repaired -----------------------------------------------------


def sample_reference(tmp_path: Path) -> dict[str, Counter[str]]:
    return built(tmp_path / "reference", (str(SAMPLE),))


def write_without_finishing(db: Path, stop_before: str) -> None:
    """Write the sample page's graph as an interrupted run does: every statement up to
    ``stop_before``, so no paper's content hash (written last) is stored."""
    graph = build_from([SAMPLE], ner=False).graph
    with FalkorStore(db) as store:
        store.ensure_schema()
        for name, text, params in write_statements(graph_rows(graph)):
            if name == stop_before:
                break
            store.run(text, params)


@pytest.mark.parametrize("stop_before", ["write_mentions", "write_paper_hashes"])
def test_update_completes_papers_whose_write_was_interrupted(
    tmp_path: Path, stop_before: str
) -> None:
    reference = sample_reference(tmp_path)
    db = tmp_path / "work" / "kg.db"
    db.parent.mkdir()
    write_without_finishing(db, stop_before)
    if stop_before == "write_mentions":
        links = [key for key in dump_db(db)["relationships"] if key.startswith('[["Paper"]')]
        assert not links, "papers and entities, no link: as in #16"
    printed = kg("update", str(SAMPLE), "--db", str(db)).splitlines()
    assert printed[0] == "24 new paper(s); 0 already stored."
    assert "0 new entit(y/ies)." not in printed
    got = dump_db(db)
    assert got == reference, describe_difference(got, reference)
    assert kg("update", str(SAMPLE), "--db", str(db)).splitlines()[:2] == [
        "0 new paper(s); 24 already stored.",
        "0 new entit(y/ies).",
    ]


# Run `kg ARGS`, SIGKILLed by itself just before the write statement named in argv[1] runs:
# a real kill at a known point of the write, its server left holding what was written.
KILL_AT = """
import os, signal, sys
from kg.cli import main
from kg.store import base

point = sys.argv.pop(1)
statements = base.write_statements

def killing(*args, **kwargs):
    for name, text, params in statements(*args, **kwargs):
        if name == point:
            os.kill(os.getpid(), signal.SIGKILL)
        yield name, text, params

base.write_statements = killing
sys.argv[0] = "kg"
main()
"""


@pytest.mark.parametrize("point", ["write_mentions", "write_paper_hashes"])
def test_an_update_killed_while_writing_is_repaired_by_the_next(tmp_path: Path, point: str) -> None:
    reference = sample_reference(tmp_path)
    db = tmp_path / "work" / "kg.db"
    db.parent.mkdir()
    args = ["update", str(SAMPLE), "--no-ner", "--db", str(db)]
    killed = subprocess.run(
        [sys.executable, "-c", KILL_AT, point, *args],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=300,
        env={**os.environ, "PYTHONUNBUFFERED": "1"},
    )
    assert killed.returncode == -signal.SIGKILL, killed.stderr
    assert kg(*args[:-3], "--db", str(db)).startswith("24 new paper(s); 0 already stored.")
    got = dump_db(db)
    assert got == reference, describe_difference(got, reference)


# -- item 4: no stale facts after incremental builds -----------------------------------------


def linked_graph(
    aliases: tuple[str, ...], variants: list[Variant], formed: tuple[str, ...]
) -> Graph:
    paper = Paper(id="p1", title="One paper", abstract="We use XNet and XNet-7B.")
    entities = {
        "xnet": Entity("xnet", "XNet", "XNet", EntityType.MODEL, aliases, formed),
        "xnet 7b": Entity("xnet 7b", "XNet-7B", "XNet-7B", EntityType.MODEL, ()),
    }
    mentions = [
        PaperEntity("p1", key, 1, "We use XNet and XNet-7B.", (key,), "abstract", 0, 4, False)
        for key in entities
    ]
    return Graph([paper], entities, mentions, [], [], variants)


def test_a_grown_corpus_keeps_no_alias_fact_or_variant_a_clean_build_lacks(
    tmp_path: Path,
) -> None:
    first = linked_graph(
        ("X-Net", "Cross Net"),
        [Variant("xnet 7b", "xnet", "size")],
        ("acronym XN = Cross Net",),
    )
    later = linked_graph(("X-Net",), [], ())
    with FalkorStore(tmp_path / "incremental.db") as store:
        store_graph(store, first)
        store_graph(store, later)
        got = dump_graph(store)
    with FalkorStore(tmp_path / "clean.db") as store:
        store_graph(store, later)
        want = dump_graph(store)
    assert got == want, describe_difference(got, want)


@needs_days
def test_a_day_then_the_next_give_one_build_of_both(tmp_path: Path) -> None:
    """Two days built one after the other (the second grows the corpus: acronyms defined
    in new papers, formation facts spelled otherwise) end as one build of both."""
    first, second = str(DAYS / "2026-02-23"), str(DAYS / "2026-02-24")
    one = built(tmp_path / "one", (first, second))
    for command in ("build", "update"):
        two = built(tmp_path / command, (first,), (second,), command=command)
        assert two == one, f"{command}: " + describe_difference(two, one)


def test_a_paper_merged_into_another_leaves_no_node_behind(tmp_path: Path) -> None:
    """A title: paper that a later source gives an arXiv id is replaced, not kept beside."""
    old = Paper(id="title:abc", title="A Study of Things and Stuff", abstract="Short.")
    new = Paper(
        id="arXiv:2401.00001",
        title="A Study of Things and Stuff",
        abstract="Short.",
        arxiv_id="2401.00001",
        authors=("Ada Lovelace",),
    )
    with FalkorStore(tmp_path / "kg.db") as store:
        store_graph(store, Graph([old], {}, [], [], []))
        store_graph(store, Graph([new], {}, [], [], []))
        assert stored_papers(store) == [new]
        assert store.run("MATCH (a:Author) RETURN a.name").rows == [["Ada Lovelace"]]


# -- what the store keeps for this -----------------------------------------------------------


def test_stored_papers_come_back_whole_and_in_corpus_order(tmp_path: Path) -> None:
    papers = [
        Paper(
            id=f"p{i}",
            title=f"Paper {9 - i}",
            abstract="Text.",
            source="a.json",
            line=i + 1,
            organization_handle="org",
            authors=("Ada", "Bob"),
            affiliations=("University of Toronto",),
            urls=("https://github.com/a/b",),
            upvotes=i or None,
        )
        for i in range(10)
    ]
    with FalkorStore(tmp_path / "kg.db") as store:
        write_graph(store, Graph(papers, {}, [], [], []))
        assert stored_papers(store) == papers


def test_a_database_without_paper_records_asks_to_be_built_again(tmp_path: Path) -> None:
    with FalkorStore(tmp_path / "kg.db") as store:
        store.run("CREATE (:Paper {id: 'arXiv:1', title: 'Old', abstract: 'Old.'})")
    result = CliRunner().invoke(cli, ["update", str(SAMPLE), "--db", str(tmp_path / "kg.db")])
    assert result.exit_code == 1
    assert "1 paper(s) written by an older kg" in result.output
    assert "build it again from its inputs" in result.output
    with FalkorStore(tmp_path / "kg.db") as store, pytest.raises(StoreError, match="older kg"):
        stored_papers(store)


def test_papers_sharing_an_id_are_one_paper_in_one_build_and_in_several(tmp_path: Path) -> None:
    """Two papers titled "Preface" (too short a title to merge on) get one id, so the store
    holds one node for them: the graph holds one paper, whichever runs read them."""
    lines = {
        "a.jsonl": [("Preface", "Preface to the proceedings of the first workshop on XNet.")],
        "b.jsonl": [("Preface", "Preface to the second volume, with the XNet-7B results.")],
        "c.jsonl": [("Graph transformers for molecules", "We propose MolGT for molecules.")],
    }
    files = []
    for name, records in lines.items():
        path = tmp_path / name
        path.write_text(
            "".join(f'{{"title": "{t}", "abstract": "{a}"}}\n' for t, a in records), "utf-8"
        )
        files.append(str(path))
    one = built(tmp_path / "one", tuple(files))
    assert count(one, "Paper") == 2
    for command in ("build", "update"):
        two = built(tmp_path / command, tuple(files[:2]), tuple(files[2:]), command=command)
        assert two == one, f"{command}: " + describe_difference(two, one)
