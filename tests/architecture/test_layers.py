"""The packages' imports point one way (docs/ARCHITECTURE.md), checked two ways:

- `lint-imports` (import-linter, configured in pyproject.toml) runs in `make test` before the
  suite; here we prove it would fail on an upward import, on a copy of the tree.
- No module imports another of our packages inside a function, the usual way to hide a cycle
  (AppConfig.ready() excepted: that is where apps connect to the layers below).
"""

import ast
import shutil
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
PACKAGES = ["core", "worker", "registrations", "appreciation", "insight", "mantelzorg"]


def _modules():
    for package in PACKAGES:
        for path in sorted((ROOT / package).rglob("*.py")):
            if "migrations" not in path.parts:
                yield package, path


def _inner_imports(package, path):
    found = []

    def visit(node, in_function, in_ready):
        for child in ast.iter_child_nodes(node):
            is_function = isinstance(child, (ast.FunctionDef, ast.AsyncFunctionDef))
            inner = in_function or is_function
            ready = in_ready or (is_function and child.name == "ready")
            names = []
            if isinstance(child, ast.Import):
                names = [alias.name for alias in child.names]
            elif isinstance(child, ast.ImportFrom) and child.level == 0 and child.module:
                names = [child.module]
            for name in names:
                top = name.split(".")[0]
                if inner and not ready and top in PACKAGES and top != package:
                    found.append(f"{path}:{child.lineno} imports {name}")
            visit(child, inner, ready)

    visit(ast.parse(path.read_text(encoding="utf-8")), False, False)
    return found


def test_no_package_imports_another_inside_a_function():
    found = [line for package, path in _modules() for line in _inner_imports(package, path)]
    assert found == []


def test_the_scan_finds_an_inner_import_but_not_in_ready(tmp_path):
    """The check above can fail: an import hidden in a function is found; one in an
    AppConfig's ready() and one of the package itself are not."""
    module = tmp_path / "hidden.py"
    module.write_text("def f():\n    from appreciation import services\n"
                      "def g():\n    from worker import letters\n"
                      "class Config:\n    def ready(self):\n        import insight.receivers\n")
    assert _inner_imports("worker", module) == [f"{module}:2 imports appreciation"]


@pytest.mark.slow
def test_lint_imports_fails_on_an_upward_import(tmp_path):
    """A copy of the tree where the mail engine imports a domain app breaks the contract."""
    copy = tmp_path / "tree"
    copy.mkdir()
    shutil.copy(ROOT / "pyproject.toml", copy)
    for package in PACKAGES:
        shutil.copytree(ROOT / package, copy / package,
                        ignore=shutil.ignore_patterns("__pycache__", "migrations"))
    lint = shutil.which("lint-imports")
    assert lint, "import-linter is not installed"
    kept = subprocess.run([lint], cwd=copy, capture_output=True, text=True)
    assert kept.returncode == 0, kept.stdout + kept.stderr
    with open(copy / "worker" / "smtp.py", "a") as module:
        module.write("\nimport registrations.models  # noqa: E402,F401\n")
    broken = subprocess.run([lint], cwd=copy, capture_output=True, text=True)
    assert broken.returncode != 0
    assert "worker is not allowed to import registrations" in broken.stdout
