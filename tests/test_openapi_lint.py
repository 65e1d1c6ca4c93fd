"""A lint of the committed openapi.yaml in the manner of Spectral's and Redocly's recommended
rules, so that the contract stays usable by third-party tools (DESIGN §9): the document is a
valid OpenAPI 3.1 document, every operation has a unique operationId, tags, a summary, a 2xx
answer and its security declared, no component is unused, every pattern means the same in
JavaScript as in Python, and no two generated model names collide."""

from __future__ import annotations

import json
import re
from collections import Counter
from pathlib import Path

import yaml
from openapi_spec_validator import validate

SPEC = yaml.safe_load((Path(__file__).resolve().parent.parent / "openapi.yaml").read_text())
METHODS = {"get", "post", "put", "patch", "delete"}


def _operations():
    for path, item in SPEC["paths"].items():
        for method, operation in item.items():
            if method in METHODS:
                yield f"{method.upper()} {path}", operation


def _walk(node, where=""):
    """Every mapping in the document, with a JSON-pointer-ish location."""
    if isinstance(node, dict):
        yield where, node
        for key, value in node.items():
            yield from _walk(value, f"{where}/{key}")
    elif isinstance(node, list):
        for i, value in enumerate(node):
            yield from _walk(value, f"{where}/{i}")


def test_the_document_is_valid_openapi_3_1():
    validate(SPEC)


def test_every_operation_has_a_unique_client_friendly_operation_id():
    ids = [operation.get("operationId") for _, operation in _operations()]
    missing = [where for where, operation in _operations() if not operation.get("operationId")]
    assert not missing
    assert [name for name, n in Counter(ids).items() if n > 1] == []
    for name in ids:
        assert re.fullmatch(r"[a-z][a-zA-Z0-9]*", name), name
    assert {"listCases", "getCase", "createHandoff", "acceptHandoff", "login"} <= set(ids)


def test_every_operation_has_tags_a_summary_a_success_and_its_security():
    declared_tags = {tag["name"] for tag in SPEC["tags"]}
    schemes = set(SPEC["components"]["securitySchemes"])
    for where, operation in _operations():
        assert operation.get("tags"), where
        assert set(operation["tags"]) <= declared_tags, where
        assert operation.get("summary"), where
        assert any(re.fullmatch(r"2\d\d", code) for code in operation["responses"]), where
        assert "security" in operation, f"{where}: security not declared"
        for requirement in operation["security"]:
            assert set(requirement) <= schemes, where


def test_public_operations_say_so_and_the_others_document_401():
    public = {where for where, operation in _operations() if operation["security"] == []}
    assert public >= {
        "POST /api/v1/auth/login",
        "POST /api/v1/auth/refresh",
        "GET /healthz",
        "GET /readyz",
    }
    for where, operation in _operations():
        if where not in public:
            assert "401" in operation["responses"], where


def test_no_component_is_unused():
    text = json.dumps({key: value for key, value in SPEC.items() if key != "components"})
    components = SPEC["components"]
    # Components may refer to each other: follow references to a fixed point.
    used: set[str] = set()
    while True:
        referenced = set(re.findall(r'"#/components/([a-zA-Z]+/[^"]+)"', text))
        if referenced <= used:
            break
        used |= referenced
        text = json.dumps(
            [components[kind][name] for kind, name in (r.split("/", 1) for r in used)]
        )
    for kind in ("schemas", "responses", "parameters"):
        for name in components.get(kind, {}):
            assert f"{kind}/{name}" in used, f"components/{kind}/{name} is unused"


def test_patterns_are_portable_between_python_and_javascript():
    for where, node in _walk(SPEC):
        pattern = node.get("pattern")
        if isinstance(pattern, str):
            for python_only in ("\\Z", "\\A", "(?P<"):
                assert python_only not in pattern, where
            assert pattern.startswith("^"), where
            assert pattern.endswith("$"), where


def test_nullable_enums_list_null_and_write_only_fields_are_never_required():
    for where, node in _walk(SPEC):
        if "enum" in node and "null" in (node.get("type") or []):
            raise AssertionError(f"{where}: a type list beside an enum")
        properties = node.get("properties")
        if isinstance(properties, dict):
            for name in node.get("required", []):
                assert not properties[name].get("writeOnly"), f"{where}/{name}"


def _pascal(name: str) -> str:
    return "".join(part[:1].upper() + part[1:] for part in re.split(r"[_\-]", name))


def test_generated_model_names_do_not_collide():
    """A generator names an inline enum after its schema and property (``Sanction.kind`` →
    ``SanctionKind``): no such name may be a component of its own."""
    schemas = SPEC["components"]["schemas"]
    for name, schema in schemas.items():
        for prop, definition in (schema.get("properties") or {}).items():
            inline = definition.get("items", definition)
            if "enum" in inline:
                assert f"{name}{_pascal(prop)}" not in schemas, f"{name}.{prop}"
