"""A Neo4j store through the official ``neo4j`` driver, for graphs kept on a server.

Every statement runs in a managed transaction (``session.execute_write``), which
the driver retries on transient errors (leader switches, deadlocks). The schema —
uniqueness constraints the write queries MERGE on, and a full-text index over
entity names — is Neo4j 5 DDL kept in ``cypher/neo4j/schema.cypher``; the embedded
store never runs it (FalkorDB has no ``CREATE CONSTRAINT`` or ``IF NOT EXISTS``).

The password goes to the driver and nowhere else: it is not kept on the store,
shown in its ``repr`` or put in any error message.
"""

import logging
import re
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from neo4j import Driver

from kg.errors import StoreError
from kg.query import schema_statements as _schema_statements
from kg.store.base import Result

__all__ = ["DEFAULT_URI", "DEFAULT_USER", "Neo4jStore", "schema_statements"]

DEFAULT_URI = "neo4j://localhost:7687"
DEFAULT_USER = "neo4j"
_URI_HELP = "Check --uri or NEO4J_URI (e.g. neo4j://localhost:7687)"
_AUTH_HELP = "Check --user/--password or NEO4J_USERNAME/NEO4J_PASSWORD"
_SCHEMES = ("neo4j", "neo4j+s", "neo4j+ssc", "bolt", "bolt+s", "bolt+ssc")

# The driver logs a failed connection as a warning too; without a handler of its own that
# would reach stderr next to the StoreError the CLI prints (only cli.py prints).
logging.getLogger("neo4j").addHandler(logging.NullHandler())


class Neo4jStore:
    """A graph in a Neo4j 5 database, written and queried with parameterised Cypher."""

    def __init__(
        self,
        uri: str = DEFAULT_URI,
        *,
        user: str = DEFAULT_USER,
        password: str = "",
        database: str | None = None,
        connection_timeout: float = 10.0,
        verify: bool = True,
    ):
        """Connect to ``uri`` (``neo4j://``, ``bolt://``, ``+s`` for TLS).

        ``database`` None means the server's default database. With ``verify`` the
        connection, the credentials and the database are checked now, so a wrong
        setting fails here with one clear line rather than at the first write.
        """
        from neo4j import Driver, GraphDatabase

        self.uri = uri
        self.user = user
        self.database = database or None
        self._schema_ready = False
        self._driver: Driver | None = None
        scheme = uri.partition("://")[0] if "://" in uri else ""
        if scheme not in _SCHEMES:
            raise StoreError(
                f"Bad Neo4j URI {uri!r}: the scheme must be one of {', '.join(_SCHEMES)}. "
                f"{_URI_HELP}."
            )
        try:
            driver = GraphDatabase.driver(
                uri,
                auth=(user, password),
                connection_timeout=connection_timeout,
                user_agent="kg",
            )
        except Exception as e:  # ConfigurationError, ValueError: a malformed URI
            detail = _scrub(str(e), password)
            raise StoreError(f"Bad Neo4j URI {uri!r}: {detail}. {_URI_HELP}.") from None
        self._driver = driver
        if verify:
            try:
                self._verify(driver, password)
            except BaseException:
                self.close()
                raise

    def __repr__(self) -> str:
        return f"Neo4jStore(uri={self.uri!r}, user={self.user!r}, database={self.database!r})"

    def __enter__(self) -> "Neo4jStore":
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def run(self, cypher: str, params: Mapping[str, Any] | None = None) -> Result:
        """Run one statement in a managed write transaction and return its rows.

        Reads run the same way: a transaction that writes nothing commits nothing, and
        the driver retries it on transient errors like any other.
        """
        from neo4j.exceptions import DriverError, Neo4jError

        values = dict(params or {})

        def work(tx: Any) -> Result:
            # The text comes from cypher/ or a fixed label, never from input: values are
            # only ever parameters.
            result = tx.run(cypher, values)
            columns = list(result.keys())
            rows = [[_plain(value) for value in record.values()] for record in result]
            return Result(columns, rows)

        if self._driver is None:
            raise StoreError(f"the connection to Neo4j at {self.uri} is closed")
        try:
            with self._driver.session(database=self.database) as session:
                return session.execute_write(work)
        except Neo4jError as e:
            raise StoreError(self._describe(e)) from None
        except DriverError as e:
            raise StoreError(
                f"Lost the connection to Neo4j at {self.uri} ({type(e).__name__}: {e}). "
                "Is it still running?"
            ) from None

    def ensure_schema(self) -> None:
        """Create the constraints and the full-text index once (``IF NOT EXISTS``)."""
        if self._schema_ready:
            return
        for statement in schema_statements():
            self.run(statement)
        self._schema_ready = True

    def close(self) -> None:
        """Close the driver and its connections."""
        driver = self._driver
        if driver is not None:
            self._driver = None
            driver.close()

    def _verify(self, driver: "Driver", password: str) -> None:
        from neo4j.exceptions import AuthError, DriverError, Neo4jError, ServiceUnavailable

        try:
            driver.verify_connectivity()
        except AuthError:
            raise StoreError(
                f"Neo4j at {self.uri} refused the credentials of user {self.user!r}. {_AUTH_HELP}."
            ) from None
        except (ServiceUnavailable, OSError) as e:
            raise StoreError(
                f"Cannot reach Neo4j at {self.uri} ({_reason(_scrub(str(e), password))}). "
                f"Is it running? {_URI_HELP}."
            ) from None
        except (DriverError, Neo4jError) as e:
            raise StoreError(
                f"Cannot connect to Neo4j at {self.uri}: {_scrub(str(e), password)}. {_URI_HELP}."
            ) from None
        self.run("RETURN 1 AS ok")  # fails here when the database does not exist

    def _describe(self, error: Any) -> str:
        """One line for a server error: where, what, and what to check."""
        code = getattr(error, "code", None) or ""
        message = " ".join(str(getattr(error, "message", None) or error).split())
        code = str(code)
        where = f"Neo4j at {self.uri}"
        if code.endswith(("DatabaseNotFound", "Database.DatabaseNotFound")):
            return (
                f"{where} has no database {self.database!r}. "
                "Check --database or NEO4J_DATABASE (or leave it unset for the default)."
            )
        if "Security" in code:
            return f"{where} refused access for user {self.user!r}: {message}. {_AUTH_HELP}."
        return f"{where} refused the query ({code}): {message}"


