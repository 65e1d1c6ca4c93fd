"""Who may do what to a case (DESIGN §4), as the one function :func:`permissions`, which the
API, the ``authority`` block, the agenda and the tests share.
"""

from __future__ import annotations

from dataclasses import dataclass

from pokja.access.roles import is_coordinator_of, is_liaison_of, sees_everything, user_agency_kind
from pokja.cases.stages import READ_ONLY_STAGES
from pokja.models import (
    Case,
    Handoff,
    User,
)


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
    user: User,
    case: Case,
    pending_handoff: Handoff | None,
    *,
    full_access: bool | None = None,
) -> Permissions:
    """The DESIGN §4 "who may do what" table for ``user`` on ``case``.

    ``pending_handoff`` is the case's pending handoff, if any. ``full_access`` is the §5 answer
    computed in SQL (:func:`pokja.visibility.full_access_condition`, per row in lists); when
    omitted it is derived from what is at hand (role, holder, pending handoff), which never
    grants more than the SQL rule would.
    """
    if user.pokja_id is None or user.pokja_id != case.pokja_id or not user.active:
        return NOTHING  # another Pokja's case does not exist for the caller (admins: none)
    coordinator = is_coordinator_of(user, case.pokja_id)
    holder = coordinator or is_liaison_of(user, case.holder_agency_id)
    writable = case.stage not in READ_ONLY_STAGES
    pending = pending_handoff if pending_handoff and pending_handoff.status == "pending" else None
    receiver = pending is not None and (coordinator or is_liaison_of(user, pending.to_agency_id))
    sender = pending is not None and (coordinator or is_liaison_of(user, pending.from_agency_id))
    if full_access is None:
        full_access = (
            sees_everything(user)
            or is_liaison_of(user, case.holder_agency_id)
            or (
                pending is not None
                and user.agency_id in (pending.from_agency_id, pending.to_agency_id)
            )
        )
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
        can_view_full=bool(full_access) and user.role != "viewer",
        can_view_reporter=coordinator or bawaslu_liaison,
    )
