"""The layout's rules, checked on the source: imports flow one way, no cycles, no private
names across modules, no re-export shims, modules of a readable size.

Imports are read with ``ast`` from every module of the four packages, including imports
inside functions and under ``TYPE_CHECKING``: a cycle hidden behind a lazy import is
still a cycle for a reader.
"""

from __future__ import annotations

import ast
from collections.abc import Iterator
from dataclasses import dataclass

import pytest
from paths import ROOT

PACKAGES = ("ontology", "ingest", "graph", "search_api")
MAX_LINES = 400
SIZE_REASON = "Size:"  # a module over MAX_LINES says why in a docstring line starting so

# Which top-level package (or search_api subpackage) may import which: data flows one way,
# file -> document -> extractions -> graph + index -> API.
ALLOWED: dict[str, set[str]] = {
    "ontology": {"ontology"},
    "ingest": {"ingest", "ontology"},
    "graph": {"graph", "ingest", "ontology"},
    "search_api.retrieval": {
        "search_api.retrieval",
        "search_api.errors",
        "search_api.timing",
        "ingest",
        "ontology",
    },
    "search_api.qa": {
        "search_api.qa",
        "search_api.retrieval",
        "search_api.errors",
        "search_api.timing",
        "graph",
        "ingest",
        "ontology",
    },
}


@dataclass(frozen=True, slots=True)
class Import:
    importer: str  # dotted module name
    target: str  # dotted module name imported (a module, never a name inside one)
    names: tuple[str, ...]  # names taken from it by ``from target import ...``
    line: int


def module_name(path_parts: tuple[str, ...]) -> str:
    parts = list(path_parts)
    parts[-1] = parts[-1].removesuffix(".py")
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def all_modules() -> dict[str, ast.Module]:
    modules: dict[str, ast.Module] = {}
    for package in PACKAGES:
        for path in sorted((ROOT / package).rglob("*.py")):
            rel = path.relative_to(ROOT).parts
            modules[module_name(rel)] = ast.parse(path.read_text("utf-8"), str(path))
    return modules


MODULES = all_modules()


def internal(name: str) -> bool:
    return name.split(".")[0] in PACKAGES


def resolve(importer: str, node: ast.ImportFrom) -> str:
    if not node.level:
        return node.module or ""
    is_package = importer in MODULES and _is_package(importer)
    base = importer.split(".")
    base = base if is_package else base[:-1]
    base = base[: len(base) - (node.level - 1)]
    return ".".join([*base, node.module] if node.module else base)


def _is_package(name: str) -> bool:
    return (ROOT / name.replace(".", "/") / "__init__.py").exists()


def imports() -> Iterator[Import]:
    for importer, tree in MODULES.items():
        for node in ast.walk(tree):
            if isinstance(node, ast.Import):
                for alias in node.names:
                    if internal(alias.name):
                        yield Import(importer, alias.name, (), node.lineno)
            elif isinstance(node, ast.ImportFrom):
                target = resolve(importer, node)
                if not internal(target):
                    continue
                plain: list[str] = []
                for alias in node.names:
                    sub = f"{target}.{alias.name}"
                    if sub in MODULES:  # ``from graph import queries``: a module
                        yield Import(importer, sub, (), node.lineno)
                    else:
                        plain.append(alias.name)
                if plain:
                    yield Import(importer, target, tuple(plain), node.lineno)


IMPORTS = list(imports())


def layer_of(module: str) -> str:
    for layer in sorted(ALLOWED, key=len, reverse=True):
        if module == layer or module.startswith(layer + "."):
            return layer
    return module.split(".")[0]


def within(module: str, allowed: set[str]) -> bool:
    return any(module == a or module.startswith(a + ".") for a in allowed)


def test_imports_flow_one_way() -> None:
    wrong = [
        f"{i.importer}:{i.line} imports {i.target}"
        for i in IMPORTS
        if layer_of(i.importer) in ALLOWED and not within(i.target, ALLOWED[layer_of(i.importer)])
    ]
    assert not wrong, "\n".join(wrong)


def strongly_connected(graph: dict[str, set[str]]) -> list[list[str]]:
    """Tarjan's algorithm, iteratively; components of more than one module, or self-loops."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    out: list[list[str]] = []
    counter = 0
    for root in graph:
        if root in index:
            continue
        work = [(root, iter(sorted(graph[root])))]
        index[root] = low[root] = counter
        counter += 1
        stack.append(root)
        on_stack.add(root)
        while work:
            node, children = work[-1]
            advanced = False
            for child in children:
                if child not in graph:
                    continue
                if child not in index:
                    index[child] = low[child] = counter
                    counter += 1
                    stack.append(child)
                    on_stack.add(child)
                    work.append((child, iter(sorted(graph[child]))))
                    advanced = True
                    break
                if child in on_stack:
                    low[node] = min(low[node], index[child])
            if advanced:
                continue
            work.pop()
            if work:
                parent = work[-1][0]
                low[parent] = min(low[parent], low[node])
            if low[node] == index[node]:
                component = []
                while True:
                    member = stack.pop()
                    on_stack.discard(member)
                    component.append(member)
                    if member == node:
                        break
                if len(component) > 1 or node in graph[node]:
                    out.append(sorted(component))
    return out


def test_no_import_cycles() -> None:
    graph: dict[str, set[str]] = {m: set() for m in MODULES}
    for i in IMPORTS:
        if i.target in MODULES and i.target != i.importer:
            graph[i.importer].add(i.target)
    cycles = strongly_connected(graph)
    assert not cycles, "import cycles:\n" + "\n".join(" <-> ".join(c) for c in cycles)


def test_no_private_names_across_modules() -> None:
    wrong = [
        f"{i.importer}:{i.line} takes {', '.join(n for n in i.names if n.startswith('_'))} "
        f"from {i.target}"
        for i in IMPORTS
        if i.target != i.importer and any(n.startswith("_") and n != "__version__" for n in i.names)
    ]
    assert not wrong, "\n".join(wrong)


def test_no_reexport_aliases() -> None:
    """``from x import name as name`` marks a re-export kept for old importers."""
    wrong = []
    for module, tree in MODULES.items():
        for node in ast.walk(tree):
            if isinstance(node, ast.ImportFrom):
                wrong += [
                    f"{module}:{node.lineno} {a.name}"
                    for a in node.names
                    if a.asname is not None and a.asname == a.name
                ]
    assert not wrong, "\n".join(wrong)


@pytest.mark.parametrize("module", sorted(MODULES))
def test_module_size(module: str) -> None:
    path = ROOT / (module.replace(".", "/") + ("/__init__.py" if _is_package(module) else ".py"))
    lines = len(path.read_text("utf-8").splitlines())
    if lines <= MAX_LINES:
        return
    doc = ast.get_docstring(MODULES[module]) or ""
    assert any(line.startswith(SIZE_REASON) for line in doc.splitlines()), (
        f"{path.relative_to(ROOT)} has {lines} lines: split it by what it does, or say why "
        f"in a docstring line starting {SIZE_REASON!r}"
    )


def test_package_inits_are_short() -> None:
    """An ``__init__`` names the package's public API; it holds no logic."""
    long = []
    for module, tree in MODULES.items():
        if _is_package(module) and any(
            isinstance(n, ast.FunctionDef | ast.ClassDef | ast.AsyncFunctionDef) for n in tree.body
        ):
            long.append(module)
    assert not long, f"package __init__ with definitions: {long}"
