"""The shape of a deadline question and its answers (:mod:`pokja.time.sources`): whose
deadlines, up to which day of which Pokja, and each open item's due instant, unit and
agencies, with the SQL helpers every source shares."""

from __future__ import annotations

import uuid
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Session

from pokja.models.base import AnySelect
from pokja.time.calendar import PokjaCalendar
from pokja.time.catalogue import Clock, Settings


@dataclass(frozen=True)
class PokjaClocks:
    """One Pokja's calendar and clock settings, and the last local day worth listing."""

    calendar: PokjaCalendar
    settings: Settings
    until: date


@dataclass(frozen=True)
class DueScope:
    """Whose deadlines, up to when.

    ``pokjas``: the Pokjas asked about (one for ``/deadlines``, every active one for the
    reminder pass). ``agency_id``/``agency_kind``: the agency whose items to list (None: the
    whole Pokja). ``cases``: the condition on ``cases`` rows the caller may see (None: the
    system's own pass). ``overdue``: only overdue items (True), only the others (False).
    """

    now: datetime
    pokjas: Mapping[uuid.UUID, PokjaClocks]
    agency_id: uuid.UUID | None = None
    agency_kind: str | None = None
    cases: sa.ColumnElement[bool] | None = None
    overdue: bool | None = None
    limit: int | None = None

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
    clocks = scope.pokjas[pokja_id]
    return clocks.calendar.local_date(due_at) <= clocks.until


def overdue_filter(
    scope: DueScope, stmt: AnySelect, late: Callable[[], sa.ColumnElement[bool]]
) -> AnySelect:
    """Keep only the overdue rows, or only the others, when the scope asks (``late()``: the
    source's overdue test, built only then; the overdue filter lists one Pokja)."""
    if scope.overdue is None:
        return stmt
    return stmt.where(late() if scope.overdue else sa.not_(late()))
