"""Read BibTeX entries that carry an ``abstract`` field.

A small parser, enough for what reference managers and arXiv export: ``@type{key,
name = {value} | "value" | 123 | macro, ...}`` with nested braces, ``#``
concatenation and ``@string`` macros. ``@comment`` and ``@preamble`` are skipped. An
entry with unbalanced braces is rejected and reading resumes at the next ``@``
that starts a line. LaTeX is reduced to text: accents (``{\\"o}`` → ``ö``),
``~``, ``\\&`` and grouping braces.
"""

import re
import unicodedata
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from kg.errors import InputError
from kg.models import Paper
from kg.readers.base import (
    MAX_RECORD_BYTES,
    clean_text,
    make_reject,
    normalise_doi,
    open_binary,
    paper_problem,
    strip_markup,
)
from kg.readers.ids import normalise_arxiv_id, paper_id

__all__ = ["latex_to_text", "looks_like_bibtex", "parse_bibtex", "read_bibtex"]

_ENTRY_START = re.compile(r"@\s*([A-Za-z]+)\s*([{(])")
_NEXT_ENTRY = re.compile(r"^\s*@", re.M)
_FIELD_NAME = re.compile(r"\s*([A-Za-z][\w:.+-]*)\s*=\s*")
_MONTHS = {m: i for i, m in enumerate("jan feb mar apr may jun jul aug sep oct nov dec".split(), 1)}
_ACCENTS = {"'": "\u0301", "`": "\u0300", "^": "\u0302", '"': "\u0308", "~": "\u0303",
            "=": "\u0304", ".": "\u0307", "u": "\u0306", "v": "\u030c", "H": "\u030b",
            "c": "\u0327", "k": "\u0328", "r": "\u030a"}  # fmt: skip
_SYMBOLS = {"ss": "ß", "o": "ø", "O": "Ø", "ae": "æ", "AE": "Æ", "l": "ł", "L": "Ł",
            "aa": "å", "AA": "Å", "i": "\u0131", "&": "&", "%": "%", "_": "_", "#": "#",
            "$": "$"}  # fmt: skip

# Font switches that act on the rest of their group: ``{\em Attention}``.
_FONT_SWITCH = re.compile(
    r"\\(?:em|it|bf|sl|sc|tt|rm|sf|up|md|normalfont|bfseries|mdseries|itshape|slshape"
    r"|scshape|upshape|rmfamily|sffamily|ttfamily|tiny|scriptsize|footnotesize|small"
    r"|normalsize|large|Large|LARGE|huge|Huge)(?![A-Za-z])\s*"
)


def looks_like_bibtex(head: str) -> bool:
    """Tell whether ``head`` holds a BibTeX entry.

    >>> looks_like_bibtex("% refs\\n@article{vaswani2017,\\n  title = {Attention}}")
    True
    >>> looks_like_bibtex('{"title": "@misc{x,"}')
    False
    """
    return bool(re.search(r"^\s*@\s*[A-Za-z]+\s*[{(]\s*[^\s,]*\s*,", head, re.M)) and not (
        head.lstrip().startswith(("{", "["))
    )


def read_bibtex(
    path: Path, *, source: str, errors: list[InputError] | None = None, **_: Any
) -> Iterator[Paper]:
    """Yield a paper for each entry with a title and an abstract."""
    with open_binary(path) as stream:
        text = stream.read().decode("utf-8-sig", errors="surrogateescape")
    yield from parse_bibtex(text, source=source, errors=errors)


