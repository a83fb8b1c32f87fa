"""The code's layout (issue 25): no module needs another to be imported first, and reads
never import writes. Neither test touches the database."""

from __future__ import annotations

import ast
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
APPS = [
    "members",
    "community",
    "convenings",
    "elections",
    "governance",
    "measurement",
    "renewals",
    "resources",
]
PACKAGES = [*APPS, "slecop"]


def project_modules() -> list[str]:
    """Every module of the apps and the project package, migrations included."""
    found = []
    for package in PACKAGES:
        for path in sorted((ROOT / package).rglob("*.py")):
            parts = list(path.relative_to(ROOT).with_suffix("").parts)
            if parts[-1] == "__init__":
                parts.pop()
            found.append(".".join(parts))
    return found


# Django's own start-up (django.setup) comes first, as in every process that runs the
# portal; then every module is imported in the given order, each at most once.
IMPORT_ALL = """
import importlib, json, random, sys
import django
django.setup()
modules = json.loads(sys.argv[1])
random.Random(int(sys.argv[2])).shuffle(modules)
for name in modules:
    importlib.import_module(name)
"""


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_every_module_imports_in_a_fresh_interpreter_in_any_order(seed):
    """No import circle that only works in one order: a fresh interpreter imports every
    module of every app in a random order (a different order per seed)."""
    modules = [m for m in project_modules() if not m.startswith("slecop.settings")]
    result = subprocess.run(
        [sys.executable, "-c", IMPORT_ALL, json.dumps(modules), str(seed)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=300,
        env={**os.environ, "DJANGO_SETTINGS_MODULE": "slecop.settings.test"},
    )
    assert result.returncode == 0, result.stderr[-3000:]


def _module_level_import_targets(path: Path, module: str) -> set[str]:
    """The modules `path` imports, as dotted names (relative imports resolved)."""
    tree = ast.parse(path.read_text(), filename=str(path))
    package = module if path.name == "__init__.py" else module.rpartition(".")[0]
    targets = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            targets.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")
                base = base[: len(base) - (node.level - 1)]
                origin = ".".join(base + ([node.module] if node.module else []))
            else:
                origin = node.module or ""
            targets.add(origin)
            targets.update(f"{origin}.{alias.name}" for alias in node.names)
    return targets


def _is_services(name: str) -> bool:
    parts = name.split(".")
    return parts[0] in APPS and "services" in parts


def test_selectors_never_import_services():
    """Reads never import writes: no module in a `selectors` module or package imports
    anything from a `services` module or package (of any app)."""
    offenders = []
    for module in project_modules():
        if "selectors" not in module.split("."):
            continue
        path = ROOT / Path(*module.split("."))
        path = path / "__init__.py" if path.is_dir() else path.with_suffix(".py")
        bad = sorted(t for t in _module_level_import_targets(path, module) if _is_services(t))
        if bad:
            offenders.append(f"{module} imports {', '.join(bad)}")
    assert offenders == []


def test_the_project_package_imports_no_app_outside_its_urls():
    """`slecop/` is the project: settings and shared helpers. Only its URL configuration
    imports the apps."""
    offenders = []
    for module in project_modules():
        if not module.startswith("slecop") or module == "slecop.urls":
            continue
        path = ROOT / Path(*module.split("."))
        path = path / "__init__.py" if path.is_dir() else path.with_suffix(".py")
        for target in _module_level_import_targets(path, module):
            if target.split(".")[0] in APPS:
                offenders.append(f"{module} imports {target}")
    assert offenders == []


def _module_path(module: str) -> Path:
    path = ROOT / Path(*module.split("."))
    return path / "__init__.py" if path.is_dir() else path.with_suffix(".py")


def test_no_import_circles_even_through_imports_inside_functions():
    """The modules' imports (at the top or inside a function: an import moved into a
    function to dodge a circle still closes it) form no circle. Only imports inside an
    AppConfig's ready() are left out: Django runs those once every app is loaded."""
    modules = [m for m in project_modules() if ".migrations." not in m]
    known = set(modules)
    graph: dict[str, set[str]] = {}
    for module in modules:
        tree = ast.parse(_module_path(module).read_text())
        for node in ast.walk(tree):
            if isinstance(node, ast.FunctionDef) and node.name == "ready":
                node.body = []
        targets = set()
        is_package = _module_path(module).name == "__init__.py"
        package = module if is_package else module.rpartition(".")[0]
        for node in ast.walk(tree):
            names = []
            if isinstance(node, ast.Import):
                names = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom):
                if node.level:
                    base = package.split(".")
                    base = base[: len(base) - (node.level - 1)]
                    origin = ".".join(base + ([node.module] if node.module else []))
                else:
                    origin = node.module or ""
                names = [origin, *(f"{origin}.{alias.name}" for alias in node.names)]
            for name in names:
                parts = name.split(".")
                for i in range(1, len(parts) + 1):  # importing a.b.c runs a and a.b too
                    ancestor = ".".join(parts[:i])
                    if ancestor in known and not module.startswith(ancestor + "."):
                        targets.add(ancestor)
        targets.discard(module)
        graph[module] = targets

    circles = []
    state: dict[str, int] = {}  # 1: on the current path, 2: done
    path_stack: list[str] = []

    def visit(node: str) -> None:
        state[node] = 1
        path_stack.append(node)
        for nxt in sorted(graph[node]):
            if state.get(nxt) == 1:
                circles.append(" -> ".join([*path_stack[path_stack.index(nxt) :], nxt]))
            elif nxt not in state:
                visit(nxt)
        path_stack.pop()
        state[node] = 2

    for module in sorted(graph):
        if module not in state:
            visit(module)
    assert circles == []


REFUSALS = {"DomainError", "NotAllowed", "Conflict", "InvalidBallot", "ValidationError"}


def test_refusals_are_translatable():
    """Every refusal the apps raise with a message passes it through gettext: a message
    written as a plain or f-string would reach Spanish-speaking users in English."""
    untranslated = []
    for module in project_modules():
        if ".migrations." in module:
            continue
        path = _module_path(module)
        for node in ast.walk(ast.parse(path.read_text())):
            if not (isinstance(node, ast.Call) and node.args):
                continue
            func = node.func
            name = func.id if isinstance(func, ast.Name) else getattr(func, "attr", None)
            first = node.args[0]
            literal = isinstance(first, ast.JoinedStr) or (
                isinstance(first, ast.Constant) and isinstance(first.value, str)
            )
            if name in REFUSALS and literal:
                untranslated.append(f"{module}:{node.lineno}")
    assert untranslated == []
