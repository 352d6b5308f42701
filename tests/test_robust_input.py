"""One bad record never costs the rest: title-only papers, NUL, huge abstracts, markup, pipes."""

import codecs
import json
import os
from pathlib import Path

import pytest

from kg.errors import InputError
from kg.readers import parse_daily_page
from kg.readers.base import MAX_ABSTRACT_CHARS, strip_markup
from kg.readers.bibtex import parse_bibtex
from kg.readers.ingest import read_papers

DATA = Path(__file__).resolve().parent / "data"


def _read(path: Path, **kwargs: object) -> tuple[list, list[InputError]]:
    errors: list[InputError] = []
    papers = list(read_papers(path, errors=errors, **kwargs))  # type: ignore[arg-type]
    return papers, errors


def test_title_only_paper_is_kept_with_an_empty_abstract(tmp_path: Path) -> None:
    path = tmp_path / "2601.16513.json"
    path.write_text(
        json.dumps({"paper_id": "2601.16513", "title": "Competing Visions of Ethical AI",
                    "abstract": "", "summary_en": "", "authors": ["Ada"]})
    )  # fmt: skip
    papers, errors = _read(path)
    assert errors == []
    assert [(p.title, p.abstract, p.arxiv_id) for p in papers] == [
        ("Competing Visions of Ethical AI", "", "2601.16513")
    ]


def test_title_only_record_in_records_and_bibtex() -> None:
    papers = list(parse_bibtex("@article{k, title={Only a title}}"))
    assert [(p.title, p.abstract) for p in papers] == [("Only a title", "")]


def test_a_record_without_a_title_is_still_rejected(tmp_path: Path) -> None:
    path = tmp_path / "a.jsonl"
    path.write_text('{"title": "", "abstract": "An abstract."}\n{"title": "T", "abstract": "A."}\n')
    papers, errors = _read(path)
    assert [p.title for p in papers] == ["T"]
    assert [str(e) for e in errors] == [f"{path}:1: missing field: title"]


def test_nul_in_a_record_rejects_that_record_alone(tmp_path: Path) -> None:
    path = tmp_path / "a.jsonl"
    lines = [
        {"title": "Good one", "abstract": "We propose X."},
        {"title": "Bad one", "abstract": "We propose \u0000Y."},
        {"title": "Good two", "abstract": "We propose Z."},
    ]
    path.write_text("".join(json.dumps(r) + "\n" for r in lines))
    papers, errors = _read(path)
    assert [p.title for p in papers] == ["Good one", "Good two"]
    assert len(errors) == 1 and errors[0].line == 2
    assert "NUL" in errors[0].message


