"""Readers for every source format: detection, fields, and what bad input gets."""

import gzip
import json
from pathlib import Path

import pytest

from kg.errors import InputError
from kg.readers import parse_field_map
from kg.readers.dedupe import merge_papers
from kg.readers.ingest import read_papers, write_rejected

from .conftest import SHARED

DATA = Path(__file__).resolve().parent / "data"
HF = SHARED / "corpus" / "hf-daily-papers"
PAPERLISTS = SHARED / "corpus" / "paperlists"
needs_shared = pytest.mark.skipif(not HF.exists(), reason="../shared/data is not beside the repo")


def read(path: Path, **kwargs):  # type: ignore[no-untyped-def]
    errors: list[InputError] = []
    return list(read_papers(path, errors=errors, **kwargs)), errors


def test_hf_api_list() -> None:
    papers, errors = read(DATA / "hf_daily_api.json")
    assert errors == []
    first = papers[0]
    assert (first.id, first.arxiv_id, first.upvotes) == ("arXiv:2602.21193", "2602.21193", 64)
    assert first.authors == ("Renjie Pi", "Grace Lam", "Wei Ping")
    assert (first.organization, first.organization_handle) == ("NVIDIA", "nvidia")
    assert first.urls == (
        "https://github.com/NVIDIA/terminal-task-gen",
        "https://huggingface.co/collections/nvidia/nemotron-terminal",
    )
    assert (first.published, first.date) == ("2026-02-24", "2026-02-25")
    assert first.abstract.startswith("Despite rapid recent progress")


@needs_shared
def test_hf_one_record_per_file_drops_the_ai_summary_and_spacing_artefacts() -> None:
    (paper,), errors = read(HF / "papers" / "2026-02-02" / "2601.13097.json")
    assert errors == []
    assert paper.abstract.startswith("We present RM-RF, a lightweight reward model")
    assert "unit tests." in paper.abstract and "( zero-shot" not in paper.abstract
    assert paper.urls == ("https://github.com/trndcenter/RM-RF-unit-tests",)
    assert (paper.date, paper.upvotes, len(paper.authors)) == ("2026-02-02", 8, 11)


@needs_shared
def test_hf_folder_with_the_lianghsun_variant() -> None:
    papers, errors = read(HF / "lianghsun_papers")
    assert errors == []
    assert len(papers) == 41 and all(p.id.startswith("arXiv:") for p in papers)
    assert papers[0].published == "2026-02-24" and papers[0].authors[0] == "Renjie Pi"


def test_arxiv_atom() -> None:
    papers, errors = read(DATA / "arxiv_query.atom")
    assert errors == []
    reranker, attention = papers
    assert reranker.title == "Query-focused and Memory-aware Reranker for Long Context Processing"
    assert reranker.affiliations == ("Google DeepMind",)
    assert reranker.doi == "10.48550/arxiv.2602.12192"
    assert (attention.id, attention.published) == ("arXiv:1706.03762", "2017-06-12")
    assert attention.authors == ("Ashish Vaswani", "Noam Shazeer")


def test_arxiv_snapshot_streams_lines_and_rejects_bad_ones() -> None:
    papers, errors = read(DATA / "arxiv_snapshot.jsonl")
    assert [p.id for p in papers] == ["arXiv:0704.0001", "arXiv:1706.03762", "arXiv:0704.0003"]
    assert papers[2].abstract == ""  # a title-only record is a paper (#16)
    assert papers[0].authors[0] == "C. Balázs" and papers[0].published == "2007-04-02"
    assert papers[0].doi == "10.1103/physrevd.76.013009"
    assert [(e.line, e.message.split(":")[0]) for e in errors] == [(4, "malformed JSON")]
    assert errors[0].record is not None and errors[0].record.startswith('{"id": "0704.0004"')


def test_bibtex() -> None:
    papers, errors = read(DATA / "papers.bib")
    attention, bert, title_only = papers
    assert (title_only.title, title_only.abstract) == ("A Paper Without an Abstract", "")
    assert attention.id == "arXiv:1706.03762" and attention.published == "2017-12"
    assert attention.authors == ("Ashish Vaswani", "Noam Shazeer", "Niki Parmar")
    assert attention.abstract.endswith("the Transformer.")
    assert bert.title.startswith("BERT: Pre-training") and bert.doi == "10.18653/v1/n19-1423"
    assert "Gödel would approve of it & so would École." in bert.abstract
    assert bert.urls == ("https://github.com/google-research/bert",)
    assert [(e.line, e.message.split(":")[0]) for e in errors] == [
        (28, "malformed BibTeX entry"),
    ]


