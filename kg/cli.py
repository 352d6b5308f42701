"""The ``kg`` command: parse options, call the stages, print results. Only this module prints.

Long because every command lives here: each is thin (parse, call a stage, format), and one
module keeps the terminal output, the shared options and the KgError translation together.
"""

import errno
import json
import sys
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import click

from kg.errors import InputError, KgError
from kg.evaluate.gold import FORMATS as GOLD_FORMATS
from kg.evaluate.gold import SPLITS
from kg.export import COLOURINGS, DEFAULT_VIEW, FILE_FORMATS, SIZINGS, VIEW_TYPES, VIEWS
from kg.export.views import VIEW_KINDS
from kg.models import Paper
from kg.readers.ingest import FORMATS
from kg.store.base import GraphStore
from kg.terminal import printable, printable_json

__all__ = ["cli", "main"]

DB_HELP = "Graph database file (embedded FalkorDB). Env: KG_DB."
# Nodes in the view `kg build --html` draws: a browser shows a few thousand usefully, and
# the layout of a 50k-paper graph's 300k nodes takes minutes (`kg export html` for more).
BUILD_VIEW_TOP = 2000
# Warnings printed for rejected records; the rest are counted (all are in rejected.jsonl).
_MAX_WARNINGS = 20


class KgCommand(click.Command):
    """A command whose usage errors say how to pass an argument starting with '-'."""

    def parse_args(self, ctx: click.Context, args: list[str]) -> list[str]:
        given = list(args)
        try:
            return super().parse_args(ctx, args)
        except click.UsageError as e:
            hint = _dash_hint(self, ctx, given, e)
            if not hint:
                raise
            raise click.UsageError(e.format_message() + hint, e.ctx) from e


class KgGroup(click.Group):
    """Turn every :class:`KgError` into one line on stderr and exit status 1."""

    command_class = KgCommand

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except KgError as e:
            raise click.ClickException(printable(str(e))) from e


@click.group(cls=KgGroup)
@click.version_option(package_name="kg")
def cli() -> None:
    """Build a knowledge graph of methods, datasets and models from paper abstracts.

    \b
    Example:
        kg build examples/daily_papers_page.txt --db kg.db --html kg.html
        kg query papers_mentioning -p name BEIR --db kg.db
    """


db_option = click.option(
    "--db",
    default="kg.db",
    show_default=True,
    envvar="KG_DB",
    help=DB_HELP,
    type=click.Path(dir_okay=False),
)
format_option = click.option(
    "--format",
    "format_",
    default=None,
    type=click.Choice(list(FORMATS)),
    help="Input format (default: detected from each file's content).",
)
map_option = click.option(
    "--map",
    "map_",
    default=None,
    metavar="FIELD=COLUMN,...",
    help="Field mapping for JSON lines/CSV records, e.g. 'title=name,abstract=summary,"
    "urls=github+project' (implies --format records).",
)
batch_size_option = click.option(
    "--batch-size",
    default=10_000,
    show_default=True,
    type=click.IntRange(min=1),
    help="Rows per write batch (one UNWIND $rows statement).",
)


def neo4j_options(command: Any) -> Any:
    """Add --uri, --user, --password and --database, read from the NEO4J_* variables."""
    from kg.store.neo4j import DEFAULT_URI, DEFAULT_USER

    options = [
        click.option(
            "--uri",
            default=DEFAULT_URI,
            show_default=True,
            envvar="NEO4J_URI",
            show_envvar=True,
            help="Neo4j server (neo4j:// or bolt://, +s for TLS).",
        ),
        click.option(
            "--user",
            default=DEFAULT_USER,
            show_default=True,
            envvar="NEO4J_USERNAME",
            show_envvar=True,
            help="Neo4j user.",
        ),
        click.option(
            "--password",
            envvar="NEO4J_PASSWORD",
            show_envvar=True,
            help="Neo4j password (prefer the variable; asked for when missing on a terminal).",
        ),
        click.option(
            "--database",
            envvar="NEO4J_DATABASE",
            show_envvar=True,
            help="Neo4j database (default: the server's default database).",
        ),
    ]
    for option in reversed(options):
        command = option(command)
    return command


ner_option = click.option(
    "--no-ner",
    "no_ner",
    is_flag=True,
    help="Rules and catalog only, without the trained NER model (several times faster).",
)


workers_option = click.option(
    "--workers",
    default=1,
    show_default=True,
    type=click.IntRange(min=1),
    help="Extract in this many processes (same results as one).",
)
extraction_cache_option = click.option(
    "--cache",
    "cache_dir",
    type=click.Path(file_okay=False),
    envvar="KG_CACHE",
    show_envvar=True,
    help="Folder of cached extractions (Parquet, under DIR/extractions) "
    "[default: kg-cache beside the database].",
)
no_cache_option = click.option(
    "--no-cache", is_flag=True, help="Extract every paper again; read and write no cache."
)


overrides_option = click.option(
    "--overrides",
    type=click.Path(exists=True, dir_okay=False),
    envvar="KG_OVERRIDES",
    show_envvar=True,
    help="TOML file forcing merges, splits, types and ignores (see docs/graph.md).",
)


