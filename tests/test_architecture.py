"""The layout's rules, checked on the source: which package may import which, where figures
are computed, where Excel cells are written, no import cycles, no test importing a test.

A small AST walk over survey/, dashboards/ and exports/ (migrations left out) and tests/;
nothing is imported, so the check is fast and cannot be fooled by import side effects.
Templates are read for one rule: dashboards and exports pages never `url_for` each other.

Imports:
- an import counts wherever it stands (module level or inside a function), except under
  `if TYPE_CHECKING:`; `from a.b import c` depends on the module `a.b.c` when that is a
  module, otherwise on `a.b` (the named module only, not its parent packages);
- an import cycle made of module-level imports is reported as such; a cycle that exists only
  because an import inside a function closes it is reported separately (it does not break
  at import time, but the two modules still depend on each other);
- a package importing its own submodules (`dashboards/__init__.py` registering its pages,
  which import `bp` back) is not a cycle: a submodule's package is always imported first.

The allow-lists below hold the violations that exist today and are being removed
(issue 13); a new violation fails the test, and an entry that no longer occurs fails too,
so the lists only shrink.
"""

from __future__ import annotations

import ast
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PACKAGES = ("survey", "dashboards", "exports")
EXCLUDED = ("survey.migrations",)

#: survey may import dashboards/exports only here (blueprint registration in the factory).
SURVEY_MAY_IMPORT_SIBLINGS = {"survey"}
#: The one place aggregate SQL may be written.
AGGREGATES_HOME = "survey.analysis"
#: The modules that may write an Excel cell.
CELL_WRITERS = {"exports.cells", "exports.writer"}
#: Names of worksheet variables whose `.append(` writes a row of cells (besides variables
#: assigned from `create_sheet(` and parameters annotated as a worksheet).
WORKSHEET_NAMES = {"ws", "sheet", "worksheet"}
AGGREGATE_FUNCTIONS = {"count", "sum", "avg", "min", "max"}

# --- the violations left (issue 13); each list may only shrink -----------------

#: (importer, imported) where survey imports dashboards or exports.
ALLOWED_SURVEY_SIBLING_IMPORTS: set[tuple[str, str]] = set()
#: (importer, imported) between dashboards and exports.
ALLOWED_DASHBOARDS_EXPORTS_IMPORTS: set[tuple[str, str]] = set()
#: Templates of dashboards naming an exports endpoint, or the other way round.
ALLOWED_DASHBOARDS_EXPORTS_TEMPLATE_LINKS: set[str] = set()
#: Modules outside survey.analysis that issue aggregate SQL.
ALLOWED_AGGREGATE_SQL: set[str] = set()
#: Modules in exports that write cells themselves.
ALLOWED_CELL_WRITES: set[str] = set()
#: Import edges (importer, imported) that close a module-level cycle.
ALLOWED_CYCLE_EDGES: set[tuple[str, str]] = set()
#: Import edges that close a cycle only through an import inside a function.
ALLOWED_DEFERRED_CYCLE_EDGES: set[tuple[str, str]] = set()
#: (test module, test module it imports).
ALLOWED_TEST_IMPORTS: set[tuple[str, str]] = set()


@dataclass
class Module:
    name: str
    path: Path
    tree: ast.Module
    is_package: bool
    #: imported module -> True when at least one import of it is at module level
    imports: dict[str, bool] = field(default_factory=dict)


def _module_name(path: Path) -> tuple[str, bool]:
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    is_package = parts[-1] == "__init__"
    if is_package:
        parts.pop()
    return ".".join(parts), is_package


def _sources() -> Iterator[Path]:
    for package in (*PACKAGES, "tests"):
        yield from sorted((ROOT / package).rglob("*.py"))


def _load() -> dict[str, Module]:
    modules = {}
    for path in _sources():
        name, is_package = _module_name(path)
        if name.startswith(EXCLUDED):
            continue
        modules[name] = Module(name, path, ast.parse(path.read_text(), str(path)), is_package)
    for module in modules.values():
        _collect_imports(module, modules)
    return modules


def _is_type_checking(node: ast.AST) -> bool:
    test = node.test if isinstance(node, ast.If) else None
    return (isinstance(test, ast.Name) and test.id == "TYPE_CHECKING"
            or isinstance(test, ast.Attribute) and test.attr == "TYPE_CHECKING")


def _import_nodes(node: ast.AST, in_function: bool = False) -> Iterator[tuple[ast.AST, bool]]:
    for child in ast.iter_child_nodes(node):
        if isinstance(child, ast.If) and _is_type_checking(child):
            continue
        if isinstance(child, ast.Import | ast.ImportFrom):
            yield child, in_function
        nested = in_function or isinstance(child, ast.FunctionDef | ast.AsyncFunctionDef)
        yield from _import_nodes(child, nested)


