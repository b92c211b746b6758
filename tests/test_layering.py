"""The import layering: dependencies run one way, and no module imports itself round a circle.

Layers, bottom to top: ``core`` (stdlib only) ← ``wire`` (provider JSON as the SDKs read
it) ← ``detectors`` ← ``policies`` ← ``proxy`` ← ``dashboards``; ``bench`` and ``tests`` sit
on top of everything. A command-line module keeps its package's layer (``policies/cli.py``
is policies: it may not reach into the proxy's configuration).
A module may import its own layer or a lower one.

Imports are read from the source with :mod:`ast`, nothing is imported. Every import counts:
module-level, inside functions (a lazy import is still a dependency), and under
``if TYPE_CHECKING:`` (a type-only import still couples the two modules: the lower layer
cannot be read, checked or moved without the higher one). An import names the deepest
module it reaches (``from proxy import apis`` is an edge to ``proxy.call.apis``); the parent
packages Python also initialises on the way are not counted, since every package's
``__init__`` re-exporting its own submodules would otherwise be a circle.
"""

from __future__ import annotations

import ast
import functools
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

#: Top-level packages, bottom layer first.
LAYERS = ("core", "wire", "detectors", "policies", "proxy", "dashboards")
#: Packages above every layer: they may import anything.
ON_TOP = ("bench", "tests")
TOP = len(LAYERS)


@dataclass(frozen=True, slots=True)
class Edge:
    """``importer`` imports ``imported`` at ``line`` of the importer's file."""

    importer: str
    imported: str
    line: int

    def __str__(self) -> str:
        return f"{self.importer} -> {self.imported} (line {self.line})"


def module_files(root: Path) -> dict[str, Path]:
    """Every module of the layered and on-top packages under ``root``, by dotted name."""
    modules: dict[str, Path] = {}
    for package in (*LAYERS, *ON_TOP):
        for path in sorted((root / package).rglob("*.py")):
            parts = path.relative_to(root).with_suffix("").parts
            if parts[-1] == "__init__":
                parts = parts[:-1]
            modules[".".join(parts)] = path
    return modules


def _known(name: str, modules: dict[str, Path]) -> str | None:
    """The longest prefix of ``name`` that is one of our modules."""
    parts = name.split(".")
    for end in range(len(parts), 0, -1):
        candidate = ".".join(parts[:end])
        if candidate in modules:
            return candidate
    return None


def _base(module: str, path: Path, node: ast.ImportFrom) -> str:
    """The absolute module a ``from ... import`` statement imports from."""
    if not node.level:
        return node.module or ""
    package = module.split(".") if path.name == "__init__.py" else module.split(".")[:-1]
    package = package[: len(package) - (node.level - 1)]
    return ".".join([*package, *([node.module] if node.module else [])])


def imports_of(module: str, path: Path, modules: dict[str, Path]) -> Iterator[Edge]:
    """The edges from ``module`` to our other modules, wherever in the file they are."""
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            targets = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = _base(module, path, node)
            targets = [".".join(filter(None, (base, alias.name))) for alias in node.names]
        else:
            continue
        for target in targets:
            found = _known(target, modules)
            if found is not None and found != module:
                yield Edge(module, found, node.lineno)


def layer_of(module: str) -> int:
    """The layer index of ``module``; command-line modules and tools are on top."""
    parts = module.split(".")
    if parts[0] in ON_TOP:
        return TOP
    return LAYERS.index(parts[0])


def import_graph(root: Path) -> list[Edge]:
    """Every edge between our modules under ``root``, once per importer, imported and line."""
    modules = module_files(root)
    edges = (edge for name, path in modules.items() for edge in imports_of(name, path, modules))
    return list(dict.fromkeys(edges))


def upward_edges(edges: list[Edge]) -> list[Edge]:
    """Imports from a lower layer into a higher one."""
    return [e for e in edges if layer_of(e.importer) < layer_of(e.imported)]