@cli.command()
@click.argument("inputs", nargs=-1, required=True, type=click.Path())
@db_option
@format_option
@map_option
@ner_option
@overrides_option
@click.option("--html", type=click.Path(dir_okay=False), help="Also write the HTML view here.")
@click.option("--strict", is_flag=True, help="Stop at the first malformed record.")
@batch_size_option
@workers_option
@extraction_cache_option
@no_cache_option
@click.option(
    "--neo4j", "use_neo4j", is_flag=True, help="Store in Neo4j (--uri ...) instead of --db."
)
@neo4j_options
def build(
    inputs: tuple[str, ...],
    db: str,
    format_: str | None,
    map_: str | None,
    no_ner: bool,
    overrides: str | None,
    html: str | None,
    strict: bool,
    batch_size: int,
    workers: int = 1,
    cache_dir: str | None = None,
    no_cache: bool = False,
    use_neo4j: bool = False,
    **neo4j: Any,
) -> None:
    """Read papers, extract entities and store the graph (re-running changes nothing).

    \b
    Example:
        kg build examples/daily_papers_page.txt --db kg.db --html kg.html
        NEO4J_PASSWORD=... kg build examples/daily_papers_page.txt --neo4j
    """
    from kg.build import build_graph, extract_papers, store_graph, with_stored
    from kg.link.overrides import load_overrides
    from kg.store import open_store

    _check_outputs(None if use_neo4j else db, db, cache_dir, no_cache, html=html)
    forced = load_overrides(overrides) if overrides else None
    # Connect first: a wrong Neo4j setting should fail before the slow extraction.
    target = _open_neo4j(**neo4j) if use_neo4j else None
    try:
        papers = _read_all(inputs, format_, strict, map_, rejected=_rejected_path(db))
    except BaseException:
        if target is not None:
            target.close()
        raise
    where = _describe_store(target) if use_neo4j else db
    # Open until the end: the stored papers are merged with those read and the whole corpus
    # is linked and written, with no other run writing in between (#16).
    with target or open_store(db) as store:
        papers = with_stored(store, papers)
        cache = None if no_cache else _cache_dir(cache_dir, db)
        run = extract_papers(papers, workers=workers, ner=not no_ner, cache_dir=cache)
        with _extraction(run) as bar:
            graph = build_graph(bar, overrides=forced)
        written = store_graph(store, graph, batch_size=batch_size)
        counts = _counts(store)
        if html:
            from dataclasses import replace

            from kg.export import AUTO_VIEW, ViewSpec, read_view, resolve_view, write_html

            # The concept map above 2,000 papers; below, the bipartite view of at most
            # BUILD_VIEW_TOP nodes (#19).
            spec = resolve_view(store, ViewSpec(view=AUTO_VIEW))
            if spec.view != "map":
                spec = replace(spec, top=BUILD_VIEW_TOP)
            view, notes = read_view(store, spec)
            is_map = bool(view.graph.get("map"))
            title = "kg: concept map" if is_map else "kg: bipartite view"
            html_stats = write_html(view, html, title=title, notes=notes)
    click.echo(
        f"Stored {len(graph.papers)} papers{_unchanged(written)}, {len(graph.entities)} "
        f"entities and {len(graph.repositories)} repository links in {where} "
        f"({counts['nodes']} nodes, {counts['relationships']} relationships in the database)."
    )
    if html:
        if is_map:
            kept = f" (a concept map of its {html_stats.nodes} top terms: see kg export html)"
        else:
            cut = any("most connected" in note for note in notes)
            kept = (
                f" (its {BUILD_VIEW_TOP} most connected nodes: see kg export html)" if cut else ""
            )
        click.echo(f"Wrote the HTML view to {html}{kept}.")


@cli.command("extract")
@click.argument("inputs", nargs=-1, required=True, type=click.Path())
@format_option
@map_option
@ner_option
@click.option("--json", "as_json", is_flag=True, help="JSON lines, one mention per line.")
@click.option("--strict", is_flag=True, help="Stop at the first malformed record.")
@workers_option
@extraction_cache_option
@click.option(
    "--engine",
    type=click.Choice(["local", "dask"]),
    default="local",
    show_default=True,
    help="dask: extract on a Dask cluster into the cache (prints a summary, not mentions).",
)
@click.option(
    "--scheduler",
    metavar="ADDR",
    envvar="DASK_SCHEDULER_ADDRESS",
    show_envvar=True,
    help="Dask scheduler, e.g. tcp://10.0.0.5:8786 (default: a local cluster of --workers).",
)
@click.option(
    "--partition-size",
    default=1000,
    show_default=True,
    type=click.IntRange(min=1),
    help="Papers per Dask task.",
)
def extract_command(
    inputs: tuple[str, ...],
    format_: str | None,
    map_: str | None,
    no_ner: bool,
    as_json: bool,
    strict: bool,
    workers: int,
    cache_dir: str | None,
    engine: str,
    scheduler: str | None,
    partition_size: int,
) -> None:
    """Print the entity mentions found in each paper (nothing is stored).

    With --cache, extractions are taken from and added to that cache. With --engine
    dask, the papers the cache (default: kg-cache) lacks are extracted on a Dask
    cluster and written to it; `kg build --cache DIR` then reuses them all.

    \b
    Example:
        kg extract examples/daily_papers_page.txt --json | head
        kg extract papers.json --engine dask --scheduler tcp://head:8786 --cache /shared/kg
    """
    from kg.build import extract_papers

    papers = _read_all(inputs, format_, strict, map_)
    if engine == "dask":
        run = extract_papers(
            papers,
            workers=workers,
            ner=not no_ner,
            cache_dir=cache_dir or "kg-cache",
            engine="dask",
            scheduler=scheduler,
            partition_size=partition_size,
        )
        assert run.dask is not None and run.cache is not None
        for problem in run.problems:
            click.echo(f"warning: {problem}", err=True)
        click.echo(
            f"Extracted {run.dask.extracted} papers in {run.dask.partitions} partitions on "
            f"{run.dask.workers} Dask worker(s); {run.dask.cached} already in {run.cache.folder}."
        )
        return
    run = extract_papers(papers, workers=workers, ner=not no_ner, cache_dir=cache_dir)
    with _extraction(run, progress=False) as found:
        _print_extractions(found, as_json)


