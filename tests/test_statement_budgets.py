"""Statement budgets of every GET endpoint (DESIGN §11), as the coordinator reads them.

The requests are those of the authorization matrix (tests/matrix_rows_*.py), so each route is
called with real data; ``count_queries`` counts what one request sends, authentication
included. A GET route without a budget fails, so none can be added unmeasured. Budgets are what
the code costs today; lower them as it gets cheaper, never raise one without a reason.
"""

from __future__ import annotations

from datetime import date

import pytest

from pokja.cases.editing import change_stage
from pokja.extensions import db
from pokja.followup.escalations import escalate
from pokja.followup.recommendations import issue_recommendation
from tests.factories import hand_off, new_case
from tests.matrix import caller_user
from tests.test_authz_matrix import ROWS

# DESIGN §11: the case list in at most 4 statements and a case in at most 5, authentication
# included: the token's user with the Pokja's facts (read along, pokja.api.security), the page
# (or the case) and, for a case shown in full, the access log's one row. Reads that show
# personal data log it: the detail, subjects and history.
BUDGETS: dict[str, int] = {
    "/api/v1/agencies": 2,
    "/api/v1/agencies/<uuid:agency_id>": 2,
    "/api/v1/auth/me": 2,
    "/api/v1/authority-rules": 3,
    # The token's user with the Pokja's facts (its calendar, settings and agencies, which the
    # deadline sources use), one statement per deadline source (as /deadlines, meeting
    # decisions included) and the declined handoffs.
    "/api/v1/action-needed": 7,
    "/api/v1/cases": 2,
    "/api/v1/cases/<uuid:case_id>": 3,
    "/api/v1/cases/<uuid:case_id>/authority": 3,
    "/api/v1/cases/<uuid:case_id>/evidence": 3,
    "/api/v1/cases/<uuid:case_id>/history": 4,
    "/api/v1/cases/<uuid:case_id>/sanctions": 3,
    "/api/v1/cases/<uuid:case_id>/shares": 3,
    "/api/v1/cases/<uuid:case_id>/subjects": 4,
    "/api/v1/code-lists": 2,
    # The token's user with the Pokja's facts, and one statement per deadline source (11
    # before the facts were read along: the Pokja, its days and its agencies three times).
    "/api/v1/deadlines": 6,
    "/api/v1/decisions": 4,
    "/api/v1/decisions/<uuid:decision_id>": 4,
    # The page, and the access log's rows when its changes name subjects.
    "/api/v1/events": 3,
    # The token's user with the Pokja's facts, the rows (one server-side cursor), the access
    # log per 1,000 cases.
    "/api/v1/cases/export": 3,
    "/api/v1/service-tokens": 2,
    "/api/v1/service-tokens/<uuid:token_id>": 2,
    "/api/v1/handoffs": 2,
    # A draft's agenda is generated on the spot, in the same number of statements whatever the
    # number of cases (tests/test_agenda_api.py): the token's user, the meeting, the Pokja's
    # facts, the window, sections 1-4, one for each of the five deadline sources (their
    # agencies are the facts'), the statistics (2), the cases' facts (2), the invitations and
    # the manual items. The matrix's closed meeting has no frozen agenda, so its minutes
    # generate one too (and read its decisions).
    "/api/v1/meetings/<uuid:meeting_id>/agenda": 20,
    "/api/v1/meetings/<uuid:meeting_id>.ics": 20,
    "/api/v1/meetings/<uuid:meeting_id>/minutes": 21,
    "/api/v1/handoffs/<uuid:handoff_id>": 2,
    "/api/v1/meetings": 4,
    "/api/v1/meetings/<uuid:meeting_id>": 6,
    "/api/v1/meetings/<uuid:meeting_id>/agenda-items": 3,
    "/api/v1/pokjas": 2,
    "/api/v1/pokjas/<uuid:pokja_id>": 2,
    "/api/v1/pokjas/<uuid:pokja_id>/calendar": 3,
    "/api/v1/pokjas/<uuid:pokja_id>/settings": 2,
    "/api/v1/recommendations": 7,
    "/api/v1/recommendations/<uuid:recommendation_id>": 9,
    "/api/v1/recommendations/<uuid:recommendation_id>/escalations": 5,
    # The token's user with the Pokja's facts, and one GROUP BY; handoffs also the days
    # answered handoffs span (the calendar's exceptions to bind).
    "/api/v1/stats/cases": 2,
    "/api/v1/stats/handoffs": 3,
    "/api/v1/stats/recommendations": 2,
    "/api/v1/users": 2,
    "/api/v1/users/<uuid:user_id>": 2,
    "/api/v1/webhooks": 2,
    "/api/v1/webhooks/<uuid:webhook_id>": 2,
    "/api/v1/webhooks/<uuid:webhook_id>/deliveries": 3,
    "/docs": 0,
    "/docs/assets/<path:filename>": 0,
    "/healthz": 0,
    "/metrics": 1,
    "/openapi.json": 0,
    "/readyz": 1,
}
GETS = [row for row in ROWS if row.method == "GET"]


@pytest.fixture
def populated(world):
    """Lists with something in them: cases at several stages, a pending handoff, an issued
    recommendation with an escalation."""
    bawaslu = world.liaisons["BAWASLU"]
    for _ in range(3):
        new_case(world)
    hand_off(world, new_case(world))
    case = new_case(world)
    change_stage(db.session, bawaslu, case, "examination")
    rec = issue_recommendation(
        db.session,
        bawaslu,
        case,
        {
            "addressee_agency_id": world.agencies["INSPEKTORAT"].id,
            "number": "045/PP.01.02/K.BE-07/03/2024",
            "date": date(2024, 3, 1),
            "text": "Sanksi sesuai PP 94/2021.",
        },
    )
    escalate(
        db.session,
        bawaslu,
        rec,
        {"kind": "reminder", "letter_number": "1", "date": date(2024, 3, 25), "addressee": "X"},
    )
    db.session.commit()


@pytest.mark.parametrize("row", GETS, ids=lambda r: r.rule)
def test_a_get_stays_within_its_statement_budget(
    row, world, populated, client, headers_for, count_queries
):
    call = row.build(world, client, headers_for, "coord")
    headers = {**call.headers, **headers_for(caller_user(world, "coord"))}
    with count_queries() as statements:
        response = client.open(call.url, method="GET", headers=headers)
    assert response.status_code == row.expected["coord"]
    assert len(statements) <= BUDGETS[row.rule], "\n".join(statements)


def test_every_get_route_has_a_budget():
    assert {row.rule for row in GETS} == set(BUDGETS)