def test_csv_with_a_field_map() -> None:
    fields = parse_field_map("title=paper_name,abstract=summary")
    papers, errors = read(DATA / "records.csv", format="records", fields=fields)
    paper, title_only = papers
    assert (title_only.title, title_only.abstract) == ("Row with a missing summary", "")
    assert paper.title == "Prototypical Networks for Few-shot Learning"
    assert paper.authors == ("Jake Snell", "Kevin Swersky", "Richard Zemel")
    assert paper.urls == ("https://github.com/jakesnell/prototypical-networks",)
    assert errors == []


@needs_shared
def test_paperlists_gzipped_json_array_with_affiliations_and_links() -> None:
    papers, errors = read(PAPERLISTS / "nips" / "nips2018.json.gz")
    assert len(papers) == 1009 and errors == []  # a title-only record is kept (#16)
    with_aff = [p for p in papers if p.affiliations]
    assert len(with_aff) > 900 and with_aff[0].affiliations == ("Nanjing University",)
    assert any(u.startswith("https://github.com/") for p in papers for u in p.urls)


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("hf_daily_api.json", "hf-daily"),
        ("arxiv_query.atom", "arxiv-atom"),
        ("arxiv_snapshot.jsonl", "arxiv-snapshot"),
        ("papers.bib", "bibtex"),
    ],
)
def test_formats_are_detected_from_content_even_gzipped(
    tmp_path: Path, name: str, expected: str
) -> None:
    from kg.readers.base import read_head
    from kg.readers.ingest import detect_format

    packed = tmp_path / "input.gz"
    packed.write_bytes(gzip.compress((DATA / name).read_bytes()))
    assert detect_format(read_head(packed)) == expected
    assert len(read(packed)[0]) == len(read(DATA / name)[0])


def test_a_forced_format_that_does_not_fit_rejects_records() -> None:
    papers, errors = read(DATA / "records.csv", format="arxiv-snapshot")
    assert papers == [] and errors


def test_truncated_json_array_keeps_the_records_before(tmp_path: Path) -> None:
    records = [{"title": f"Paper number {i}", "abstract": f"Abstract {i}."} for i in range(5)]
    text = json.dumps(records, indent=1)
    path = tmp_path / "cut.json"
    path.write_text(text[: text.index('"Paper number 3"') + 5])
    papers, errors = read(path)
    assert [p.title for p in papers] == [f"Paper number {i}" for i in range(3)]
    assert len(errors) == 1 and "truncated" in errors[0].message


def test_malformed_element_in_a_json_array_is_skipped(tmp_path: Path) -> None:
    path = tmp_path / "bad.json"
    path.write_text(
        '[{"title": "One good paper", "abstract": "A."},\n'
        ' {"title": "Broken" "abstract": "B."},\n'
        ' {"title": "Another good paper", "abstract": "C."}]'
    )
    papers, errors = read(path)
    assert [p.title for p in papers] == ["One good paper", "Another good paper"]
    assert [(e.line, e.message.split(":")[0]) for e in errors] == [(2, "malformed JSON")]


def test_huge_record_and_wrong_encoding_are_rejected_others_kept(tmp_path: Path) -> None:
    good = json.dumps({"title": "A fine title", "abstract": "Fine."}).encode()
    huge = json.dumps({"title": "Huge", "abstract": "x" * 6_000_000}).encode()
    latin1 = '{"title": "Caf\xe9 paper", "abstract": "Latin-1."}'.encode("latin-1")
    path = tmp_path / "mixed.jsonl"
    path.write_bytes(b"\n".join([good, huge, latin1, good.replace(b"fine", b"second")]) + b"\n")
    papers, errors = read(path)
    assert [p.title for p in papers] == ["A fine title", "A second title"]
    assert [e.line for e in errors] == [2, 3]
    assert "over the 5 MB limit" in errors[0].message and "not UTF-8" in errors[1].message
    rejected = tmp_path / "rejected.jsonl"
    assert write_rejected(errors, rejected) == 2
    rows = [json.loads(line) for line in rejected.read_text().splitlines()]
    assert rows[0]["source"] == str(path) and rows[0]["line"] == 2
    assert len(rows[0]["record"]) <= 10_001


def test_a_folder_reads_every_file_and_reports_unknown_ones(tmp_path: Path) -> None:
    (tmp_path / "a.json").write_bytes((DATA / "hf_daily_api.json").read_bytes())
    (tmp_path / "b.bib").write_bytes((DATA / "papers.bib").read_bytes())
    (tmp_path / "notes.txt").write_text("Dear diary\n")
    (tmp_path / "README.md").write_text("# not data\n")
    papers, errors = read(tmp_path)
    assert len(papers) == 5
    assert sum("unrecognised format" in str(e) for e in errors) == 1


