"""Shares (tembusan): read access to a case for another agency, without moving authority
(DESIGN §3): Gakkumdu partners, or the Inspectorate asked for an opinion."""

from __future__ import annotations

import uuid

import sqlalchemy as sa
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from pokja.access.permissions import action_permissions
from pokja.access.scopes import can_see_full
from pokja.audit import events
from pokja.errors import Conflict, NotFound, NotPermitted, field_error
from pokja.handoffs.queries import lock_case, pokja_agency
from pokja.models import Case, Share, User
from pokja.notify.outbox import notify_share
from pokja.time import clock


def active_shares(session: Session, case_id: uuid.UUID) -> list[Share]:
    return list(
        session.scalars(
            sa.select(Share)
            .where(Share.case_id == case_id, Share.revoked_at.is_(None))
            .order_by(Share.granted_at)
        )
    )


def shares_of(
    session: Session, actor: User, case: Case, *, include_revoked: bool = False
) -> sa.Select[Share]:
    """The case's shares (active ones unless ``include_revoked``), for a caller who sees the
    case in full: who else reads a case, and why, is part of the case (DESIGN §5)."""
    if not can_see_full(session, actor, case):
        raise NotPermitted(
            "Only those who see the case in full see whom it is shared with.", code="redacted"
        )
    stmt = sa.select(Share).where(Share.case_id == case.id)
    if not include_revoked:
        stmt = stmt.where(Share.revoked_at.is_(None))
    return stmt


def _check_can_share(session: Session, actor: User, case: Case) -> None:
    if not action_permissions(session, actor, case).can_share:
        raise NotPermitted("Only the holding agency's liaison or a coordinator shares the case.")


def grant_share(
    session: Session, actor: User, case: Case, agency_id: uuid.UUID, reason: str = ""
) -> Share:
    """Let ``agency_id`` read ``case`` in full; Conflict when it has an active share already."""
    lock_case(session, case)
    _check_can_share(session, actor, case)
    agency = pokja_agency(session, case.pokja_id, agency_id, "agency_id")
    if agency.id == case.holder_agency_id:
        raise field_error("agency_id", "The agency holds the case already.", "share_to_holder")
    share = Share(
        pokja_id=case.pokja_id,
        case_id=case.id,
        agency_id=agency.id,
        reason=reason or "",
        granted_by_id=actor.id,
        granted_at=clock.now(),
    )
    try:
        with session.begin_nested():
            session.add(share)
    except IntegrityError as exc:
        # The partial unique index: one active share per case and agency.
        raise Conflict(
            "The case is shared with this agency already.", code="already_shared"
        ) from exc
    events.record(
        session,
        pokja_id=case.pokja_id,
        case_id=case.id,
        actor=actor,
        type="case.shared",
        data={"share_id": share.id, "agency_id": agency.id, "reason": share.reason},
    )
    notify_share(session, share)
    return share


def revoke_share(session: Session, actor: User, case: Case, share_id: uuid.UUID) -> Share:
    """End one of the case's shares; Conflict when it was revoked already (by a concurrent
    request too)."""
    share = session.scalar(sa.select(Share).where(Share.id == share_id, Share.case_id == case.id))
    if share is None:
        raise NotFound("Share not found.")
    lock_case(session, case)
    _check_can_share(session, actor, case)
    result = session.execute(
        sa.update(Share)
        .where(Share.id == share.id, Share.revoked_at.is_(None))
        .values(revoked_at=clock.now(), revoked_by_id=actor.id)
        .execution_options(synchronize_session=False)
    )
    session.refresh(share)
    if result.rowcount != 1:  # type: ignore[attr-defined]
        raise Conflict("The share was revoked already.", code="share_revoked")
    events.record(
        session,
        pokja_id=case.pokja_id,
        case_id=case.id,
        actor=actor,
        type="case.share_revoked",
        data={"share_id": share.id, "agency_id": share.agency_id},
    )
    return share