def _print_extractions(extractions: Iterable[Any], as_json: bool) -> None:
    for extraction in extractions:
        for m in extraction.mentions:
            if as_json:  # the mention's one encoding (#15), its paper's id first
                record = {"paper_id": m.paper_id, **m.to_record()}
                click.echo(printable_json(record))
            else:
                flag = " (proposed)" if m.proposed else ""
                flag += " (concept)" if m.kind == "concept" else ""  # named unless said (#17)
                text = printable(f"{m.text} -> {m.canonical}{flag}")
                click.echo(f"{m.paper_id}\t{m.type.value}\t{text}")
        for r in extraction.repositories:
            if as_json:
                record = {"paper_id": r.paper_id, "type": "Repository", **r.to_record()}
                click.echo(printable_json(record))
            else:
                click.echo(printable(f"{r.paper_id}\tRepository\t{r.url} ({r.kind})"))


@cli.command()
@click.argument("name", required=False)
@click.option(
    "-p",
    "--param",
    "params",
    multiple=True,
    nargs=2,
    metavar="KEY VALUE",
    help="Query parameter (repeatable).",
)
@db_option
@click.option(
    "--json", "as_json", is_flag=True, help="Print rows (with --list: the queries) as JSON."
)
@click.option(
    "--list", "list_", is_flag=True, help="List the queries in cypher/ and their parameters."
)
def query(
    name: str | None, params: tuple[tuple[str, str], ...], db: str, as_json: bool, list_: bool
) -> None:
    """Run a query from the Cypher library (cypher/NAME.cypher) and print a table.

    \b
    Example:
        kg query --list
        kg query papers_mentioning -p name "Test-Time Training"
        kg query top_entities -p type Dataset -p limit 5 --json
    """
    from kg.query import bind_params, list_queries, load_query

    if list_ or not name:
        if as_json:
            listed = [
                {
                    "name": q.name,
                    "description": q.description,
                    "params": [
                        {"name": p.name, "type": p.type, "default": p.default, "help": p.help}
                        for p in q.params
                    ],
                }
                for q in list_queries()
            ]
            click.echo(printable_json(listed, indent=2))
            return
        for q in list_queries():
            click.echo(f"{q.name}\n    {q.description}")
            for p in q.params:
                default = "" if p.default is None else f" (default: {p.default!r})"
                click.echo(f"    -p {p.name} {p.type.upper()}{default}  {p.help}")
        return
    q = load_query(name)
    bound = bind_params(q, dict(params))
    with _open_existing(db) as store:
        result = store.run(q.text, bound)
    if as_json:
        click.echo(printable_json(result.records(), indent=2))
    else:
        click.echo(_table(result.columns, result.rows))


@cli.group(cls=KgGroup)
def export() -> None:
    """Export the stored graph: an HTML view, or GraphML, GEXF, JSON and CSV for other tools.

    \b
    Example:
        kg export html kg.html --db kg.db
        kg export gexf kg.gexf --view concepts
    """


def view_options(command: Any, *, auto: bool = False) -> Any:
    """Add the options every export shares: which view, and what to keep in it.

    ``auto``: the default view is ``auto``, the concept map above OVERVIEW_PAPERS papers
    and the bipartite view below (`kg export html`, #19).
    """
    from kg.export import AUTO_VIEW, OVERVIEW_PAPERS

    views = {AUTO_VIEW: f"map above {OVERVIEW_PAPERS:,} papers, else bipartite"} if auto else {}
    views.update(VIEWS)
    options = [
        click.option(
            "--view",
            type=click.Choice(list(views)),
            default=AUTO_VIEW if auto else DEFAULT_VIEW,
            show_default=True,
            help="; ".join(f"{view}: {what}" for view, what in views.items()) + ".",
        ),
        click.option("--entity", help="Ego view: centre on this entity (name or alias)."),
        click.option("--paper", help="Ego view: centre on this paper id."),
        click.option(
            "--depth",
            type=click.IntRange(min=1),
            default=2,
            show_default=True,
            help="Ego view: links to follow from the centre.",
        ),
        click.option(
            "--type",
            "types",
            multiple=True,
            type=click.Choice(VIEW_TYPES, case_sensitive=False),
            help="Keep only entities of this type (repeatable).",
        ),
        click.option(
            "--kind",
            type=click.Choice(VIEW_KINDS),
            help="Entities shown: named (proper names), concept (generic phrases) or all "
            "[default: named; map: all].",
        ),
        click.option(
            "--min-weight",
            type=click.FloatRange(min=0),
            default=1,
            show_default=True,
            help="Drop links lighter than this (shared entities, co-mentions or mentions).",
        ),
        click.option("--since", type=click.DateTime(["%Y-%m-%d"]), help="Papers on or after."),
        click.option("--until", type=click.DateTime(["%Y-%m-%d"]), help="Papers on or before."),
        click.option(
            "--top",
            type=click.IntRange(min=1),
            help="Keep the N most connected nodes (map: the N top terms, default 300).",
        ),
        db_option,
    ]
    for option in reversed(options):
        command = option(command)
    return command


def _read_view(db: str, options: dict[str, Any]) -> Any:
    """Build the view the options ask for; say on stderr what was dropped or simplified."""
    from kg.export import ViewSpec, read_view

    if options["view"] != "ego" and (options["entity"] or options["paper"]):
        raise click.UsageError("--entity and --paper go with --view ego")
    since, until = options["since"], options["until"]
    spec = ViewSpec(
        view=options["view"],
        entity=options["entity"],
        paper=options["paper"],
        depth=options["depth"],
        types=tuple(options["types"]),
        min_weight=options["min_weight"],
        since=since.date().isoformat() if since else None,
        until=until.date().isoformat() if until else None,
        top=options["top"],
        kind=options["kind"],
    )
    with _open_existing(db) as store:
        return read_view(store, spec)


def html_view_options(command: Any) -> Any:
    """The view options of `kg export html`: the default view depends on the graph's size."""
    return view_options(command, auto=True)


