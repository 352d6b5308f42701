"""Extraction results cached as Parquet, keyed by the paper's text and the extractor version.

Layout: ``FOLDER/extractions/<version>/part-*.parquet``, one row per paper text::

    key           string   paper_key(paper): a digest of its title and abstract
    mentions      list<struct<text, type, canonical, start, end, sentence, section,
                              proposed, rule, aliases, cue, kind>>
    repositories  list<struct<url, kind, sentence, start, end, section>>

The version (:func:`extractor_version`) is a digest of everything extraction depends on:
kg's extraction code, the catalog files and the NER model, so any change to them starts
a new folder and every paper is extracted again, while a change elsewhere (a reader, the
linker, the store) reuses every row. A file that cannot be read is reported in
:attr:`ExtractionCache.problems`, removed, and its papers are extracted again.
"""

import ast
import hashlib
import json
import uuid
from collections.abc import Iterable, Iterator
from contextlib import suppress
from functools import cache
from importlib import resources
from importlib.resources.abc import Traversable
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq
import spacy.about

from kg.atomic import atomic_open
from kg.catalog import CATALOG_FILES
from kg.extract.pipeline import EXTRACTOR_VERSION, NER_PATH, PaperExtraction
from kg.models import Mention, Paper, Repository

__all__ = [
    "SCHEMA",
    "ExtractionCache",
    "extractor_data",
    "extractor_modules",
    "extractor_version",
    "from_row",
    "paper_key",
    "to_row",
]

_MENTION = pa.struct(
    [
        ("text", pa.string()),
        ("type", pa.string()),
        ("canonical", pa.string()),
        ("start", pa.int32()),
        ("end", pa.int32()),
        ("sentence", pa.string()),
        ("section", pa.string()),
        ("proposed", pa.bool_()),
        ("rule", pa.string()),
        ("aliases", pa.list_(pa.string())),
        ("cue", pa.string()),
        ("kind", pa.string()),  # named or concept (#17)
    ]
)
_REPOSITORY = pa.struct(
    [
        ("url", pa.string()),
        ("kind", pa.string()),
        ("sentence", pa.string()),
        ("start", pa.int32()),
        ("end", pa.int32()),
        ("section", pa.string()),
    ]
)
SCHEMA = pa.schema(
    [
        ("key", pa.string()),
        ("mentions", pa.list_(_MENTION)),
        ("repositories", pa.list_(_REPOSITORY)),
    ]
)
# Where the extractor's code starts: every module of kg/extract, and what they import.
_EXTRACTOR_PACKAGE = "kg.extract"
# Rows written per Parquet file while extracting: an interrupted build keeps what it did.
_ROWS_PER_FILE = 20_000
# Past this many files in a version's folder, they are merged into one.
_MAX_FILES = 16


def paper_key(paper: Paper) -> str:
    """The cache key of a paper: a digest of its title and abstract (what extraction reads).

    >>> paper_key(Paper("a", "T", "Abstract.")) == paper_key(Paper("b", "T", "Abstract."))
    True
    >>> paper_key(Paper("a", "T", "Abstract.")) == paper_key(Paper("a", "T", "Abstract!"))
    False
    """
    text = json.dumps([paper.title, paper.abstract], ensure_ascii=False)
    return hashlib.blake2b(text.encode("utf-8"), digest_size=16).hexdigest()


@cache
def extractor_version(*, ner: bool = True, catalog: str | None = None) -> str:
    """A digest of the extractor: kg's extraction code, its catalog, its NER model and the
    word clusters the model reads.

    Content, not paths or dates: an identical copy gives the same version, and an edit
    to any of them gives a new one. Also covers spaCy's version and whether the NER
    model is used (``--no-ner`` extracts differently).
    """
    digest = hashlib.blake2b(digest_size=8)
    digest.update(f"{EXTRACTOR_VERSION}\0{spacy.about.__version__}\0ner={ner}\0".encode())
    package = resources.files("kg")
    root = Path(str(package))
    for module in extractor_modules():
        digest.update(module.encode() + b"\0")
        digest.update(_module_path(root, module).read_bytes())
    for data in extractor_data(ner=ner, catalog=catalog is not None):
        _hash_tree(digest, data)
    if catalog is not None:
        digest.update(Path(catalog).read_bytes())
    return digest.hexdigest()


