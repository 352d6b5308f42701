"""Shared fixtures: the sample page, and one graph built from it for the whole session."""

import os
from pathlib import Path

import pytest

from kg.extract import extract, load_nlp
from kg.link import link
from kg.models import Graph
from kg.readers.ingest import read_papers
from kg.store import FalkorStore, write_graph

ROOT = Path(__file__).resolve().parent.parent
SAMPLE = ROOT / "examples" / "daily_papers_page.txt"
SHARED = ROOT.parent / "shared" / "data"

# Every embedded server stops when its command ends (the `kg` commands the tests run, in
# this process or as subprocesses, inherit it): no test leaves a warm server running.
# tests/test_warm.py sets its own idle periods.
os.environ["KG_SERVER_IDLE"] = "0"


@pytest.fixture(scope="session")
def nlp():  # type: ignore[no-untyped-def]
    """The rule and catalog components alone: what the rule tests check."""
    return load_nlp(ner=False)


@pytest.fixture(scope="session")
def full_nlp():  # type: ignore[no-untyped-def]
    """The whole pipeline, with the trained NER model when it is shipped."""
    return load_nlp()


@pytest.fixture(scope="session")
def sample_graph(nlp) -> Graph:  # type: ignore[no-untyped-def]
    return link(extract(nlp, read_papers(SAMPLE)))


@pytest.fixture(scope="session")
def sample_db(tmp_path_factory: pytest.TempPathFactory, sample_graph: Graph) -> Path:
    """A database file holding the sample page's graph (closed: open it with FalkorStore)."""
    path = tmp_path_factory.mktemp("db") / "sample.db"
    with FalkorStore(path) as store:
        write_graph(store, sample_graph)
    return path


@pytest.fixture()
def store(sample_db: Path):  # type: ignore[no-untyped-def]
    with FalkorStore(sample_db) as store:
        yield store
