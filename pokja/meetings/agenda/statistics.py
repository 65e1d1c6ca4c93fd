"""Section 6 of an agenda: the Pokja's figures at a glance (two statements)."""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Session

from pokja.models import STAGES, Case, Recommendation
from pokja.time.calendar import overdue_at

CASES_BY_STAGE = (
    sa.select(Case.stage, sa.func.count())
    .where(Case.pokja_id == sa.bindparam("pokja_id"))
    .group_by(Case.stage)
)


def _count(condition: sa.ColumnElement[bool]) -> sa.ColumnElement[int]:
    return sa.func.coalesce(sa.func.sum(sa.case((condition, 1), else_=0)), 0)


_issued = Recommendation.status == "issued"
RECOMMENDATIONS = sa.select(
    sa.func.count().label("total"),
    _count(Recommendation.status == "followed_up").label("followed_up"),
    _count(Recommendation.on_time.is_(True)).label("followed_up_on_time"),
    _count(Recommendation.status == "rejected").label("rejected"),
    _count(_issued).label("open"),
    _count(sa.and_(_issued, overdue_at(Recommendation.follow_up_due_at))).label("overdue"),
).where(Recommendation.pokja_id == sa.bindparam("pokja_id"))


def statistics(
    session: Session, params: dict[str, Any], handoffs: list[dict[str, Any]]
) -> dict[str, Any]:
    """Cases by stage, handoffs pending and overdue (from section 2, which lists every pending
    one), recommendations overdue, and the follow-up rate: of the recommendations due by now
    (followed up, rejected or overdue), the share followed up — the figure KASN published
    (54.9 % in 2020, DESIGN §6)."""
    by_stage = dict.fromkeys(STAGES, 0)
    by_stage.update({stage: n for stage, n in session.execute(CASES_BY_STAGE, params)})
    recs = session.execute(RECOMMENDATIONS, params).one()
    due = recs.followed_up + recs.rejected + recs.overdue
    pending = [h for h in handoffs if h["status"] == "pending"]
    return {
        "cases_total": sum(by_stage.values()),
        "cases_by_stage": by_stage,
        "handoffs_pending": len(pending),
        "handoffs_overdue": sum(bool(h["overdue"]) for h in pending),
        "recommendations_total": recs.total,
        "recommendations_open": recs.open,
        "recommendations_overdue": recs.overdue,
        "recommendations_followed_up": recs.followed_up,
        "recommendations_followed_up_on_time": recs.followed_up_on_time,
        "recommendations_rejected": recs.rejected,
        "follow_up_rate": round(recs.followed_up / due, 4) if due else None,
    }
