"""The Daily Papers page reader: layout, metadata, ids, and what bad input gets."""

from pathlib import Path

import pytest

from kg.errors import InputError
from kg.readers.daily_page import parse_daily_page
from kg.readers.ids import paper_id
from kg.readers.ingest import read_papers

from .conftest import SAMPLE, SHARED

HEADER = (
    "new\n\nGet trending papers in your email inbox!\n\nSubscribe\n\nDaily Papers\n\n"
    "byAK and the research community\n\nJan 7\n\n"
)
ABSTRACT = "We study a thing with a method that works well on many benchmarks and datasets today."


def page(*blocks: str) -> str:
    return HEADER + "\n\n".join(blocks) + "\n"


def test_sample_page_reads_every_paper_with_its_metadata() -> None:
    papers = list(read_papers(SAMPLE))
    assert len(papers) == 24
    first = papers[0]
    assert first.title == "On Data Engineering for Scaling LLM Terminal Capabilities"
    assert first.abstract.startswith("Despite rapid recent progress")
    assert (first.date, first.upvotes, first.authors_count) == ("2026-02-24", 3, 6)
    assert first.line == 13
    by_title = {p.title: p for p in papers}
    reranker = by_title["Query-focused and Memory-aware Reranker for Long Context Processing"]
    assert (reranker.organization_handle, reranker.organization) == ("google", "Google")
    assert (reranker.date, reranker.upvotes) == ("2026-02-12", 4)
    # A paper with no metadata block: the next title follows its abstract.
    ttt = by_title["Test-Time Training with KV Binding Is Secretly Linear Attention"]
    assert ttt.date is None and ttt.authors_count is None
    # A date without an upvote count.
    assert by_title["PyVision-RL: Forging Open Agentic Vision Models via RL"].upvotes is None
    assert (
        by_title["One-step Language Modeling via Continuous Denoising"].organization == "Meta Llama"
    )


@pytest.mark.skipif(
    not (SHARED / "examples").exists(), reason="../shared/data is not beside the repo"
)
def test_shared_copy_of_the_page_reads_the_same() -> None:
    shared = list(read_papers(SHARED / "examples" / "daily_papers_page.txt"))
    assert [p.title for p in shared] == [p.title for p in read_papers(SAMPLE)]


def test_urls_in_abstracts_are_kept() -> None:
    papers = {p.title: p for p in read_papers(SAMPLE)}
    assert (
        "github.com/hanxiangqin/omni-col-press"
        in papers["Multi-Vector Index Compression in Any Modality"].abstract
    )
    assert (
        "https://social-ai-studio.github.io/CHAIN/"
        in papers[
            "From Perception to Action: An Interactive Benchmark for Vision Reasoning"
        ].abstract
    )


def test_ids_are_stable_hashes_of_the_normalised_title() -> None:
    text = page(f"A Paper: With Punctuation!\n\n{ABSTRACT}")
    (paper,) = parse_daily_page(text)
    assert paper.id == paper_id("a paper with punctuation")
    assert paper.id.startswith("title:")
    assert paper_id("X", arxiv_id="2602.01234v2") == "arXiv:2602.01234"


def test_page_without_header_is_read_when_it_has_metadata_blocks() -> None:
    text = f"First Paper\n\n{ABSTRACT}\n\namazon Amazon\n·\nOct 10, 2025 2\n"
    (paper,) = parse_daily_page(text)
    assert (paper.organization_handle, paper.organization, paper.date, paper.upvotes) == (
        "amazon",
        "Amazon",
        "2025-10-10",
        2,
    )


def test_truncated_block_is_reported_with_its_line_and_the_rest_is_kept() -> None:
    text = page(
        f"Good One\n\n{ABSTRACT}\n\n  • 3 authors\n·\nFeb 2, 2026 1",
        "Cut Short",
        f"Good Two\n\n{ABSTRACT}",
        "Dangling Title",
    )
    errors: list[InputError] = []
    papers = list(parse_daily_page(text, source="page.txt", errors=errors))
    assert [p.title for p in papers] == ["Good One", "Good Two"]
    assert len(errors) == 2
    lines = text.splitlines()
    assert str(errors[0]).startswith(f"page.txt:{lines.index('Cut Short') + 1}: ")
    assert "'Cut Short'" in str(errors[0]) and "truncated" in str(errors[0])
    assert str(errors[1]).startswith(f"page.txt:{lines.index('Dangling Title') + 1}: ")


def test_without_an_error_list_the_first_problem_raises() -> None:
    text = page(f"Good One\n\n{ABSTRACT}", "Dangling Title")
    with pytest.raises(InputError, match="Dangling Title"):
        list(parse_daily_page(text, source="page.txt"))


def test_bad_metadata_line_is_reported_but_the_paper_is_kept() -> None:
    text = page(f"Good One\n\n{ABSTRACT}\n\n  • 3 authors\n·\nFeb 31, 2026 1")
    errors: list[InputError] = []
    (paper,) = parse_daily_page(text, source="p.txt", errors=errors)
    assert paper.title == "Good One" and paper.date is None and paper.upvotes == 1
    assert "impossible date" in str(errors[0])


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"", "file is empty"),
        (b"   \n\n", "file is empty"),
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "binary file"),
        (b"caf\xe9 au lait\n", "not UTF-8"),
        (b'{"name": "a json file", "text": "no title field"}\n', "unrecognised format"),
        (b"Dear diary,\n\ntoday I read a paper.\n", "unrecognised format"),
    ],
)
def test_unreadable_files_get_a_clear_error_naming_the_file(
    tmp_path: Path, content: bytes, message: str
) -> None:
    path = tmp_path / "input.txt"
    path.write_bytes(content)
    with pytest.raises(InputError, match=message) as info:
        list(read_papers(path))
    assert str(info.value).startswith(str(path))


def test_missing_file_and_directory(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="no such file"):
        list(read_papers(tmp_path / "nope.txt"))
    with pytest.raises(InputError, match="directory"):
        list(read_papers(tmp_path))
