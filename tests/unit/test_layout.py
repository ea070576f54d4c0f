"""The layout keeps its promises (docs/architecture.md): import arrows point one way.

Checked on the source with `ast`, so a violation fails here before anyone reads it:

    .venv/bin/pytest -q tests/unit/test_layout.py
"""

from __future__ import annotations

import ast
from collections.abc import Iterator
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2] / "src"
# The one list of tthc's subpackages, bottom floor first. A package may import its own
# modules and any package on a lower floor; never one beside it or above it. `bot` is the
# chat toolkit; `bot.<capability>` its adapters; `app` composes everything, `cli` drives it.
FLOORS: tuple[tuple[str, ...], ...] = (
    ("core",),
    ("messages",),
    ("audit",),
    ("users",),
    ("catalog", "checklist", "complaints", "dossiers"),
    ("ratings",),
    ("reports", "staff"),
    ("privacy",),
    ("bot",),
    ("bot.users", "bot.catalog"),
    ("bot.dossiers", "bot.reports", "bot.staff"),
    ("bot.ratings", "bot.complaints"),
    ("app",),
    ("cli",),
)
FLOOR = {package: number for number, floor in enumerate(FLOORS) for package in floor}
ROOF = ("tthc.app", "tthc.cli")  # composition: may import everything
CHAT = ("tthc.bot", *ROOF)  # the only packages that know Telegram


def _modules() -> dict[str, Path]:
    found = {}
    for path in (ROOT / "tthc").rglob("*.py"):
        parts = path.relative_to(ROOT).with_suffix("").parts
        name = ".".join(parts[:-1] if parts[-1] == "__init__" else parts)
        found[name] = path
    return found


MODULES = _modules()


def package_of(module: str) -> str | None:
    """The floor-plan package a module belongs to ("tthc.bot.catalog.views" → "bot.catalog")."""
    parts = module.split(".")[1:]
    for n in (2, 1):
        if len(parts) >= n and ".".join(parts[:n]) in FLOOR:
            return ".".join(parts[:n])
    return None  # tthc itself: the version, imported by anyone


def _resolve(name: str) -> str | None:
    """The project module an import names (`from a.b import c` may name module a.b.c)."""
    while name and name not in MODULES:
        name = name.rpartition(".")[0]
    return name or None


def _type_checking(node: ast.If) -> bool:
    test = node.test
    return (isinstance(test, ast.Name) and test.id == "TYPE_CHECKING") or (
        isinstance(test, ast.Attribute) and test.attr == "TYPE_CHECKING"
    )


def _imports(tree: ast.AST, *, top_level: bool) -> Iterator[tuple[str, int]]:
    """(imported name, line) of module-level imports, or of those inside functions."""

    def walk(node: ast.AST, in_function: bool) -> Iterator[tuple[str, int]]:
        for child in ast.iter_child_nodes(node):
            if isinstance(child, ast.If) and _type_checking(child):
                continue  # for the type checker only: no arrow at run time
            inside = in_function or isinstance(child, ast.FunctionDef | ast.AsyncFunctionDef)
            if isinstance(child, ast.Import | ast.ImportFrom) and in_function != top_level:
                if isinstance(child, ast.Import):
                    yield from ((a.name, child.lineno) for a in child.names)
                elif child.module and child.level == 0:
                    for alias in child.names:
                        yield f"{child.module}.{alias.name}", child.lineno
            yield from walk(child, inside)

    yield from walk(tree, False)


def _graph() -> dict[str, set[str]]:
    graph: dict[str, set[str]] = {}
    for name, path in MODULES.items():
        tree = ast.parse(path.read_text(encoding="utf-8"))
        targets = {_resolve(imported) for imported, _ in _imports(tree, top_level=True)}
        graph[name] = {t for t in targets if t is not None and t != name}
    return graph


def _cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """Strongly connected components with more than one module (Tarjan)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        on_stack.add(node)
        for target in graph.get(node, ()):
            if target not in index:
                visit(target)
                low[node] = min(low[node], low[target])
            elif target in on_stack:
                low[node] = min(low[node], index[target])
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
            visit(node)
    return found


def _in(module: str, *prefixes: str) -> bool:
    return any(module == p or module.startswith(p + ".") for p in prefixes)


def test_no_import_cycles() -> None:
    assert _cycles(_graph()) == []


def test_the_cycle_check_finds_a_cycle() -> None:
    assert _cycles({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}) == [["a", "b", "c"]]


def test_no_function_level_imports_of_project_modules() -> None:
    # Third-party heavyweights (openpyxl, matplotlib) may load late; our own modules may not:
    # a late import of our own is how a cycle hides.
    late = [
        f"{name}:{line} imports {imported}"
        for name, path in MODULES.items()
        for imported, line in _imports(ast.parse(path.read_text("utf-8")), top_level=False)
        if _resolve(imported) is not None
    ]
    assert late == []


def test_every_subpackage_has_a_floor() -> None:
    packages = {path.parent.name for path in (ROOT / "tthc").glob("*/__init__.py")}
    adapters = {f"bot.{p.parent.name}" for p in (ROOT / "tthc" / "bot").glob("*/__init__.py")}
    assert packages | adapters == set(FLOOR)


def package_arrows() -> set[tuple[str, str]]:
    arrows = set()
    for module, targets in _graph().items():
        source = package_of(module)
        for target in targets:
            destination = package_of(target)
            if source and destination and destination != source:
                arrows.add((source, destination))
    return arrows


def not_down(arrows: set[tuple[str, str]]) -> list[str]:
    return sorted(f"{a} → {b}" for a, b in arrows if FLOOR[b] >= FLOOR[a])


def test_package_arrows_point_down() -> None:
    assert not_down(package_arrows()) == []


def test_the_direction_check_finds_arrows_up_and_sideways() -> None:
    assert package_of("tthc.bot.catalog.views") == "bot.catalog"
    arrows = {("catalog", "core"), ("core", "catalog"), ("bot.staff", "bot.dossiers")}
    assert not_down(arrows) == ["bot.staff → bot.dossiers", "core → catalog"]


def test_telegram_is_imported_only_by_chat_adapters() -> None:
    users = sorted(
        name
        for name, path in MODULES.items()
        for imported, _ in _imports(ast.parse(path.read_text("utf-8")), top_level=True)
        if imported.split(".")[0] == "telegram" and not _in(name, "tthc.bot", *ROOF)
    )
    assert users == []
