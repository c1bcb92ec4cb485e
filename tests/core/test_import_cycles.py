"""Every module under webapp imports on its own: no import cycle hides behind a lucky order."""

import ast
import os
import subprocess
import sys
from pathlib import Path

import pytest

import webapp

ROOT = Path(webapp.__file__).resolve().parent.parent

# Run in a child interpreter: each module is imported first, with every webapp module forgotten
# in between, so a cycle that only breaks in one import order shows up.
SCRIPT = r"""
import pkgutil, sys, traceback
import webapp

names = sorted(
    m.name for m in pkgutil.walk_packages(webapp.__path__, "webapp.")
    if ".migrations" not in m.name
)
part, parts = int(sys.argv[1]), int(sys.argv[2])
failures = []
for name in ["webapp", *names][part::parts]:
    for loaded in [m for m in sys.modules if m == "webapp" or m.startswith("webapp.")]:
        del sys.modules[loaded]
    try:
        __import__(name)
    except ImportError:
        failures.append(name + ": " + traceback.format_exc(limit=1).strip().splitlines()[-1])
print(len(names) + 1)
print("\n".join(failures))
"""


@pytest.mark.skipif(bool(os.environ.get("TEST_DATABASE_URL")),
                    reason="no database involved: it runs once, in the SQLite pass of `make test`")
def test_every_webapp_module_imports_on_its_own():
    # Two children share the modules between them (the suite itself leaves the second core idle).
    parts = 2
    children = [
        subprocess.Popen(
            [sys.executable, "-W", "ignore", "-c", SCRIPT, str(part), str(parts)],
            cwd=ROOT,
            env={"PYTHONPATH": str(ROOT), "PATH": "/usr/bin:/bin"},
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for part in range(parts)
    ]
    total, failures = 0, []
    for child in children:
        out, err = child.communicate(timeout=600)  # ~45 s alone; a loaded CI machine may take far longer
        assert child.returncode == 0, err
        count, *failed = out.strip().splitlines()
        total += int(count)
        failures += [f for f in failed if f]
    assert total > 50 * parts
    assert failures == []


# --- Features import the core, never another feature's routes ---------------------------------
# Read from the source (imports inside functions count too): an import that only runs in a view
# is still a dependency, and a cycle waiting for the wrong import order.

PACKAGE = Path(webapp.__file__).resolve().parent
NOT_FEATURES = {"migrations", "tools"}  # tools: bench and demo data, which reach into every feature
# One-way dependencies between features: the welcome table may use the citizen register, not back.
FORBIDDEN_FEATURE_IMPORTS = {("citizens", "welcome")}


def _features() -> set[str]:
    return {p.parent.name for p in PACKAGE.glob("*/__init__.py")} - NOT_FEATURES


def _imports(parts: tuple[str, ...], source: str):
    """(line, imported names) for every import statement in a module at webapp/<parts>, relative
    imports resolved; `from package import name` also yields `package.name`, as name may be a
    module."""
    module = ["webapp", *parts[:-1]] + ([] if parts[-1] == "__init__.py" else [parts[-1].removesuffix(".py")])
    package = module if parts[-1] == "__init__.py" else module[:-1]
    for node in sorted(ast.walk(ast.parse(source)), key=lambda n: getattr(n, "lineno", 0)):
        if isinstance(node, ast.Import):
            yield node.lineno, [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package[: len(package) - (node.level - 1)]
                target = ".".join([*base, node.module] if node.module else base)
            else:
                target = node.module or ""
            yield node.lineno, [target, *(f"{target}.{alias.name}" for alias in node.names)]


def _problem(feature: str, target: str, features: set[str]) -> str | None:
    names = target.split(".")
    if len(names) < 2 or names[0] != "webapp" or names[1] not in features or names[1] == feature:
        return None
    if len(names) >= 3 and names[2] == "routes":
        return "another feature's routes"
    if len(names) >= 3 and names[2] == "fields":
        return "another feature's form fields: use webapp.forms"
    if (feature, names[1]) in FORBIDDEN_FEATURE_IMPORTS:
        return f"{feature} must not depend on {names[1]}"
    return None


def feature_import_problems(files) -> list[str]:
    """One line per import statement that breaks the rules; files are (path parts under
    webapp/, source text)."""
    features = _features()
    problems = []
    for parts, source in files:
        if len(parts) < 2 or parts[0] not in features:
            continue
        for line, targets in _imports(parts, source):
            for target in targets:
                if reason := _problem(parts[0], target, features):
                    problems.append(f"webapp/{'/'.join(parts)}:{line} imports {target} ({reason})")
                    break
    return problems


def _package_files():
    for path in sorted(PACKAGE.rglob("*.py")):
        yield path.relative_to(PACKAGE).parts, path.read_text(encoding="utf-8")


def test_no_feature_imports_another_features_routes_and_citizens_never_welcome():
    assert feature_import_problems(_package_files()) == []


def test_the_check_sees_imports_inside_functions_and_in_every_form():
    source = (
        "from ..handover.routes import x\n"
        "from ..handover import routes\n"
        "from ..handover import services\n"
        "from . import routes\n"
        "def f():\n"
        "    from ..welcome.services import y\n"
        "    import webapp.meeting.routes\n"
        "from ..handover.fields import options\n"
    )
    problems = feature_import_problems([(("citizens", "probe.py"), source)])
    assert [p.removeprefix("webapp/citizens/probe.py:") for p in problems] == [
        "1 imports webapp.handover.routes (another feature's routes)",
        "2 imports webapp.handover.routes (another feature's routes)",
        "6 imports webapp.welcome.services (citizens must not depend on welcome)",
        "7 imports webapp.meeting.routes (another feature's routes)",
        "8 imports webapp.handover.fields (another feature's form fields: use webapp.forms)",
    ]
    # The welcome table may use the citizen register.
    assert feature_import_problems([(("welcome", "services.py"), "from ..citizens import services\n")]) == []


def test_no_feature_imports_form_fields_from_another_feature():
    """Field types are the core's (webapp/forms.py): a feature's forms module may be imported
    for a form, never for a field class or a field helper (functions such as `options`)."""
    from wtforms import Field

    features = _features()
    problems = []
    for path in sorted(PACKAGE.rglob("*.py")):
        parts = path.relative_to(PACKAGE).parts
        if len(parts) < 2 or parts[0] not in features:
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if not isinstance(node, ast.ImportFrom) or node.level != 2 or not node.module:
                continue
            other, _, module = node.module.partition(".")
            if other == parts[0] or other not in features or module != "forms":
                continue
            imported = __import__(f"webapp.{other}.forms", fromlist=["*"])
            for alias in node.names:
                value = getattr(imported, alias.name, None)
                if (isinstance(value, type) and issubclass(value, Field)) or (callable(value) and not isinstance(value, type)):
                    problems.append(f"webapp/{'/'.join(parts)}:{node.lineno} {other}.forms.{alias.name}")
    assert problems == []
