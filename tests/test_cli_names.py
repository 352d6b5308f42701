"""A NAME (or other argument) starting with '-' goes after `--`, and the error for one taken
as an option says so, with the command line to run instead."""

import shlex
import subprocess
import sys
from pathlib import Path

from click.testing import CliRunner

from kg.cli import cli

HINT = "Put '--' before a name starting with '-', and the options before '--': "


# The console script, so that the command line in the message is the one typed.
KG = str(Path(sys.executable).with_name("kg"))


def kg(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([KG, *args], capture_output=True, text=True, timeout=300)


def test_a_name_taken_for_an_option_says_to_put_it_after_dashes(sample_db: Path) -> None:
    result = kg("entities", "show", "-shot", "--db", str(sample_db))
    assert result.returncode == 2
    error = result.stderr.strip().splitlines()[-1]
    assert error.startswith("Error: No such option '-s'. " + HINT), error
    fixed = error.split(HINT, 1)[1]
    assert fixed == f"kg entities show --db {shlex.quote(str(sample_db))} -- -shot"
    # The command it prints takes -shot for the NAME.
    again = kg(*shlex.split(fixed)[1:])
    assert again.returncode == 1
    assert f"Error: no entity goes by '-shot' in {sample_db}" in again.stderr


def test_options_after_the_dashes_are_pointed_before_them(sample_db: Path) -> None:
    result = CliRunner().invoke(
        cli, ["entities", "show", "--", "-shot", "--db", str(sample_db)], prog_name="kg"
    )
    assert result.exit_code == 2
    assert "Got unexpected extra arguments" in result.stderr
    assert result.stderr.rstrip().endswith(
        HINT + f"kg entities show --db {shlex.quote(str(sample_db))} -- -shot"
    )
    shown = CliRunner().invoke(
        cli, ["entities", "show", "--db", str(sample_db), "--", "TTT"], prog_name="kg"
    )
    assert shown.exit_code == 0 and shown.stdout.startswith("TTT  [")


def test_query_names_and_input_paths_get_the_same_hint(tmp_path: Path) -> None:
    query = CliRunner().invoke(cli, ["query", "-x"], prog_name="kg")
    assert query.exit_code == 2 and HINT + "kg query -- -x" in query.stderr
    unknown = CliRunner().invoke(cli, ["query", "--", "-x"], prog_name="kg")
    assert unknown.exit_code == 1 and "-x" in unknown.stderr
    build = CliRunner().invoke(
        cli, ["build", "-input.txt", "--db", str(tmp_path / "kg.db")], prog_name="kg"
    )
    assert build.exit_code == 2
    assert "Put '--' before an argument (INPUTS) starting with '-'" in build.stderr


def test_a_misspelt_option_or_a_command_without_arguments_gets_no_hint() -> None:
    misspelt = CliRunner().invoke(cli, ["entities", "show", "TTT", "--jsn"], prog_name="kg")
    assert misspelt.exit_code == 2 and "Did you mean '--json'?" in misspelt.stderr
    assert "Put '--'" not in misspelt.stderr
    stats = CliRunner().invoke(cli, ["stats", "-x"], prog_name="kg")
    assert stats.exit_code == 2 and "No such option '-x'" in stats.stderr
    assert "Put '--'" not in stats.stderr