@export.command("html")
@click.argument("out", type=click.Path(dir_okay=False))
@html_view_options
@click.option(
    "--colour",
    type=click.Choice(list(COLOURINGS)),
    default="type",
    show_default=True,
    help=f"Colour nodes by {' or by '.join(COLOURINGS.values())} (the legend explains).",
)
@click.option(
    "--size",
    type=click.Choice(list(SIZINGS)),
    default="degree",
    show_default=True,
    help=f"Size nodes by {' or by '.join(SIZINGS.values())}.",
)
def export_html(out: str, db: str, colour: str, size: str, **options: Any) -> None:
    """Write an interactive HTML view (works offline): by default, which papers share what.

    Above 2,000 papers the default is the concept map: the top terms, joined by the papers
    that name both, in labelled clusters; a click on a term lists its papers.

    \b
    Example:
        kg export html overlap.html --db kg.db
        kg export html beir.html --view ego --entity BEIR --depth 2
        kg export html concepts.html --view concepts --colour community --min-weight 2
    """
    from kg.export import write_html

    _check_export(out)
    view, notes = _read_view(db, options)
    title = "kg: concept map" if view.graph.get("map") else f"kg: {options['view']} view"
    if not view.graph.get("map") and options["view"] == "auto":
        title = "kg: bipartite view"
    stats = write_html(view, out, title=title, colour=colour, size=size, notes=notes)
    for note in stats.notes:
        click.echo(f"note: {printable(note)}", err=True)
    click.echo(f"Wrote {out}: {stats.nodes} nodes, {stats.edges} links.")


def _file_export(format_: str, help_: str) -> None:
    @export.command(format_, help=help_)
    @click.argument("out", type=click.Path(file_okay=format_ != "csv", dir_okay=format_ == "csv"))
    @view_options
    def command(out: str, db: str, **options: Any) -> None:
        from kg.export import write_file

        _check_export(out, folder=format_ == "csv")
        view, notes = _read_view(db, options)
        for note in notes:
            click.echo(f"note: {printable(note)}", err=True)
        paths = write_file(view, out, format=format_)
        click.echo(
            f"Wrote {', '.join(map(str, paths))}: "
            f"{view.number_of_nodes()} nodes, {view.number_of_edges()} links."
        )


for _format, _help in FILE_FORMATS.items():
    _file_export(
        _format,
        f"Write the view as {_help}\n\n\b\nExample:\n    kg export {_format} "
        f"{'out' if _format == 'csv' else 'kg.' + _format} --view overlap --db kg.db",
    )


@cli.command()
@db_option
@click.option("--json", "as_json", is_flag=True, help="Print one JSON document.")
def stats(db: str, as_json: bool) -> None:
    """Count what the graph holds: nodes by label, relationships by type, top entities.

    \b
    Example:
        kg stats --db kg.db
        kg stats --db kg.db --json
    """
    from kg.query import load_internal, load_query

    with _open_existing(db) as store:
        labels = _per_name(store, "stats_label_names", "MATCH (n:`{}`) RETURN count(n)")
        rels = _per_name(store, "stats_type_names", "MATCH ()-[r:`{}`]->() RETURN count(r)")
        if labels is None or rels is None:  # a name kg does not write: count them all
            labels = store.run(load_internal("stats_labels").text)
            rels = store.run(load_internal("stats_relationships").text)
        top = store.run(load_query("top_entities").text, {"type": "", "kind": "named", "limit": 10})
        kinds = store.run(load_internal("stats_kinds").text)
    if as_json:
        document = {
            "labels": labels.records(),
            "relationships": rels.records(),
            "kinds": kinds.records(),
            "top_named_entities": top.records(),
        }
        click.echo(printable_json(document, indent=2))
        return
    click.echo(_table(labels.columns, labels.rows))
    click.echo()
    click.echo(_table(rels.columns, rels.rows))
    click.echo()
    click.echo(_table(kinds.columns, kinds.rows))
    click.echo()
    click.echo("Most mentioned named entities (concepts: kg query top_entities -p kind concept):")
    click.echo(_table(top.columns, top.rows))


@cli.command()
@click.option("--json", "as_json", is_flag=True, help="Print one JSON document.")
def status(as_json: bool) -> None:
    """List the embedded servers kg keeps warm: database, pid, socket, idle time left.

    A server stays up KG_SERVER_IDLE seconds (default 300; 0: none is kept) after a
    command, so that the next command on the same database answers without loading it.

    \b
    Example:
        kg status
        kg status --json
    """
    from kg.store.warm import servers

    running = servers()
    if as_json:
        click.echo(printable_json([s.as_dict() for s in running], indent=2))
        return
    if not running:
        click.echo("No embedded server is running.")
        return
    columns = ["database", "pid", "state", "idle left", "socket"]
    rows = [
        [s.db, s.pid, s.state, "" if s.idle_left is None else f"{s.idle_left:.0f} s", s.socket]
        for s in running
    ]
    click.echo(_table(columns, rows, width=200))


@cli.command()
@db_option
@click.option("--all", "all_", is_flag=True, help="Stop every server kg started, of any database.")
@click.option(
    "--wait",
    default=10.0,
    show_default=True,
    type=click.FloatRange(min=0),
    help="Seconds to wait for a command still using a database.",
)
def stop(db: str, all_: bool, wait: float) -> None:
    """Stop the embedded server kg keeps warm for a database (--all: for every one).

    \b
    Example:
        kg stop --db kg.db
    """
    from kg.store.warm import stop as stop_servers

    stopped, busy = stop_servers(None if all_ else Path(db), wait=wait)
    for server in stopped:
        click.echo(printable(f"Stopped the server of {server.db} (pid {server.pid})."))
    if not stopped and not busy:
        click.echo("No embedded server was running" + ("." if all_ else f" for {printable(db)}."))
    if busy:
        raise KgError("; ".join(str(e) for e in busy))


@cli.group(cls=KgGroup)
def entities() -> None:
    """Look into the entities of the stored graph: how each was formed.

    \b
    Example:
        kg entities show TTT --db kg.db
    """


