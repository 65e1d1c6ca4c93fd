"""Authorization matrix rows for a Pokja's calendar and settings, the code lists, the
deadlines list and case clock extensions."""

from __future__ import annotations

from pokja.extensions import db
from tests.factories import new_case
from tests.matrix import Call, Row, etag, expect

POKJAS = "/api/v1/pokjas"


def _read(part):
    def build(w, c, h, u):
        return Call("GET", f"{POKJAS}/{w.pokja.id}/{part}")

    return build


def _put_calendar(w, c, h, u):
    url = f"{POKJAS}/{w.pokja.id}/calendar"
    days = [{"day": "2024-02-14", "kind": "off", "note": "Hari pemungutan suara"}]
    return Call("PUT", url, {"days": days}, etag(c, h, w, url))


def _patch_settings(w, c, h, u):
    url = f"{POKJAS}/{w.pokja.id}/settings"
    body = {"clocks": {"handoff_acceptance": {"pemilu": {"length": 5, "unit": "working"}}}}
    return Call("PATCH", url, body, etag(c, h, w, url))


def _extend(w, c, h, u):
    case = new_case(w)
    db.session.commit()
    body = {"clock": "decision", "reason": "Keterangan tambahan dari pelapor diperlukan"}
    return Call("POST", f"/api/v1/cases/{case.id}/extensions", body)


READ = expect(anon=401, admin=200, coord=200, sec=200, viewer=200, other=404, liaison=200)
WRITE = expect(anon=401, admin=200, coord=200, sec=403, viewer=403, other=404, liaison=403)

ROWS = [
    Row("GET", "/api/v1/pokjas/<uuid:pokja_id>/calendar", _read("calendar"), READ),
    Row("PUT", "/api/v1/pokjas/<uuid:pokja_id>/calendar", _put_calendar, WRITE),
    Row("GET", "/api/v1/pokjas/<uuid:pokja_id>/settings", _read("settings"), READ),
    Row("PATCH", "/api/v1/pokjas/<uuid:pokja_id>/settings", _patch_settings, WRITE),
    Row(
        "GET",
        "/api/v1/code-lists",
        lambda w, c, h, u: Call("GET", "/api/v1/code-lists"),
        expect(anon=401, admin=200, coord=200, sec=200, viewer=200, other=200, liaison=200),
    ),
    Row(
        "GET",
        "/api/v1/deadlines",
        lambda w, c, h, u: Call("GET", "/api/v1/deadlines?within_days=14"),
        # Admins and viewers act for no agency; the other Pokja's coordinator sees its own.
        expect(anon=401, admin=403, coord=200, sec=200, viewer=403, other=200, liaison=200),
    ),
    Row(
        "POST",
        "/api/v1/cases/<uuid:case_id>/extensions",
        _extend,
        # The Bawaslu liaison holds the case it registered.
        expect(
            anon=401,
            admin=403,
            coord=201,
            sec=403,
            viewer=403,
            other=404,
            liaison=403,
            bawaslu=201,
        ),
    ),
]