def _resolve(name: str, modules: dict[str, Module], importer: Module) -> str | None:
    """The known module `name` stands for, trying the tests' own top-level names too."""
    roots = [""]
    if importer.name.startswith("tests."):  # pytest puts each test directory on the path
        directory = importer.name if importer.is_package else importer.name.rpartition(".")[0]
        roots += [f"{directory}.", "tests."]
    found = []
    for root in roots:
        candidate = root + name
        while len(candidate) > len(root) and candidate not in modules:
            candidate = candidate.rpartition(".")[0]
        if len(candidate) > len(root):
            found.append(candidate)
    return max(found, key=len, default=None)


def _targets(node: ast.AST, module: Module) -> Iterator[str]:
    if isinstance(node, ast.Import):
        for alias in node.names:
            yield alias.name
        return
    base = node.module or ""
    if node.level:
        package = module.name if module.is_package else module.name.rpartition(".")[0]
        for _ in range(node.level - 1):
            package = package.rpartition(".")[0]
        base = f"{package}.{base}" if base else package
    for alias in node.names:
        yield f"{base}.{alias.name}"  # a submodule, or a name resolved back to `base`


def _collect_imports(module: Module, modules: dict[str, Module]) -> None:
    for node, in_function in _import_nodes(module.tree):
        for target in _targets(node, module):
            imported = _resolve(target, modules, module)
            if imported is None or imported == module.name:
                continue
            module.imports[imported] = module.imports.get(imported, False) or not in_function


MODULES = _load()
APP_MODULES = {name: m for name, m in MODULES.items() if not name.startswith("tests")}
TEST_MODULES = {name: m for name, m in MODULES.items() if name.startswith("tests")}


def _package(name: str) -> str:
    return name.partition(".")[0]


def _edges(between: tuple[str, str]) -> set[tuple[str, str]]:
    return {(module.name, imported) for module in APP_MODULES.values()
            for imported in module.imports
            if _package(module.name) == between[0] and _package(imported) == between[1]}


def _assert_matches_allowed(found: set, allowed: set, what: str) -> None:
    new = sorted(found - allowed)
    gone = sorted(allowed - found)
    assert not new, f"new {what}: {new}"
    assert not gone, f"{what} allowed but no longer present (remove from the list): {gone}"


# --- package boundaries -----------------------------------------------------------------------

def test_survey_imports_dashboards_and_exports_only_to_register_their_blueprints():
    found = {(importer, imported)
             for sibling in ("dashboards", "exports")
             for importer, imported in _edges(("survey", sibling))
             if importer not in SURVEY_MAY_IMPORT_SIBLINGS}
    _assert_matches_allowed(found, ALLOWED_SURVEY_SIBLING_IMPORTS,
                            "imports of dashboards/exports from survey")


def test_dashboards_and_exports_never_import_each_other():
    found = _edges(("dashboards", "exports")) | _edges(("exports", "dashboards"))
    _assert_matches_allowed(found, ALLOWED_DASHBOARDS_EXPORTS_IMPORTS,
                            "imports between dashboards and exports")


def _templates_naming(package: str, other: str) -> set[str]:
    mention = re.compile(rf"url_for\(\s*['\"]{other}\.")
    return {str(path.relative_to(ROOT)) for path in sorted((ROOT / package).rglob("*.html"))
            if mention.search(path.read_text())}


def test_dashboards_and_exports_templates_never_name_each_others_endpoints():
    found = _templates_naming("dashboards", "exports") | _templates_naming("exports", "dashboards")
    _assert_matches_allowed(found, ALLOWED_DASHBOARDS_EXPORTS_TEMPLATE_LINKS,
                            "templates linking dashboards and exports")


# --- figures and cells ------------------------------------------------------------------------

def _calls(tree: ast.AST) -> Iterator[ast.Call]:
    return (node for node in ast.walk(tree) if isinstance(node, ast.Call))


def _method(call: ast.Call) -> str | None:
    return call.func.attr if isinstance(call.func, ast.Attribute) else None


def _issues_aggregate_sql(tree: ast.AST) -> bool:
    for call in _calls(tree):
        if _method(call) in {"group_by", "over"}:
            return True
    for node in ast.walk(tree):
        if (isinstance(node, ast.Attribute) and node.attr in AGGREGATE_FUNCTIONS
                and isinstance(node.value, ast.Name) and node.value.id == "func"):
            return True
    return False


