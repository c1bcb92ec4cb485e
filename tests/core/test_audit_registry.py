"""Every audit code written anywhere has a Danish label, a kind and a purpose (the registry in
webapp/audit.py), and every GET view that writes audit rows takes the write lock up front."""

import ast
import inspect
from pathlib import Path

from webapp import audit

WEBAPP = Path(audit.__file__).parent
# Calls whose first argument is an action code: the two writers and the features' thin wrappers.
WRITERS = {"record", "record_many", "_audit"}


def _name(func) -> str | None:
    if isinstance(func, ast.Attribute):
        return func.attr
    return func.id if isinstance(func, ast.Name) else None


def _codes(node) -> set[str] | None:
    """The codes a literal expression can take: "a", "a" if x else "b", "group_" + ("a" if x else "b")."""
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return {node.value}
    if isinstance(node, ast.IfExp):
        body, orelse = _codes(node.body), _codes(node.orelse)
        return None if body is None or orelse is None else body | orelse
    if isinstance(node, ast.BinOp) and isinstance(node.op, ast.Add):
        left, right = _codes(node.left), _codes(node.right)
        return None if left is None or right is None else {a + b for a in left for b in right}
    return None


def _is_wrapper_passthrough(function, argument) -> bool:
    """`def _audit(action, ...): audit.record(action, ...)` – the wrapper's callers are scanned."""
    return (
        function is not None
        and function.name in WRITERS
        and isinstance(argument, ast.Name)
        and function.args.args
        and argument.id == function.args.args[0].arg
    )


def scan() -> tuple[dict[str, list[str]], list[str]]:
    """{code: [where]} of every literal code, and the calls whose code is not a literal."""
    codes: dict[str, list[str]] = {}
    unresolved = []
    for path in sorted(WEBAPP.rglob("*.py")):
        if "migrations" in path.parts:
            continue
        tree = ast.parse(path.read_text(encoding="utf-8"))
        enclosing = {}  # call -> its innermost function (ast.walk visits outer functions first)
        for function in ast.walk(tree):
            if isinstance(function, ast.FunctionDef):
                for node in ast.walk(function):
                    enclosing[id(node)] = function
        for node in ast.walk(tree):
            if not (isinstance(node, ast.Call) and _name(node.func) in WRITERS and node.args):
                continue
            where = f"{path.relative_to(WEBAPP.parent)}:{node.lineno}"
            found = _codes(node.args[0])
            if found is None:
                if not _is_wrapper_passthrough(enclosing.get(id(node)), node.args[0]):
                    unresolved.append(f"{where} {ast.unparse(node.args[0])}")
                continue
            for code in found:
                codes.setdefault(code, []).append(where)
    return codes, unresolved


def test_the_scan_finds_the_codes_of_every_feature():
    codes, _ = scan()
    assert len(codes) > 100
    for code in ("citizen_viewed", "plan_printed", "fit_chart_viewed", "host_duty_on", "host_duty_off",
                 "group_meeting_cancelled", "course_meeting_created", "day_board_viewed", "handover_disclosed"):
        assert code in codes, code


def test_every_code_written_has_a_danish_label_kind_and_purpose():
    codes, _ = scan()
    missing = {code: where[0] for code, where in codes.items() if code not in audit.ACTIONS}
    assert missing == {}


def test_every_code_is_written_from_a_literal():
    """A code built at run time would escape the scan above: name the code in the call instead."""
    _, unresolved = scan()
    assert unresolved == []


def test_get_views_that_write_audit_rows_take_the_write_lock_up_front(app):
    """Like tests/core/test_security.py, for record_many too. The day board is the exception on
    purpose: it writes (rarely, see audit.board_views_to_record) in its own write transaction."""
    unmarked = []
    for rule in app.url_map.iter_rules():
        view = app.view_functions[rule.endpoint]
        get_only = "GET" in rule.methods and "POST" not in rule.methods
        source = inspect.getsource(view) if get_only else ""
        if ("audit.record(" in source or "audit.record_many(" in source) and not getattr(view, "writes_on_read", False):
            unmarked.append(rule.endpoint)
    assert unmarked == []