@entities.command("show")
@click.argument("name")
@db_option
@click.option("--json", "as_json", is_flag=True, help="Print one JSON document.")
def entities_show(name: str, db: str, as_json: bool) -> None:
    """Show the entities NAME refers to: names, spellings merged, variants and papers.

    \b
    Example:
        kg entities show TTT --db kg.db
    """
    from dataclasses import asdict

    from kg.entities import describe_entities
    from kg.errors import QueryError

    with _open_existing(db) as store:
        reports = describe_entities(store, name)
    if not reports:
        raise QueryError(
            f"no entity goes by {name!r} in {db}; `kg query top_entities` lists the most mentioned"
        )
    if as_json:
        click.echo(printable_json([asdict(r) for r in reports]))
        return
    if len(reports) > 1:  # several answer to the name: all of them first, in one line each
        _echo_text(f"{len(reports)} entities go by {name!r}, most papers first:")
        for report in reports:
            formed = "; ".join(report.formed[:2]) + ("; ..." if len(report.formed) > 2 else "")
            _echo_text(
                f"  {report.name}  [{report.type}, {report.kind}]  {report.paper_count} "
                f"paper(s)  {report.canonical}  formed by: {formed or '-'}"
            )
        click.echo()
    for report in reports:
        _echo_text(
            f"{report.name}  [{report.type}, {report.kind}]  {report.canonical}  "
            f"(key: {report.key}; {report.paper_count} paper(s))"
        )
        _echo_text(f"  also called: {', '.join(report.aliases) or '-'}")
        _echo_text(f"  spelled in papers: {', '.join(report.spellings) or '-'}")
        _echo_text("  formed by:" + ("" if report.formed else " -"))
        for reason in report.formed:
            _echo_text(f"    {reason}")
        for link_name in ("variant of", "has variant"):
            links = [
                f"{v['name']} ({v['reason']})" for v in report.variants if v["link"] == link_name
            ]
            if links:
                _echo_text(f"  {link_name}: {', '.join(links)}")
        click.echo(f"  {len(report.papers)} paper(s):")
        columns = ["paper", "title", "count", "proposed", "via", "evidence"]
        rows = [
            [", ".join(p[c] or ()) if c == "via" else p[c] for c in columns] for p in report.papers
        ]
        click.echo(_table(columns, rows))
        click.echo()


@cli.command("eval")
@click.argument("gold", type=click.Path(exists=True, dir_okay=False))
@click.option(
    "--format",
    "format_",
    type=click.Choice(list(GOLD_FORMATS)),
    help="Gold format (default: detected from the extension and content).",
)
@click.option(
    "--split",
    type=click.Choice(SPLITS),
    help="Part of gold to score: for gsap-ner the train, dev or held-out publications, "
    "for dataset-mentions and jsonl train or held-out by a hash of the text "
    "(default: dev for gsap-ner, held-out for dataset-mentions, else all).",
)
@click.option(
    "--abstracts-only",
    is_flag=True,
    help="For gsap-ner, score only the abstract of each paper, not its other paragraphs.",
)
@click.option("--json", "as_json", is_flag=True, help="Print the scores as one JSON object.")
@click.option("--limit", type=click.IntRange(min=1), help="Score the first N documents only.")
@ner_option
def eval_command(
    gold: str,
    format_: str | None,
    split: str | None,
    abstracts_only: bool,
    as_json: bool,
    limit: int | None,
    no_ner: bool,
) -> None:
    """Score the extractor against gold annotations: precision, recall, F1 per type.

    \b
    Example:
        kg eval ../shared/data/gold/scierc/dev.json
        kg eval sentences.csv --format dataset-mentions --split held-out --json
        kg eval ../shared/data/gold/gsap-ner/paragraphs.jsonl --split dev --abstracts-only
    """
    from kg.evaluate.gold import read_gold
    from kg.evaluate.scoring import evaluate
    from kg.extract import load_nlp

    problems: list[InputError] = []
    gold_set = read_gold(
        gold,
        format=format_,
        split=split,
        abstracts_only=abstracts_only,
        limit=limit,
        errors=problems,
    )
    for problem in problems:
        click.echo(f"warning: {problem}", err=True)
    if not gold_set.documents:
        raise InputError(f"no gold documents to score (split {gold_set.split})", path=gold)
    report = evaluate(load_nlp(ner=not no_ner), gold_set)
    click.echo(
        f"Scored {report.documents} documents from {gold} "
        f"(format {report.format}, split {report.split}"
        + (", abstracts only" if report.abstracts_only else "")
        + (f"; skipped {len(problems)} malformed record(s))." if problems else ")."),
        err=True,
    )
    if as_json:
        record = {**report.to_dict(), "problems": [str(p) for p in problems]}
        click.echo(json.dumps(record, ensure_ascii=False, indent=2))
        return
    columns = ["match", "label", "precision", "recall", "f1", "support", "predicted", "tp"]
    rows = [
        [match, label, *_ratios(s.precision, s.recall, s.f1), s.support, s.predicted, s.tp]
        for match, by_label in report.scores.items()
        for label, s in by_label.items()
    ]
    click.echo(_table(columns, rows))


@cli.group(cls=KgGroup)
def fetch() -> None:
    """Download papers into a cache folder (then `kg update` the files it prints).

    \b
    Example:
        kg fetch hf-daily --date 2026-02-25
        kg update $(kg fetch arxiv --query "cat:cs.CL AND ti:reranker" --max 50) --db kg.db
    """


cache_option = click.option(
    "--cache",
    default="kg-cache",
    show_default=True,
    envvar="KG_CACHE",
    type=click.Path(file_okay=False),
    help="Folder the raw responses are written to. Env: KG_CACHE.",
)
refresh_option = click.option(
    "--refresh", is_flag=True, help="Download again even when the cache has the response."
)


