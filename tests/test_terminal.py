"""Terminal escapes in the inputs (a fetched title) never reach the terminal: kg/terminal.py
and every command that prints input text."""

import json
import re
import subprocess
import sys
from pathlib import Path

import pytest

from kg.terminal import printable, printable_json

# Bytes a terminal acts on: C0 controls (but tab and newline), DEL, C1 controls.
CONTROLS = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")
RED, BEL = "\x1b[31m", "\x07"
RECORDS = [
    {
        "title": f"{RED}RedNet\x1b[0m: Coloured Titles for Graphs{BEL}",
        "abstract": "We propose RedNet\x1b[2J, a graph network. RedNet beats GCN on "
        "\x1b]0;pwned\x07Cora.",
        "arxiv_id": "2601.00001",
    },
    {
        "title": f"A second paper on {RED}RedNet{BEL}",
        "abstract": "RedNet improves GCN on Cora and Citeseer.",
        "arxiv_id": "2601.00002",
    },
]


@pytest.mark.parametrize(
    ("text", "want"),
    [
        (f"{RED}Red\x1b[0m title{BEL}", "Red title"),
        ("\x1b]0;window title\x07after", "after"),  # OSC ended by BEL
        ("\x1b]8;;http://x.test\x1b\\link\x1b]8;;\x1b\\", "link"),  # OSC 8 hyperlink, ST
        ("\x9b31mC1 CSI\x9b0m", "C1 CSI"),
        ("\x1bPdevice control\x1b\\kept", "kept"),
        ("carriage\rreturn\x7f and \x1bc reset", "carriagereturn and  reset"),
        ("a lone escape at the end\x1b", "a lone escape at the end"),
        ("tab\tnewline\n, Café, 中文, emoji 🙂", "tab\tnewline\n, Café, 中文, emoji 🙂"),
    ],
)
def test_printable_drops_escape_sequences_and_control_characters(text: str, want: str) -> None:
    assert printable(text) == want
    assert not CONTROLS.search(printable(text))


def test_printable_json_means_the_same_and_holds_no_control_byte() -> None:
    value = [{"title": "a\x1b[31m\x07\x7f\x85\x9b b", "n": 1, "list": ["Café\x90"]}]
    text = printable_json(value, indent=2)
    assert json.loads(text) == value
    assert not CONTROLS.search(text.replace("\n", ""))


def kg(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    result = subprocess.run(
        [sys.executable, "-m", "kg", *args], capture_output=True, text=True, timeout=300, cwd=cwd
    )
    return result


@pytest.fixture(scope="module")
def evil(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A folder with JSON-lines records whose titles and abstracts carry escapes."""
    folder = tmp_path_factory.mktemp("terminal")
    lines = [json.dumps(r, ensure_ascii=False) for r in RECORDS]
    (folder / "evil.jsonl").write_text("\n".join(lines) + "\n", "utf-8")
    return folder


def assert_clean(result: subprocess.CompletedProcess[str], *, status: int = 0) -> None:
    assert result.returncode == status, result.stderr
    for name, text in (("stdout", result.stdout), ("stderr", result.stderr)):
        assert "\x1b" not in text and "\x07" not in text, f"{name}: {text!r}"
        assert not CONTROLS.search(text), f"{name}: {text!r}"


def test_update_query_and_entities_print_no_escape(evil: Path) -> None:
    # An empty input whose name carries an escape: its warning quotes the name.
    (evil / f"empty{RED}.txt").write_bytes(b"")
    update = kg("update", "evil.jsonl", f"empty{RED}.txt", "--db", "kg.db", "--no-ner", cwd=evil)
    assert_clean(update)
    assert "  + arXiv:2601.00001  RedNet: Coloured Titles for Graphs" in update.stdout
    assert "  + arXiv:2601.00002  A second paper on RedNet" in update.stdout
    assert "empty.txt: file is empty" in update.stderr

    papers = kg("query", "papers_mentioning", "-p", "name", "RedNet", "--db", "kg.db", cwd=evil)
    assert_clean(papers)
    assert "RedNet: Coloured Titles for Graphs" in papers.stdout
    as_json = kg("query", "papers_mentioning", "-p", "name", "GCN", "--json", cwd=evil)
    assert_clean(as_json)
    titles = {row["title"] for row in json.loads(as_json.stdout)}
    # The readers drop escapes from what they store: the title as a reader sees it.
    assert "RedNet: Coloured Titles for Graphs" in titles

    for args in (["stats"], ["query", "top_entities"], ["entities", "show", "RedNet"]):
        result = kg(*args, "--db", "kg.db", cwd=evil)
        assert_clean(result)
        assert "RedNet" in result.stdout
    shown = kg("entities", "show", "RedNet", "--json", cwd=evil)
    assert_clean(shown)
    assert json.loads(shown.stdout)[0]["name"] == "RedNet"


def test_extract_prints_no_escape(evil: Path) -> None:
    text = kg("extract", "evil.jsonl", "--no-ner", cwd=evil)
    assert_clean(text)
    assert "arXiv:2601.00001\tModel\tRedNet -> RedNet (proposed)" in text.stdout
    lines = kg("extract", "evil.jsonl", "--no-ner", "--json", cwd=evil)
    assert_clean(lines)
    mentions = [json.loads(line) for line in lines.stdout.splitlines()]
    # Read without escapes: "\x1b]0;pwned\x07Cora" is the dataset Cora, not "pwned\x07Cora".
    assert not any("\x1b" in m["sentence"] or "\x07" in m["sentence"] for m in mentions)
    assert "RedNet beats GCN on Cora." in {m["sentence"] for m in mentions}


def test_readers_store_titles_and_abstracts_without_escapes(evil: Path) -> None:
    from kg.readers.ingest import read_papers

    papers = list(read_papers(evil / "evil.jsonl"))
    assert papers[0].title == "RedNet: Coloured Titles for Graphs"
    assert papers[0].abstract == "We propose RedNet, a graph network. RedNet beats GCN on Cora."


def test_an_error_quoting_input_prints_no_escape(evil: Path) -> None:
    (evil / f"lost{BEL}{RED}.txt").write_bytes(b"")
    result = kg("build", f"lost{BEL}{RED}.txt", "--db", "lost.db", cwd=evil)
    assert_clean(result, status=1)
    assert "Error: lost.txt: file is empty" in result.stderr
