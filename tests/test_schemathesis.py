"""Property-based run of the whole OpenAPI document against the app, in process.

For every operation schemathesis generates valid and invalid requests; whatever they are,
the app must never answer 5xx, and every answer must match the documented status codes,
content types and schemas.
"""

from __future__ import annotations

from pathlib import Path

import schemathesis
from hypothesis import HealthCheck, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_schema_conformance,
]


# The committed document (test_openapi.py proves it is what the app serves). Loading it
# from the file rather than a fixture keeps schemathesis' parametrization at import time.
schema = schemathesis.openapi.from_path(
    str(Path(__file__).resolve().parent.parent / "openapi.yaml")
)


@schema.parametrize()
@settings(
    max_examples=30,
    deadline=None,
    suppress_health_check=list(HealthCheck),
    derandomize=True,
)
def test_api_never_fails_and_always_matches_its_schema(case, app, world, headers_for):
    # Each generated request is sent as three callers whose rights differ, so that the
    # 200, 403 and 404 paths of every operation are all exercised.
    for caller in (world.admin, world.coordinator, world.liaisons["TNI"]):
        case.call_and_validate(app=app, headers=headers_for(caller), checks=CHECKS)


def _with_nul(value):
    """``value`` with a NUL character in every string it holds."""
    if isinstance(value, str):
        return value + "\x00"
    if isinstance(value, list):
        return [_with_nul(item) for item in value]
    if isinstance(value, dict):
        return {key: _with_nul(item) for key, item in value.items()}
    return value


def _holds_a_string(value) -> bool:
    if isinstance(value, str):
        return True
    if isinstance(value, list):
        return any(map(_holds_a_string, value))
    if isinstance(value, dict):
        return any(map(_holds_a_string, value.values()))
    return False


@schema.parametrize()
@settings(
    max_examples=3,
    deadline=None,
    suppress_health_check=list(HealthCheck),
    derandomize=True,
)
def test_nul_bearing_strings_never_fail(case, app, world, headers_for):
    # Every string of the generated body and query carries a NUL (the input layer refuses it
    # for every field of every schema): the answer is a 4xx, never a 5xx.
    injected = False
    for part in ("body", "query"):
        value = getattr(case, part, None)
        if _holds_a_string(value):
            setattr(case, part, _with_nul(value))
            injected = True
    for caller in (world.coordinator, world.liaisons["BAWASLU"]):
        response = case.call_and_validate(
            app=app, headers=headers_for(caller), checks=[not_a_server_error]
        )
        # (Schemathesis also tries methods the operation does not have, e.g. OPTIONS.)
        if injected and response.request.method == case.operation.method.upper():
            assert 400 <= response.status_code < 500, (
                response.status_code,
                response.request.method,
                response.request.url,
                response.text[:300],
            )
