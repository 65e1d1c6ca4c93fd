"""Fixed data for the agenda's tests: a Pokja in the week of 4 March 2024 with one item of
every kind an agenda lists, and the meetings around it (times in WIB, UTC+7)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from typing import Any

from pokja.extensions import db
from pokja.followup.escalations import escalate
from pokja.followup.recommendations import issue_recommendation
from pokja.handoffs.lifecycle import accept_handoff, decline_handoff
from pokja.models import Case, Decision, Handoff, Meeting, Recommendation
from pokja.time import clock
from tests.factories import hand_off, new_case

# The previous meeting: Monday 26 February 2024, 09.00 WIB; this one: Tuesday 5 March 2024.
PREVIOUS_STARTS = datetime(2024, 2, 26, 2, 0, tzinfo=UTC)
STARTS = datetime(2024, 3, 5, 2, 0, tzinfo=UTC)
# When the agenda is read: Monday 4 March 2024, 10.00 WIB.
NOW = datetime(2024, 3, 4, 3, 0, tzinfo=UTC)


def at(moment: datetime, patch: Any) -> None:
    patch.setattr(clock, "now", lambda: moment)


def meeting(world: Any, starts_at: datetime, status: str = "draft", **fields: Any) -> Meeting:
    row = Meeting(
        pokja_id=world.pokja.id,
        title=fields.pop("title", f"Rapat koordinasi {starts_at:%d %B %Y}"),
        status=status,
        starts_at=starts_at,
        ends_at=starts_at + timedelta(hours=3),
        place=fields.pop("place", "Media center Bawaslu Bengkulu Selatan"),
        chain_head_seq=1 if status == "closed" else None,
        chain_head_hash="0" * 64 if status == "closed" else None,
        **fields,
    )
    db.session.add(row)
    db.session.flush()
    return row


@dataclass
class AgendaData:
    world: Any
    previous: Meeting
    meeting: Meeting
    cases: dict[str, Case] = field(default_factory=dict)
    handoffs: dict[str, Handoff] = field(default_factory=dict)
    recommendations: dict[str, Recommendation] = field(default_factory=dict)
    decisions: dict[str, Decision] = field(default_factory=dict)


def build(world: Any, patch: Any, case: Callable[..., Case] = new_case) -> AgendaData:
    """Cases ``old`` (registered before the previous meeting, its handoff to BKDPSDM long
    overdue), ``fresh`` (registered on 1 March, handed to the Inspectorate, due 6 March),
    ``declined`` (POLRI declined it on 28 February, suggesting KEJARI), ``recommended``
    (recommendations to BKDPSDM and to the Inspectorate past their deadlines, one escalated),
    ``tni`` (registered on 27 February and held by TNI: the only one TNI sees in full) and
    an open decision of the previous meeting, overdue."""
    previous = meeting(world, PREVIOUS_STARTS, "closed")
    this = meeting(world, STARTS)
    data = AgendaData(world, previous, this)
    bawaslu = world.liaisons["BAWASLU"]

    at(datetime(2024, 2, 1, 2, 0, tzinfo=UTC), patch)
    rec_case = case(world, title="Camat memasang baliho calon", subjects=[_subject("Joko")])
    inspektorat_case = case(world, title="Lurah hadir deklarasi", subjects=[_subject("Wati")])
    data.cases |= {"recommended": rec_case, "recommended_2": inspektorat_case}
    for key, kase, kind, number in (
        ("bkdpsdm", rec_case, "BKDPSDM", "001/REK/2024"),
        ("inspektorat", inspektorat_case, "INSPEKTORAT", "002/REK/2024"),
    ):
        from pokja.cases.editing import change_stage

        change_stage(db.session, bawaslu, kase, "examination")
        data.recommendations[key] = issue_recommendation(
            db.session,
            bawaslu,
            kase,
            {
                "addressee_agency_id": world.agencies[kind].id,
                "number": number,
                "date": date(2024, 2, 1),
                "text": f"Rekomendasi sanksi untuk {kase.title}",
            },
        )
    at(datetime(2024, 2, 27, 2, 0, tzinfo=UTC), patch)
    escalate(
        db.session,
        bawaslu,
        data.recommendations["bkdpsdm"],
        {
            "kind": "reminder",
            "letter_number": "010/PENGINGAT/2024",
            "date": date(2024, 2, 27),
            "addressee": "Kepala BKPSDM",
            "text": "Mohon tindak lanjut",
        },
    )

    at(datetime(2024, 2, 20, 2, 0, tzinfo=UTC), patch)
    old = case(world, title="Guru mengunggah dukungan", subjects=[_subject("Budi Santoso")])
    data.handoffs["old"] = hand_off(world, old, "BKDPSDM")
    declined = case(world, title="Oknum polisi di kampanye", subjects=[_subject("Agus", "polri")])
    data.handoffs["declined"] = hand_off(world, declined, "POLRI", purpose="internal_discipline")
    at(datetime(2024, 2, 27, 3, 0, tzinfo=UTC), patch)
    tni = case(world, title="Anggota TNI berfoto", subjects=[_subject("Serda Hasan", "tni")])
    accept_handoff(
        db.session, world.liaisons["TNI"], hand_off(world, tni, "TNI", purpose="examination")
    )
    at(datetime(2024, 2, 28, 2, 0, tzinfo=UTC), patch)
    decline_handoff(
        db.session,
        world.liaisons["POLRI"],
        data.handoffs["declined"],
        {
            "decline_reason": "not_our_authority",
            "decline_text": "Terlapor bukan anggota Polri",
            "suggested_agency_id": world.agencies["KEJARI"].id,
        },
    )
    at(datetime(2024, 3, 1, 2, 0, tzinfo=UTC), patch)
    fresh = case(world, title="Kepala desa membagikan sembako", subjects=[_subject("Rahmat")])
    data.handoffs["fresh"] = hand_off(world, fresh, "INSPEKTORAT")
    data.cases |= {"old": old, "declined": declined, "tni": tni, "fresh": fresh}
    data.decisions["carried"] = Decision(
        pokja_id=world.pokja.id,
        meeting_id=previous.id,
        text="BKPSDM melaporkan tindak lanjut rekomendasi 001/REK/2024",
        owner_agency_id=world.agencies["BKDPSDM"].id,
        due_on=date(2024, 3, 1),
        due_unit="calendar",
        case_id=rec_case.id,
    )
    db.session.add(data.decisions["carried"])
    db.session.commit()
    at(NOW, patch)
    return data


def _subject(name: str, subject_type: str = "pns") -> dict[str, Any]:
    return {
        "name": name,
        "identifier": f"19800101{abs(hash(name)) % 10**10:010d}",
        "subject_type": subject_type,
        "position": "Staf",
    }


def bulk_cases(ids: dict[str, Any], n: int, registered_at: datetime, start: int = 1000) -> None:
    """``n`` open cases of the Pokja registered at ``registered_at``, each with a subject and a
    pending handoff to BKDPSDM (``ids``: the Pokja's and those agencies' ids), inserted in
    three statements (the statement-count tests need hundreds of them, not their events)."""
    import uuid

    import sqlalchemy as sa

    from pokja.models import Subject

    pokja_id, bawaslu, bkd = ids["pokja"], ids["BAWASLU"], ids["BKDPSDM"]
    cases, subjects, handoffs = [], [], []
    for k in range(start, start + n):
        case_id = uuid.uuid4()
        cases.append(
            {
                "id": case_id,
                "pokja_id": pokja_id,
                "register_number": f"{k:04d}/LP/PL/Kab/17.01/III/2024",
                "register_kind": "LP",
                "register_year": 2024,
                "register_seq": k,
                "source": "report",
                "category": "neutrality",
                "election": "pemilu-2024",
                "election_kind": "pemilu",
                "registered_at": registered_at,
                "title": f"Perkara massal {k}",
                "summary": "",
                "stage": "examination",
                "holder_agency_id": bawaslu,
                "version": 1,
                "created_at": registered_at,
                "updated_at": registered_at,
            }
        )
        subjects.append(
            {
                "id": uuid.uuid4(),
                "case_id": case_id,
                "seq": 0,
                "name": f"Terlapor {k}",
                "subject_type": "pns",
                "created_at": registered_at,
                "updated_at": registered_at,
            }
        )
        handoffs.append(
            {
                "id": uuid.uuid4(),
                "pokja_id": pokja_id,
                "case_id": case_id,
                "from_agency_id": bawaslu,
                "to_agency_id": bkd,
                "purpose": "follow_up",
                "reason": "",
                "status": "pending",
                "due_on": date(2024, 3, 6),
                "created_at": registered_at,
            }
        )
    db.session.execute(sa.insert(Case), cases)
    db.session.execute(sa.insert(Subject), subjects)
    db.session.execute(sa.insert(Handoff), handoffs)
    db.session.commit()
