"""Regenerate the generated parts of README.md and docs/*.md: contents, command reference,
Cypher library index and command outputs.

Run it after changing a command, an option, a help text, a query's header, or anything that
changes what the documented example commands print (the extractor, for one)::

    .venv/bin/python scripts/cli_reference.py           # rewrite the files in DOCS
    .venv/bin/python scripts/cli_reference.py --check   # exit 1 when one of them is stale

It owns the files in ``DOCS``. Three sections are generated, each between
``<!-- NAME:start ... -->`` and ``<!-- NAME:end -->``, in whichever of those files holds the
markers (each section must be in at least one): ``contents`` (a link to each ``##`` section
of that file), ``cli-reference`` (``kg --help`` and the help of every command and
subcommand; in docs/commands.md) and ``cypher-index`` (every read query in ``cypher/``: what
it answers and its parameters; in docs/cypher.md).

And every ``<!-- run`` block is run: the shell commands it lists, one a line, up to ``-->``,
are run in order in one scratch folder (holding links to ``examples/`` and ``tests/``),
and the console block up to ``<!-- /run -->`` is rewritten with each command and what it
printed (stdout and stderr). So the README shows real output, and can only use files in
the repository.

Everything else in those files is left as it is. ``tests/test_docs.py`` fails when a
committed file differs from what this script writes.
"""

import argparse
import os
import re
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Callable, Iterator
from pathlib import Path

import click

from kg.cli import cli
from kg.query import Param, list_queries

__all__ = [
    "DOCS",
    "SECTIONS",
    "WIDTH",
    "commands",
    "contents",
    "cypher_index",
    "reference",
    "update_readme",
    "update_runs",
    "update_sections",
]

ROOT = Path(__file__).resolve().parent.parent
README = ROOT / "README.md"
# The files this script generates parts of, README first.
DOCS = (
    README,
    *(
        ROOT / "docs" / name
        for name in (
            "graph.md",
            "sources.md",
            "cypher.md",
            "views.md",
            "storage.md",
            "scaling.md",
            "quality.md",
            "commands.md",
        )
    ),
)
RUN = re.compile(r"(<!-- run\n(.*?)\n-->\n)(.*?)(<!-- /run -->)", re.DOTALL)
# A fixed width, so the text does not depend on the terminal that ran the script.
WIDTH = 100


def commands(
    command: click.Command = cli, path: tuple[str, ...] = ("kg",)
) -> Iterator[tuple[tuple[str, ...], click.Command]]:
    """Yield ``(path, command)`` for the group and every command below it, depth first."""
    yield path, command
    if isinstance(command, click.Group):
        for name in sorted(command.list_commands(click.Context(command))):
            sub = command.get_command(click.Context(command), name)
            if sub is not None and not sub.hidden:
                yield from commands(sub, (*path, name))


def help_text(path: tuple[str, ...], command: click.Command) -> str:
    """What ``kg ... --help`` prints on a terminal WIDTH columns wide."""
    parent = None
    for name in path[:-1]:
        parent = click.Context(cli, info_name=name, parent=parent)
    ctx = click.Context(
        command,
        info_name=path[-1],
        parent=parent,
        terminal_width=WIDTH,
        max_content_width=WIDTH,
    )
    return command.get_help(ctx).rstrip()


def reference() -> str:
    """The help of every command, each folded under its name."""
    parts = []
    for path, command in commands():
        name = " ".join(path)
        parts += [f"<details><summary><code>{name}</code></summary>", "", "```text"]
        parts += [help_text(path, command), "```", "", "</details>", ""]
    return "\n".join(parts)


def cypher_index(to_root: str = "") -> str:
    """A table of the read queries ``kg query --list`` shows, straight from their headers.

    ``to_root`` is the path from the file holding the table to the repository (``../`` in
    ``docs/``), so the links to the query files work.
    """
    rows = ["| query | answers | parameters (`-p NAME VALUE`) |", "|---|---|---|"]
    for query in list_queries():
        params = "<br>".join(_param(p) for p in query.params)
        link = f"[`{query.name}`]({to_root}cypher/{query.name}.cypher)"
        rows.append(f"| {link} | {_cell(query.description)} | {_cell(params) or 'none'} |")
    return "\n".join(rows) + "\n"


def contents(text: str) -> str:
    """One line linking every ``## `` heading of a file, as GitHub anchors them."""
    headings = re.findall(r"^## (.+)$", text, flags=re.MULTILINE)
    links = [f"[{h}](#{re.sub(r'[^\w\- ]', '', h.lower()).replace(' ', '-')})" for h in headings]
    return "**Contents:** " + " · ".join(links) + "\n"