def parse_bibtex(
    text: str, *, source: str = "<text>", errors: list[InputError] | None = None
) -> Iterator[Paper]:
    """Yield the papers in BibTeX ``text``; see :func:`read_bibtex`.

    >>> [p.title for p in parse_bibtex('@article{k, title={{BERT}: Pre-training}, '
    ...     'abstract = "We " # "introduce BERT.", author={Devlin, Jacob and Ming-Wei Chang}}')]
    ['BERT: Pre-training']
    """
    reject = make_reject(source, errors)
    macros: dict[str, str] = {}
    pos = 0
    line = 1
    while match := _ENTRY_START.search(text, pos):
        line += text.count("\n", pos, match.start())
        pos = match.start()
        kind = match.group(1).casefold()
        try:
            key, fields, end = _parse_entry(text, match.end(), match.group(2), macros)
        except _Malformed as e:
            nxt = _NEXT_ENTRY.search(text, match.end())
            end = nxt.start() if nxt else len(text)
            reject(f"malformed BibTeX entry: {e}", line=line, record=text[pos:end])
            line += text.count("\n", pos, end)
            pos = end
            continue
        raw = text[pos:end]
        line_of_entry = line
        line += text.count("\n", pos, end)
        pos = end
        if kind in ("comment", "preamble"):
            continue
        if kind == "string":
            macros.update({k.casefold(): v for k, v in fields.items()})
            continue
        if len(raw) > MAX_RECORD_BYTES:
            reject("entry is over the size limit; skipped", line=line_of_entry)
            continue
        paper = _paper(key, fields, source=source, line=line_of_entry)
        if isinstance(paper, str):
            reject(f"entry {key!r}: {paper}", line=line_of_entry, record=raw)
        else:
            yield paper


class _Malformed(Exception):
    pass


def _parse_entry(
    text: str, pos: int, opener: str, macros: dict[str, str]
) -> tuple[str, dict[str, str], int]:
    """Parse from after ``@type{`` to the closing brace: ``(key, fields, end offset)``."""
    closer = "}" if opener == "{" else ")"
    if text[pos:].lstrip().startswith(closer):  # @comment{} and friends
        return "", {}, text.index(closer, pos) + 1
    comma = text.find(",", pos)
    brace = text.find(closer, pos)
    fields: dict[str, str] = {}
    if comma == -1 or (brace != -1 and brace < comma):
        if brace == -1:
            raise _Malformed("no closing brace")
        return text[pos:brace].strip(), fields, brace + 1  # @string{...}-less key only
    key = text[pos:comma].strip()
    if "=" in key:  # @string{name = "value"} has no key
        key, comma = "", pos - 1
    pos = comma + 1
    while True:
        while pos < len(text) and (text[pos].isspace() or text[pos] == ","):
            pos += 1
        if pos >= len(text):
            raise _Malformed("end of file before the closing brace")
        if text[pos] == closer:
            return key, fields, pos + 1
        name = _FIELD_NAME.match(text, pos)
        if not name:
            snippet = text[pos : pos + 30].split("\n")[0]
            raise _Malformed(f"expected 'name = value', found {snippet!r}")
        pos = name.end()
        parts: list[str] = []
        while True:
            value, pos = _value(text, pos, macros)
            parts.append(value)
            while pos < len(text) and text[pos].isspace():
                pos += 1
            if pos < len(text) and text[pos] == "#":
                pos += 1
                while pos < len(text) and text[pos].isspace():
                    pos += 1
                continue
            break
        fields[name.group(1).casefold()] = "".join(parts)


def _value(text: str, pos: int, macros: dict[str, str]) -> tuple[str, int]:
    if pos >= len(text):
        raise _Malformed("end of file inside a field")
    if text[pos] == "{":
        depth, i = 0, pos
        while i < len(text):
            char = text[i]
            if char == "\\":
                i += 2
                continue
            if char == "{":
                depth += 1
            elif char == "}":
                depth -= 1
                if depth == 0:
                    return text[pos + 1 : i], i + 1
            elif char == "@" and text[i - 1] == "\n":
                raise _Malformed("unbalanced braces: a new entry starts inside a field")
            i += 1
        raise _Malformed("unbalanced braces: end of file inside a field")
    if text[pos] == '"':
        depth, i = 0, pos + 1
        while i < len(text):
            char = text[i]
            if char == "\\":
                i += 2
                continue
            if char == "{":
                depth += 1
            elif char == "}":
                depth -= 1
            elif char == '"' and depth == 0:
                return text[pos + 1 : i], i + 1
            i += 1
        raise _Malformed("unterminated quoted value")
    word = re.match(r"[\w:.+-]+", text[pos:])
    if not word:
        raise _Malformed(f"unexpected {text[pos]!r} where a value should be")
    value = word.group()
    return (value if value.isdigit() else macros.get(value.casefold(), _month(value))), pos + len(
        value
    )


