"""Authorization matrix rows for handoffs, shares and authority rules.

The scenario: a case registered by Bawaslu, handed to BKDPSDM and accepted, so that BKDPSDM
holds it; then (for most rows) a pending handoff BKDPSDM -> INSPEKTORAT. Holder and sender
(bkdpsdm), receiver (inspektorat), the agency that registered it (bawaslu, which sees every
case) and uninvolved agencies (kejari, tni, polri) thus all differ.
"""

from __future__ import annotations

from pokja.access.rules import DEFAULT_RULES
from pokja.extensions import db
from pokja.handoffs import shares
from pokja.handoffs.lifecycle import accept_handoff
from tests.factories import hand_off, new_case
from tests.matrix import Call, Row, etag, expect

RULES = "/api/v1/authority-rules"


def scenario(world, *, pending=True, share=False):
    bkd = world.liaisons["BKDPSDM"]
    case = new_case(world)
    accept_handoff(db.session, bkd, hand_off(world, case, "BKDPSDM"))
    handoff = hand_off(world, case, "INSPEKTORAT", actor=bkd) if pending else None
    granted = None
    if share:
        granted = shares.grant_share(
            db.session, bkd, case, world.agencies["KEJARI"].id, "Sentra Gakkumdu"
        )
    db.session.commit()
    return case, handoff, granted


def _start(w, c, h, u):
    case, _, _ = scenario(w, pending=False)
    return Call(
        "POST",
        f"/api/v1/cases/{case.id}/handoffs",
        {
            "to_agency_id": str(w.agencies["INSPEKTORAT"].id),
            "purpose": "examination",
            "reason": "Pemeriksaan kepala desa oleh Inspektorat",
        },
    )


def _handoff_call(action, json=None):
    def build(w, c, h, u):
        _, handoff, _ = scenario(w)
        url = f"/api/v1/handoffs/{handoff.id}"
        if action == "read":
            return Call("GET", url)
        return Call("POST", f"{url}/{action}", json)

    return build


def _share(w, c, h, u):
    case, _, _ = scenario(w)
    return Call(
        "POST",
        f"/api/v1/cases/{case.id}/shares",
        {"agency_id": str(w.agencies["KEJARI"].id), "reason": "Sentra Gakkumdu"},
    )


def _list_shares(w, c, h, u):
    case, _, _ = scenario(w, share=True)
    return Call("GET", f"/api/v1/cases/{case.id}/shares")


def _revoke(w, c, h, u):
    case, _, share = scenario(w, share=True)
    return Call("DELETE", f"/api/v1/cases/{case.id}/shares/{share.id}")


def _replace_rules(w, c, h, u):
    url = f"{RULES}?pokja_id={w.pokja.id}"
    rules = [
        {"subject_type": s, "category": c_, "agency_kind": k}
        for s, c_, k in (*DEFAULT_RULES, ("tni", None, "POLRI"))
    ]
    return Call("PUT", url, {"rules": rules}, etag(c, h, w, url))


DECLINE = {"decline_reason": "not_our_authority", "decline_text": "Bukan kewenangan kami"}
# Receiver (inspektorat) or coordinator; the sender and Bawaslu see it but may not; the
# uninvolved agencies do not see it at all.
ANSWER = expect(401, 403, 200, 403, 403, 404, 404, bawaslu=403, bkdpsdm=403, inspektorat=200)

# fmt: off
ROWS = [
    #                                                 anon admin coord sec viewer other liaison
    Row("POST", "/api/v1/cases/<uuid:case_id>/handoffs", _start,
        expect(401, 403, 201, 403, 403, 404, 403, bkdpsdm=201)),
    Row("GET", "/api/v1/handoffs", lambda w, c, h, u: Call("GET", "/api/v1/handoffs"),
        expect(401, 200, 200, 200, 200, 200, 200)),
    Row("GET", "/api/v1/handoffs/<uuid:handoff_id>", _handoff_call("read"),
        expect(401, 404, 200, 200, 404, 404, 404, bawaslu=200, bkdpsdm=200, inspektorat=200)),
    Row("POST", "/api/v1/handoffs/<uuid:handoff_id>/accept", _handoff_call("accept"), ANSWER),
    Row("POST", "/api/v1/handoffs/<uuid:handoff_id>/decline",
        _handoff_call("decline", DECLINE), ANSWER),
    Row("POST", "/api/v1/handoffs/<uuid:handoff_id>/withdraw", _handoff_call("withdraw"),
        expect(401, 403, 200, 403, 403, 404, 404, bawaslu=403, bkdpsdm=200, inspektorat=403)),
    Row("POST", "/api/v1/cases/<uuid:case_id>/shares", _share,
        expect(401, 403, 201, 403, 403, 404, 403, bkdpsdm=201)),
    # Those who see the case in full: the holder, the receiver of its pending handoff, the
    # agency it is shared with (kejari), Bawaslu, coordinator and secretary.
    Row("GET", "/api/v1/cases/<uuid:case_id>/shares", _list_shares,
        expect(401, 404, 200, 200, 403, 404, 403,
               bawaslu=200, bkdpsdm=200, inspektorat=200, kejari=200)),
    Row("DELETE", "/api/v1/cases/<uuid:case_id>/shares/<uuid:share_id>", _revoke,
        expect(401, 403, 204, 403, 403, 404, 403, bkdpsdm=204)),
    Row("GET", RULES,
        lambda w, c, h, u: Call("GET", f"{RULES}?pokja_id={w.pokja.id}"),
        expect(401, 200, 200, 200, 200, 404, 200)),
    Row("PUT", RULES, _replace_rules, expect(401, 200, 200, 403, 403, 404, 403)),
]
# fmt: on
