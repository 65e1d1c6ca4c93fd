"""The shape of a deadline question and its answers (:mod:`pokja.time.sources`): whose
deadlines, up to which day of which Pokja, and each open item's due instant, unit and
agencies, with the SQL helpers every source shares."""

from __future__ import annotations

import uuid
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any, NamedTuple

import sqlalchemy as sa
from sqlalchemy.orm import Session

from pokja.models.base import AnySelect
from pokja.time.calendar import PokjaCalendar
from pokja.time.catalogue import Clock, Settings


class KnownAgency(NamedTuple):
    """One of a Pokja's agencies as the deadline sources need it (who acts, who decides)."""

    id: uuid.UUID
    kind: str
    active: bool


@dataclass(frozen=True)
class PokjaClocks:
    """One Pokja's calendar and clock settings, and the last local day worth listing.

    ``agencies``: the Pokja's agencies, oldest first, when the caller has them already (a
    request's :class:`pokja.cases.facts.PokjaFacts`); otherwise the sources read them."""

    calendar: PokjaCalendar
    settings: Settings
    until: date
    agencies: tuple[KnownAgency, ...] | None = None


@dataclass(frozen=True, order=True)
class DueKey:
    """An item's place in the deadline list: by due instant, then kind, then id (a keyset
    cursor: overdue items come first because they fall due first)."""

    due_at: datetime
    kind: str
    item_id: uuid.UUID


@dataclass(frozen=True)
class DueScope:
    """Whose deadlines, up to when.

    ``pokjas``: the Pokjas asked about (one for ``/deadlines``, every active one for the
    reminder pass). ``agency_id``/``agency_kind``: the agency whose items to list (None: the
    whole Pokja). ``cases``: the condition on ``cases`` rows the caller may see (None: the
    system's own pass). ``overdue``: only overdue items (True), only the others (False).
    ``after``: only the items after this one (the next page); ``limit``: at most this many
    items of each source, the first ones in :class:`DueKey` order. ``since``: only the items
    falling due at or after this instant (an agenda's deadlines from its meeting's start;
    None: every open item, overdue ones included, as ``/deadlines`` and the reminders list).
    """

    now: datetime
    pokjas: Mapping[uuid.UUID, PokjaClocks]
    agency_id: uuid.UUID | None = None
    agency_kind: str | None = None
    cases: sa.ColumnElement[bool] | None = None
    overdue: bool | None = None
    limit: int | None = None
    after: DueKey | None = None
    since: datetime | None = None

    def only_one(self) -> PokjaClocks:
        """The Pokja's clocks when the scope is one Pokja (the overdue filter needs its day)."""
        if len(self.pokjas) != 1:
            raise ValueError("the overdue filter applies to the deadlines of one Pokja")
        return next(iter(self.pokjas.values()))


@dataclass(frozen=True)
class Due:
    """One open item's deadline.

    ``agency_id`` is the agency the item is listed for; ``acting_agency_ids`` must act (and
    are reminded); ``waiting_agency_id`` waits for them and is told too once it has passed.
    """

    kind: str
    item_id: uuid.UUID
    pokja_id: uuid.UUID
    # None for an item of the Pokja rather than of a case (a meeting decision without one).
    case_id: uuid.UUID | None
    register_number: str | None
    # A catalogue clock, or the name of a source that runs on none (``meeting_decision``).
    clock: Clock | str
    due_at: datetime
    unit: str
    agency_id: uuid.UUID
    acting_agency_ids: tuple[uuid.UUID, ...]
    waiting_agency_id: uuid.UUID | None = None
    payload: Mapping[str, Any] = field(default_factory=dict)


Source = Callable[[Session, DueScope], list["Due"]]


def key_of(item: Due) -> DueKey:
    return DueKey(item.due_at, item.kind, item.item_id)


def after_cursor(
    scope: DueScope, kind: str, due: Any, item_id: Any, value: Any = None, ties: bool = True
) -> sa.ColumnElement[bool]:
    """The rows of one source (``kind``) after the scope's cursor, in :class:`DueKey` order.

    ``due`` is the column the source orders by; ``value`` the cursor's due instant in that
    column's terms (default: the instant itself). ``ties`` False: rows whose column equals
    ``value`` fall due strictly after the cursor (a due day whose end is later than it).
    """
    cursor = scope.after
    if cursor is None:
        return sa.true()
    value = cursor.due_at if value is None else value
    if not ties or kind > cursor.kind:
        return sa.and_(due >= value)
    if kind < cursor.kind:
        return sa.and_(due > value)
    return sa.or_(due > value, sa.and_(due == value, item_id > cursor.item_id))


def bounded(scope: DueScope, stmt: AnySelect, *order: Any) -> AnySelect:
    stmt = stmt.order_by(*order)
    if scope.cases is not None:
        stmt = stmt.where(scope.cases)
    return stmt.limit(scope.limit) if scope.limit else stmt


def last_instant(scope: DueScope) -> datetime:
    """The end of the latest listed day of any Pokja in the scope (exact for one Pokja; the
    rows of the others are trimmed by :func:`within`)."""
    return max(p.calendar.end_of(p.until) for p in scope.pokjas.values())


def within(scope: DueScope, pokja_id: uuid.UUID, due_at: datetime) -> bool:
    """Whether ``due_at`` falls in the scope: by its Pokja's last listed day, not before
    ``since``."""
    clocks = scope.pokjas[pokja_id]
    if scope.since is not None and due_at < scope.since:
        return False
    return clocks.calendar.local_date(due_at) <= clocks.until


def since_condition(scope: DueScope, due: Any) -> sa.ColumnElement[bool]:
    """SQL over a column of due instants: at or after the scope's ``since`` (true without)."""
    return sa.true() if scope.since is None else sa.and_(due >= scope.since)


def since_day_condition(scope: DueScope, due_on: Any) -> sa.ColumnElement[bool]:
    """SQL over a column of due *days* (a deadline ends at the end of its day): on or after
    ``since``'s day in the earliest zone of the scope, so that no day ending at or after
    ``since`` is missed (:func:`within` then tests each item's instant exactly)."""
    if scope.since is None:
        return sa.true()
    since = scope.since
    return sa.and_(due_on >= min(p.calendar.local_date(since) for p in scope.pokjas.values()))


def overdue_filter(
    scope: DueScope, stmt: AnySelect, late: Callable[[], sa.ColumnElement[bool]]
) -> AnySelect:
    """Keep only the overdue rows, or only the others, when the scope asks (``late()``: the
    source's overdue test, built only then; the overdue filter lists one Pokja)."""
    if scope.overdue is None:
        return stmt
    return stmt.where(late() if scope.overdue else sa.not_(late()))
