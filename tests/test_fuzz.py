"""Fuzz every reader and the extractor with hypothesis: bytes, unicode, huge lines, mutations.

No input may raise anything but kg's own :class:`~kg.errors.InputError`, and that error
must say where (the file, and the line when there is one). Mutations of each format's
real sample file reach deeper than random bytes: they keep most of the structure.

Bounded for CI: ``KG_FUZZ_EXAMPLES`` examples per target (default 40) and no deadline
(the machine is shared); ``KG_FUZZ_EXAMPLES=2000`` for a long run.
"""

import os
import tempfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from kg.errors import InputError
from kg.extract import extract
from kg.link import link
from kg.models import Paper
from kg.readers import parse_field_map
from kg.readers.ingest import FORMATS, read_papers
from kg.store.base import graph_rows

EXAMPLES = int(os.environ.get("KG_FUZZ_EXAMPLES", "40"))
fuzz = settings(
    max_examples=EXAMPLES,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
    derandomize=os.environ.get("KG_FUZZ_RANDOM") is None,  # reproducible unless asked
)
DATA = Path(__file__).parent / "data"
EXAMPLE = Path(__file__).parent.parent / "examples" / "daily_papers_page.txt"
SAMPLES = {
    "daily-page": EXAMPLE,
    "arxiv-atom": DATA / "arxiv_query.atom",
    "arxiv-snapshot": DATA / "arxiv_snapshot.jsonl",
    "hf-daily": DATA / "hf_daily_api.json",
    "bibtex": DATA / "papers.bib",
    "records": DATA / "records.csv",
}
RECORD_FIELDS = parse_field_map("title=title,abstract=abstract")


def test_every_format_has_a_sample() -> None:
    assert set(SAMPLES) == set(FORMATS)


def read_bytes_as(data: bytes, format: str | None, *, strict: bool, name: str = "in.txt") -> None:
    """Read ``data`` from a file; fail on anything but an InputError that says where."""
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / name
        path.write_bytes(data)
        errors: list[InputError] | None = None if strict else []
        fields = RECORD_FIELDS if format == "records" else None
        try:
            papers = list(read_papers(path, format=format, errors=errors, fields=fields))
        except InputError as e:
            assert e.path == str(path), f"error without its file: {e}"
            return
        for error in errors or []:
            assert error.path == str(path), f"error without its file: {error}"
            assert str(error).startswith(str(path))
        for paper in papers:
            assert isinstance(paper.title, str) and paper.title.strip()
            assert isinstance(paper.abstract, str)


def mutate(data: bytes, edits: list[tuple[int, int, bytes]]) -> bytes:
    """Apply (position, length to cut, bytes to insert) edits, positions taken modulo size."""
    for position, cut, insert in edits:
        at = position % (len(data) + 1)
        data = data[:at] + insert + data[at + cut :]
    return data


edits = st.lists(
    st.tuples(
        st.integers(min_value=0, max_value=1 << 20),
        st.integers(min_value=0, max_value=64),
        st.one_of(
            st.binary(max_size=16),
            st.text(max_size=8).map(lambda t: t.encode("utf-8")),
            st.sampled_from(
                [
                    b"\x00",
                    b"\xff\xfe",
                    b"\n",
                    b"\r\n",
                    b"{",
                    b"}",
                    b"[",
                    b'"',
                    b"<",
                    b"@",
                    b",",
                    b"\xe2\x80\xa8",
                    b"\x1f\x8b",
                    "é".encode("latin-1"),
                    b"\\",
                    b"%",
                    b"<!--",
                ]
            ),
        ),
    ),
    min_size=1,
    max_size=8,
)


@pytest.mark.parametrize("format", sorted(FORMATS))
@fuzz
@given(edit_list=edits, cut_at=st.one_of(st.none(), st.floats(min_value=0, max_value=1)))
def test_mutated_samples(
    format: str, edit_list: list[tuple[int, int, bytes]], cut_at: float | None
) -> None:
    data = mutate(SAMPLES[format].read_bytes(), edit_list)
    if cut_at is not None:  # a truncated file
        data = data[: int(len(data) * cut_at)]
    read_bytes_as(data, format, strict=False)
    read_bytes_as(data, None, strict=False)
    read_bytes_as(data, format, strict=True)


