"""The addressee's answer to a recommendation: followed up, with the sanctions decided on the
case's subjects, or rejected with its reasons; on time or late by how many working days
(DESIGN §3, §6). A conditional UPDATE on ``status = 'issued'``: of two concurrent answers one
wins."""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Session

from pokja.access.roles import acts_for_addressee, is_coordinator_of
from pokja.audit import events
from pokja.errors import NotPermitted, RuleViolation, field_error
from pokja.followup.recommendations import load_recommendation, move_case, require_issued, snapshot
from pokja.followup.sanctions import RECOMMENDATION_OUTCOMES, check_sanction
from pokja.models import (
    Case,
    Pokja,
    Recommendation,
    Sanction,
    Subject,
    User,
)
from pokja.time import clock
from pokja.time.calendar import is_overdue
from pokja.time.settings import calendar_for


def _checked_sanctions(
    session: Session, case: Case, items: list[dict[str, Any]]
) -> list[dict[str, Any]]:
    """Every sanction names a subject of this case and a kind that fits the subject's type;
    all problems are reported at once, by ``sanctions.<index>.<field>``, before any write."""
    subject_types = {
        subject_id: subject_type
        for subject_id, subject_type in session.execute(
            sa.select(Subject.id, Subject.subject_type).where(Subject.case_id == case.id)
        )
    }
    errors: dict[str, list[str]] = {}
    for index, item in enumerate(items):
        subject_type = subject_types.get(item.get("subject_id"))  # type: ignore[arg-type]
        if subject_type is None:
            errors[f"sanctions.{index}.subject_id"] = ["Not a subject of this case."]
            continue
        try:
            check_sanction(subject_type, item.get("level", ""), item.get("kind", ""))
        except RuleViolation as exc:
            for field, messages in exc.extra["errors"].items():
                errors[f"sanctions.{index}.{field}"] = messages
    if errors:
        first = next(iter(errors.values()))[0]
        raise RuleViolation(first, code="invalid_sanction", errors=errors)
    return items


def follow_up(
    session: Session, actor: User, rec: Recommendation, data: dict[str, Any]
) -> Recommendation:
    """Record the addressee's answer: ``followed_up`` with its ``sanctions`` (each checked
    against its subject's type), or ``rejected`` with its ``reasons`` (DESIGN §3).

    The addressee's liaison, the liaison of the agency acting for an outside addressee, or a
    coordinator. Records whether it came on time or late by how many working days, from the
    deadline's local day to the completion's; the case moves to ``decided`` once no other
    recommendation on it is open.
    """
    case, addressee = load_recommendation(session, actor, rec)
    if not (is_coordinator_of(actor, rec.pokja_id) or acts_for_addressee(actor, addressee)):
        raise NotPermitted("Only the addressee's liaison or a coordinator records the follow-up.")
    require_issued(rec)
    outcome = data.get("outcome")
    if outcome not in RECOMMENDATION_OUTCOMES:
        raise field_error("outcome", f"Must be one of {', '.join(RECOMMENDATION_OUTCOMES)}.")
    sanctions = data.get("sanctions") or []
    reasons = (data.get("reasons") or "").strip() or None
    if outcome == "rejected":
        if not reasons:
            raise field_error("reasons", "Say why the recommendation is rejected.")
        if sanctions:
            raise field_error("sanctions", "A rejected recommendation imposes no sanction.")
    sanctions = _checked_sanctions(session, case, sanctions)
    now = clock.now()
    calendar = calendar_for(session, session.get_one(Pokja, rec.pokja_id))
    on_time = not is_overdue(rec.follow_up_due_at, now)
    late = 0
    if not on_time:
        due_day = calendar.local_date(rec.follow_up_due_at)
        late = max(0, calendar.working_days_between(due_day, calendar.local_date(now)))
    result = session.execute(
        sa.update(Recommendation)
        .where(Recommendation.id == rec.id, Recommendation.status == "issued")
        .values(
            status=outcome,
            completed_at=now,
            completed_by_id=actor.id,
            outcome_note=data.get("note"),
            reasons=reasons,
            on_time=on_time,
            late_working_days=late,
            updated_at=now,
            version=Recommendation.version + 1,
        )
        .execution_options(synchronize_session=False)
    )
    session.refresh(rec)
    if result.rowcount != 1:  # type: ignore[attr-defined]
        require_issued(rec)  # a concurrent follow-up won
    rows = [
        Sanction(
            pokja_id=rec.pokja_id,
            case_id=case.id,
            recommendation_id=rec.id,
            subject_id=item["subject_id"],
            level=item["level"],
            kind=item["kind"],
            decree_number=item.get("decree_number"),
            decree_date=item.get("decree_date"),
            deciding_agency_id=addressee.id,
            created_by_id=actor.id,
            created_at=now,
        )
        for item in sanctions
    ]
    session.add_all(rows)
    session.flush()
    events.record(
        session,
        pokja_id=case.pokja_id,
        case_id=case.id,
        actor=actor,
        type=f"recommendation.{outcome}",
        data={
            **snapshot(rec),
            "on_time": on_time,
            "late_working_days": late,
            "reasons": reasons,
            "note": rec.outcome_note,
            "sanctions": [
                {k: getattr(s, k) for k in ("id", "subject_id", "level", "kind", "decree_number")}
                for s in rows
            ],
        },
    )
    still_open = session.scalar(
        sa.select(sa.func.count())
        .select_from(Recommendation)
        .where(Recommendation.case_id == case.id, Recommendation.status == "issued")
    )
    if case.stage == "recommended" and not still_open:
        move_case(session, actor, case, "decided", f"Recommendation {rec.number}: {outcome}")
    return rec
