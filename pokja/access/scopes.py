"""Who sees what: the scoped queries every read starts from (DESIGN §5).

An object outside a caller's scope is simply not found (404), never "forbidden": a liaison of
one Pokja cannot even learn that another Pokja's agency exists. Every case list, detail, feed,
export and statistic starts from :func:`visible_cases`; the full-or-redacted decision is
:func:`full_access_condition`, an SQL expression a list can select per row, so that redaction
and text search never re-derive the rule in Python.
"""

from __future__ import annotations

from collections.abc import Callable, Collection
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Session

from pokja.access.roles import (
    addressee_side_condition,
    in_a_pokja,
    is_admin,
    may_manage_webhooks,
    member_of,
    sees_everything,
    user_agency_kind,
)
from pokja.errors import NotFound
from pokja.models import (
    Agency,
    Case,
    Decision,
    Handoff,
    Meeting,
    OutboxMessage,
    Pokja,
    Recommendation,
    Share,
    Subject,
    User,
    WebhookSubscription,
)
from pokja.models.base import AnySelect


def visible_pokjas(user: User) -> sa.Select[Pokja]:
    stmt = sa.select(Pokja)
    if not is_admin(user):
        stmt = stmt.where(Pokja.id == user.pokja_id)
    return stmt


def visible_agencies(user: User) -> sa.Select[Agency]:
    stmt = sa.select(Agency)
    if not is_admin(user):
        stmt = stmt.where(Agency.pokja_id == user.pokja_id)
    return stmt


def visible_users(user: User) -> sa.Select[User]:
    """Admins see everyone, coordinators their Pokja's users, anyone else only themselves."""
    stmt = sa.select(User)
    if is_admin(user):
        return stmt
    if user.role == "coordinator":
        return stmt.where(User.pokja_id == user.pokja_id)
    return stmt.where(User.id == user.id)


# The caller's values are bound under these names wherever a scope uses them, so that a
# statement built for one caller serves another of the same kind with its own values
# (:func:`caller_params`; the read models build their hot statements once).
CALLER_POKJA = "caller_pokja_id"
CALLER_AGENCY = "caller_agency_id"


def caller_pokja(user: User) -> sa.BindParameter[Any]:
    return sa.bindparam(CALLER_POKJA, user.pokja_id, type_=sa.Uuid())


def caller_params(user: User) -> dict[str, Any]:
    """The caller's values for a statement built from these scopes for another caller."""
    return {CALLER_POKJA: user.pokja_id, CALLER_AGENCY: user.agency_id}


def access_shape(user: User) -> str:
    """Which form :func:`full_access_condition` takes for ``user`` (what a statement built for
    another caller must share to be reused): all, none, or its agency's."""
    if sees_everything(user):
        return "all"
    if user.role != "liaison" or user.agency_id is None or not in_a_pokja(user):
        return "none"
    return "agency"


def visible_cases(user: User) -> sa.Select[Case]:
    """The cases ``user`` may see at all (in full or redacted): those of their own Pokja.

    Administrators run the installation and see no case: they create Pokjas and coordinators,
    and nothing in DESIGN §2 gives them the cases' personal data.
    """
    stmt = sa.select(Case)
    if not in_a_pokja(user):
        return stmt.where(sa.false())
    return stmt.where(Case.pokja_id == caller_pokja(user))


def visible_handoffs(user: User) -> sa.Select[Handoff]:
    """The handoffs on the cases ``user`` sees in full.

    A handoff's reason, letter and decline text are the case's text, which a redacted summary
    leaves out (DESIGN §5); the parties to a handoff always see the case in full, so every
    liaison sees its own inbox and outbox. Viewers and admins see none.
    """
    stmt = sa.select(Handoff)
    if not in_a_pokja(user):
        return stmt.where(sa.false())
    stmt = stmt.where(Handoff.pokja_id == caller_pokja(user))
    condition = full_access_condition(user)
    if isinstance(condition, sa.True_ | sa.False_):
        return stmt if isinstance(condition, sa.True_) else stmt.where(sa.false())
    full = sa.select(Case.id).where(Case.pokja_id == caller_pokja(user), condition)
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
    agency_id = sa.bindparam(CALLER_AGENCY, user.agency_id, type_=sa.Uuid())
    # One EXISTS per end of a handoff rather than one with an OR: PostgreSQL then reads each
    # as an index-only scan of (agency, case) (ix_handoffs_from_case, ix_handoffs_to_case)
    # instead of every handoff row of the agency (bench/RESULTS.md, "Case list SQL").
    sent = sa.exists().where(Handoff.case_id == Case.id, Handoff.from_agency_id == agency_id)
    received = sa.exists().where(Handoff.case_id == Case.id, Handoff.to_agency_id == agency_id)
    share = sa.exists().where(
        Share.case_id == Case.id, Share.agency_id == agency_id, Share.revoked_at.is_(None)
    )
    return sa.or_(Case.holder_agency_id == agency_id, sent, received, share)


