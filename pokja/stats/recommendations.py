"""Recommendation compliance (DESIGN §8): per addressee, what was issued to it and what became
of it — followed up on time or late, rejected, open and not yet due, overdue — the escalations
it drew by kind, and its follow-up rate, with the Pokja's total (nationally 54.9 % in 2020).

The follow-up rate is followed up ÷ the recommendations that were completed or whose deadline
has passed: an open one still within its time is not yet a failure. Overdue is derived from
the stored deadline at read time (DESIGN §6). Counted over the recommendations of the cases
the caller may list (the case list's scope and filters), in one statement.
"""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Session

from pokja.models import Case, Escalation, Recommendation, User
from pokja.models.recommendation import ESCALATION_KINDS
from pokja.stats.scope import case_condition, facts_for
from pokja.time import clock
from pokja.time.calendar import overdue_condition

COUNTS = (
    "issued",
    "followed_up_on_time",
    "followed_up_late",
    "rejected",
    "open_not_due",
    "overdue",
)


def _tally(condition: Any) -> Any:
    return sa.func.coalesce(sa.func.sum(sa.case((condition, 1), else_=0)), 0)


def _statement(scope: Any) -> Any:
    status, now = Recommendation.status, clock.now()
    late = overdue_condition(Recommendation.follow_up_due_at, now)
    followed = status == "followed_up"
    counts = (
        sa.select(
            Recommendation.addressee_agency_id.label("agency_id"),
            sa.func.count().label("issued"),
            _tally(sa.and_(followed, Recommendation.on_time.is_(True))).label(
                "followed_up_on_time"
            ),
            _tally(sa.and_(followed, Recommendation.on_time.is_not(True))).label(
                "followed_up_late"
            ),
            _tally(status == "rejected").label("rejected"),
            _tally(sa.and_(status == "issued", sa.not_(late))).label("open_not_due"),
            _tally(sa.and_(status == "issued", late)).label("overdue"),
        )
        .join(Case, Case.id == Recommendation.case_id)
        .where(scope)
        .group_by(Recommendation.addressee_agency_id)
        .subquery("counts")
    )
    escalations = (
        sa.select(
            Recommendation.addressee_agency_id.label("agency_id"),
            *(
                _tally(Escalation.kind == kind).label(f"escalations_{kind}")
                for kind in ESCALATION_KINDS
            ),
        )
        .join(Recommendation, Recommendation.id == Escalation.recommendation_id)
        .join(Case, Case.id == Recommendation.case_id)
        .where(scope)
        .group_by(Recommendation.addressee_agency_id)
        .subquery("escalated")
    )
    return sa.select(counts, *(c for c in escalations.c if c.key != "agency_id")).outerjoin(
        escalations, escalations.c.agency_id == counts.c.agency_id
    )


def _rate(row: dict[str, Any]) -> float | None:
    followed = row["followed_up_on_time"] + row["followed_up_late"]
    due = followed + row["rejected"] + row["overdue"]
    return round(followed / due, 4) if due else None


def recommendation_stats(
    session: Session, user: User, filters: dict[str, Any]
) -> tuple[list[dict[str, Any]], dict[str, Any]]:
    """One row per agency of the Pokja as addressee, and the Pokja's total."""
    facts = facts_for(session, user)
    total: dict[str, Any] = {"agency_id": None, "agency_name": "Total", "agency_kind": None}
    total.update({name: 0 for name in COUNTS})
    total["escalations"] = dict.fromkeys(ESCALATION_KINDS, 0)
    if facts is None:
        return [], {**total, "follow_up_rate": None}
    # The Pokja named on the recommendations too, so that the scan starts from their index.
    scope = sa.and_(
        Recommendation.pokja_id == user.pokja_id, case_condition(session, user, filters)
    )
    found = {row.agency_id: row for row in session.execute(_statement(scope))}
    rows = []
    for agency_id, agency in facts.agencies.items():
        row = found.get(agency_id)
        item: dict[str, Any] = {
            "agency_id": agency["id"],
            "agency_name": agency["name"],
            "agency_kind": agency["kind"],
            **{name: int(getattr(row, name) if row else 0) for name in COUNTS},
            "escalations": {
                kind: int((getattr(row, f"escalations_{kind}") if row else 0) or 0)
                for kind in ESCALATION_KINDS
            },
        }
        item["follow_up_rate"] = _rate(item)
        for name in COUNTS:
            total[name] += item[name]
        for kind in ESCALATION_KINDS:
            total["escalations"][kind] += item["escalations"][kind]
        rows.append(item)
    total["follow_up_rate"] = _rate(total)
    return rows, total


CSV_COLUMNS = [
    "agency_id",
    "agency_name",
    "agency_kind",
    *COUNTS,
    *(f"escalations_{kind}" for kind in ESCALATION_KINDS),
    "follow_up_rate",
]