def extractor_data(*, ner: bool = True, catalog: bool = False) -> list[Traversable]:
    """The data files and folders extraction reads: the shipped catalog files (unless a
    ``catalog`` file of the user's replaces them), and with ``ner`` the model and the word
    clusters its features read."""
    data = resources.files("kg").joinpath("data")
    found = [] if catalog else [data.joinpath(name) for name in CATALOG_FILES]
    if ner and NER_PATH.joinpath("meta.json").is_file():
        found += [NER_PATH, data.joinpath("clusters.npz")]
    return found


@cache
def extractor_modules() -> tuple[str, ...]:
    """The kg modules extraction runs: those of ``kg.extract`` and all they import, in kg.

    Read from the source with :mod:`ast` (imports inside functions included), so a helper
    moved out of ``kg/extract`` stays covered by :func:`extractor_version`. ``kg`` itself
    (its ``__init__`` only re-exports) is left out.

    >>> {"kg.extract.pipeline", "kg.names", "kg.models"} <= set(extractor_modules())
    True
    >>> "kg.link.corpus" in extractor_modules() or "kg.store.base" in extractor_modules()
    False
    """
    root = Path(str(resources.files("kg")))
    todo = [
        f"{_EXTRACTOR_PACKAGE}.{p.stem}" if p.stem != "__init__" else _EXTRACTOR_PACKAGE
        for p in sorted((root / "extract").glob("*.py"))
    ]
    seen: set[str] = set()
    while todo:
        module = todo.pop()
        if module in seen or module == "kg":
            continue
        path = _module_path(root, module)
        if not path.is_file():
            continue
        seen.add(module)
        package = module if path.name == "__init__.py" else module.rpartition(".")[0]
        todo += _kg_imports(ast.parse(path.read_bytes()), package)
    return tuple(sorted(seen))


def _module_path(root: Path, module: str) -> Path:
    """``kg.extract.cache`` -> ``ROOT/extract/cache.py`` (or the package's ``__init__.py``)."""
    parts = module.split(".")[1:]
    folder = root.joinpath(*parts)
    return folder / "__init__.py" if folder.is_dir() else folder.with_suffix(".py")


def _kg_imports(tree: ast.AST, package: str) -> Iterator[str]:
    """The kg modules a module's code imports (``from kg.x import y`` may name module y)."""
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            yield from (a.name for a in node.names if a.name.split(".")[0] == "kg")
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                parent = package.rsplit(".", node.level - 1)[0] if node.level > 1 else package
                base = f"{parent}.{base}" if base else parent
            if base.split(".")[0] == "kg":
                yield base
                yield from (f"{base}.{a.name}" for a in node.names)


def to_row(key: str, extraction: PaperExtraction) -> dict[str, Any]:
    """One cache row: the paper's mentions and repositories (:meth:`Mention.to_record`)."""
    return {
        "key": key,
        "mentions": [m.to_record() for m in extraction.mentions],
        "repositories": [r.to_record() for r in extraction.repositories],
    }


def from_row(paper: Paper, row: dict[str, Any]) -> PaperExtraction:
    """The extraction of ``paper`` from its cache row (the inverse of :func:`to_row`)."""
    mentions = [Mention.from_record(paper.id, m) for m in row["mentions"]]
    repositories = [Repository.from_record(paper.id, r) for r in row["repositories"]]
    return PaperExtraction(paper, mentions, repositories)


