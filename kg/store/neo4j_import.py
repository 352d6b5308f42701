"""CSV files for ``neo4j-admin database import full``, for graphs too big to load in transactions.

One header file and one data file per node label and relationship type, built
from the same rows as the transactional writes (:func:`~kg.store.graph_rows`), so
an imported database holds what ``kg push`` would have written, content hashes
included (a later ``kg push`` sends only what changed). Every file is written to a
temporary name and renamed into place.
"""

import csv
import shlex
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from kg.atomic import atomic_open
from kg.models import Graph
from kg.store.base import graph_rows

__all__ = [
    "ARRAY_DELIMITER",
    "ImportFiles",
    "Table",
    "import_command",
    "import_tables",
    "write_import_files",
]

# Between array elements and between labels; a control character no text of ours contains
# (and it is removed from values, so a value can never split into two elements).
ARRAY_DELIMITER = "\x1f"
_DELIMITER_FLAG = "U+001F"


@dataclass(frozen=True, slots=True)
class Table:
    """One CSV pair: ``kind`` is ``nodes`` or ``relationships``; ``name`` a label or type."""

    kind: str
    name: str
    stem: str
    header: tuple[str, ...]
    rows: list[list[Any]]


@dataclass(frozen=True, slots=True)
class ImportFiles:
    """The files written and the command that imports them."""

    folder: Path
    tables: tuple[Table, ...]
    command: str

    def counts(self) -> dict[str, int]:
        return {t.name: len(t.rows) for t in self.tables}


def import_tables(graph: Graph) -> list[Table]:
    """Return the node and relationship tables of ``graph``, with neo4j-admin headers.

    >>> from kg.models import Paper
    >>> [t.header[0] for t in import_tables(Graph([Paper("p1", "T", "A.")], {}, [], [], []))][:3]
    ['id:ID(Paper)', 'key:ID(Entity)', 'url:ID(Repository)']
    """
    rows = graph_rows(graph)
    hashes = {r["id"]: r["hash"] for r in rows["write_paper_hashes"]}
    papers = [
        [
            r["id"],
            *(r["props"][k] for k in _PAPER_PROPS),
            hashes.get(r["id"]),
        ]
        for r in rows["write_papers"]
    ]
    entities = [
        [
            r["key"],
            r["canonical"],
            r["name"],
            r["type"],
            _array(r["aliases"]),
            _array(r["names"]),
            _array(r["formed"]),
            r["type"],  # the type label; --nodes=Entity=... adds Entity
            r["kind"],  # named or concept (#17)
        ]
        for r in rows["write_entities"]
    ]
    repositories: dict[str, list[Any]] = {}
    for r in rows["write_repositories"]:
        repositories[r["url"]] = [r["url"], r["kind"], r["host"]]
    mentions = [
        [
            r["paper"],
            r["key"],
            r["count"],
            r["evidence"],
            _array(r["surfaces"]),
            r["section"],
            r["start"],
            r["end"],
            _array(r["via"]),
            r["kind"],
        ]
        for r in rows["write_mentions"]
    ]
    proposes = [[r["paper"], r["key"], r["evidence"]] for r in rows["write_proposes"]]
    affiliations = sorted({(r["paper"], r["key"]) for r in rows["write_affiliations"]})
    has_code = {(r["paper"], r["url"]): r["evidence"] for r in rows["write_repositories"]}
    authors = {r["key"]: [r["key"], r["name"]] for r in rows.get("write_authors", [])}
    written_by = [[r["paper"], r["key"], r["position"]] for r in rows.get("write_authors", [])]
    variants = [[r["key"], r["parent"], r["reason"]] for r in rows.get("write_variants", [])]
    return [
        Table(
            "nodes",
            "Paper",
            "papers",
            (
                "id:ID(Paper)",
                "title",
                "abstract",
                "date",
                "upvotes:int",
                "authors_count:int",
                "organization",
                "arxiv_id",
                "doi",
                "published",
                "title_key",
                "source",
                "line:int",
                "record",
                "input_order:int",
                "content_hash",
            ),
            papers,
        ),
        Table(
            "nodes",
            "Entity",
            "entities",
            (
                "key:ID(Entity)",
                "canonical",
                "name",
                "type",
                "aliases:string[]",
                "names:string[]",
                "formed:string[]",
                ":LABEL",
                "kind",
            ),
            entities,
        ),
        Table(
            "nodes",
            "Repository",
            "repositories",
            ("url:ID(Repository)", "kind", "host"),
            list(repositories.values()),
        ),
        Table("nodes", "Author", "authors", ("key:ID(Author)", "name"), list(authors.values())),
        Table(
            "relationships",
            "MENTIONS",
            "mentions",
            (
                ":START_ID(Paper)",
                ":END_ID(Entity)",
                "count:int",
                "evidence",
                "surfaces:string[]",
                "section",
                "start:int",
                "end:int",
                "via:string[]",
                "kind",
            ),
            mentions,
        ),
        Table(
            "relationships",
            "PROPOSES",
            "proposes",
            (":START_ID(Paper)", ":END_ID(Entity)", "evidence"),
            proposes,
        ),
        Table(
            "relationships",
            "AFFILIATED_WITH",
            "affiliated_with",
            (":START_ID(Paper)", ":END_ID(Entity)"),
            [list(pair) for pair in affiliations],
        ),
        Table(
            "relationships",
            "HAS_CODE",
            "has_code",
            (":START_ID(Paper)", ":END_ID(Repository)", "evidence"),
            [[paper, url, evidence] for (paper, url), evidence in has_code.items()],
        ),
        Table(
            "relationships",
            "WRITTEN_BY",
            "written_by",
            (":START_ID(Paper)", ":END_ID(Author)", "position:int"),
            written_by,
        ),
        Table(
            "relationships",
            "VARIANT_OF",
            "variant_of",
            (":START_ID(Entity)", ":END_ID(Entity)", "reason"),
            variants,
        ),
    ]


