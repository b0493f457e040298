"""The layout shows the flow (issue 8): no import cycles, and each step imports only what comes before it.

bytes → readers → Document → locate → extract → Report → rules → outputs; inputs and cli at the edge.
Every import counts, including those inside functions (kept for optional extras), except imports
under `if TYPE_CHECKING:`.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

from .conftest import ROOT

SRC = ROOT / "src"
PACKAGE = "zfxxgk"


def module_name(path: Path) -> str:
    parts = list(path.relative_to(SRC).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def modules() -> dict[str, Path]:
    found = {module_name(p): p for p in sorted((SRC / PACKAGE).rglob("*.py"))}
    assert len(found) > 40, found
    return found


def _type_checking_lines(tree: ast.AST) -> set[int]:
    lines: set[int] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.If) and "TYPE_CHECKING" in ast.unparse(node.test):
            for child in node.body:
                lines.update(range(child.lineno, (child.end_lineno or child.lineno) + 1))
    return lines


def imports(name: str, path: Path, known: set[str]) -> set[str]:
    """The project modules a module imports (a `from pkg import sub` of a submodule counts as that submodule)."""
    tree = ast.parse(path.read_text("utf-8"))
    skip = _type_checking_lines(tree)
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    out: set[str] = set()
    for node in ast.walk(tree):
        if getattr(node, "lineno", None) in skip:
            continue
        if isinstance(node, ast.Import):
            out.update(a.name for a in node.names if a.name.split(".")[0] == PACKAGE)
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")
                base = base[: len(base) - node.level + 1]
                target = ".".join(base + ([node.module] if node.module else []))
            else:
                target = node.module or ""
            if target.split(".")[0] != PACKAGE:
                continue
            subs = {f"{target}.{a.name}" for a in node.names} & known
            out.update(subs or {target})
    return {m for m in out if m in known and m != name}


@pytest.fixture(scope="module")
def graph() -> dict[str, set[str]]:
    mods = modules()
    return {name: imports(name, path, set(mods)) for name, path in mods.items()}


def test_no_import_cycles(graph: dict[str, set[str]]) -> None:
    cycles: list[list[str]] = []
    state: dict[str, int] = {}
    stack: list[str] = []

    def visit(node: str) -> None:
        state[node] = 1
        stack.append(node)
        for nxt in sorted(graph[node]):
            if state.get(nxt) == 1:
                cycles.append([*stack[stack.index(nxt):], nxt])
            elif nxt not in state:
                visit(nxt)
        stack.pop()
        state[node] = 2

    for node in sorted(graph):
        if node not in state:
            visit(node)
    assert cycles == []


def test_the_walk_sees_real_edges(graph: dict[str, set[str]]) -> None:
    """Guard against a test that passes because it sees nothing."""
    assert "zfxxgk.report" in graph["zfxxgk.pipeline"]
    assert "zfxxgk.readers.libreoffice" in graph["zfxxgk.outputs.render_pdf"]  # an import inside a function
    assert "zfxxgk.rules.checks" in graph["zfxxgk.rules"]


# Which steps of the flow a step may not import: nothing may reach forward.
FORBIDDEN = {
    "zfxxgk.templates": ("readers", "document", "locate", "extract", "report", "rules", "outputs", "inputs", "cli",
                         "pipeline"),
    "zfxxgk.readers": ("locate", "extract", "report", "rules", "outputs", "inputs", "cli", "pipeline"),
    "zfxxgk.locate": ("extract", "rules", "outputs", "inputs", "cli", "pipeline"),
    "zfxxgk.extract": ("rules", "outputs", "inputs", "cli", "pipeline"),
    "zfxxgk.report": ("readers", "locate", "extract", "rules", "outputs", "inputs", "cli", "pipeline"),
    "zfxxgk.rules": ("readers", "outputs", "inputs", "cli", "pipeline"),
    "zfxxgk.outputs": ("inputs", "cli", "pipeline"),
    "zfxxgk.inputs": ("cli", "web"),
    "zfxxgk.store": ("cli", "web"),
    "zfxxgk.web": ("cli",),
}


def test_each_step_imports_only_what_comes_before(graph: dict[str, set[str]]) -> None:
    wrong = []
    for name, targets in graph.items():
        for prefix, forbidden in FORBIDDEN.items():
            if name == prefix or name.startswith(prefix + "."):
                wrong += [(name, t) for t in sorted(targets)
                          if any(t == f"{PACKAGE}.{f}" or t.startswith(f"{PACKAGE}.{f}.") for f in forbidden)]
    assert wrong == []
