"""Authorization matrix rows for recommendations, escalations and sanctions.

The scenario: a case registered and examined by Bawaslu (the holder), which recommends to
INSPEKTORAT. Issuer (bawaslu), addressee (inspektorat, which gets a share of the case) and
uninvolved agencies (bkdpsdm, kejari, tni, polri) thus all differ.
"""

from __future__ import annotations

from datetime import date

from pokja.cases.editing import change_stage
from pokja.extensions import db
from pokja.followup.recommendations import issue_recommendation
from tests.factories import new_case
from tests.matrix import Call, Row, expect

REC = {"number": "045/K.BE-07/03/2024", "date": "2024-03-01", "text": "Mohon sanksi."}


def _case(w):
    case = new_case(w)
    change_stage(db.session, w.liaisons["BAWASLU"], case, "examination")
    db.session.commit()
    return case


def _rec(w):
    case = _case(w)
    data = {**REC, "date": date(2024, 3, 1), "addressee_agency_id": w.agencies["INSPEKTORAT"].id}
    rec = issue_recommendation(db.session, w.liaisons["BAWASLU"], case, data)
    db.session.commit()
    return rec


def _issue(w, c, h, u):
    body = {**REC, "addressee_agency_id": str(w.agencies["INSPEKTORAT"].id)}
    return Call("POST", f"/api/v1/cases/{_case(w).id}/recommendations", body)


def _on_rec(method, suffix="", json=None):
    def build(w, c, h, u):
        return Call(method, f"/api/v1/recommendations/{_rec(w).id}{suffix}", json)

    return build


def _sanctions(w, c, h, u):
    return Call("GET", f"/api/v1/cases/{_rec(w).case_id}/sanctions")


ESCALATION = {
    "kind": "reminder",
    "letter_number": "050/K.BE-07/03/2024",
    "date": "2024-03-25",
    "addressee": "Inspektur Kabupaten",
}
# Those who see it: coordinator, secretary, the issuer (Bawaslu, which sees every case) and
# the addressee; nobody else, and no viewer (recommendations are the case's text).
READ = expect(401, 404, 200, 200, 404, 404, 404, bawaslu=200, inspektorat=200)

# fmt: off
ROWS = [
    #                                                 anon admin coord sec viewer other liaison
    Row("POST", "/api/v1/cases/<uuid:case_id>/recommendations", _issue,
        expect(401, 403, 201, 403, 403, 404, 403, bawaslu=201)),
    Row("GET", "/api/v1/recommendations",
        lambda w, c, h, u: Call("GET", "/api/v1/recommendations"),
        expect(401, 200, 200, 200, 200, 200, 200)),
    Row("GET", "/api/v1/recommendations/<uuid:recommendation_id>", _on_rec("GET"), READ),
    Row("POST", "/api/v1/recommendations/<uuid:recommendation_id>/follow-up",
        _on_rec("POST", "/follow-up", {"outcome": "rejected", "reasons": "Bukan kewenangan"}),
        expect(401, 403, 200, 403, 403, 404, 404, bawaslu=403, inspektorat=200)),
    Row("GET", "/api/v1/recommendations/<uuid:recommendation_id>/escalations",
        _on_rec("GET", "/escalations"), READ),
    Row("POST", "/api/v1/recommendations/<uuid:recommendation_id>/escalations",
        _on_rec("POST", "/escalations", ESCALATION),
        expect(401, 403, 201, 403, 403, 404, 404, bawaslu=201, inspektorat=403)),
    # Those who see the case in full; others see it redacted (403), other Pokjas not at all.
    Row("GET", "/api/v1/cases/<uuid:case_id>/sanctions", _sanctions,
        expect(401, 404, 200, 200, 403, 404, 403, bawaslu=200, inspektorat=200)),
]
# fmt: on
