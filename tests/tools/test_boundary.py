"""The demo data and the bench live in webapp/tools/, outside the request path: no module outside
that package imports it, except webapp/cli.py inside its commands, and a worker never loads it."""

import ast
import subprocess
import sys
from pathlib import Path

import webapp

WEBAPP = Path(webapp.__file__).resolve().parent
TOOLS = WEBAPP / "tools"


def module_name(path: Path) -> str:
    parts = path.relative_to(WEBAPP.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def imported_modules(path: Path):
    """(module imported, line, imported at module level?) for every import in the file."""
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    package = module_name(path) if path.name == "__init__.py" else module_name(path).rpartition(".")[0]
    top_level = {id(node) for node in tree.body}
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = package.split(".")
                anchor = anchor[: len(anchor) - (node.level - 1)]
                base = ".".join([*anchor, base] if base else anchor)
            names = [base, *(f"{base}.{alias.name}" for alias in node.names)]
        else:
            continue
        for name in names:
            yield name, node.lineno, id(node) in top_level


def request_path_modules():
    for path in sorted(WEBAPP.rglob("*.py")):
        if TOOLS in path.parents or "migrations" in path.parts:
            continue
        yield path


def test_no_module_outside_tools_imports_them():
    offenders = []
    for path in request_path_modules():
        for name, line, at_module_level in imported_modules(path):
            if name != "webapp.tools" and not name.startswith("webapp.tools."):
                continue
            lazily_from_the_cli = path == WEBAPP / "cli.py" and not at_module_level
            if not lazily_from_the_cli:
                offenders.append(f"{path.relative_to(WEBAPP.parent)}:{line} imports {name}")
    assert offenders == []


def test_the_cli_imports_the_tools_inside_its_commands():
    names = [(name, top) for name, _, top in imported_modules(WEBAPP / "cli.py") if name.startswith("webapp.tools")]
    assert names and not any(top for _, top in names)


def test_bench_and_demo_code_lives_only_in_tools():
    stray = [
        str(path.relative_to(WEBAPP.parent))
        for path in request_path_modules()
        if path.stem in ("bench", "demo")
    ]
    assert stray == []


WORKER = r"""
import sys
from webapp import create_app

app = create_app({"APP_ENV": "testing", "SECRET_KEY": "x" * 40, "SQLALCHEMY_DATABASE_URI": "sqlite://"})
app.test_client().get("/login")
print("\n".join(sorted(m for m in sys.modules if m.startswith("webapp.tools") or m.endswith((".bench", ".demo")))))
"""


def test_a_worker_never_loads_the_tools():
    result = subprocess.run(
        [sys.executable, "-W", "ignore", "-c", WORKER],
        cwd=WEBAPP.parent,
        env={"PYTHONPATH": str(WEBAPP.parent), "PATH": "/usr/bin:/bin"},
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == []
