"""Pokja (working group) and its member or outside agencies."""

from __future__ import annotations

import uuid
from datetime import date
from typing import TYPE_CHECKING, Any

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from pokja.models.base import Base, IdMixin, TimestampMixin, VersionedMixin, string_enum

if TYPE_CHECKING:
    from pokja.models.settings import PokjaDay

POKJA_LEVELS = ("kabupaten", "kota", "provinsi", "nasional")
# The four zones Indonesia uses; WIB has two IANA names.
POKJA_TIMEZONES = ("Asia/Jakarta", "Asia/Pontianak", "Asia/Makassar", "Asia/Jayapura")

# The six member agencies of a Pokja (DESIGN §1) ...
MEMBER_AGENCY_KINDS = ("BAWASLU", "BKDPSDM", "INSPEKTORAT", "KEJARI", "TNI", "POLRI")
# ... and outside authorities that receive recommendations without being members: KASN until
# 24 August 2024 (UU 20/2023), BKN after it, the staffing authority (PPK, the regent or mayor).
OUTSIDE_AGENCY_KINDS = ("KASN", "BKN", "PPK", "OTHER")
AGENCY_KINDS = MEMBER_AGENCY_KINDS + OUTSIDE_AGENCY_KINDS


class Pokja(IdMixin, TimestampMixin, VersionedMixin, Base):
    """A regency's or city's working group on the neutrality of ASN, TNI and Polri."""

    __tablename__ = "pokjas"

    name: Mapped[str] = mapped_column(sa.String(200), unique=True)
    # Region codes are opaque strings: Bawaslu's own codes differ from the Home Ministry's.
    region_code: Mapped[str] = mapped_column(sa.String(32))
    region_name: Mapped[str] = mapped_column(sa.String(200))
    level: Mapped[str] = mapped_column(string_enum("pokja_level", POKJA_LEVELS, 16))
    timezone: Mapped[str] = mapped_column(
        string_enum("pokja_timezone", POKJA_TIMEZONES, 32), default="Asia/Jakarta"
    )
    locale: Mapped[str] = mapped_column(sa.String(16), default="id")
    active: Mapped[bool] = mapped_column(default=True)
    # Register number format (pokja.cases.register); NULL means Bawaslu's own form.
    register_format: Mapped[str | None] = mapped_column(sa.String(200))
    # Deadline settings (DESIGN §6), validated by pokja.time.catalogue.validate_overrides and
    # pokja.followup.tracks; only what differs from the defaults in code is stored.
    clock_overrides: Mapped[dict[str, Any]] = mapped_column(
        sa.JSON, default=dict, server_default=sa.text("'{}'")
    )
    violation_tracks: Mapped[dict[str, Any]] = mapped_column(
        sa.JSON, default=dict, server_default=sa.text("'{}'")
    )

    agencies: Mapped[list[Agency]] = relationship(back_populates="pokja", lazy="raise")
    # The days it declares off or working (pokja.time.settings.calendar_for reads them).
    declared_days: Mapped[list[PokjaDay]] = relationship(lazy="raise", order_by="PokjaDay.day")


class Agency(IdMixin, TimestampMixin, VersionedMixin, Base):
    """An agency of a Pokja, or an outside authority addressed by recommendations."""

    __tablename__ = "agencies"
    __table_args__ = (
        sa.UniqueConstraint("pokja_id", "name"),
        # A Pokja's agencies of a kind (its Bawaslu, who may hold a case next).
        sa.Index("ix_agencies_pokja_kind", "pokja_id", "kind"),
    )

    pokja_id: Mapped[uuid.UUID] = mapped_column(sa.ForeignKey("pokjas.id"), index=True)
    kind: Mapped[str] = mapped_column(string_enum("agency_kind", AGENCY_KINDS, 16), index=True)
    name: Mapped[str] = mapped_column(sa.String(200))
    # Outside authorities come and go by law (KASN was dissolved in 2024).
    valid_from: Mapped[date | None]
    valid_to: Mapped[date | None]
    active: Mapped[bool] = mapped_column(default=True)

    pokja: Mapped[Pokja] = relationship(back_populates="agencies", lazy="raise")

    @property
    def is_member(self) -> bool:
        return self.kind in MEMBER_AGENCY_KINDS