def schema_statements() -> list[str]:
    """Return the Neo4j 5 schema statements of ``cypher/neo4j/schema.cypher``, in order.

    >>> [s.split(" IF ")[0] for s in schema_statements()][:1]
    ['CREATE CONSTRAINT paper_id']
    """
    return _schema_statements("neo4j")


def _plain(value: Any) -> Any:
    """Turn driver nodes and relationships into property dicts, like the embedded store."""
    from neo4j.graph import Node, Relationship

    if isinstance(value, Node):
        return {"_labels": sorted(value.labels), **dict(value.items())}
    if isinstance(value, Relationship):
        return {"_labels": [value.type], **dict(value.items())}
    if isinstance(value, list):
        return [_plain(v) for v in value]
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    return value


def _reason(message: str) -> str:
    """The operating system's reason inside a driver message, else its first words.

    >>> _reason("Couldn't connect to h:1 (...): Failed (reason [Errno 111] Connection refused))")
    'Connection refused'
    """
    found = re.findall(r"\[Errno -?\d+\] ([^)\]]+)", message)
    if found:
        return str(found[-1]).strip()
    return message[:120].rstrip(". ") or "no answer"


# Passwords shorter than this are not scrubbed: a one-letter password would turn
# "exception" into "e***ception", and so short a password guards nothing anyway.
_SCRUB_MIN = 4


def _scrub(text: str, password: str) -> str:
    """Remove the password from a message, should a library ever echo it.

    Only whole occurrences are replaced (not inside a longer word: ``pass`` leaves
    "passage" alone), and only for passwords of at least ``_SCRUB_MIN`` characters.

    >>> _scrub("auth ('neo4j', 's3cret') failed", "s3cret")
    "auth ('neo4j', '***') failed"
    >>> _scrub("exception", "x")
    'exception'
    """
    text = " ".join(text.split())
    if len(password) < _SCRUB_MIN:
        return text
    return re.sub(rf"(?<!\w){re.escape(password)}(?!\w)", "***", text)
