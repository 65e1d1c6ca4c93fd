"""Authorization matrix rows for cases, their subjects, evidence, history and authority.

Every row runs against a case registered by Bawaslu, held by BKDPSDM and handed on to
INSPEKTORAT (pending), so that the holder (BKDPSDM), the receiver (INSPEKTORAT), the Bawaslu
that registered it and the uninvolved agencies (KEJARI, TNI, POLRI) all differ. Uninvolved
liaisons and viewers read it redacted (200; tests/test_cases_redaction.py checks the bodies)
and are refused its subjects and evidence (403).
"""

from __future__ import annotations

from tests.factories import case_body, held_by_bkdpsdm_pending_to_inspektorat
from tests.matrix import Call, Row, etag, expect

CASES = "/api/v1/cases"
CASE = "/api/v1/cases/<uuid:case_id>"


def _on_case(method, suffix="", json=None, if_match=False):
    """A builder: the scenario case, then ``method`` on its URL (+ ``suffix``)."""

    def build(world, client, headers_for, caller):
        case = held_by_bkdpsdm_pending_to_inspektorat(world)
        url = f"{CASES}/{case.id}{suffix}"
        headers = etag(client, headers_for, world, f"{CASES}/{case.id}") if if_match else {}
        return Call(method, url, json, headers)

    return build


def _register(world, client, headers_for, caller):
    return Call("POST", CASES, case_body())


READ_ALL = expect(401, 404, 200, 200, 200, 404, 200)
READ_FULL = expect(401, 404, 200, 200, 403, 404, 403, bawaslu=200, bkdpsdm=200, inspektorat=200)
HOLDER_ONLY = expect(401, 403, 200, 403, 403, 404, 403, bkdpsdm=200)
HOLDER_ADDS = expect(401, 403, 201, 403, 403, 404, 403, bkdpsdm=201)
LINK = {"description": "Tangkapan layar", "kind": "screenshot", "url": "https://x.test/p/1"}

# fmt: off
ROWS = [
    #                                                   anon admin coord sec viewer other liaison
    Row("GET", CASES, lambda w, c, h, u: Call("GET", CASES),
        expect(401, 200, 200, 200, 200, 200, 200)),
    Row("POST", CASES, _register,
        expect(401, 403, 201, 403, 403, 201, 403, bawaslu=201)),
    Row("GET", CASE, _on_case("GET"), READ_ALL),
    Row("PATCH", CASE, _on_case("PATCH", json={"title": "Judul baru"}, if_match=True),
        HOLDER_ONLY),
    Row("POST", f"{CASE}/stage", _on_case("POST", "/stage", {"stage": "examination"}),
        HOLDER_ONLY),
    Row("GET", f"{CASE}/history", _on_case("GET", "/history"), READ_ALL),
    Row("GET", f"{CASE}/subjects", _on_case("GET", "/subjects"), READ_FULL),
    Row("POST", f"{CASE}/subjects",
        _on_case("POST", "/subjects", {"name": "Serka Joko", "subject_type": "tni"}),
        HOLDER_ADDS),
    Row("GET", f"{CASE}/evidence", _on_case("GET", "/evidence"), READ_FULL),
    Row("POST", f"{CASE}/evidence", _on_case("POST", "/evidence", LINK), HOLDER_ADDS),
    Row("GET", f"{CASE}/authority", _on_case("GET", "/authority"), READ_ALL),
]
# fmt: on
