"""`app.domain` is pure: no web framework, database driver, ORM, migration tool or pydantic."""

from __future__ import annotations

import ast
import json
import os
import subprocess
import sys
from pathlib import Path

import app.domain

FORBIDDEN = {"fastapi", "starlette", "sqlalchemy", "asyncpg", "pydantic", "alembic", "httpx"}
DOMAIN_DIR = Path(app.domain.__file__).parent
ROOT = DOMAIN_DIR.parent.parent

# Run in a fresh interpreter: this test process has already imported the web app's modules.
_PROBE = """
import importlib, json, pkgutil, sys
import app.domain
walked = [m.name for m in pkgutil.walk_packages(app.domain.__path__, "app.domain.")]
for name in walked:
    importlib.import_module(name)
print(json.dumps({"walked": walked, "loaded": sorted({m.split(".")[0] for m in sys.modules})}))
"""


def test_importing_every_domain_module_loads_no_forbidden_package() -> None:
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    out = subprocess.run(
        [sys.executable, "-c", _PROBE],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=True,
        timeout=120,
    )
    report = json.loads(out.stdout)
    assert {
        "app.domain.calendar.build",
        "app.domain.calendar.snapshot",
        "app.domain.calendar.model",
        "app.domain.errors",
    } <= set(report["walked"])
    assert sorted(FORBIDDEN & set(report["loaded"])) == []


def _imported_roots(tree: ast.AST) -> set[str]:
    roots: set[str] = set()
    for node in ast.walk(tree):  # also catches imports inside functions
        if isinstance(node, ast.Import):
            roots.update(alias.name.split(".")[0] for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            roots.add(node.module.split(".")[0])
    return roots


def test_no_domain_source_file_imports_a_forbidden_package() -> None:
    files = sorted(DOMAIN_DIR.rglob("*.py"))
    assert DOMAIN_DIR / "calendar" / "snapshot.py" in files
    offenders = {
        str(path.relative_to(ROOT)): sorted(found)
        for path in files
        if (found := FORBIDDEN & _imported_roots(ast.parse(path.read_text(encoding="utf-8"))))
    }
    assert offenders == {}
