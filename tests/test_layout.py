"""Module hygiene: each `__all__` says what its module exports; every module is used."""

import ast
import importlib
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
KG = ROOT / "kg"
# Modules nothing imports because something outside kg/ runs them.
ENTRY_POINTS = {"kg.__main__", "kg.cli"}  # `python -m kg`; [project.scripts] kg = "kg.cli:main"
# Its commands are reached through the ``cli`` group, so they are not exports of their own.
COMMANDS = {"kg.cli"}
LONG = 500
# The convention (CONTRIBUTING.md, "Code map"): a longer module's docstring has a paragraph
# that starts with these words and says why it stays one module.
LONG_BECAUSE = "Long because"


def _name(path: Path) -> str:
    parts = path.relative_to(ROOT).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


MODULES = {_name(path): path for path in sorted(KG.rglob("*.py"))}
PUBLIC = sorted(
    name
    for name, path in MODULES.items()
    if not any(part.startswith("_") for part in name.split(".")[1:]) or path.name == "__init__.py"
    if not name.split(".")[-1].startswith("_")
)


def _tree(name: str) -> ast.Module:
    return ast.parse(MODULES[name].read_text(encoding="utf-8"))


def _defined(tree: ast.Module) -> set[str]:
    """The public functions and classes the module itself defines at top level."""
    return {
        node.name
        for node in tree.body
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef)
        and not node.name.startswith("_")
    }


@pytest.mark.parametrize("name", PUBLIC)
def test_all_lists_what_the_module_exports(name: str) -> None:
    module = importlib.import_module(name)
    exported = getattr(module, "__all__", None)
    assert exported is not None, f"{name} has no __all__"
    missing = [item for item in exported if not hasattr(module, item)]
    assert not missing, f"{name}.__all__ names what it lacks: {missing}"
    if name in COMMANDS:
        return
    unlisted = sorted(_defined(_tree(name)) - set(exported))
    assert not unlisted, f"{name} defines public names its __all__ leaves out: {unlisted}"


def test_package_reexports_exist_and_are_listed() -> None:
    import kg

    imported = {
        alias.asname or alias.name
        for node in ast.walk(_tree("kg"))  # the lazy names are imported under TYPE_CHECKING
        if isinstance(node, ast.ImportFrom)
        for alias in node.names
    }
    assert imported, "kg/__init__.py re-exports nothing"
    assert sorted(imported - set(kg.__all__)) == [], (
        "kg/__init__.py imports names it does not export"
    )
    assert [item for item in kg.__all__ if not hasattr(kg, item)] == []


def _imports(name: str) -> set[str]:
    """Every kg module ``name`` imports, with its parent packages."""
    found: set[str] = set()
    package = name if MODULES[name].name == "__init__.py" else name.rpartition(".")[0]
    for node in ast.walk(_tree(name)):
        targets: list[str] = []
        if isinstance(node, ast.Import):
            targets = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = package.split(".")
                anchor = anchor[: len(anchor) - node.level + 1]
                base = ".".join([*anchor, base] if base else anchor)
            targets = [base, *(f"{base}.{alias.name}" for alias in node.names)]
        elif isinstance(node, ast.Call) and getattr(node.func, "attr", "") == "import_module":
            targets = [arg.value for arg in node.args if isinstance(arg, ast.Constant)]
        for target in targets:
            parts = target.split(".")
            found.update(".".join(parts[:i]) for i in range(1, len(parts) + 1))
    return found & set(MODULES)


def test_every_module_is_imported_by_another() -> None:
    used = {target for name in MODULES for target in _imports(name) - {name}}
    orphans = sorted(set(MODULES) - used - ENTRY_POINTS - {"kg"})
    assert orphans == [], f"no module of kg/ imports {orphans}"


@pytest.mark.parametrize("name", sorted(MODULES))
def test_long_modules_say_why(name: str) -> None:
    lines = MODULES[name].read_text(encoding="utf-8").count("\n")
    if lines <= LONG:
        return
    doc = ast.get_docstring(_tree(name)) or ""
    assert any(line.startswith(LONG_BECAUSE) for line in doc.splitlines()), (
        f"{name} has {lines} lines: its docstring needs a paragraph starting {LONG_BECAUSE!r}"
    )
