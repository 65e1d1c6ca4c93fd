"""Authorization matrix rows for what dashboards read: service tokens, the changes feed,
exports and /metrics (issue 11). A service token as caller is tested apart
(tests/test_service_tokens.py): every read route answers it as the viewer, every write 403."""

from __future__ import annotations

from pokja.directory import service_tokens
from pokja.extensions import db
from tests.factories import new_case
from tests.matrix import Call, Row, expect


def _token(w):
    token, _secret = service_tokens.create_service_token(
        db.session, w.coordinator, {"name": "Dasbor"}, b"matrix-key"
    )
    db.session.commit()
    return token


def _on_token(method):
    def build(w, c, h, u):
        return Call(method, f"/api/v1/service-tokens/{_token(w).id}")

    return build


def _export(w, c, h, u):
    case = new_case(w)
    db.session.commit()
    return Call("GET", f"/api/v1/cases/export?format=xlsx&stage={case.stage}")


# fmt: off
ROWS = [
    #                                                 anon admin coord sec viewer other liaison
    Row("GET", "/api/v1/service-tokens",
        lambda w, c, h, u: Call("GET", "/api/v1/service-tokens"),
        expect(401, 403, 200, 403, 403, 200, 403)),
    Row("POST", "/api/v1/service-tokens",
        lambda w, c, h, u: Call("POST", "/api/v1/service-tokens", {"name": "Dasbor KPU"}),
        expect(401, 403, 201, 403, 403, 201, 403)),
    Row("GET", "/api/v1/service-tokens/<uuid:token_id>", _on_token("GET"),
        expect(401, 403, 200, 403, 403, 404, 403)),
    Row("DELETE", "/api/v1/service-tokens/<uuid:token_id>", _on_token("DELETE"),
        expect(401, 403, 204, 403, 403, 404, 403)),
    # Everyone reads the feed; what each sees is tested in tests/test_feed.py.
    Row("GET", "/api/v1/events",
        lambda w, c, h, u: Call("GET", f"/api/v1/events?case_id={new_case(w).id}"),
        expect(401, 200, 200, 200, 200, 200, 200)),
    # Everyone exports what they may list; redaction per role: tests/test_case_exports.py.
    # (XLSX: the matrix does not read bodies, and a CSV stream left unread would linger.)
    Row("GET", "/api/v1/cases/export",
        _export,
        expect(401, 200, 200, 200, 200, 200, 200)),
    # Not a caller's question but the network's: the test client calls from 127.0.0.1
    # (who else may read it: tests/test_metrics.py).
    Row("GET", "/metrics", lambda w, c, h, u: Call("GET", "/metrics"),
        expect(200, 200, 200, 200, 200, 200, 200)),
]
# fmt: on