def import_command(folder: Path, tables: Iterable[Table], *, database: str = "neo4j") -> str:
    """Return the ``neo4j-admin database import full`` command for the files in ``folder``.

    >>> print(import_command(Path("/x"), [Table("nodes", "Paper", "papers", (), [])]))
    neo4j-admin database import full neo4j \\
      --array-delimiter=U+001F --multiline-fields=true \\
      --nodes=Paper=/x/papers.header.csv,/x/papers.csv
    """
    parts = [
        f"neo4j-admin database import full {shlex.quote(database)}",
        f"--array-delimiter={_DELIMITER_FLAG} --multiline-fields=true",
    ]
    for table in tables:
        header, data = _file_names(table)
        files = f"{folder / header},{folder / data}"
        parts.append(shlex.quote(f"--{table.kind}={table.name}={files}"))
    return " \\\n  ".join(parts)


def write_import_files(graph: Graph, folder: str | Path, *, database: str = "neo4j") -> ImportFiles:
    """Write the header and data CSV files of ``graph`` into ``folder`` (created if missing)."""
    path = Path(folder)
    path.mkdir(parents=True, exist_ok=True)
    tables = import_tables(graph)
    for table in tables:
        header, data = _file_names(table)
        _write_csv(path / header, [list(table.header)])
        _write_csv(path / data, table.rows)
    return ImportFiles(
        path, tuple(tables), import_command(path.resolve(), tables, database=database)
    )


_PAPER_PROPS = (
    "title",
    "abstract",
    "date",
    "upvotes",
    "authors_count",
    "organization",
    "arxiv_id",
    "doi",
    "published",
    "title_key",
    "source",
    "line",
    "record",
    "input_order",
)


def _file_names(table: Table) -> tuple[str, str]:
    return f"{table.stem}.header.csv", f"{table.stem}.csv"


def _array(values: Sequence[str]) -> str:
    return ARRAY_DELIMITER.join(v.replace(ARRAY_DELIMITER, " ") for v in values)


def _write_csv(path: Path, rows: Iterable[Sequence[Any]]) -> None:
    """Write ``rows`` to ``path`` atomically: a temporary file beside it, then a rename."""
    with atomic_open(path) as f:
        writer = csv.writer(f, lineterminator="\n")
        for row in rows:
            writer.writerow(["" if v is None else v for v in row])
