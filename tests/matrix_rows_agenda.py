"""Authorization matrix rows for a meeting's agenda and minutes documents.

Everyone in the Pokja reads a meeting's documents (DESIGN §4), each redacted for its reader;
another Pokja's meeting is a 404, as is any meeting for an administrator (of no Pokja).
"""

from __future__ import annotations

from datetime import UTC, datetime

from pokja.extensions import db
from tests.agenda_data import meeting
from tests.factories import new_case
from tests.matrix import Call, Row, expect

STARTS = datetime(2024, 3, 5, 2, 0, tzinfo=UTC)
READ = expect(401, 404, 200, 200, 200, 404, 200)


def _meeting(w, status="draft"):
    new_case(w)  # something on the agenda
    row = meeting(w, STARTS, status)
    db.session.commit()
    return row


def _get(suffix, status="draft"):
    def build(w, c, h, u):
        return Call("GET", f"/api/v1/meetings/{_meeting(w, status).id}{suffix}")

    return build


def _refresh(w, c, h, u):
    return Call("POST", f"/api/v1/meetings/{_meeting(w, 'scheduled').id}/agenda/refresh")


ROWS = [
    # The secretary's and the coordinator's (DESIGN §4); another Pokja's meeting is not found.
    Row(
        "POST",
        "/api/v1/meetings/<uuid:meeting_id>/agenda/refresh",
        _refresh,
        expect(401, 403, 200, 200, 403, 404, 403),
    ),
    Row("GET", "/api/v1/meetings/<uuid:meeting_id>/agenda", _get("/agenda"), READ),
    Row("GET", "/api/v1/meetings/<uuid:meeting_id>.ics", _get(".ics"), READ),
    Row("GET", "/api/v1/meetings/<uuid:meeting_id>/minutes", _get("/minutes", "closed"), READ),
]
