"""Authorization matrix rows for meetings, their agenda items, attendance, minutes and
decisions.

Secretaries and coordinators write meetings; everyone in the Pokja reads them; another Pokja's
meeting does not exist (404). A decision is marked done by its owner agency's liaison
(BKDPSDM here), a secretary or a coordinator.
"""

from __future__ import annotations

from datetime import UTC, datetime

from pokja.extensions import db
from pokja.meetings import lifecycle
from pokja.meetings.attendance import record_attendance
from pokja.meetings.decisions import take_decision
from pokja.meetings.items import add_item
from tests.matrix import Call, Row, etag, expect

MEETING = {
    "title": "Rakor Pokja",
    "starts_at": "2030-03-13T09:00:00+07:00",
    "ends_at": "2030-03-13T12:00:00+07:00",
    "place": "Media center Bawaslu",
}


def _meeting(w, status="draft"):
    sec = w.secretary
    data = {
        "title": "Rakor Pokja",
        "starts_at": datetime(2030, 3, 13, 2, tzinfo=UTC),
        "ends_at": datetime(2030, 3, 13, 5, tzinfo=UTC),
        "place": "Media center Bawaslu",
    }
    meeting = lifecycle.create_meeting(db.session, sec, data)
    item = add_item(db.session, sec, meeting, {"title": "Tindak lanjut"})
    if status != "draft":
        meeting = lifecycle.schedule(db.session, sec, meeting)
    if status in ("in_progress", "closed"):
        meeting = lifecycle.start(db.session, sec, meeting)
        entries = [{"agency_id": a.id, "attendance": "present"} for a in w.agencies.values()]
        record_attendance(db.session, sec, meeting, entries)
    if status == "closed":
        meeting = lifecycle.close(db.session, sec, meeting)
    db.session.commit()
    return meeting, item


def _decision(w):
    meeting, _ = _meeting(w, "in_progress")
    data = {
        "text": "Laporkan sanksi.",
        "owner_agency_id": w.agencies["BKDPSDM"].id,
        "due_in_working_days": 5,
    }
    decision = take_decision(db.session, w.secretary, meeting, data)
    db.session.commit()
    return decision


def _on(status, suffix="", method="POST", json=None, if_match=False):
    def build(w, c, h, u):
        meeting, item = _meeting(w, status)
        url = f"/api/v1/meetings/{meeting.id}{suffix}".replace("{item}", str(item.id))
        url = url.replace("{agency}", str(w.agencies["TNI"].id))
        body = json(w) if callable(json) else json
        headers = etag(c, h, w, f"/api/v1/meetings/{meeting.id}") if if_match else {}
        if if_match and "{item}" in suffix:
            headers = {"If-Match": f'"{item.version}"'}
        return Call(method, url, body, headers)

    return build


def _attendance(w):
    return {"attendance": [{"agency_id": str(w.agencies["TNI"].id), "attendance": "excused"}]}


def _decide(w):
    return {
        "text": "Laporkan.",
        "owner_agency_id": str(w.agencies["TNI"].id),
        "due_on": "2030-03-20",
    }


def _on_decision(method, json=None):
    def build(w, c, h, u):
        decision = _decision(w)
        url = f"/api/v1/decisions/{decision.id}"
        headers = etag(c, h, w, url) if method == "PATCH" else {}
        return Call(method, url, json, headers)

    return build


def _listing(make, url):
    def build(w, c, h, u):
        make(w)
        return Call("GET", url)

    return build


# Readers: everyone in the Pokja; writers: the secretary and the coordinator.
READ = expect(401, 404, 200, 200, 200, 404, 200)
WRITE = expect(401, 403, 200, 200, 403, 404, 403)
CREATE = expect(401, 403, 201, 201, 403, 404, 403)
ONE = "/api/v1/meetings/<uuid:meeting_id>"

# fmt: off
ROWS = [
    Row("POST", "/api/v1/meetings", lambda w, c, h, u: Call("POST", "/api/v1/meetings", MEETING),
        # The other Pokja's coordinator creates a meeting of its own Pokja.
        expect(401, 403, 201, 201, 403, 201, 403)),
    Row("GET", "/api/v1/meetings", _listing(_meeting, "/api/v1/meetings"),
        expect(401, 200, 200, 200, 200, 200, 200)),
    Row("GET", ONE, _on("draft", method="GET"), READ),
    Row("PATCH", ONE, _on("draft", method="PATCH", json={"title": "Rakor II"}, if_match=True),
        WRITE),
    Row("POST", f"{ONE}/schedule", _on("draft", "/schedule"), WRITE),
    Row("POST", f"{ONE}/start", _on("scheduled", "/start"), WRITE),
    Row("POST", f"{ONE}/close", _on("in_progress", "/close"), WRITE),
    Row("POST", f"{ONE}/cancel", _on("scheduled", "/cancel", json={"reason": "Banjir"}), WRITE),
    Row("POST", f"{ONE}/reopen", _on("closed", "/reopen", json={"justification": "Salah catat"}),
        expect(401, 403, 200, 403, 403, 404, 403)),
    Row("PUT", f"{ONE}/attendance", _on("in_progress", "/attendance", "PUT", _attendance), WRITE),
    Row("PUT", f"{ONE}/attendance/<uuid:agency_id>",
        _on("in_progress", "/attendance/{agency}", "PUT", {"attendance": "absent"}), WRITE),
    Row("PUT", f"{ONE}/minutes", _on("in_progress", "/minutes", "PUT", {"minutes": "# Notulen"}),
        WRITE),
    Row("GET", f"{ONE}/agenda-items", _on("draft", "/agenda-items", "GET"), READ),
    Row("POST", f"{ONE}/agenda-items", _on("draft", "/agenda-items", json={"title": "Lain-lain"}),
        CREATE),
    Row("PATCH", f"{ONE}/agenda-items/<uuid:item_id>",
        _on("draft", "/agenda-items/{item}", "PATCH", {"title": "Evaluasi"}, if_match=True), WRITE),
    Row("DELETE", f"{ONE}/agenda-items/<uuid:item_id>",
        _on("scheduled", "/agenda-items/{item}", "DELETE"),
        expect(401, 403, 204, 204, 403, 404, 403)),
    Row("PUT", f"{ONE}/agenda-items/<uuid:item_id>/minutes",
        _on("in_progress", "/agenda-items/{item}/minutes", "PUT", {"minutes": "Dibahas."}), WRITE),
    Row("POST", f"{ONE}/decisions", _on("in_progress", "/decisions", json=_decide), CREATE),
    Row("GET", "/api/v1/decisions", _listing(_decision, "/api/v1/decisions"),
        expect(401, 200, 200, 200, 200, 200, 200)),
    Row("GET", "/api/v1/decisions/<uuid:decision_id>", _on_decision("GET"), READ),
    Row("PATCH", "/api/v1/decisions/<uuid:decision_id>", _on_decision("PATCH", {"status": "done"}),
        expect(401, 404, 200, 200, 403, 404, 403, bkdpsdm=200)),
]
# fmt: on
