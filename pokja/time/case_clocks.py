"""A case's own clocks (DESIGN §6), derived at read time and never written by a job.

- ``decision``: Bawaslu decides within 7 days of registration (pemilu, UU 7/2017 art. 454(7)),
  3 days under pilkada (UU 1/2015 art. 134(5)); it runs while the case is ``received`` or under
  ``examination``, and stops when the case is recommended, forwarded, decided or dismissed.
- ``initial_review``: a report's (or complaints-post report's) initial review, 2 days from
  registration, running while the case is ``received``.
- ``report_window``: for a report, whether it came within the window after the breach became
  known (``discovered_on``); it never runs, it says whether the report was ``late``.

An extension is an explicit action with a reason
(:func:`pokja.cases.clock_extensions.extend_clock`): its due instant is
stored when granted, so a later change of the Pokja's settings never moves it.
"""

from __future__ import annotations

import uuid
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime, time
from typing import Any, Protocol

import sqlalchemy as sa
from sqlalchemy.orm import Session

from pokja.models import Case, CaseClockExtension, Pokja
from pokja.time import clock
from pokja.time.calendar import PokjaCalendar, Unit, is_overdue
from pokja.time.catalogue import CLOCKS, Clock, ElectionKind, Settings, deadline_for
from pokja.time.settings import calendar_for, settings_for

DECISION_STAGES = frozenset({"received", "examination"})


class ClockedCase(Protocol):
    """What a case's clocks are computed from: a :class:`~pokja.models.Case` or a row of the
    case read model (:mod:`pokja.cases.read_model`)."""

    @property
    def election_kind(self) -> str: ...
    @property
    def registered_at(self) -> datetime: ...
    @property
    def source(self) -> str: ...
    @property
    def discovered_on(self) -> date | None: ...
    @property
    def stage(self) -> str: ...


class ExtendedDue(Protocol):
    """What a granted extension fixes: the new due instant and its unit."""

    @property
    def due_at(self) -> datetime: ...
    @property
    def unit(self) -> str: ...


class GrantedExtension(ExtendedDue, Protocol):
    """A clock extension as stored (the model, or the read model's joined columns)."""

    @property
    def id(self) -> uuid.UUID: ...
    @property
    def case_id(self) -> uuid.UUID: ...
    @property
    def clock(self) -> str: ...
    @property
    def extension_clock(self) -> str: ...
    @property
    def length(self) -> int: ...
    @property
    def unit(self) -> str: ...
    @property
    def due_at(self) -> datetime: ...
    @property
    def reason(self) -> str: ...
    @property
    def created_by_id(self) -> uuid.UUID | None: ...
    @property
    def created_at(self) -> datetime: ...


REPORT_SOURCES = frozenset({"report", "complaint_post"})


def extension_view(extension: GrantedExtension) -> dict[str, Any]:
    fields = ("id", "case_id", "clock", "extension_clock", "length", "unit", "due_at", "reason")
    view = {name: getattr(extension, name) for name in fields}
    return {**view, "created_by_id": extension.created_by_id, "created_at": extension.created_at}


@dataclass(frozen=True, slots=True)
class PlannedClock:
    """One of a case's clocks as far as it does not depend on the moment it is read: what
    the view shows (``static``), when it runs out, in which unit, and whether it runs."""

    static: dict[str, Any]
    due_at: datetime
    due_day: date  # the local day due_at falls on
    unit: Unit
    running: bool


def _planned(
    calendar: PokjaCalendar,
    clock: Clock,
    unit: str,
    started_at: datetime,
    due_at: datetime,
    *,
    running: bool,
    late: bool | None = None,
    extension: GrantedExtension | None = None,
) -> PlannedClock:
    spec = CLOCKS[clock]
    static = {
        "clock": str(clock),
        "label_id": spec.label_id,
        "label_en": spec.label_en,
        "started_at": started_at,
        "due_at": due_at.astimezone(calendar.zone),
        "unit": unit,
        "days_left": None,  # as of the moment of reading: clock_views
        "running": running,
        "overdue": False,  # likewise
        "late": late,
        "extension": extension and extension_view(extension),
    }
    due_day = calendar.local_date(due_at)
    return PlannedClock(static, due_at, due_day, unit, running)  # type: ignore[arg-type]