def cycles(edges: list[Edge]) -> list[list[Edge]]:
    """The edges inside each import circle (strongly connected component of size > 1)."""
    graph: dict[str, set[str]] = {}
    for edge in edges:
        graph.setdefault(edge.importer, set()).add(edge.imported)
        graph.setdefault(edge.imported, set())
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    components: list[set[str]] = []

    def visit(node: str) -> None:  # Tarjan's algorithm
        index[node] = low[node] = len(index)
        stack.append(node)
        on_stack.add(node)
        for succ in sorted(graph[node]):
            if succ not in index:
                visit(succ)
                low[node] = min(low[node], low[succ])
            elif succ in on_stack:
                low[node] = min(low[node], index[succ])
        if low[node] == index[node]:
            component: set[str] = set()
            while True:
                member = stack.pop()
                on_stack.discard(member)
                component.add(member)
                if member == node:
                    break
            if len(component) > 1:
                components.append(component)

    limit = sys.getrecursionlimit()
    sys.setrecursionlimit(max(limit, 10 * len(graph)))
    try:
        for node in sorted(graph):
            if node not in index:
                visit(node)
    finally:
        sys.setrecursionlimit(limit)
    return [
        sorted(
            (e for e in edges if e.importer in c and e.imported in c),
            key=lambda e: (e.importer, e.imported, e.line),
        )
        for c in components
    ]


@functools.cache
def repo_graph() -> list[Edge]:
    """The import graph of this repository, read once per test session."""
    return import_graph(ROOT)


def _listing(title: str, edges: list[Edge]) -> str:
    return title + "\n" + "\n".join(f"  {edge}" for edge in edges)


def test_no_lower_layer_imports_a_higher_one() -> None:
    """No module of core, detectors, policies or proxy imports a module of a layer above it."""
    bad = upward_edges(repo_graph())
    assert not bad, _listing(
        f"imports against the layering {' <- '.join(LAYERS)} <- CLIs/bench/tests:", bad
    )


def test_no_import_circles() -> None:
    """No set of our modules imports itself round a circle, lazy and type-only imports included."""
    found = cycles(repo_graph())
    assert not found, "\n".join(
        _listing(f"import circle {i}:", circle) for i, circle in enumerate(found, 1)
    )


def test_core_imports_only_the_standard_library() -> None:
    """Every module of core imports only the standard library and core itself."""
    outside: list[str] = []
    for name, path in module_files(ROOT).items():
        if not name.startswith("core"):
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Import):
                roots = [alias.name.split(".")[0] for alias in node.names]
            elif isinstance(node, ast.ImportFrom) and not node.level:
                roots = [(node.module or "").split(".")[0]]
            else:
                continue
            outside += [
                f"{name} -> {r} (line {node.lineno})"
                for r in roots
                if r != "core" and r not in sys.stdlib_module_names
            ]
    assert not outside, "core imports beyond the standard library:\n  " + "\n  ".join(outside)


def _tree(root: Path, files: dict[str, str]) -> Path:
    for name, text in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    return root


def test_the_check_finds_lazy_and_type_only_upward_imports(tmp_path: Path) -> None:
    """An upward import inside a function or under TYPE_CHECKING is reported with its line."""
    root = _tree(
        tmp_path,
        {
            "core/__init__.py": "",
            "core/a.py": "def f():\n    from policies import b\n",
            "policies/__init__.py": "",
            "policies/b.py": "from typing import TYPE_CHECKING\nif TYPE_CHECKING:\n"
            "    from proxy.c import X\n",
            "policies/cli.py": "import proxy.c\n",
            "proxy/__init__.py": "",
            "proxy/c.py": "from .. import core\nfrom policies.b import f\n",
        },
    )
    assert [str(e) for e in upward_edges(import_graph(root))] == [
        "core.a -> policies.b (line 2)",
        "policies.b -> proxy.c (line 3)",
        "policies.cli -> proxy.c (line 1)",
    ]


def test_the_check_finds_a_circle_through_relative_imports(tmp_path: Path) -> None:
    """Three modules importing each other round a circle are reported as one, edge by edge."""
    root = _tree(
        tmp_path,
        {
            "proxy/__init__.py": "from proxy import a\n",
            "proxy/a.py": "from . import b\n",
            "proxy/b.py": "def g():\n    from proxy.c import x\n",
            "proxy/c.py": "import proxy.a\nimport proxy\n",
        },
    )
    assert [[str(e) for e in circle] for circle in cycles(import_graph(root))] == [
        [
            "proxy -> proxy.a (line 1)",
            "proxy.a -> proxy.b (line 1)",
            "proxy.b -> proxy.c (line 2)",
            "proxy.c -> proxy (line 2)",
            "proxy.c -> proxy.a (line 1)",
        ]
    ]