def full_access_agencies(
    among: Callable[[Any], sa.ColumnElement[bool]],
) -> sa.CompoundSelect[Any]:
    """(case_id, agency_id) for every agency whose liaison :func:`full_access_condition` lets
    see a case in full, for the cases ``among(case_id_column)`` selects: the same rule, as
    facts (the holder, both ends of every handoff, each active share).

    A frozen document (a meeting's agenda) stores them beside its cases' content so that it
    can be redacted for each reader when read (:func:`full_access_test`), long after the fact.
    """
    holder = sa.select(Case.id, Case.holder_agency_id).where(among(Case.id))
    sender = sa.select(Handoff.case_id, Handoff.from_agency_id).where(among(Handoff.case_id))
    receiver = sa.select(Handoff.case_id, Handoff.to_agency_id).where(among(Handoff.case_id))
    share = sa.select(Share.case_id, Share.agency_id).where(
        among(Share.case_id), Share.revoked_at.is_(None)
    )
    return sa.union(holder, sender, receiver, share)


def full_access_test(user: User) -> Callable[[Collection[str]], bool]:
    """:func:`full_access_condition` for ``user`` answered from :func:`full_access_agencies`'
    facts about a case of the user's Pokja (the agency ids as text, as a snapshot stores
    them). The reader's part of the rule is settled once, for a document of many cases."""
    if sees_everything(user):
        return lambda _agency_ids: True
    if user.role != "liaison" or user.agency_id is None:
        return lambda _agency_ids: False
    agency = str(user.agency_id)
    return lambda agency_ids: agency in agency_ids


def sees_in_full(user: User, full_access_agency_ids: Collection[str]) -> bool:
    """:func:`full_access_test` for one case."""
    return full_access_test(user)(full_access_agency_ids)


_SEES_CASE_IN_FULL: dict[str, AnySelect] = {}


def can_see_full(session: Session, user: User, case: Case) -> bool:
    """Whether ``user`` sees ``case`` in full (one query at most; its statement is built once
    per kind of caller, :func:`access_shape`)."""
    if not member_of(user, case.pokja_id):
        return False
    condition = full_access_condition(user)
    if isinstance(condition, sa.True_ | sa.False_):
        return isinstance(condition, sa.True_)
    shape = access_shape(user)
    if shape not in _SEES_CASE_IN_FULL:
        case_id = sa.bindparam("case_id", type_=sa.Uuid())
        _SEES_CASE_IN_FULL[shape] = sa.select(sa.literal(True)).where(Case.id == case_id, condition)
    params = {**caller_params(user), "case_id": case.id}
    return session.scalar(_SEES_CASE_IN_FULL[shape], params) is True


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


def visible_recommendations(user: User) -> sa.Select[Recommendation]:
    """Recommendations on the cases ``user`` sees in full, plus those its agency issued,
    receives or acts on as addressee (DESIGN §5); viewers and admins see none."""
    stmt = sa.select(Recommendation)
    if not in_a_pokja(user) or user.role == "viewer":
        return stmt.where(sa.false())
    stmt = stmt.where(Recommendation.pokja_id == user.pokja_id)
    condition = full_access_condition(user)
    if isinstance(condition, sa.True_):
        return stmt
    full = sa.select(Case.id).where(Case.pokja_id == user.pokja_id, condition)
    own: list[sa.ColumnElement[bool]] = [Recommendation.case_id.in_(full)]
    if user.role == "liaison" and user.agency_id is not None:
        addressee_side = sa.select(Agency.id).where(
            Agency.pokja_id == user.pokja_id,
            addressee_side_condition(Agency, user.agency_id, user_agency_kind(user)),
        )
        own += [
            Recommendation.issuing_agency_id == user.agency_id,
            Recommendation.addressee_agency_id.in_(addressee_side),
        ]
    return stmt.where(sa.or_(*own))


def visible_meetings(user: User) -> sa.Select[Meeting]:
    """Everyone in a Pokja reads its meetings (DESIGN §4); administrators and other Pokjas see
    none."""
    stmt = sa.select(Meeting)
    if not in_a_pokja(user):
        return stmt.where(sa.false())
    return stmt.where(Meeting.pokja_id == user.pokja_id)


def visible_decisions(user: User) -> sa.Select[Decision]:
    """A Pokja's meeting decisions, read by everyone in it (the text of one tied to a case the
    caller does not see in full is left out by the presenter, :mod:`pokja.meetings`)."""
    stmt = sa.select(Decision)
    if not in_a_pokja(user):
        return stmt.where(sa.false())
    return stmt.where(Decision.pokja_id == user.pokja_id)


def visible_subscriptions(user: User) -> sa.Select[WebhookSubscription]:
    """A coordinator's Pokja's subscriptions; a liaison's own agency's; nobody else's."""
    stmt = sa.select(WebhookSubscription)
    if not may_manage_webhooks(user):
        return stmt.where(sa.false())
    stmt = stmt.where(WebhookSubscription.pokja_id == user.pokja_id)
    if user.role != "coordinator":
        stmt = stmt.where(WebhookSubscription.agency_id == user.agency_id)
    return stmt


def visible_deliveries(user: User) -> sa.Select[OutboxMessage]:
    subscriptions = visible_subscriptions(user).with_only_columns(WebhookSubscription.id)
    return sa.select(OutboxMessage).where(OutboxMessage.subscription_id.in_(subscriptions))


def get_or_404(session: Session, stmt: AnySelect, what: str) -> Any:
    obj = session.scalar(stmt)
    if obj is None:
        raise NotFound(f"{what} not found.")
    return obj
