"""The deadline source of cases awaiting Bawaslu's decision (:data:`pokja.time.sources.SOURCES`),
and which decision clocks (DESIGN §6) fall due by a day, as SQL: the decision deadline is not
stored (it follows from the registration and the case's clock settings), so the condition
turns "due by day D" into "registered before instant T" per election kind."""

from __future__ import annotations

import uuid
from collections import defaultdict
from collections.abc import Callable
from dataclasses import replace
from datetime import date, datetime, timedelta
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Session, aliased

from pokja.models import Case, CaseClockExtension, Pokja
from pokja.models.base import records
from pokja.time.acting import bawaslu_agencies
from pokja.time.calendar import is_overdue
from pokja.time.case_clocks import DECISION_STAGES, decision_deadline
from pokja.time.catalogue import Clock, ElectionKind, clock_settings, deadline_for
from pokja.time.scope import Due, DueScope, PokjaClocks, bounded, key_of, within


def _registered_before(clocks: PokjaClocks, kind: ElectionKind, last_day: date) -> datetime:
    """The first instant whose decision deadline falls after ``last_day``: registrations
    before it are due by then. Deadlines only grow with their start, so scanning back from
    ``last_day`` finds it; the SQL then compares plain timestamps on either database."""
    calendar, day = clocks.calendar, last_day
    while True:
        due = deadline_for(calendar, clocks.settings, Clock.DECISION, kind, calendar.start_of(day))
        if calendar.local_date(due) <= last_day:
            return calendar.start_after(day)
        day -= timedelta(days=1)


def decision_due_by(
    scope: DueScope, ext: Any, last_day: Callable[[PokjaClocks], date]
) -> sa.ColumnElement[bool]:
    """Cases whose decision deadline falls on or before ``last_day(clocks)`` of their Pokja.

    Pokjas with the same calendar, decision clocks and day share one condition, so the reminder
    pass over hundreds of Pokjas stays a short OR.
    """
    groups: dict[Any, list[uuid.UUID]] = defaultdict(list)
    for pokja_id, clocks in scope.pokjas.items():
        lengths = tuple(clocks.settings[Clock.DECISION][kind] for kind in ElectionKind)
        groups[clocks.calendar, lengths, last_day(clocks)].append(pokja_id)
    conditions = []
    for (_calendar, _lengths, day), pokja_ids in groups.items():
        clocks = scope.pokjas[pokja_ids[0]]
        by_registration = sa.or_(
            *(
                sa.and_(
                    Case.election_kind == str(kind),
                    Case.registered_at < _registered_before(clocks, kind, day),
                )
                for kind in ElectionKind
            )
        )
        conditions.append(
            sa.and_(
                Case.pokja_id.in_(pokja_ids),
                sa.or_(
                    sa.and_(ext.id.is_(None), by_registration),
                    # Spelled out so the condition is never NULL (NOT NULL would drop the row).
                    sa.and_(ext.id.is_not(None), ext.due_at <= clocks.calendar.end_of(day)),
                ),
            )
        )
    return sa.or_(*conditions)


# Built once: an alias made per request is most of the cost of building its statement.
_EXTENSION = aliased(CaseClockExtension, name="decision_extension")


def cases_awaiting_decision(session: Session, scope: DueScope) -> list[Due]:
    """Bawaslu's decision on registered cases (DESIGN §6), for Bawaslu and the whole Pokja."""
    if scope.agency_id is not None and scope.agency_kind != "BAWASLU":
        return []
    bawaslu = bawaslu_agencies(session, scope)
    if not bawaslu:
        return []
    ext = _EXTENSION
    # A case registered before a settings change keeps its clocks (DESIGN §6): the SQL due
    # test, made from the Pokja's current settings, holds for the cases registered with them;
    # the others (few: a decision clock is days long) are read and tested here, exactly.
    snapshot = sa.cast(Case.clock_settings, sa.Text)
    current = sa.func.coalesce(snapshot, _OVERRIDES) == _OVERRIDES
    # Plain columns, not entities: a coordinator's list may hold hundreds of cases.
    stmt = (
        sa.select(
            Case.id,
            Case.pokja_id,
            Case.register_number,
            Case.election_kind,
            Case.registered_at,
            Case.source,
            Case.discovered_on,
            Case.stage,
            Case.clock_settings,
            current.label("current_settings"),
            ext.id.label("extension_id"),
            ext.due_at,
            ext.unit,
        )
        .join(Pokja, Pokja.id == Case.pokja_id)
        .outerjoin(ext, sa.and_(ext.case_id == Case.id, ext.clock == str(Clock.DECISION)))
        .where(
            Case.pokja_id.in_(list(bawaslu)),
            Case.stage.in_(DECISION_STAGES),
            sa.or_(~current, decision_due_by(scope, ext, lambda clocks: clocks.until)),
        )
    )
    if scope.overdue is not None:
        late = decision_due_by(scope, ext, lambda c: c.calendar.last_ended_day(scope.now))
        stmt = stmt.where(sa.or_(~current, late if scope.overdue else sa.not_(late)))
    if scope.since is not None:
        # Not due by the day before ``since``'s: due on its day or later (by day, as the SQL
        # knows deadlines; the instant is tested below).
        since = scope.since
        earlier = decision_due_by(
            scope, ext, lambda c: c.calendar.local_date(since) - timedelta(days=1)
        )
        stmt = stmt.where(sa.or_(~current, sa.not_(earlier)))
    items = []
    # The deadline is derived, so the rows are read in registration order and the page is
    # cut here, in deadline order (a Pokja's cases awaiting a decision are not many).
    # Plain columns on the session's connection: no ORM loading to set up (see records()).
    rows = session.connection().execute(
        bounded(replace(scope, limit=None), stmt, Case.registered_at, Case.id)
    )
    for case in records(rows):
        clocks = scope.pokjas[case.pokja_id]
        extension = case if case.extension_id is not None else None
        settings = clocks.settings
        if not case.current_settings and case.clock_settings is not None:
            settings = clock_settings(case.clock_settings)
        due_at, unit = decision_deadline(clocks.calendar, settings, case, extension)
        if not case.current_settings and not _listed(scope, case.pokja_id, due_at):
            continue
        if scope.since is not None and due_at < scope.since:
            continue
        items.append(
            Due(
                kind="case_decision",
                item_id=case.id,
                pokja_id=case.pokja_id,
                case_id=case.id,
                register_number=case.register_number,
                clock=Clock.DECISION,
                due_at=due_at,
                unit=unit,
                agency_id=bawaslu[case.pokja_id],
                acting_agency_ids=(bawaslu[case.pokja_id],),
                payload={"case_id": case.id, "register_number": case.register_number},
            )
        )
    items = sorted(
        (item for item in items if scope.after is None or key_of(item) > scope.after), key=key_of
    )
    return items[: scope.limit] if scope.limit else items


_OVERRIDES = sa.cast(Pokja.clock_overrides, sa.Text)


def _listed(scope: DueScope, pokja_id: uuid.UUID, due_at: datetime) -> bool:
    """The scope's tests, in Python, for a deadline the SQL could not test."""
    late = is_overdue(due_at, scope.now)
    return within(scope, pokja_id, due_at) and scope.overdue in (None, late)