# name -> generate(text of the file, path from that file to the repository)
SECTIONS: dict[str, Callable[[str, str], str]] = {
    "contents": lambda text, to_root: contents(text),
    "cli-reference": lambda text, to_root: reference(),
    "cypher-index": lambda text, to_root: cypher_index(to_root),
}


def _markers(name: str) -> tuple[str, str]:
    start = f"<!-- {name}:start (generated by scripts/cli_reference.py; do not edit) -->"
    return start, f"<!-- {name}:end -->"


def _to_root(path: Path) -> str:
    """The relative path from the folder of ``path`` to the repository: ``""`` or ``"../"``."""
    return "../" * (len(path.resolve().relative_to(ROOT).parts) - 1)


def update_readme(text: str, path: Path = README) -> str:
    """Return the text of ``path`` with its sections and run blocks regenerated."""
    return update_runs(update_sections(text, path))


def update_sections(text: str, path: Path = README) -> str:
    """Return the text of ``path`` with every generated section it holds regenerated.

    A section whose markers are not in this file is skipped (``check_markers`` makes sure
    each is in some file); a start marker without its end marker after it is an error.
    """
    for name, generate in SECTIONS.items():
        start, end = _markers(name)
        i = text.find(start)
        if i < 0:
            continue
        j = text.find(end, i)
        if j < 0:
            raise SystemExit(f"{path}: {start!r} has no {end!r} after it")
        text = text[: i + len(start)] + "\n\n" + generate(text, _to_root(path)) + "\n" + text[j:]
    return text


def check_markers(texts: dict[Path, str]) -> None:
    """Stop unless every generated section has its markers in at least one of ``texts``."""
    for name in SECTIONS:
        start, _ = _markers(name)
        if not any(start in text for text in texts.values()):
            files = ", ".join(str(p.relative_to(ROOT)) for p in texts)
            raise SystemExit(f"the markers of the {name!r} section are in none of {files}")


def update_runs(text: str) -> str:
    """Return the text with every run block's console output captured afresh."""
    blocks = list(RUN.finditer(text))
    if not blocks:
        return text
    scratch = Path(tempfile.mkdtemp(prefix="kg-readme-"))
    try:
        for folder in ("examples", "tests"):
            (scratch / folder).symlink_to(ROOT / folder, target_is_directory=True)
        parts, done = [], 0
        for block in blocks:
            lines = [line.strip() for line in block[2].splitlines() if line.strip()]
            console = "\n".join(_run(line, scratch) for line in lines)
            parts += [text[done : block.start(3)], f"```console\n{console}\n```\n"]
            done = block.start(4)
        return "".join(parts) + text[done:]
    finally:
        shutil.rmtree(scratch)


def _run(command: str, cwd: Path) -> str:
    """``$ command`` and what it printed, run by bash in ``cwd`` with this Python's ``kg``."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("KG_", "NEO4J_"))}
    env["PATH"] = f"{Path(sys.executable).parent}{os.pathsep}{env.get('PATH', '')}"
    env["COLUMNS"] = str(WIDTH)
    result = subprocess.run(
        ["bash", "-c", command],
        cwd=cwd,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        timeout=600,
    )
    output = result.stdout.replace(f"{cwd}{os.sep}", "").replace(str(cwd), ".").rstrip()
    if result.returncode != 0:
        raise SystemExit(f"documented command failed ({result.returncode}): {command}\n{output}")
    return f"$ {command}\n{output}" if output else f"$ {command}"


def _param(param: Param) -> str:
    """``name`` type = default: help (required parameters have no default)."""
    default = "" if param.default is None else f" = `{param.default or '""'}`"
    return f"`{param.name}` {param.type}{default}: {param.help}"


def _cell(text: str) -> str:
    return text.replace("|", "\\|")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--check", action="store_true", help="exit 1 when one of the files is stale"
    )
    args = parser.parse_args()
    current = {path: path.read_text(encoding="utf-8") for path in DOCS}
    check_markers(current)
    stale = 0
    for path, text in current.items():
        wanted = update_readme(text, path)
        if wanted == text:
            if not args.check:
                print(f"{path} is up to date.")
        elif args.check:
            print(f"{path} is stale: run .venv/bin/python scripts/cli_reference.py")
            stale = 1
        else:
            path.write_text(wanted, encoding="utf-8")
            print(f"Updated {path}.")
    return stale


if __name__ == "__main__":
    sys.exit(main())
