"""The domain layer and the command line's lookups never import Textual."""

import ast
import functools
import subprocess
import sys
from pathlib import Path

import pytest

import tui

PACKAGE = Path(tui.__file__).resolve().parent
TEXTUAL_FREE = ["trade", "settings.py", "locations.py", "cli.py", "columns.py", "export.py", "views.py", "clipboard.py",
                "about.py"]
UI_LIBRARIES = ("textual", "textual_plotext", "plotext")


def _imported_modules(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    names = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module:
            names.add(node.module)
    return names


def test_domain_layer_never_imports_textual():
    files = []
    for entry in TEXTUAL_FREE:
        target = PACKAGE / entry
        files += sorted(target.rglob("*.py")) if target.is_dir() else [target]
    assert files
    offenders = {
        str(f.relative_to(PACKAGE)): sorted(m for m in _imported_modules(f) if m.split(".")[0] in UI_LIBRARIES)
        for f in files
    }
    offenders = {k: v for k, v in offenders.items() if v}
    assert offenders == {}


def test_a_cli_lookup_does_not_load_textual(tmp_path):
    code = (
        "import sys, contextlib, io\n"
        "from tui.cli import main\n"
        "with contextlib.redirect_stdout(io.StringIO()):\n"
        "    assert main(['show', 'china']) == 0\n"
        "print(sorted(m for m in sys.modules if m.split('.')[0] in ('textual', 'plotext', 'rich')))\n"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert result.stdout.strip() == "[]"


# What the app's first screen is drawn with, before pandas is imported (see tui/trade/catalog.py).
PANDAS_FREE = ["trade/__init__.py", "trade/catalog.py", "trade/ranking.py", "trade/periods.py", "trade/schema.py",
               "trade/lookup.py", "trade/formatting.py", "trade/releases.py", "settings.py", "locations.py",
               "terminal.py", "startup.py",
               "cli.py", "launch.py", "app.py", "state.py", "messages.py", "commands.py", "compat.py", "bindings.py",
               "vocabulary.py", "columns.py", "screens/main.py", "panes/base.py", "panes/partners.py",
               "panes/regions.py", "panes/sectors.py", "screens/detail.py", "screens/chapter.py", "widgets/table.py",
               "widgets/charts.py", "widgets/plots.py", "widgets/status.py", "widgets/footer.py",
               # what the Partners list exports, copies and searches with before the dataset is in, and the
               # screens opened from it
               "export.py", "views.py", "clipboard.py", "about.py", "trade/changes.py", "screens/group.py",
               "screens/compare.py", "screens/help.py", "widgets/linechart.py"]


def _top_level_imports(path: Path) -> set[str]:
    """Modules imported when the file is imported: not inside functions, not only for type checkers.

    `from tui.trade import name` counts as importing the module that name is loaded from."""
    from tui.trade import _MODULE_OF

    names = set()

    def visit(statements):
        for node in statements:
            if isinstance(node, ast.Import):
                names.update(alias.name for alias in node.names)
            elif isinstance(node, ast.ImportFrom) and node.module:
                names.add(node.module)
                if node.module == "tui.trade":
                    names.update(_MODULE_OF.get(alias.name, "tui.trade") for alias in node.names)
            elif isinstance(node, ast.If) and "TYPE_CHECKING" not in ast.unparse(node.test):
                visit(node.body)
                visit(node.orelse)
            elif isinstance(node, (ast.Try, ast.With)):
                visit(node.body)

    visit(ast.parse(path.read_text(encoding="utf-8")).body)
    return names


def test_the_first_screens_modules_import_no_pandas():
    heavy = {"pandas", "numpy", "tui.trade.dataset", "tui.trade.queries"}
    offenders = {name: sorted(m for m in _top_level_imports(PACKAGE / name) if m in heavy or m.split(".")[0] in heavy)
                 for name in PANDAS_FREE}
    assert {k: v for k, v in offenders.items() if v} == {}


FOREIGN = ("textual", "textual_plotext", "plotext")


def _private_members(cls: type) -> set[str]:
    """The private attributes and methods a Textual or plotext class (or its bases) defines."""
    names: set[str] = set()
    for base in cls.__mro__:
        if base.__module__.split(".")[0] in FOREIGN:
            names |= _private_members_defined_by(base)
    return names


@functools.cache
def _private_members_defined_by(base: type) -> frozenset[str]:
    """The private attributes and methods one Textual or plotext class defines itself (read once per class:
    finding a class's source parses its whole module)."""
    import inspect
    import re

    names = {name for name in vars(base) if name.startswith("_") and not name.startswith("__")}
    try:
        source = inspect.getsource(base)
    except (OSError, TypeError):
        return frozenset(names)
    names.update(re.findall(r"self\.(_[a-z][A-Za-z0-9_]*)\s*(?::[^=\n]*)?=", source))
    return frozenset(names)


def _foreign_private_names() -> set[str]:
    """Every private name Textual's or plotext's source defines (`self._x =`, `def _x`)."""
    import importlib
    import re

    names: set[str] = set()
    for package in FOREIGN:
        root = Path(importlib.import_module(package).__file__).resolve().parent
        for source in root.rglob("*.py"):
            text = source.read_text(encoding="utf-8", errors="replace")
            names.update(re.findall(r"self\.(_[a-z][A-Za-z0-9_]*)\s*(?::[^=\n]*)?=", text))
            names.update(re.findall(r"def (_[a-z][A-Za-z0-9_]*)\(", text))
    return names


@pytest.mark.slow
def test_no_private_textual_or_plotext_member_is_used_outside_compat():
    """Reading or overriding a private member of Textual or plotext breaks silently on their next release:
    the few unavoidable ones live in tui/compat.py, each with its upstream issue.

    Inside a class of ours, `self._x` and `def _x` may not name a private member of its Textual bases;
    anywhere, `something._x` may not name a private Textual or plotext member that tradegap itself
    does not define."""
    import importlib

    foreign = _foreign_private_names()
    sources = {path: ast.parse(path.read_text(encoding="utf-8")) for path in sorted(PACKAGE.rglob("*.py"))}
    nodes = {path: list(ast.walk(tree)) for path, tree in sources.items()}  # each tree walked once
    ours: set[str] = set()
    for walked in nodes.values():
        for node in walked:
            if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
                ours.add(node.name)
            elif isinstance(node, ast.Attribute) and isinstance(node.ctx, ast.Store):
                ours.add(node.attr)
    offenders = []
    for path, walked in nodes.items():
        if path.name in ("compat.py", "__main__.py"):
            continue
        module_name = "tui." + ".".join(path.relative_to(PACKAGE).with_suffix("").parts)
        module_name = module_name.removesuffix(".__init__")
        module = importlib.import_module(module_name)
        for node in walked:
            if not isinstance(node, ast.ClassDef):
                continue
            cls = getattr(module, node.name, None)
            if not isinstance(cls, type):
                continue
            private = _private_members(cls)
            for item in ast.walk(node):
                name = None
                if isinstance(item, ast.Attribute) and isinstance(item.value, ast.Name) and item.value.id == "self":
                    name = item.attr
                elif isinstance(item, (ast.FunctionDef, ast.AsyncFunctionDef)) and item in node.body:
                    name = item.name
                if name in private:
                    offenders.append(f"{path.relative_to(PACKAGE)}:{item.lineno} {name} (of {cls.__name__}'s bases)")
        for item in walked:
            if (isinstance(item, ast.Attribute) and item.attr.startswith("_") and not item.attr.startswith("__")
                    and not (isinstance(item.value, ast.Name) and item.value.id in ("self", "os", "sys"))
                    and item.attr in foreign and item.attr not in ours):
                offenders.append(f"{path.relative_to(PACKAGE)}:{item.lineno} {item.attr}")
    assert offenders == []
