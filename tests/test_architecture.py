"""The package's layering, checked on its source: who may import typer and rich, and no import cycle.

Every `import` counts, at module level or inside a function (a lazy import is still a
dependency). For the terminal libraries, `if TYPE_CHECKING:` blocks are left out (they never
run); for cycles they count: the data walks one way, even in type hints.
"""

from __future__ import annotations

import ast
from pathlib import Path

PACKAGE = Path(__file__).resolve().parent.parent / "newsletter"
TERMINAL_LIBRARIES = {"typer", "rich", "click", "shellingham"}


def module_name(path: Path) -> str:
    parts = list(path.relative_to(PACKAGE.parent).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def _is_type_checking(node: ast.If) -> bool:
    test = node.test
    return (isinstance(test, ast.Name) and test.id == "TYPE_CHECKING") or (
        isinstance(test, ast.Attribute) and test.attr == "TYPE_CHECKING"
    )


def imports_of(path: Path, *, type_checking: bool = False) -> set[str]:
    """Every module `path` imports when it runs (and in TYPE_CHECKING blocks if asked)."""
    found: set[str] = set()

    def visit(node: ast.AST) -> None:
        if not type_checking and isinstance(node, ast.If) and _is_type_checking(node):
            for child in node.orelse:
                visit(child)
            return
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            found.add(node.module)
            # `from newsletter.cli import render` imports the submodule newsletter.cli.render
            found.update(f"{node.module}.{alias.name}" for alias in node.names)
        for child in ast.iter_child_nodes(node):
            visit(child)

    visit(ast.parse(path.read_text(encoding="utf-8")))
    return found


def package_graph(*, type_checking: bool = False) -> dict[str, set[str]]:
    modules = {module_name(p): p for p in PACKAGE.rglob("*.py")}
    return {
        name: {m for m in imports_of(path, type_checking=type_checking) if m in modules and m != name}
        for name, path in modules.items()
    }


def test_only_the_cli_imports_terminal_libraries() -> None:
    offenders = {}
    for path in PACKAGE.rglob("*.py"):
        name = module_name(path)
        if name == "newsletter.cli" or name.startswith("newsletter.cli."):
            continue
        terminal = {m for m in imports_of(path) if m.split(".")[0] in TERMINAL_LIBRARIES}
        if terminal:
            offenders[name] = sorted(terminal)
    assert offenders == {}


def test_the_core_never_imports_the_cli() -> None:
    graph = package_graph()
    offenders = {
        name: sorted(m for m in deps if m.startswith("newsletter.cli"))
        for name, deps in graph.items()
        if not name.startswith("newsletter.cli")
    }
    assert {name: deps for name, deps in offenders.items() if deps} == {}


def _cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """Strongly connected components of more than one module (Tarjan's algorithm)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []

    def connect(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        on_stack.add(node)
        for dep in sorted(graph.get(node, ())):
            if dep not in index:
                connect(dep)
                low[node] = min(low[node], low[dep])
            elif dep in on_stack:
                low[node] = min(low[node], index[dep])
        if low[node] == index[node]:
            component = []
            while True:
                member = stack.pop()
                on_stack.discard(member)
                component.append(member)
                if member == node:
                    break
            if len(component) > 1:
                found.append(sorted(component))

    for node in sorted(graph):
        if node not in index:
            connect(node)
    return found


def _package_parent_edges(graph: dict[str, set[str]]) -> dict[str, set[str]]:
    # Importing a.b.c runs a/__init__ and a/b/__init__ first; those inits importing their own
    # children is how a package is made, not a cycle between stages, so they are left out.
    return {name: {d for d in deps if not d.startswith(name + ".")} for name, deps in graph.items()}


def test_no_import_cycle() -> None:
    assert _cycles(_package_parent_edges(package_graph(type_checking=True))) == []


def test_the_cycle_finder_finds_a_cycle() -> None:
    assert _cycles({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}) == [["a", "b", "c"]]
