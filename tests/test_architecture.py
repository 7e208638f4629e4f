"""The domain layer and the command line's lookups never import Textual."""

import ast
import subprocess
import sys
from pathlib import Path

import tui

PACKAGE = Path(tui.__file__).resolve().parent
TEXTUAL_FREE = ["trade", "settings.py", "locations.py", "cli.py"]


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
        str(f.relative_to(PACKAGE)): sorted(m for m in _imported_modules(f) if m.split(".")[0] in ("textual", "textual_plotext", "plotext"))
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