@fetch.command("hf-daily")
@click.option(
    "--date", "day", required=True, type=click.DateTime(["%Y-%m-%d"]), help="Day, YYYY-MM-DD."
)
@cache_option
@refresh_option
@click.option(
    "--base-url",
    envvar="KG_HF_API_URL",
    help="Daily Papers API endpoint (default: huggingface.co/api/daily_papers). "
    "Env: KG_HF_API_URL.",
)
def fetch_hf_daily_command(day: Any, cache: str, refresh: bool, base_url: str | None) -> None:
    """Download one day of HuggingFace Daily Papers; print the cached file's path.

    \b
    Example:
        kg fetch hf-daily --date 2026-02-25 --cache kg-cache
    """
    from kg.fetch import fetch_hf_daily

    path = fetch_hf_daily(day.date(), Path(cache), base_url=base_url, refresh=refresh)
    _report_fetched([path])


@fetch.command("arxiv")
@click.option("--query", required=True, help="arXiv search_query, e.g. 'cat:cs.CL AND ti:llm'.")
@click.option("--max", "max_results", default=100, show_default=True, type=click.IntRange(min=1))
@cache_option
@refresh_option
@click.option(
    "--base-url",
    envvar="KG_ARXIV_API_URL",
    help="arXiv API endpoint (default: export.arxiv.org/api/query). Env: KG_ARXIV_API_URL.",
)
def fetch_arxiv_command(
    query: str, max_results: int, cache: str, refresh: bool, base_url: str | None
) -> None:
    """Download arXiv API results (newest first, 100 per request, 3 s apart); print the paths.

    \b
    Example:
        kg fetch arxiv --query "all:reranker" --max 200
    """
    from kg.fetch import fetch_arxiv

    paths = fetch_arxiv(query, max_results, Path(cache), base_url=base_url, refresh=refresh)
    _report_fetched(paths)


@cli.command()
@click.argument("sources", nargs=-1, required=True, type=click.Path())
@db_option
@format_option
@map_option
@click.option("--strict", is_flag=True, help="Stop at the first malformed record.")
@click.option("--top", default=10, show_default=True, help="Entities listed as risen most.")
@overrides_option
@ner_option
@workers_option
@extraction_cache_option
@no_cache_option
def update(
    sources: tuple[str, ...],
    db: str,
    format_: str | None,
    map_: str | None,
    strict: bool,
    top: int,
    overrides: str | None,
    no_ner: bool = False,
    workers: int = 1,
    cache_dir: str | None = None,
    no_cache: bool = False,
) -> None:
    """Add papers to the database, and print what changed.

    What a source adds to a stored paper is merged in, and the whole corpus is linked
    again: the database ends as one `kg build` of all its inputs. Papers are extracted as
    `kg build` extracts them: through the extraction cache (kg-cache beside the database;
    stored papers are found there), in --workers processes.

    \b
    Example:
        kg update kg-cache/hf-daily/2026-02-25.json --db kg.db
    """
    from kg.build import update_store
    from kg.link.overrides import load_overrides
    from kg.store import open_store

    _check_outputs(db, db, cache_dir, no_cache)
    forced = load_overrides(overrides) if overrides else None
    papers = _read_all(sources, format_, strict, map_, rejected=_rejected_path(db))
    with open_store(db) as store:
        report = update_store(
            store,
            papers,
            workers=workers,
            ner=not no_ner,
            cache_dir=None if no_cache else _cache_dir(cache_dir, db),
            overrides=forced,
            top=top,
            progress=_extraction,
        )
    updated = f" ({report.updated} written again with what changed)" if report.updated else ""
    click.echo(
        f"{len(report.new_papers)} new paper(s); {report.known_papers} already stored{updated}."
    )
    for paper in report.new_papers:
        _echo_text(f"  + {paper.id}  {paper.title}")
    click.echo(f"{len(report.new_entities)} new entit(y/ies).")
    for e in report.new_entities:
        _echo_text(f"  + {e.type:<12} {e.name}  ({e.mentions} mention(s) in {e.papers} paper(s))")
    if report.risen:
        click.echo("Mentions rose most for:")
    for old, now in report.risen:
        _echo_text(
            f"  ^ {now.type:<12} {now.name}  {old.mentions} -> {now.mentions} mention(s), "
            f"{old.papers} -> {now.papers} paper(s)"
        )


def _report_fetched(paths: list[Any]) -> None:
    from kg.readers.ingest import read_papers

    for path in paths:
        errors: list[InputError] = []
        count = sum(1 for _ in read_papers(path, errors=errors))
        click.echo(f"{path}: {count} paper(s), {len(errors)} malformed record(s).", err=True)
        click.echo(str(path))


@cli.command()
@click.argument("inputs", nargs=-1, required=True, type=click.Path())
@format_option
@map_option
@click.option("--strict", is_flag=True, help="Stop at the first malformed record.")
@batch_size_option
@neo4j_options
@click.pass_context
def load(ctx: click.Context, /, inputs: tuple[str, ...], **options: Any) -> None:
    """Read papers, extract entities and store the graph in Neo4j (kg build --neo4j).

    Only new or changed papers are sent again: each paper node keeps a hash of what
    was written for it. Connection settings come from the NEO4J_* variables.

    \b
    Example:
        export NEO4J_URI=neo4j://localhost:7687 NEO4J_PASSWORD=...
        kg load examples/daily_papers_page.txt --database papers
    """
    ctx.invoke(build, inputs=inputs, use_neo4j=True, **options)


@cli.command()
@click.option(
    "--from",
    "source",
    default="kg.db",
    show_default=True,
    envvar="KG_DB",
    type=click.Path(dir_okay=False),
    help="The embedded database to copy. Env: KG_DB.",
)
@batch_size_option
@neo4j_options
def push(source: str, batch_size: int, **neo4j: Any) -> None:
    """Copy the graph in an embedded database to Neo4j (only new or changed papers).

    \b
    Example:
        NEO4J_URI=neo4j://db.example.org:7687 NEO4J_PASSWORD=... kg push --from kg.db
    """
    from kg.store.transfer import copy_graph

    with _open_existing(source) as embedded, _open_neo4j(**neo4j) as target:
        graph, written = copy_graph(embedded, target, batch_size=batch_size)
        counts = _counts(target)
        where = _describe_store(target)
    click.echo(
        f"Pushed {len(graph.papers)} papers{_unchanged(written)}, {len(graph.entities)} "
        f"entities and {len(graph.repositories)} repository links from {source} to {where} "
        f"({counts['nodes']} nodes, {counts['relationships']} relationships there)."
    )


