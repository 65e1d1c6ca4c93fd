"""A Pokja's own calendar days and a case's clock extensions (DESIGN §6).

The Pokja's clock overrides and violation-track table are JSON columns on ``pokjas`` itself
(see :class:`pokja.models.pokja.Pokja`): they are read whole with the Pokja and validated by
:mod:`pokja.time.catalogue` and :mod:`pokja.followup.tracks`.
"""

from __future__ import annotations

import uuid
from datetime import date, datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, backref, mapped_column, relationship

from pokja.models.base import DAY_UNITS, Base, IdMixin, string_enum, utcnow
from pokja.models.case import Case

# off: cuti bersama, a declared election day; working: a listed holiday (or a swapped weekend)
# the government declares a working day.
POKJA_DAY_KINDS = ("off", "working")
# The clocks of pokja.time.catalogue (DESIGN §6), which asserts that it names the same codes.
CLOCK_CODES = (
    "report_window",
    "initial_review",
    "decision",
    "decision_extension",
    "crime_to_police",
    "police_to_prosecutor",
    "handoff_acceptance",
    "recommendation_follow_up",
    "military_police_investigation",
)


class PokjaDay(IdMixin, Base):
    """A day a Pokja declares off or working, on top of Indonesia's public holidays."""

    __tablename__ = "pokja_days"
    __table_args__ = (sa.UniqueConstraint("pokja_id", "day"),)

    pokja_id: Mapped[uuid.UUID] = mapped_column(sa.ForeignKey("pokjas.id"), index=True)
    day: Mapped[date]
    kind: Mapped[str] = mapped_column(string_enum("pokja_day_kind", POKJA_DAY_KINDS, 16))
    note: Mapped[str] = mapped_column(sa.String(200), default="")
    created_by_id: Mapped[uuid.UUID | None] = mapped_column(sa.ForeignKey("users.id"), index=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class CaseClockExtension(IdMixin, Base):
    """An explicit extension of one of a case's clocks, with its reason (DESIGN §6: extensions
    are events with a reason, never a silent recalculation). The new due instant is stored when
    the extension is granted, so a later settings change never moves it."""

    __tablename__ = "case_clock_extensions"
    # The law grants each extension once (UU 7/2017 art. 454(8), UU 1/2015 art. 134(6)).
    __table_args__ = (sa.UniqueConstraint("case_id", "clock"),)

    pokja_id: Mapped[uuid.UUID] = mapped_column(sa.ForeignKey("pokjas.id"), index=True)
    case_id: Mapped[uuid.UUID] = mapped_column(sa.ForeignKey("cases.id"), index=True)
    # The clock extended (e.g. decision) and the catalogue clock that sets the new length.
    clock: Mapped[str] = mapped_column(string_enum("extended_clock", CLOCK_CODES, 40))
    extension_clock: Mapped[str] = mapped_column(string_enum("extension_clock", CLOCK_CODES, 40))
    length: Mapped[int]
    unit: Mapped[str] = mapped_column(string_enum("extension_unit", DAY_UNITS, 16))
    due_at: Mapped[datetime] = mapped_column(index=True)
    reason: Mapped[str] = mapped_column(sa.Text)
    created_by_id: Mapped[uuid.UUID | None] = mapped_column(sa.ForeignKey("users.id"), index=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    # Case.clock_extensions, declared from this side so the case model need not know it; a page
    # of cases joins them in (pokja.cases.presentation.CASE_LOAD), rare as they are.
    case: Mapped[Case] = relationship(
        lazy="raise", backref=backref("clock_extensions", lazy="raise")
    )