def test_the_same_paper_from_several_sources_is_merged() -> None:
    papers = [
        *read(DATA / "hf_daily_api.json")[0],
        *read(DATA / "arxiv_query.atom")[0],
        *read(DATA / "papers.bib")[0],
        *read(DATA / "arxiv_snapshot.jsonl")[0],
    ]
    merged = merge_papers(papers)
    assert len(papers) == 10 and len(merged) == 7
    reranker = next(p for p in merged if p.arxiv_id == "2602.12192")
    assert reranker.affiliations == ("Google DeepMind",)  # from arXiv
    assert reranker.upvotes == 35  # from HF
    assert reranker.authors == ("Yuqing Li", "Jiaxin Zhang")
    attention = next(p for p in merged if p.arxiv_id == "1706.03762")
    assert attention.authors == ("Ashish Vaswani", "Noam Shazeer", "Niki Parmar")


def test_title_only_and_doi_matches_merge() -> None:
    from kg.models import Paper

    page = Paper(id="title:x", title="Attention Is All You Need!", abstract="Short.", upvotes=9)
    bib = Paper(id="title:y", title="Attention is all you need", abstract="Longer abstract.",
                doi="10.1/x")  # fmt: skip
    other = Paper(id="title:z", title="Another paper title", abstract="A.", doi="10.1/x")
    (merged,) = merge_papers([page, bib, other])
    assert (merged.id, merged.abstract, merged.upvotes, merged.doi) == (
        "title:x",
        "Longer abstract.",
        9,
        "10.1/x",
    )
    different = Paper(id="arXiv:1", title="Same Title Here Please", abstract="A.", arxiv_id="1")
    also = Paper(id="arXiv:2", title="Same title here, please", abstract="B.", arxiv_id="2")
    assert len(merge_papers([different, also])) == 2


def test_build_stores_authors_and_writes_rejected_records(tmp_path: Path) -> None:
    from click.testing import CliRunner

    from kg.cli import cli
    from kg.store import FalkorStore

    db = tmp_path / "kg.db"
    sources = [str(DATA / "arxiv_snapshot.jsonl"), str(DATA / "arxiv_query.atom")]
    result = CliRunner().invoke(cli, ["build", *sources, "--db", str(db)])
    assert result.exit_code == 0, result.output
    rejected = tmp_path / "rejected.jsonl"
    assert (
        "Read 4 papers from 2 input(s); merged 1 duplicate record(s); skipped 1 malformed "
        f"record(s) (see {rejected})." in result.stderr
    )
    rows = [json.loads(line) for line in rejected.read_text().splitlines()]
    assert [(r["line"], r["reason"]) for r in rows] == [
        (4, "malformed JSON: Invalid control character at (column 66)"),
    ]
    with FalkorStore(db) as store:
        authors = store.run(
            "MATCH (p:Paper {id: 'arXiv:1706.03762'})-[w:WRITTEN_BY]->(a:Author) "
            "RETURN a.name, w.position ORDER BY w.position"
        ).rows
        orgs = store.run(
            "MATCH (:Paper {id: 'arXiv:2602.12192'})-[:AFFILIATED_WITH]->(o:Organization) "
            "RETURN o.name"
        ).rows
    assert authors == [["Ashish Vaswani", 1], ["Noam Shazeer", 2], ["Niki Parmar", 3]]
    assert orgs == [["Google DeepMind"]]

    strict = CliRunner().invoke(
        cli, ["build", *sources, "--db", str(tmp_path / "s.db"), "--strict"]
    )
    assert strict.exit_code == 1
    assert (
        strict.stderr.strip()
        == f"Error: {sources[0]}:4: malformed JSON: Invalid control character at (column 66)"
    )


@needs_shared
def test_daily_page_and_hf_json_of_one_paper_merge() -> None:
    from .conftest import SAMPLE

    page = read(SAMPLE)[0]
    hf = read(HF / "lianghsun_papers" / "2026-02-25.papers.json")[0]
    merged = {p.title: p for p in merge_papers([*page, *hf])}
    paper = merged["On Data Engineering for Scaling LLM Terminal Capabilities"]
    assert (paper.id, paper.date, paper.upvotes) == ("arXiv:2602.21193", "2026-02-24", 3)
    assert paper.authors[:2] == ("Renjie Pi", "Grace Lam") and paper.published == "2026-02-24"
    assert len(merged) < len(page) + len(hf)
