"""The code's layers, read from its imports with ``ast`` (DESIGN §12): api → domain → models,
no arrow back, the domain without Flask, and HTTP modules that run no queries of their own.

A new module falls under these rules by where it is put, so the layout stays true as it grows.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parent.parent / "pokja"
# The modules outside the sub-packages: the factory and what it wires together.
TOP_LEVEL = {"__init__", "app", "config", "extensions", "errors", "cli"}
# Modules whose job is to run a query for the HTTP layer: keyset pages run the handler's select.
HTTP_QUERY_RUNNERS = {"pokja.api.pagination"}
# What an HTTP module may take from SQLAlchemy: error types and the Session type, no queries.
HTTP_SQLALCHEMY = {"sqlalchemy.exc", "sqlalchemy.orm.exc"}
FLASK = (
    "flask",
    "flask_jwt_extended",
    "flask_smorest",
    "flask_sqlalchemy",
    "flask_limiter",
    "flask_migrate",
    "werkzeug",
)
MAX_LINES = 300


def modules() -> dict[str, Path]:
    found = {}
    for path in sorted(PACKAGE.rglob("*.py")):
        parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
        name = ".".join(parts[:-1] if parts[-1] == "__init__" else parts)
        found[name] = path
    return found


MODULES = modules()


def imports_of(path: Path) -> list[tuple[str, list[str]]]:
    """(module, names) of every import, at any depth (imports inside functions count too)."""
    result: list[tuple[str, list[str]]] = []
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.Import):
            result += [(alias.name, []) for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.module and not node.level:
            result.append((node.module, [alias.name for alias in node.names]))
    return result


def layer(module: str) -> str:
    parts = module.split(".")
    if len(parts) == 1 or (len(parts) == 2 and parts[1] in TOP_LEVEL):
        return "top"
    return {"api": "api", "models": "models"}.get(parts[1], "domain")


def imported_modules(path: Path) -> set[str]:
    """The pokja modules a file imports (``from pokja.x import y`` may name module y)."""
    names = set()
    for module, members in imports_of(path):
        if not module.startswith("pokja"):
            continue
        names.add(module)
        names.update(f"{module}.{m}" for m in members if f"{module}.{m}" in MODULES)
    return names


@pytest.mark.parametrize("name", sorted(MODULES))
def test_imports_run_api_to_domain_to_models_and_never_back(name):
    allowed = {
        "models": {"models"},
        "domain": {"domain", "models", "top"},
        "api": {"api", "domain", "models", "top"},
        "top": {"top", "api", "domain", "models"},
    }[layer(name)]
    wrong = {m for m in imported_modules(MODULES[name]) if layer(m) not in allowed}
    if layer(name) == "domain":
        # The domain may use the errors and the configuration, never the Flask wiring.
        wrong |= {
            m
            for m in imported_modules(MODULES[name])
            if m in ("pokja.app", "pokja.cli", "pokja.extensions", "pokja")
        }
    assert not wrong, f"{name} ({layer(name)}) imports {sorted(wrong)}"


@pytest.mark.parametrize("name", sorted(n for n in MODULES if layer(n) in ("domain", "models")))
def test_the_domain_and_the_models_import_no_flask(name):
    flask = sorted(m for m, _ in imports_of(MODULES[name]) if m.split(".")[0] in FLASK)
    assert not flask, f"{name} imports {flask}"


@pytest.mark.parametrize(
    "name", sorted(n for n in MODULES if layer(n) == "api" and n not in HTTP_QUERY_RUNNERS)
)
def test_http_modules_build_and_run_no_queries(name):
    sqlalchemy = {
        module
        for module, members in imports_of(MODULES[name])
        if module.split(".")[0] == "sqlalchemy"
        and module not in HTTP_SQLALCHEMY
        and not (module == "sqlalchemy.orm" and members == ["Session"])
    }
    assert not sqlalchemy, f"{name} imports {sorted(sqlalchemy)}: queries belong in the domain"


def test_no_module_outside_the_sub_packages_but_the_factory_and_its_wiring():
    loose = {path.stem for path in PACKAGE.glob("*.py")} - TOP_LEVEL
    assert not loose


@pytest.mark.parametrize("name", sorted(MODULES))
def test_modules_stay_under_300_lines(name):
    lines = len(MODULES[name].read_text().splitlines())
    assert lines <= MAX_LINES, f"{name} has {lines} lines: split it by concept"


def test_the_rules_catch_an_arrow_back(tmp_path):
    """The import walk sees imports inside functions too (the test would pass vacuously
    otherwise)."""
    module = tmp_path / "m.py"
    module.write_text("def f():\n    from pokja.api.base import Blueprint\n")
    assert ("pokja.api.base", ["Blueprint"]) in imports_of(module)