@export.command("neo4j-import")
@click.argument("folder", type=click.Path(file_okay=False))
@db_option
@click.option(
    "--database",
    default="neo4j",
    show_default=True,
    help="Database name to put in the printed neo4j-admin command.",
)
def export_neo4j_import(folder: str, db: str, database: str) -> None:
    """Write CSV files for neo4j-admin database import full, and print the command.

    For graphs too big to load in transactions. The database must not exist yet
    (or add --overwrite-destination); create the constraints afterwards with
    cypher/neo4j/schema.cypher, or let the next kg push do it.

    \b
    Example:
        kg export neo4j-import import/ --db kg.db
    """
    from kg.store.neo4j_import import write_import_files
    from kg.store.transfer import read_stored_graph

    _check_export(folder, folder=True)
    with _open_existing(db) as store:
        graph = read_stored_graph(store)
    files = write_import_files(graph, folder, database=database)
    counts = ", ".join(f"{n} {name}" for name, n in files.counts().items())
    click.echo(f"Wrote {len(files.tables) * 2} CSV files to {folder} ({counts}).", err=True)
    click.echo("Import them (with Neo4j stopped, or into a new database) with:", err=True)
    click.echo(files.command)


def main() -> None:
    """Entry point of the ``kg`` console script."""
    from kg.interrupt import Interrupted, install

    # SIGTERM and Ctrl-C unwind, so the embedded database is saved and its server stopped.
    install()
    try:
        cli()
    except Interrupted as e:
        _close_stores_left_open()
        click.echo(
            f"kg: stopped by {e.name}. What was written so far is saved; "
            "run the same command again to finish (nothing is duplicated).",
            err=True,
        )
        sys.exit(128 + e.signum)
    except OSError as e:  # a file kg could not read or write, found late: one line
        _close_stores_left_open()
        click.echo(f"Error: {_os_error(e)}", err=True)
        sys.exit(1)


def _os_error(e: OSError) -> str:
    """One line for an OSError no check caught: the path, the reason, what to do."""
    reason = (e.strerror or str(e)).lower()
    where = f"{e.filename}: " if e.filename else ""
    if isinstance(e, PermissionError) or e.errno == errno.EROFS:
        return f"{where}{reason}; check the permissions of it and its folders, or use another path"
    return f"{where}{reason}"


def _check_outputs(
    store: str | None, db: str, cache_dir: str | None, no_cache: bool, *, html: str | None = None
) -> None:
    """Fail now, before reading or extracting, when an output cannot be written: the
    database ``store`` (None: Neo4j), rejected.jsonl and the cache beside ``db``, --html."""
    from kg.outputs import check_outputs

    cache = None if no_cache else _cache_dir(cache_dir, db)
    check_outputs(db=store, rejected=_rejected_path(db), cache=cache, html=html)


def _check_export(out: str, *, folder: bool = False) -> None:
    """Fail before reading the graph when the export's file or folder cannot be written."""
    from kg.outputs import check_writable

    check_writable(out, "the export", "choose a path you can write", folder=folder)


def _close_stores_left_open() -> None:
    """Save, stop and unlock the embedded stores an interrupt left open.

    A signal can land after a store is opened but before the ``try`` whose ``finally``
    closes it, or in ``close`` before that holds signals: the store is still open here,
    and its lock file would outlive the run.
    """
    from kg.store.falkor import close_open_stores

    try:
        close_open_stores()
    except KgError as e:
        click.echo(f"Error: {e}", err=True)


def _read_all(
    inputs: tuple[str, ...],
    format_: str | None,
    strict: bool,
    map_: str | None = None,
    *,
    rejected: Path | None = None,
) -> list[Paper]:
    """Read every input and merge duplicates; report malformed records as warnings.

    With --strict the first malformed record is an error. Rejected records go to
    ``rejected`` (JSON lines with the reason) when given.
    """
    from kg.build import read_inputs
    from kg.readers import parse_field_map

    read = read_inputs(
        inputs, format=format_, fields=parse_field_map(map_), strict=strict, rejected=rejected
    )
    lost = read.lost_inputs
    # Every input that gave no paper is named; malformed records up to _MAX_WARNINGS.
    problems = [p for p in read.problems if p not in lost]
    for problem in problems[:_MAX_WARNINGS]:
        click.echo(f"warning: {printable(str(problem))}", err=True)
    if len(problems) > _MAX_WARNINGS:
        click.echo(f"warning: … and {len(problems) - _MAX_WARNINGS} more", err=True)
    for problem in lost:
        click.echo(f"warning: {printable(str(problem))}", err=True)
    click.echo(
        f"Read {len(read.papers)} papers from {read.inputs} input(s)"
        + (f"; {len(lost)} input(s) gave no paper" if lost else "")
        + (f"; merged {read.merged} duplicate record(s)" if read.merged else "")
        + (f"; skipped {len(problems)} malformed record(s)" if problems else "")
        + (f" (see {rejected})" if rejected is not None and read.problems else "")
        + ".",
        err=True,
    )
    return read.papers


@contextmanager
def _extraction(run: Any, *, progress: bool = True) -> Iterator[Iterable[Any]]:
    """Show an extraction behind a progress bar (unless not ``progress``).

    Then report unreadable cache files, and how many papers were extracted or reused.
    """
    if progress:
        with click.progressbar(run, length=len(run), label="Extracting", file=sys.stderr) as bar:
            yield bar
    else:
        yield run
    for problem in run.problems:
        click.echo(f"warning: {problem}", err=True)
    if run.cache_folder is not None:
        click.echo(
            f"Extracted {run.counts.extracted} papers; {run.counts.cached} taken from the cache "
            f"in {run.cache_folder}.",
            err=True,
        )