@pytest.mark.parametrize("format", [None, *sorted(FORMATS)])
@fuzz
@given(data=st.one_of(st.binary(max_size=2048), st.text(max_size=2048).map(str.encode)))
def test_arbitrary_bytes_and_text(format: str | None, data: bytes) -> None:
    read_bytes_as(data, format, strict=False)
    read_bytes_as(data, format, strict=True)


@pytest.mark.parametrize("format", [None, *sorted(FORMATS)])
@fuzz
@given(
    line=st.text(min_size=1, max_size=8).map(lambda t: t * (200_000 // len(t) + 1)),
    gzipped=st.booleans(),
)
def test_huge_lines(format: str | None, line: str, gzipped: bool) -> None:
    import gzip

    data = ("Title\n" + line + "\n").encode("utf-8", "surrogatepass")
    read_bytes_as(gzip.compress(data) if gzipped else data, format, strict=False)


texts = st.text(
    alphabet=st.characters(codec="utf-8", exclude_categories=["Cs"]), max_size=600
) | st.from_regex(
    r"(We (propose|introduce) [A-Z][A-Za-z0-9-]{1,12}( \([A-Z]{2,6}\))?[,.:;]? ?"
    r"|[A-Z]{2,6}-style |on ImageNet |https?://github\.com/\w+/\w+ |\(\w*\) |\s+)+",
    fullmatch=True,
)


@fuzz
@given(title=texts, abstract=texts)
def test_extractor_on_arbitrary_text(nlp, title: str, abstract: str) -> None:  # type: ignore[no-untyped-def]
    check_extraction(nlp, title, abstract)


@fuzz
@given(title=texts, abstract=texts)
def test_full_extractor_on_arbitrary_text(full_nlp, title: str, abstract: str) -> None:  # type: ignore[no-untyped-def]
    check_extraction(full_nlp, title, abstract)  # with the trained tagger


def check_extraction(nlp, title: str, abstract: str) -> None:  # type: ignore[no-untyped-def]
    assume(title.strip())
    paper = Paper(id="p1", title=title, abstract=abstract)
    extractions = list(extract(nlp, [paper]))
    for extraction in extractions:
        for m in extraction.mentions:
            text = title if m.section == "title" else abstract
            assert 0 <= m.start <= m.end
            assert text[m.start : m.end].strip() == m.text.strip(), (m, text)
            assert m.canonical.strip()
    graph = link(iter(extractions))
    graph_rows(graph)  # what would be written: plain data, every label from the known set


toml_like = st.one_of(
    st.text(max_size=400),
    st.lists(
        st.sampled_from(["ignore", "split", "merge", "types", "x", '"a b"', "LoCoMo", "[", "]"])
        | st.text(max_size=12),
        max_size=12,
    ).map(
        lambda parts: "\n".join(f"{p} = {q!r}" for p, q in zip(parts, reversed(parts), strict=True))
    ),
    st.builds(
        lambda section, name, value: f"[{section}]\n{name!r} = {value!r}\n",
        st.sampled_from(["merge", "types", "ignore"]),
        st.text(max_size=20),
        st.text(max_size=20) | st.sampled_from(["Dataset", "Method"]),
    ),
)


@fuzz
@given(text=toml_like)
def test_overrides_file(text: str) -> None:
    from kg.link.overrides import parse_overrides

    try:
        parse_overrides(text, source="kg.toml")
    except InputError as e:
        assert e.path == "kg.toml", e


@fuzz
@given(text=st.text(max_size=200) | st.from_regex(r"(\w{0,8}=[\w+]{0,10},?){0,5}", fullmatch=True))
def test_field_map(text: str) -> None:
    try:
        parse_field_map(text)
    except InputError as e:
        assert str(e).startswith("--map"), e