def test_over_long_abstract_is_rejected_with_the_limit(tmp_path: Path) -> None:
    path = tmp_path / "a.jsonl"
    huge = "word " * (MAX_ABSTRACT_CHARS // 5 + 10)
    path.write_text(
        json.dumps({"title": "Huge", "abstract": huge})
        + "\n"
        + json.dumps({"title": "Small", "abstract": "Short."})
        + "\n"
    )
    papers, errors = _read(path)
    assert [p.title for p in papers] == ["Small"]
    assert len(errors) == 1 and errors[0].line == 1
    assert f"{MAX_ABSTRACT_CHARS:,}" in errors[0].message


def test_json_lines_with_arxiv_ids_are_read_line_by_line(tmp_path: Path) -> None:
    path = tmp_path / "papers.jsonl"
    rows = [{"title": f"T{i}", "abstract": "A.", "arxiv_id": f"2601.0000{i}"} for i in (1, 2)]
    path.write_text("".join(json.dumps(r) + "\n" for r in rows))
    papers, errors = _read(path)
    assert errors == []
    assert [p.arxiv_id for p in papers] == ["2601.00001", "2601.00002"]


def test_utf16_file_is_named_and_the_fix_given(tmp_path: Path) -> None:
    path = tmp_path / "papers.jsonl"
    path.write_bytes(codecs.BOM_UTF16_LE + '{"title": "T", "abstract": "A."}\n'.encode("utf-16-le"))
    with pytest.raises(InputError, match=r"UTF-16 text: convert to UTF-8 \(e\.g\. iconv"):
        list(read_papers(path))
    bare = tmp_path / "bare.jsonl"
    bare.write_bytes('{"title": "T", "abstract": "A."}\n'.encode("utf-16-le"))
    with pytest.raises(InputError, match="UTF-16 text"):
        list(read_papers(bare))


def test_strip_markup() -> None:
    assert strip_markup("<b>XSSNet</b> beats R&amp;D &lt;3 x<y and z>w") == (
        "XSSNet beats R&D <3 x<y and z>w"
    )


def test_html_in_titles_and_abstracts_is_read_as_text(tmp_path: Path) -> None:
    path = tmp_path / "a.jsonl"
    record = {"title": "<i>XSSNet</i> &amp; Friends", "abstract": "We propose <b>XSSNet</b>."}
    path.write_text(json.dumps(record) + "\n")
    papers, _ = _read(path)
    assert (papers[0].title, papers[0].abstract) == ("XSSNet & Friends", "We propose XSSNet.")


def test_bibtex_font_switches_are_dropped() -> None:
    text = (
        r"@article{k, title={{\em Attention} Is {\bf All}}, "
        r"abstract={We use \textit{it} and {\it this}.}}"
    )
    (paper,) = parse_bibtex(text)
    assert (paper.title, paper.abstract) == ("Attention Is All", "We use it and this.")


def test_browser_copy_of_a_daily_page_reads_every_paper_without_warnings() -> None:
    errors: list[InputError] = []
    text = (DATA / "daily_page_copy.txt").read_text()
    papers = list(parse_daily_page(text, source="copy.txt", errors=errors))
    assert [str(e) for e in errors] == []
    assert [p.title for p in papers] == [
        "Sparse Routing for Long-Context Retrieval Models with Learned Gates",
        "Tiny Agents Learn to Plan",
    ]
    assert [(p.authors_count, p.upvotes) for p in papers] == [(6, 12), (None, 4)]


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="needs named pipes")
def test_a_pipe_is_read_once(tmp_path: Path) -> None:
    import threading

    fifo = tmp_path / "in.jsonl"
    os.mkfifo(fifo)
    body = b'{"title": "Piped", "abstract": "Through a pipe."}\n'

    def feed() -> None:
        with fifo.open("wb") as out:
            out.write(body)

    writer = threading.Thread(target=feed)
    writer.start()
    papers, errors = _read(fifo)
    writer.join(5)
    assert errors == [] and [p.title for p in papers] == ["Piped"]
    assert papers[0].source == str(fifo)


def _page(blocks: list[bytes]) -> bytes:
    meta = b"\n\n  \xe2\x80\xa2 3 authors\n\xc2\xb7\nFeb 24, 2026 3\n\n"
    return b"Daily Papers\n\n" + b"".join(block + meta for block in blocks)


def test_a_non_utf8_byte_on_a_page_costs_only_its_paper(tmp_path: Path) -> None:
    path = tmp_path / "page.txt"
    path.write_bytes(
        _page(
            [
                b"First Paper\n\nWe propose the first method, which is good.",
                b"Broken Paper\n\nWe propose caf\xe9 methods, which are good.",
                b"Third Paper\n\nWe propose the third method, which is good.",
            ]
        )
    )
    papers, errors = _read(path)
    assert [p.title for p in papers] == ["First Paper", "Third Paper"]
    assert [(e.line, e.message) for e in errors] == [
        (11, "not UTF-8 text in the title or abstract")
    ]


def test_page_papers_are_checked_like_records() -> None:
    errors: list[InputError] = []
    huge = "We propose " + "x " * MAX_ABSTRACT_CHARS + "."
    text = _page([b"Huge Paper\n\n" + huge.encode(), b"<b>Bold</b> Paper\n\nWe propose it."])
    papers = list(parse_daily_page(text.decode(), source="p.txt", errors=errors))
    assert [p.title for p in papers] == ["Bold Paper"]
    assert len(errors) == 1 and "100,000-character limit" in errors[0].message