def _worksheet_names(tree: ast.AST) -> set[str]:
    """Names that hold a worksheet: the usual ones, `x = workbook.create_sheet(...)`, and
    parameters annotated as a worksheet."""
    names = set(WORKSHEET_NAMES)
    for node in ast.walk(tree):
        if (isinstance(node, ast.Assign) and isinstance(node.value, ast.Call)
                and _method(node.value) == "create_sheet"):
            names |= {target.id for target in node.targets if isinstance(target, ast.Name)}
        if isinstance(node, ast.arg) and node.annotation is not None:
            if "Worksheet" in ast.unparse(node.annotation):
                names.add(node.arg)
    return names


def _writes_cells(tree: ast.AST) -> bool:
    worksheets = _worksheet_names(tree)
    for call in _calls(tree):
        function = call.func
        if isinstance(function, ast.Name) and function.id == "WriteOnlyCell":
            return True
        if _method(call) == "cell":
            return True
        if _method(call) == "append":
            receiver = function.value
            name = receiver.id if isinstance(receiver, ast.Name) else (
                receiver.attr if isinstance(receiver, ast.Attribute) else None)
            if name in worksheets:
                return True
    return False


def test_only_analysis_issues_aggregate_sql():
    found = {name for name, module in APP_MODULES.items()
             if not (name == AGGREGATES_HOME or name.startswith(AGGREGATES_HOME + "."))
             and _issues_aggregate_sql(module.tree)}
    _assert_matches_allowed(found, ALLOWED_AGGREGATE_SQL,
                            "modules outside survey.analysis with aggregate SQL")


def test_exports_write_cells_only_through_the_writer():
    found = {name for name, module in APP_MODULES.items()
             if _package(name) == "exports" and name not in CELL_WRITERS
             and _writes_cells(module.tree)}
    _assert_matches_allowed(found, ALLOWED_CELL_WRITES, "exports writing cells themselves")


# --- cycles -----------------------------------------------------------------------------------

def _strongly_connected(graph: dict[str, set[str]]) -> list[set[str]]:
    """Tarjan's algorithm, iterative; components of more than one module only."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    components = []
    for start in sorted(graph):
        if start in index:
            continue
        work = [(start, iter(sorted(graph[start])))]
        index[start] = low[start] = len(index)
        stack.append(start)
        on_stack.add(start)
        while work:
            node, successors = work[-1]
            for successor in successors:
                if successor not in index:
                    index[successor] = low[successor] = len(index)
                    stack.append(successor)
                    on_stack.add(successor)
                    work.append((successor, iter(sorted(graph[successor]))))
                    break
                if successor in on_stack:
                    low[node] = min(low[node], index[successor])
            else:
                work.pop()
                if work:
                    low[work[-1][0]] = min(low[work[-1][0]], low[node])
                if low[node] == index[node]:
                    component = set()
                    while True:
                        member = stack.pop()
                        on_stack.discard(member)
                        component.add(member)
                        if member == node:
                            break
                    if len(component) > 1:
                        components.append(component)
    return components


def _counts(module: Module, imported: str) -> bool:
    """A package importing its own submodules (a blueprint's routes) makes no cycle: the
    submodule's package is always imported before the submodule anyway."""
    return imported in APP_MODULES and not (
        module.is_package and imported.startswith(module.name + "."))


def _graph(module_level_only: bool, without: set[tuple[str, str]]) -> dict[str, set[str]]:
    return {name: {imported for imported, at_top in module.imports.items()
                   if _counts(module, imported) and (at_top or not module_level_only)
                   and (name, imported) not in without}
            for name, module in APP_MODULES.items()}


def _cycle_edges(graph: dict[str, set[str]]) -> set[tuple[str, str]]:
    edges = set()
    for component in _strongly_connected(graph):
        edges |= {(a, b) for a in component for b in graph[a] if b in component}
    return edges


def test_no_import_cycle_at_module_level():
    found = _cycle_edges(_graph(module_level_only=True, without=set()))
    _assert_matches_allowed(found, ALLOWED_CYCLE_EDGES, "edges of module-level import cycles")


def test_no_import_cycle_closed_by_an_import_inside_a_function():
    module_level = _cycle_edges(_graph(module_level_only=True, without=set()))
    found = _cycle_edges(_graph(module_level_only=False, without=module_level))
    _assert_matches_allowed(found, ALLOWED_DEFERRED_CYCLE_EDGES,
                            "edges of import cycles closed inside a function")


# --- tests ------------------------------------------------------------------------------------

def test_no_test_module_imports_another_test_module():
    found = {(name, imported) for name, module in TEST_MODULES.items()
             if not name.startswith("tests.support")
             for imported in module.imports
             if imported.startswith("tests") and not imported.startswith("tests.support")}
    _assert_matches_allowed(found, ALLOWED_TEST_IMPORTS, "test modules importing test modules")
