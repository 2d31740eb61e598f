"""The package's shape: no import cycles, and no imports hidden inside functions without a reason.

Read from the source with ``ast`` (nothing is imported), so the check is exact and takes milliseconds.
"""

from __future__ import annotations

import ast
from pathlib import Path

BOT = Path(__file__).resolve().parent.parent / "bot"

#: Imports inside functions that stay there on purpose, each with its reason.
LAZY_ON_PURPOSE = {
    # The loader validates scripts with graph.paths(): a module-level import would be a cycle.
    ("bot.coach.graph", "bot.coach.script"),
}


def _module_name(path: Path) -> str:
    parts = path.relative_to(BOT.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _modules() -> dict[str, ast.Module]:
    return {_module_name(p): ast.parse(p.read_text(encoding="utf-8")) for p in sorted(BOT.rglob("*.py"))}


def _targets(node: ast.Import | ast.ImportFrom, known: set[str]) -> set[str]:
    """The bot modules an import statement loads (``from bot.x import y`` is module ``bot.x.y`` if one exists)."""
    if isinstance(node, ast.Import):
        names = [alias.name for alias in node.names]
    elif node.module is None or node.level:
        return set()  # relative imports are not used in this package
    else:
        names = [f"{node.module}.{alias.name}" if f"{node.module}.{alias.name}" in known else node.module
                 for alias in node.names]  # fmt: skip
    return {name for name in names if name in known}


def _module_level_imports(tree: ast.Module) -> list[ast.Import | ast.ImportFrom]:
    """Imports that run when the module is imported: not inside functions, not under ``if TYPE_CHECKING``."""
    found: list[ast.Import | ast.ImportFrom] = []
    pending: list[ast.stmt] = list(tree.body)
    while pending:
        node = pending.pop()
        if isinstance(node, ast.Import | ast.ImportFrom):
            found.append(node)
        elif isinstance(node, ast.If):
            if not (isinstance(node.test, ast.Name) and node.test.id == "TYPE_CHECKING"):
                pending += node.body + node.orelse
        elif isinstance(node, ast.Try):
            pending += node.body + node.orelse + node.finalbody + [s for h in node.handlers for s in h.body]
        elif isinstance(node, ast.ClassDef | ast.With):
            pending += node.body
    return found


def test_the_package_has_no_import_cycles() -> None:
    modules = _modules()
    known = set(modules)
    graph = {name: set().union(*(_targets(i, known) for i in _module_level_imports(tree))) - {name}
             for name, tree in modules.items()}  # fmt: skip

    cycles: list[list[str]] = []
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []

    def visit(name: str) -> None:  # Tarjan's strongly connected components
        index[name] = low[name] = len(index)
        stack.append(name)
        for target in graph[name]:
            if target not in index:
                visit(target)
                low[name] = min(low[name], low[target])
            elif target in stack:
                low[name] = min(low[name], index[target])
        if low[name] == index[name]:
            component = []
            while True:
                member = stack.pop()
                component.append(member)
                if member == name:
                    break
            if len(component) > 1:
                cycles.append(sorted(component))

    for name in sorted(graph):
        if name not in index:
            visit(name)
    assert cycles == [], f"modules that import each other: {cycles}"


def test_imports_inside_functions_are_only_the_documented_ones() -> None:
    """A newcomer reads a module's dependencies at its top. ``bot/cli.py`` stays lazy on purpose (its
    docstring gives the measured start-up cost); everything else must be listed above with a reason."""
    modules = _modules()
    known = set(modules)
    hidden = set()
    for name, tree in modules.items():
        if name == "bot.cli":
            continue
        for function in ast.walk(tree):
            if isinstance(function, ast.FunctionDef | ast.AsyncFunctionDef):
                for node in ast.walk(function):
                    if isinstance(node, ast.Import | ast.ImportFrom):
                        hidden |= {(name, target) for target in _targets(node, known)}
    assert hidden <= LAZY_ON_PURPOSE, sorted(hidden - LAZY_ON_PURPOSE)