class ExtractionCache:
    """The Parquet files of one extractor version in ``folder/extractions/<version>``.

    ``problems`` collects one message per unreadable file (removed, so the papers it
    held are extracted and written again); the caller decides how to show them.
    """

    def __init__(self, folder: str | Path, version: str):
        self.folder = Path(folder) / "extractions" / version
        self.version = version
        self.problems: list[str] = []
        self._pending: list[dict[str, Any]] = []
        self._pending_tables: list[pa.Table] = []

    def lookup(self, keys: Iterable[str]) -> dict[str, dict[str, Any]]:
        """The cached rows of those ``keys`` that have one, by key.

        Reads one file at a time and keeps only the rows asked for, so a small build
        against a big cache holds little more than its own rows.
        """
        wanted = pa.array(sorted(set(keys)), pa.string())
        found: dict[str, dict[str, Any]] = {}
        for table in self._tables():
            rows = table.filter(pc.is_in(table["key"], value_set=wanted))
            for row in rows.to_pylist():
                found.setdefault(row["key"], row)
        return found

    def keys(self) -> set[str]:
        """Every key this version's files hold (reading the key column alone)."""
        found: set[str] = set()
        for table in self._tables(columns=["key"]):
            found.update(table["key"].to_pylist())
        return found

    def add(self, key: str, extraction: PaperExtraction) -> None:
        """Keep a new extraction; written with :meth:`flush` (and every 20,000 papers)."""
        self._pending.append(to_row(key, extraction))
        if len(self._pending) >= _ROWS_PER_FILE:
            self.flush()

    def add_table(self, table: pa.Table) -> None:
        """Keep rows already in :data:`SCHEMA` (from :func:`to_row`), like :meth:`add`."""
        self._pending_tables.append(table)
        if sum(t.num_rows for t in self._pending_tables) >= _ROWS_PER_FILE:
            self.flush()

    def write_table(self, table: pa.Table) -> Path:
        """Write rows already in :data:`SCHEMA` as one new file (atomically)."""
        self.folder.mkdir(parents=True, exist_ok=True)
        path = self.folder / f"part-{uuid.uuid4().hex}.parquet"
        with atomic_open(path, "wb") as f:
            pq.write_table(table.cast(SCHEMA), f, compression="zstd")
        return path

    def flush(self) -> None:
        """Write the kept extractions as one new file; merge files when there are many."""
        if self._pending:
            self._pending_tables.append(pa.Table.from_pylist(self._pending, schema=SCHEMA))
            self._pending.clear()
        try:
            if self._pending_tables:
                self.write_table(pa.concat_tables(self._pending_tables))
            if len(self._files()) > _MAX_FILES:
                self.compact()
        except (pa.ArrowException, OSError) as e:  # a full disk, a read-only folder
            self.problems.append(f"{self.folder}: cannot write the extraction cache ({_reason(e)})")
        finally:
            self._pending_tables.clear()

    def compact(self) -> None:
        """Merge this version's small files (under 20,000 rows) into one; big ones stay."""
        small = [path for path in self._files() if _rows(path) < _ROWS_PER_FILE]
        tables = list(self._tables(small))
        if len(tables) > 1:
            self.write_table(pa.concat_tables(tables))
            for path in small:
                path.unlink(missing_ok=True)

    def _files(self) -> list[Path]:
        return sorted(self.folder.glob("part-*.parquet")) if self.folder.is_dir() else []

    def _tables(
        self, files: list[Path] | None = None, *, columns: list[str] | None = None
    ) -> Iterator[pa.Table]:
        for path in self._files() if files is None else files:
            try:
                table = pq.read_table(path, columns=columns)
                expected = (
                    SCHEMA if columns is None else pa.schema(SCHEMA.field(c) for c in columns)
                )
                if not table.schema.equals(expected):
                    raise ValueError(f"unexpected columns {table.schema.names}")
            except FileNotFoundError:
                continue  # merged into another file by a concurrent build
            except (pa.ArrowException, OSError, ValueError) as e:
                self.problems.append(
                    f"{path}: unreadable extraction cache file ({_reason(e)}); removed, "
                    "its papers are extracted again"
                )
                with suppress(OSError):
                    path.unlink(missing_ok=True)
                continue
            yield table


def _hash_tree(
    digest: "hashlib.blake2b", root: Traversable, *, suffixes: tuple[str, ...] = ()
) -> None:
    """Feed every file under ``root`` (or ``root`` itself), in name order, to ``digest``."""
    if root.is_file():
        digest.update(root.name.encode() + b"\0" + root.read_bytes())
        return
    for child in sorted(root.iterdir(), key=lambda c: c.name):
        if child.is_dir() and child.name != "__pycache__":
            _hash_tree(digest, child, suffixes=suffixes)
        elif child.is_file() and (not suffixes or child.name.endswith(suffixes)):
            digest.update(child.name.encode() + b"\0" + child.read_bytes())


def _rows(path: Path) -> int:
    """The number of rows in a Parquet file (0 when unreadable: read and reported later)."""
    try:
        return int(pq.ParquetFile(path).metadata.num_rows)
    except (pa.ArrowException, OSError):
        return 0


def _reason(error: Exception) -> str:
    return " ".join(str(error).split())[:200] or type(error).__name__