def _month(value: str) -> str:
    number = _MONTHS.get(value[:3].casefold())
    return f"{number:02d}" if number else value


def latex_to_text(text: str) -> str:
    """Reduce LaTeX markup to plain text.

    >>> latex_to_text(r"G{\\"o}del~and {\\'E}cole \\& {\\ss} {\\textbf{bold}} \\emph{x}")
    'Gödel and École & ß bold x'
    """
    text = re.sub(
        r"\\([`'^\"~=.]|[uvHckr](?=[\s{]))\s*\{?\s*\\?([A-Za-z])\}?",
        lambda m: unicodedata.normalize("NFC", m.group(2) + _ACCENTS[m.group(1)]),
        text,
    )
    text = re.sub(
        r"\\(ss|ae|AE|aa|AA|[oOlLi]|[&%_#$])(?![A-Za-z])",
        lambda m: _SYMBOLS[m.group(1)],
        text,
    )
    text = _FONT_SWITCH.sub("", text)  # {\em x} -> {x}
    text = re.sub(r"\\[A-Za-z]+\*?\s*(?=\{)", "", text)  # \textbf{x} -> {x}
    text = text.replace("~", " ").replace("--", "\u2013")
    return clean_text(text.replace("{", "").replace("}", ""))


def _author_name(name: str) -> str:
    """``Last, First`` → ``First Last``; ``{Org Name}`` stays whole."""
    if "," in name:
        last, _, first = name.partition(",")
        name = f"{first.strip()} {last.strip()}"
    return latex_to_text(name)


def _split_authors(value: str) -> tuple[str, ...]:
    names: list[str] = []
    depth, start = 0, 0
    for match in re.finditer(r"[{}]|\s+and\s+", value):
        token = match.group()
        if token == "{":
            depth += 1
        elif token == "}":
            depth -= 1
        elif depth == 0:
            names.append(value[start : match.start()])
            start = match.end()
    names.append(value[start:])
    return tuple(dict.fromkeys(n for n in (_author_name(x) for x in names) if n and n != "others"))


def _paper(key: str, fields: dict[str, str], *, source: str, line: int) -> Paper | str:
    title = strip_markup(latex_to_text(fields.get("title", "")))
    abstract = strip_markup(latex_to_text(fields.get("abstract", "")))
    if problem := paper_problem(title, abstract):
        return problem
    arxiv = normalise_arxiv_id(fields.get("eprint") or fields.get("arxivid") or "")
    for name in ("journal", "url", "note"):
        found = re.search(r"arxiv\S*?[:/]\s*(\d{4}\.\d{4,5})", fields.get(name, ""), re.I)
        if arxiv is None and found:
            arxiv = normalise_arxiv_id(found.group(1))
    authors = _split_authors(fields.get("author", ""))
    year, month = fields.get("year", "").strip(), fields.get("month", "").strip()
    published = None
    if re.fullmatch(r"\d{4}", year):
        published = f"{year}-{int(month):02d}" if month.isdigit() and 0 < int(month) < 13 else year
    urls = tuple(
        u for u in (fields.get("url", "").strip(), fields.get("code", "").strip())
        if u.startswith("http") and "arxiv.org" not in u and "doi.org" not in u
    )  # fmt: skip
    return Paper(
        id=paper_id(title, arxiv_id=arxiv),
        title=title,
        abstract=abstract,
        source=source,
        line=line,
        authors_count=len(authors) or None,
        arxiv_id=arxiv,
        authors=authors,
        doi=normalise_doi(fields.get("doi")),
        urls=urls,
        published=published,
    )