def clock_views(
    calendar: PokjaCalendar, planned: Sequence[PlannedClock], now: datetime
) -> list[dict[str, Any]]:
    """The clocks of :func:`case_clock_plan` as of ``now``: days left and overdue added."""
    views = []
    today = calendar.local_date(now)
    for item in planned:
        running = item.running
        views.append(
            {
                **item.static,
                "days_left": calendar.days_from(today, item.due_day, item.unit)
                if running
                else None,
                "overdue": running and is_overdue(item.due_at, now),
            }
        )
    return views


def decision_deadline(
    calendar: PokjaCalendar,
    settings: Settings,
    case: ClockedCase,
    extension: ExtendedDue | None,
) -> tuple[datetime, str]:
    """When Bawaslu's decision on ``case`` is due, and in which unit: the extension's stored
    instant once granted, else the decision clock from registration."""
    if extension is not None:
        return extension.due_at, extension.unit
    kind = ElectionKind(case.election_kind)
    due = deadline_for(calendar, settings, Clock.DECISION, kind, case.registered_at)
    return due, settings[Clock.DECISION][kind].unit


def case_clock_plan(
    calendar: PokjaCalendar,
    settings: Settings,
    case: ClockedCase,
    extensions: Mapping[str, GrantedExtension],
) -> tuple[PlannedClock, ...]:
    """The case's clocks, whatever the moment: a function of the case's registration,
    source, stage and extensions, the calendar and the settings alone (so a presenter may
    keep it while those stay the same)."""
    kind = ElectionKind(case.election_kind)
    registered = case.registered_at
    planned = []
    if case.source in REPORT_SOURCES and case.discovered_on is not None:
        window = settings[Clock.REPORT_WINDOW][kind]
        known = datetime.combine(case.discovered_on, time(12), tzinfo=calendar.zone)
        due = deadline_for(calendar, settings, Clock.REPORT_WINDOW, kind, known)
        planned.append(
            _planned(
                calendar,
                Clock.REPORT_WINDOW,
                window.unit,
                known,
                due,
                running=False,
                late=registered > due,
            )
        )
    if case.source in REPORT_SOURCES:
        review = settings[Clock.INITIAL_REVIEW][kind]
        due = deadline_for(calendar, settings, Clock.INITIAL_REVIEW, kind, registered)
        planned.append(
            _planned(
                calendar,
                Clock.INITIAL_REVIEW,
                review.unit,
                registered,
                due,
                running=case.stage == "received",
            )
        )
    extension = extensions.get(str(Clock.DECISION))
    due, unit = decision_deadline(calendar, settings, case, extension)
    planned.append(
        _planned(
            calendar,
            Clock.DECISION,
            unit,
            registered,
            due,
            running=case.stage in DECISION_STAGES,
            extension=extension,
        )
    )
    return tuple(planned)


def case_deadlines(
    calendar: PokjaCalendar,
    settings: Settings,
    case: ClockedCase,
    extensions: Mapping[str, GrantedExtension],
    now: datetime,
) -> list[dict[str, Any]]:
    """The case's clocks as of ``now``."""
    return clock_views(calendar, case_clock_plan(calendar, settings, case, extensions), now)


def deadlines_by_case(
    session: Session, cases: Sequence[Case], now: datetime | None = None
) -> dict[uuid.UUID, list[dict[str, Any]]]:
    """Every case's clocks, in a fixed number of statements whatever the number of cases."""
    now = now or clock.now()
    # The Pokjas are usually in the session already (see pokja.cases.presentation); get() is free
    # then, and one statement each otherwise.
    pokjas = {pid: session.get_one(Pokja, pid) for pid in {case.pokja_id for case in cases}}
    extensions: dict[uuid.UUID, dict[str, CaseClockExtension]] = {}
    unloaded = [case.id for case in cases if "clock_extensions" in sa.inspect(case).unloaded]
    loaded = [
        ext
        for case in cases
        if case.id not in unloaded
        for ext in case.clock_extensions  # type: ignore[attr-defined]
    ]
    if unloaded:
        loaded += session.scalars(
            sa.select(CaseClockExtension).where(CaseClockExtension.case_id.in_(unloaded))
        )
    for ext in loaded:
        extensions.setdefault(ext.case_id, {})[ext.clock] = ext
    result = {}
    for case in cases:
        pokja = pokjas[case.pokja_id]
        result[case.id] = case_deadlines(
            calendar_for(session, pokja),
            settings_for(session, pokja, case),
            case,
            extensions.get(case.id, {}),
            now,
        )
    return result
