"""Who may do what to a case (DESIGN §4), as the one function :func:`permissions`, which the
API, the ``authority`` block, the agenda and the tests share.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass, replace
from typing import Protocol

from sqlalchemy.orm import Session

from pokja.access.roles import (
    acts_on_cases,
    is_coordinator_of,
    is_liaison_of,
    member_of,
    user_agency_kind,
)
from pokja.access.scopes import can_see_full
from pokja.cases.stages import READ_ONLY_STAGES
from pokja.handoffs.queries import pending_handoff
from pokja.models import (
    Case,
    Handoff,
    User,
)


class HeldCase(Protocol):
    """What permissions are decided from: a :class:`~pokja.models.Case`, or a row's facts."""

    @property
    def pokja_id(self) -> uuid.UUID: ...
    @property
    def holder_agency_id(self) -> uuid.UUID: ...
    @property
    def stage(self) -> str: ...


class OpenHandoff(Protocol):
    """A case's pending handoff: a :class:`~pokja.models.Handoff`, or a row's facts."""

    @property
    def status(self) -> str: ...
    @property
    def from_agency_id(self) -> uuid.UUID: ...
    @property
    def to_agency_id(self) -> uuid.UUID: ...


@dataclass(frozen=True)
class Permissions:
    """What a user may do with one case now; the API's ``authority.permissions`` block."""

    can_edit: bool = False
    can_change_stage: bool = False
    can_handoff: bool = False
    can_accept: bool = False
    can_decline: bool = False
    can_withdraw: bool = False
    can_share: bool = False
    can_view_full: bool = False
    can_view_reporter: bool = False


NOTHING = Permissions()


def permissions(
    user: User, case: HeldCase, pending_handoff: OpenHandoff | None, *, full_access: bool
) -> Permissions:
    """The DESIGN §4 "who may do what" table for ``user`` on ``case``.

    ``pending_handoff`` is the case's pending handoff, if any. ``full_access`` is the §5 answer
    of the one SQL predicate, :func:`pokja.access.scopes.full_access_condition` (selected per
    row in lists, asked by :func:`case_permissions` otherwise): it is never re-derived here.
    """
    if not member_of(user, case.pokja_id):
        return NOTHING  # another Pokja's case does not exist for the caller (admins: none)
    if not acts_on_cases(user):
        return Permissions(can_view_full=full_access and user.role != "viewer")
    coordinator = is_coordinator_of(user, case.pokja_id)
    holder = coordinator or is_liaison_of(user, case.holder_agency_id)
    writable = case.stage not in READ_ONLY_STAGES
    pending = pending_handoff if pending_handoff and pending_handoff.status == "pending" else None
    receiver = pending is not None and (coordinator or is_liaison_of(user, pending.to_agency_id))
    sender = pending is not None and (coordinator or is_liaison_of(user, pending.from_agency_id))
    # Reporter identity: Bawaslu and coordinators only (DESIGN §5); a Bawaslu secretary
    # prepares meetings and needs no reporter's name for it.
    bawaslu_liaison = user.role == "liaison" and user_agency_kind(user) == "BAWASLU"
    return Permissions(
        can_edit=holder and writable,
        # A closed case moves only back to examination, by a coordinator (DESIGN §4).
        can_change_stage=holder and (writable or coordinator),
        can_handoff=holder and writable and pending is None,
        can_accept=receiver,
        can_decline=receiver,
        can_withdraw=sender,
        # Sharing grants reading, not writing, so a closed case may still be shared.
        can_share=holder,
        can_view_full=full_access,
        can_view_reporter=coordinator or bawaslu_liaison,
    )


_LOAD = object()  # case_permissions: find the case's pending handoff


def case_permissions(
    session: Session, user: User, case: Case, pending: Handoff | object | None = _LOAD
) -> Permissions:
    """:func:`permissions` with what it needs loaded: the case's pending handoff (unless the
    caller has it) and the full-access answer of the SQL predicate (no query when the role
    decides it)."""
    if pending is _LOAD:
        pending = pending_handoff(session, case.id)
    assert pending is None or isinstance(pending, Handoff)  # noqa: S101 - narrows the sentinel
    return permissions(user, case, pending, full_access=can_see_full(session, user, case))


def action_permissions(
    session: Session, user: User, case: Case, pending: Handoff | object | None = _LOAD
) -> Permissions:
    """What ``user`` may do to ``case``: :func:`case_permissions` without the two of viewing
    (both False here: never decide what a view shows with these). The §5 full-access answer
    decides what a caller is shown, never what it may do, so a write does not ask it (a
    statement fewer for a non-Bawaslu liaison)."""
    if pending is _LOAD:
        pending = pending_handoff(session, case.id)
    assert pending is None or isinstance(pending, Handoff)  # noqa: S101 - narrows the sentinel
    perms = permissions(user, case, pending, full_access=False)
    return replace(perms, can_view_full=False, can_view_reporter=False)
