"""The Cypher query library in ``cypher/``: find, describe and parameterise queries.

Each read query is one ``.cypher`` file whose header comment says what it answers
and declares its parameters::

    // Papers that mention an entity, found by any of its names.
    // @param name string  the entity's name or one of its aliases
    // @param limit int = 50  most rows returned

Values reach Cypher only as parameters, never as query text. The statements kg runs
itself (writes, lookups, dumps) live in ``cypher/internal/`` and load with
:func:`load_internal`; :func:`load_query` and ``kg query`` only reach the queries for
people.
"""

import re
from dataclasses import dataclass
from importlib import resources
from importlib.resources.abc import Traversable
from pathlib import Path
from typing import Any

from kg.errors import QueryError

__all__ = [
    "INTERNAL",
    "Param",
    "Query",
    "bind_params",
    "list_queries",
    "load_internal",
    "load_query",
    "query_dir",
    "schema_statements",
]

# The folder of cypher/ that holds the statements kg runs itself.
INTERNAL = "internal"

_PARAM = re.compile(r"^//\s*@param\s+(\w+)\s+(string|int|float|bool)(?:\s*=\s*(\S*))?\s*(.*)$")
_CASTS: dict[str, Any] = {
    "string": str,
    "int": int,
    "float": float,
    "bool": lambda v: v.lower() in ("1", "true", "yes"),
}


@dataclass(frozen=True, slots=True)
class Param:
    """A declared query parameter: name, type, default (None: required) and help."""

    name: str
    type: str
    default: str | None
    help: str


@dataclass(frozen=True, slots=True)
class Query:
    """A query file: its name, text, one-paragraph description and parameters.

    ``internal`` queries (``cypher/internal/``) are run by kg itself, never by ``kg query``.
    """

    name: str
    text: str
    description: str
    params: tuple[Param, ...]
    internal: bool = False


def query_dir() -> Traversable:
    """Return the folder of query files: ``kg/cypher`` in a wheel, ``cypher/`` in a checkout."""
    packaged = resources.files("kg").joinpath("cypher")
    if packaged.is_dir():
        return packaged
    return Path(__file__).resolve().parent.parent / "cypher"


def load_query(name: str) -> Query:
    """Load the query for people ``name`` (file name without ``.cypher``)."""
    _check_name(name)
    path = query_dir().joinpath(f"{name}.cypher")
    if not path.is_file():
        if query_dir().joinpath(INTERNAL, f"{name}.cypher").is_file():
            raise QueryError(
                f"{name!r} is a statement kg runs itself (cypher/{INTERNAL}/{name}.cypher), "
                "not a query to run by hand; `kg query --list` shows the queries you can run"
            )
        known = ", ".join(q.name for q in list_queries())
        raise QueryError(f"no query named {name!r}; available: {known}")
    return _parse(name, path.read_text("utf-8"))


def load_internal(name: str) -> Query:
    """Load ``cypher/internal/NAME.cypher``, a statement kg runs itself."""
    _check_name(name)
    path = query_dir().joinpath(INTERNAL, f"{name}.cypher")
    if not path.is_file():
        raise QueryError(f"no internal statement named {name!r} in cypher/{INTERNAL}/")
    return _parse(name, path.read_text("utf-8"), internal=True)


def schema_statements(store: str) -> list[str]:
    """Return the statements of ``cypher/STORE/schema.cypher`` (``neo4j``, ``falkor``), in order.

    Statements end with ``;``; ``//`` comment lines are dropped and whitespace collapsed.
    """
    _check_name(store)
    path = query_dir().joinpath(store, "schema.cypher")
    if not path.is_file():
        raise QueryError(f"no schema for {store!r}: cypher/{store}/schema.cypher is missing")
    text = path.read_text("utf-8")
    code = "\n".join(line for line in text.splitlines() if not line.lstrip().startswith("//"))
    return [" ".join(part.split()) for part in code.split(";") if part.strip()]


def list_queries(*, include_internal: bool = False) -> list[Query]:
    """Return the queries for people sorted by name; with ``include_internal``, kg's own too."""
    folders = [(query_dir(), False)]
    if include_internal:
        folders.append((query_dir().joinpath(INTERNAL), True))
    queries = [
        _parse(entry.name.removesuffix(".cypher"), entry.read_text("utf-8"), internal=internal)
        for folder, internal in folders
        for entry in folder.iterdir()
        if entry.name.endswith(".cypher")
    ]
    return sorted(queries, key=lambda q: (q.internal, q.name))


def bind_params(query: Query, given: dict[str, str]) -> dict[str, Any]:
    """Convert ``given`` (strings from the command line) to the declared types, with defaults.

    >>> q = _parse("q", "// Demo.\\n// @param name string  a\\n// @param limit int = 5  rows\\n")
    >>> bind_params(q, {"name": "PPO"})
    {'name': 'PPO', 'limit': 5}
    """
    declared = {p.name: p for p in query.params}
    unknown = sorted(set(given) - set(declared))
    if unknown:
        raise QueryError(
            f"query {query.name!r} has no parameter {unknown[0]!r}; "
            f"it takes: {', '.join(declared) or 'none'}"
        )
    bound: dict[str, Any] = {}
    for param in query.params:
        raw = given.get(param.name, param.default)
        if raw is None:
            raise QueryError(
                f"query {query.name!r} needs -p {param.name} VALUE ({param.type}: {param.help})"
            )
        try:
            bound[param.name] = _CASTS[param.type](raw)
        except ValueError:
            raise QueryError(
                f"parameter {param.name!r} of {query.name!r} must be {param.type}, got {raw!r}"
            ) from None
        if param.type == "int":
            _check_range(query, param.name, bound[param.name])
    return bound


# FalkorDB reads LIMIT and SKIP as 32-bit counts (2**32 wraps to 0: no rows, silently),
# and both stores keep integers in 64 bits: values outside these ranges are refused.
_COUNT_MAX = 2**31 - 1
_INT64 = (-(2**63), 2**63 - 1)


def _check_range(query: Query, name: str, value: int) -> None:
    if re.search(rf"\b(?:LIMIT|SKIP)\s+\${name}\b", query.text, re.IGNORECASE):
        low, high = 0, _COUNT_MAX
    else:
        low, high = _INT64
    if not low <= value <= high:
        raise QueryError(
            f"parameter {name!r} of {query.name!r} must be between {low} and {high}, got {value}"
        )


def _check_name(name: str) -> None:
    if not re.fullmatch(r"[\w-]+", name):
        raise QueryError(f"bad query name {name!r}: use letters, digits, '_' and '-' only")


def _parse(name: str, text: str, *, internal: bool = False) -> Query:
    description: list[str] = []
    params: list[Param] = []
    for line in text.splitlines():
        if not line.startswith("//"):
            break
        if match := _PARAM.match(line):
            pname, ptype, default, help_ = match.groups()
            if default is not None:
                default = default.strip("\"'")  # ``= ""`` declares an empty default
            params.append(Param(pname, ptype, default, help_.strip()))
        elif not params:
            description.append(line.lstrip("/").strip())
    return Query(name, text, " ".join(d for d in description if d), tuple(params), internal)
