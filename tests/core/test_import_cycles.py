"""Every module under webapp imports on its own: no import cycle hides behind a lucky order."""

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
failures = []
for name in ["webapp", *names]:
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
    result = subprocess.run(
        [sys.executable, "-W", "ignore", "-c", SCRIPT],
        cwd=ROOT,
        env={"PYTHONPATH": str(ROOT), "PATH": "/usr/bin:/bin"},
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    count, *failures = result.stdout.strip().splitlines()
    assert int(count) > 50
    assert [f for f in failures if f] == []