def _cache_dir(cache_dir: str | None, db: str) -> str:
    """The extraction cache folder: ``--cache DIR``, else kg-cache beside the database."""
    from kg.build import default_cache_dir

    return cache_dir or str(default_cache_dir(db))


def _rejected_path(db: str) -> Path:
    """Where the records a run rejected are written: ``rejected.jsonl`` beside the database."""
    from kg.build import rejected_path

    return rejected_path(db)


def _open_existing(db: str) -> GraphStore:
    """Open a database to read it: read-only when its folder or file cannot be written."""
    from kg.store import open_store

    if not Path(db).exists():
        raise KgError(f"{db}: no such database; run `kg build INPUT --db {db}` first")
    if Path(db).is_file() and Path(db).stat().st_size == 0:
        raise KgError(f"{db}: the database is empty (0 bytes); run `kg build INPUT --db {db}`")
    return open_store(db, for_reading=True)


def _open_neo4j(uri: str, user: str, password: str | None, database: str | None) -> Any:
    """Connect to Neo4j; ask for the password on a terminal, never echo it."""
    from kg.store.neo4j import Neo4jStore

    if password is None:
        if not sys.stdin.isatty():
            raise KgError(
                f"No password for Neo4j at {uri}: set NEO4J_PASSWORD (or pass --password)."
            )
        password = click.prompt(f"Password for {user} at {uri}", hide_input=True, err=True)
    return Neo4jStore(uri, user=user, password=password, database=database)


def _describe_store(store: Any) -> str:
    database = f" (database {store.database})" if store.database else ""
    return f"Neo4j at {store.uri}{database}"


def _unchanged(written: Any) -> str:
    n = written.papers_unchanged
    return f" ({n} unchanged, not sent again)" if n else ""


def _per_name(store: Any, names: str, count: str) -> Any:
    """Counts per node label or relationship type, each counted alone (the embedded store
    then reads its label or type matrix: milliseconds where scanning every node or link of a
    50k-paper graph takes seconds); the same rows as ``stats_labels``/``stats_relationships``.

    Names reach the query text, so only names kg itself writes are counted so; None when
    the graph holds another (the caller then runs the scanning query).
    """
    from kg.query import load_internal
    from kg.store.base import ENTITY_LABELS, Result

    labels = names == "stats_label_names"
    # The labels and relationship types kg writes (kg/store/base.py, cypher/internal/write_*).
    known = (
        {"Author", "Entity", "Paper", "Repository", *ENTITY_LABELS}
        if labels
        else {"AFFILIATED_WITH", "HAS_CODE", "MENTIONS", "PROPOSES", "VARIANT_OF", "WRITTEN_BY"}
    )
    found = [row[0] for row in store.run(load_internal(names).text).rows]
    if any(name not in known for name in found):
        return None
    counted = [[name, store.run(count.format(name)).rows[0][0]] for name in found]
    rows = [row for row in counted if row[1]]  # a label whose nodes were all deleted
    return Result(["label", "nodes"] if labels else ["relationship", "count"], rows)


def _counts(store: Any) -> dict[str, int]:
    from kg.query import load_internal

    nodes = store.run(load_internal("count_nodes").text).rows[0][0]
    relationships = store.run(load_internal("count_relationships").text).rows[0][0]
    return {"nodes": nodes, "relationships": relationships}


def _dash_hint(
    command: click.Command, ctx: click.Context, args: list[str], error: click.UsageError
) -> str:
    """Say how to pass an argument that starts with '-' (`-shot`), when one was taken for an
    option or put before options; with the command line to run instead."""
    import shlex

    arguments = [p for p in command.params if isinstance(p, click.Argument)]
    if not arguments:
        return ""
    what = arguments[0].human_readable_name
    what = "a name" if what == "NAME" else f"an argument ({what})"
    if isinstance(error, click.NoSuchOption):
        bad = error.option_name
        if bad.startswith("--"):
            return ""  # an option misspelt, not a name
        token = next((a for a in args if a.startswith(bad) and not a.startswith("--")), bad)
        options = list(args)
        if token in options:
            options.remove(token)
        fixed = [*options, "--", token]
    elif "--" in args and "unexpected extra argument" in error.message:
        cut = args.index("--")
        # After '--' everything is an argument: options go before it.
        fixed = [*args[:cut], *args[cut + 2 :], "--", *args[cut + 1 : cut + 2]]
    else:
        return ""
    stop = "" if error.format_message().endswith(".") else "."
    return (
        f"{stop} Put '--' before {what} starting with '-', and the options before '--': "
        f"{ctx.command_path} {shlex.join(fixed)}"
    )


def _echo_text(text: str) -> None:
    """Print a line holding input text (a title, a name) without its terminal escapes."""
    click.echo(printable(text))


def _ratios(*values: float) -> list[str]:
    return [f"{v:.3f}" for v in values]


def _table(columns: list[str], rows: list[list[Any]], *, width: int = 60) -> str:
    """Format rows as an aligned text table, cutting long cells to ``width`` characters."""

    def cell(value: Any) -> str:
        if value is None:
            return ""
        text = ", ".join(map(str, value)) if isinstance(value, list) else str(value)
        text = " ".join(printable(text).split())
        return text if len(text) <= width else text[: width - 1] + "…"

    cells = [[cell(v) for v in row] for row in rows]
    widths = [max([len(c)] + [len(r[i]) for r in cells]) for i, c in enumerate(columns)]
    lines = ["  ".join(c.ljust(w) for c, w in zip(columns, widths, strict=True)).rstrip()]
    lines.append("  ".join("-" * w for w in widths))
    lines += ["  ".join(v.ljust(w) for v, w in zip(r, widths, strict=True)).rstrip() for r in cells]
    if not rows:
        lines.append("(no rows)")
    return "\n".join(lines)
