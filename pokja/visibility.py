"""Who sees which cases, and which of them in full (DESIGN §5), as SQL.

Every case list, detail, feed, export and statistic starts from :func:`visible_cases`; the
full-or-redacted decision is :func:`full_access_condition`, an SQL expression a list can select
per row, so that redaction and text search never re-derive the rule in Python.
"""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Session

from pokja.authority import sees_everything
from pokja.models import Case, Handoff, Share, Subject, User


def visible_cases(user: User) -> sa.Select[Case]:
    """The cases ``user`` may see at all (in full or redacted): those of their own Pokja.

    Administrators run the installation and see no case: they create Pokjas and coordinators,
    and nothing in DESIGN §2 gives them the cases' personal data.
    """
    stmt = sa.select(Case)
    if user.pokja_id is None or not user.active:
        return stmt.where(sa.false())
    return stmt.where(Case.pokja_id == user.pokja_id)


def visible_handoffs(user: User) -> sa.Select[Handoff]:
    """The handoffs on the cases ``user`` sees in full.

    A handoff's reason, letter and decline text are the case's text, which a redacted summary
    leaves out (DESIGN §5); the parties to a handoff always see the case in full, so every
    liaison sees its own inbox and outbox. Viewers and admins see none.
    """
    stmt = sa.select(Handoff)
    if user.pokja_id is None or not user.active:
        return stmt.where(sa.false())
    stmt = stmt.where(Handoff.pokja_id == user.pokja_id)
    condition = full_access_condition(user)
    if isinstance(condition, sa.True_ | sa.False_):
        return stmt if isinstance(condition, sa.True_) else stmt.where(sa.false())
    full = sa.select(Case.id).where(Case.pokja_id == user.pokja_id, condition)
    return stmt.where(Handoff.case_id.in_(full))


def full_access_condition(user: User) -> sa.ColumnElement[bool]:
    """True for the rows of ``cases`` that ``user`` sees in full (DESIGN §5).

    Bawaslu liaisons, coordinators and secretaries: every case of the Pokja. Another agency's
    liaison: the cases its agency holds, has held or has had a handoff from or to (a past
    holder always received it by a handoff, so handoffs cover "has held"), or has an active
    share of. Viewers and admins: none.
    """
    if sees_everything(user):
        return sa.true()
    if user.role != "liaison" or user.agency_id is None:
        return sa.false()
    agency_id = user.agency_id
    handoff = sa.exists().where(
        Handoff.case_id == Case.id,
        sa.or_(Handoff.from_agency_id == agency_id, Handoff.to_agency_id == agency_id),
    )
    share = sa.exists().where(
        Share.case_id == Case.id, Share.agency_id == agency_id, Share.revoked_at.is_(None)
    )
    return sa.or_(Case.holder_agency_id == agency_id, handoff, share)


def can_see_full(session: Session, user: User, case: Case) -> bool:
    """Whether ``user`` sees ``case`` in full (one query at most)."""
    if case.pokja_id != user.pokja_id or not user.active:
        return False
    condition = full_access_condition(user)
    if isinstance(condition, sa.True_ | sa.False_):
        return isinstance(condition, sa.True_)
    return session.scalar(sa.select(sa.literal(True)).where(Case.id == case.id, condition)) is True


def search_condition(
    user: User, q: str, *, full_access: sa.ColumnElement[bool] | None = None
) -> sa.ColumnElement[bool]:
    """Text search that cannot reveal redacted text: the register number matches on any row,
    titles, summaries and subjects' names only on the rows the user sees in full.

    ``full_access``: :func:`full_access_condition` when the caller has built it already.
    """
    pattern = "%" + q.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"
    like: dict[str, Any] = {"escape": "\\"}
    subject_match = sa.exists().where(
        Subject.case_id == Case.id,
        sa.or_(Subject.name.ilike(pattern, **like), Subject.identifier.ilike(pattern, **like)),
    )
    text_match = sa.or_(
        Case.title.ilike(pattern, **like), Case.summary.ilike(pattern, **like), subject_match
    )
    return sa.or_(
        Case.register_number.ilike(pattern, **like),
        sa.and_(
            full_access if full_access is not None else full_access_condition(user), text_match
        ),
    )
