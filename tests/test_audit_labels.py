"""Every audit event the code records has a Swedish name in survey.audit.labels.

The source is read, not run: every call of `record` (imported from survey.audit.services)
in survey/, dashboards/ and exports/ must name its action as a string, a choice between
strings (`"a.b" if x else "a.c"`) or a lookup in a module-level dict of strings; anything
else could record an action nobody gave a name to, and fails here.
"""

from __future__ import annotations

import ast
from pathlib import Path

from survey.audit.labels import ACTION_LABELS, GROUP_LABELS, event_choices, group_of

ROOT = Path(__file__).resolve().parent.parent
PACKAGES = ("survey", "dashboards", "exports")


def _sources():
    for package in PACKAGES:
        for path in sorted((ROOT / package).rglob("*.py")):
            if "migrations" not in path.parts:
                yield path


def _imports_record(tree: ast.Module) -> bool:
    return any(isinstance(node, ast.ImportFrom) and node.module == "survey.audit.services"
               and any(alias.name == "record" for alias in node.names)
               for node in ast.walk(tree))


def _module_dicts(tree: ast.Module) -> dict[str, ast.Dict]:
    return {target.id: node.value for node in tree.body
            if isinstance(node, ast.Assign | ast.AnnAssign) and isinstance(node.value, ast.Dict)
            for target in (node.targets if isinstance(node, ast.Assign) else [node.target])
            if isinstance(target, ast.Name)}


def _actions(node: ast.expr, dicts: dict[str, ast.Dict]) -> set[str] | None:
    """The strings `node` can be, or None when the source does not say."""
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return {node.value}
    if isinstance(node, ast.IfExp):
        body, orelse = _actions(node.body, dicts), _actions(node.orelse, dicts)
        return body | orelse if body is not None and orelse is not None else None
    if (isinstance(node, ast.Subscript) and isinstance(node.value, ast.Name)
            and node.value.id in dicts):
        found = [_actions(value, dicts) for value in dicts[node.value.id].values]
        return set().union(*found) if all(f is not None for f in found) else None
    return None


def recorded_actions() -> tuple[dict[str, list[str]], list[str]]:
    """{action: [where, …]} of every record() call, and the calls whose action is unclear."""
    found: dict[str, list[str]] = {}
    unclear = []
    for path in _sources():
        tree = ast.parse(path.read_text(), str(path))
        if not _imports_record(tree):
            continue
        dicts = _module_dicts(tree)
        for node in ast.walk(tree):
            if (isinstance(node, ast.Call) and isinstance(node.func, ast.Name)
                    and node.func.id == "record"):
                where = f"{path.relative_to(ROOT)}:{node.lineno}"
                actions = _actions(node.args[0], dicts) if node.args else None
                if actions is None:
                    unclear.append(where)
                    continue
                for action in actions:
                    found.setdefault(action, []).append(where)
    return found, unclear


def test_every_recorded_action_has_a_swedish_label():
    found, unclear = recorded_actions()
    assert not unclear, f"record() with an action the source does not spell out: {unclear}"
    assert len(found) > 30  # the scan finds the calls at all
    missing = {action: where for action, where in found.items() if action not in ACTION_LABELS}
    assert not missing, f"audit actions without a label in survey/audit/labels.py: {missing}"


def test_every_label_belongs_to_a_group_of_the_filter():
    assert {group_of(action) for action in ACTION_LABELS} <= set(GROUP_LABELS)
    offered = [action for _, _, actions in event_choices() for action, _ in actions]
    assert sorted(offered) == sorted(ACTION_LABELS)
    assert len(set(ACTION_LABELS.values())) == len(ACTION_LABELS)  # no two look alike
