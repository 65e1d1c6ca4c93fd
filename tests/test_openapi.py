"""The committed openapi.yaml is what the code generates, and it is a valid OpenAPI document."""

from __future__ import annotations

import json
from pathlib import Path

import yaml
from openapi_spec_validator import validate

from pokja.api import BLUEPRINTS

SPEC_FILE = Path(__file__).resolve().parent.parent / "openapi.yaml"
REGENERATE = "pokja openapi write -f yaml openapi.yaml"
PUBLIC_OPERATIONS = {
    ("post", "/api/v1/auth/login"),
    ("post", "/api/v1/auth/refresh"),
    ("get", "/healthz"),
    ("get", "/readyz"),
    # Readable from the allowed networks or with POKJA_METRICS_TOKEN, not with a login.
    ("get", "/metrics"),
}


def _normalised(document: dict) -> dict:
    return json.loads(json.dumps(document, sort_keys=True))


def _operations(spec: dict):
    for path, item in spec["paths"].items():
        for method, operation in item.items():
            if method in {"get", "post", "put", "patch", "delete"}:
                yield method, path, operation


def test_committed_openapi_yaml_is_what_the_code_generates(app):
    committed = yaml.safe_load(SPEC_FILE.read_text())
    generated = app.extensions["pokja_api"].spec.to_dict()
    assert _normalised(committed) == _normalised(generated), (
        f"openapi.yaml is stale: run `{REGENERATE}` and commit it"
    )


def test_openapi_yaml_is_a_valid_openapi_3_1_document():
    spec = yaml.safe_load(SPEC_FILE.read_text())
    assert spec["openapi"].startswith("3.1")
    validate(spec)


def test_the_app_serves_the_committed_document(client):
    response = client.get("/openapi.json")
    assert response.status_code == 200
    assert _normalised(response.json) == _normalised(yaml.safe_load(SPEC_FILE.read_text()))


def test_every_operation_has_a_summary_error_responses_and_its_security():
    spec = yaml.safe_load(SPEC_FILE.read_text())
    operations = list(_operations(spec))
    assert len(operations) >= 12
    for method, path, operation in operations:
        where = f"{method.upper()} {path}"
        assert operation.get("summary"), f"{where} has no summary"
        assert "default" in operation["responses"], f"{where} documents no error response"
        if (method, path) in PUBLIC_OPERATIONS:
            assert operation.get("security") == [], f"{where} is public: security: []"
        else:
            assert operation.get("security") == [{"bearerAuth": []}], f"{where} lacks security"
            assert "401" in operation["responses"], f"{where} does not document 401"


def test_error_responses_are_documented_as_problem_json():
    spec = yaml.safe_load(SPEC_FILE.read_text())
    for name, response in spec["components"]["responses"].items():
        if "content" in response and name != "default":
            assert list(response["content"]) == ["application/problem+json"], name


def test_every_blueprint_is_registered_and_documented():
    spec = yaml.safe_load(SPEC_FILE.read_text())
    tags = {tag["name"] for tag in spec["tags"]}
    assert {blueprint.name for blueprint in BLUEPRINTS} <= tags


def test_swagger_ui_is_served_from_local_assets(client):
    page = client.get("/docs")
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    assert "/docs/assets/swagger-ui-bundle.js" in html
    assert "cdn" not in html.lower()
    bundle = client.get("/docs/assets/swagger-ui-bundle.js")
    assert bundle.status_code == 200
    assert len(bundle.data) > 100_000
