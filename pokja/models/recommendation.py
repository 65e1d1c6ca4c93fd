"""Recommendations (rekomendasi), their escalations and the sanctions decided on them
(DESIGN §3, §6)."""

from __future__ import annotations

import datetime as dt
import uuid

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from pokja.models.base import (
    DAY_UNITS,
    Base,
    IdMixin,
    TimestampMixin,
    VersionedMixin,
    string_enum,
    utcnow,
)
from pokja.models.case import Case
from pokja.models.pokja import Pokja

RECOMMENDATION_STATUSES = ("issued", "followed_up", "rejected")
# The codes of the lists in pokja.followup.sanctions, which labels and checks them (a test
# there asserts that both name the same codes).
ESCALATION_KINDS = ("reminder", "request_data_block", "report_to_ministry", "other")
SANCTION_LEVELS = ("light", "moderate", "severe", "moral", "none")
SANCTION_KINDS = (
    # PP 94/2021 (civil servants) and PP 42/2004 (moral sanctions)
    "oral_reprimand",
    "written_reprimand",
    "written_dissatisfaction",
    "allowance_cut_6m",
    "allowance_cut_9m",
    "allowance_cut_12m",
    "demotion_12m",
    "non_managerial_post_12m",
    "honourable_dismissal",
    "moral_closed",
    "moral_public",
    # non-ASN contracts
    "contract_warning",
    "contract_final_warning",
    "contract_termination",
    # UU 25/2014 (TNI)
    "tni_reprimand",
    "tni_light_detention",
    "tni_heavy_detention",
    # PP 2/2003 and Perpol 7/2022 (Polri)
    "polri_written_reprimand",
    "polri_training_postponed",
    "polri_pay_rise_postponed",
    "polri_promotion_postponed",
    "polri_demotion_transfer",
    "polri_release_from_post",
    "polri_special_placement",
    "polri_ethics_reproach",
    "polri_dishonourable_dismissal",
    # UU 6/2014 (villages)
    "village_reprimand",
    "village_temporary_suspension",
    "village_head_dismissal",
    "village_official_dismissal",
    "no_sanction",
)


class Recommendation(IdMixin, TimestampMixin, VersionedMixin, Base):
    """A recommendation (rekomendasi) from the case's holder to the authority that decides."""

    __tablename__ = "recommendations"
    __table_args__ = (
        sa.CheckConstraint(
            "status = 'issued' OR completed_at IS NOT NULL", name="completion_has_time"
        ),
        sa.CheckConstraint(
            "status <> 'rejected' OR reasons IS NOT NULL", name="rejection_has_reasons"
        ),
        # Compliance per addressee (DESIGN §8).
        sa.Index(
            "ix_recommendations_pokja_addressee_status", "pokja_id", "addressee_agency_id", "status"
        ),
    )

    pokja_id: Mapped[uuid.UUID] = mapped_column(sa.ForeignKey("pokjas.id"), index=True)
    case_id: Mapped[uuid.UUID] = mapped_column(sa.ForeignKey("cases.id"), index=True)
    issuing_agency_id: Mapped[uuid.UUID] = mapped_column(sa.ForeignKey("agencies.id"), index=True)
    # A Pokja agency or an outside authority (KASN, BKN, the PPK).
    addressee_agency_id: Mapped[uuid.UUID] = mapped_column(sa.ForeignKey("agencies.id"), index=True)
    number: Mapped[str] = mapped_column(sa.String(100))
    date: Mapped[dt.date]
    # When the addressee received the letter, if recorded: its follow-up clock runs from
    # then, otherwise from the letter's date (DESIGN §6).
    received_on: Mapped[dt.date | None]
    text: Mapped[str] = mapped_column(sa.Text)
    issued_at: Mapped[dt.datetime] = mapped_column(index=True)
    # Computed once from the Pokja's clock when issued: a later settings change never moves it.
    follow_up_due_at: Mapped[dt.datetime] = mapped_column(index=True)
    due_unit: Mapped[str] = mapped_column(string_enum("recommendation_due_unit", DAY_UNITS, 16))
    status: Mapped[str] = mapped_column(
        string_enum("recommendation_status", RECOMMENDATION_STATUSES, 16),
        default="issued",
        index=True,
    )
    issued_by_id: Mapped[uuid.UUID | None] = mapped_column(sa.ForeignKey("users.id"), index=True)
    completed_at: Mapped[dt.datetime | None] = mapped_column(index=True)
    completed_by_id: Mapped[uuid.UUID | None] = mapped_column(sa.ForeignKey("users.id"), index=True)
    # Followed up: what was done; rejected: why (required).
    outcome_note: Mapped[str | None] = mapped_column(sa.Text)
    reasons: Mapped[str | None] = mapped_column(sa.Text)
    # Recorded at completion (DESIGN §3): on time, or late by this many working days.
    on_time: Mapped[bool | None]
    late_working_days: Mapped[int | None]

    case: Mapped[Case] = relationship(lazy="raise")
    # Its time zone and calendar say how many days are left.
    pokja: Mapped[Pokja] = relationship(lazy="raise")
    escalations: Mapped[list[Escalation]] = relationship(
        lazy="raise",
        back_populates="recommendation",
        order_by="(Escalation.created_at, Escalation.id)",
    )


class Escalation(IdMixin, Base):
    """The next step when the addressee does not act: a reminder letter, a request to BKN to
    block the civil servant's personnel data, a report to the Ministry (DESIGN §3)."""

    __tablename__ = "escalations"

    pokja_id: Mapped[uuid.UUID] = mapped_column(sa.ForeignKey("pokjas.id"), index=True)
    recommendation_id: Mapped[uuid.UUID] = mapped_column(
        sa.ForeignKey("recommendations.id"), index=True
    )
    case_id: Mapped[uuid.UUID] = mapped_column(sa.ForeignKey("cases.id"), index=True)
    kind: Mapped[str] = mapped_column(
        string_enum("escalation_kind", ESCALATION_KINDS, 32), index=True
    )
    letter_number: Mapped[str] = mapped_column(sa.String(100))
    date: Mapped[dt.date]
    received_on: Mapped[dt.date | None]
    addressee: Mapped[str] = mapped_column(sa.String(200))
    text: Mapped[str] = mapped_column(sa.Text, default="")
    due_at: Mapped[dt.datetime] = mapped_column(index=True)
    due_unit: Mapped[str] = mapped_column(string_enum("escalation_due_unit", DAY_UNITS, 16))
    created_by_id: Mapped[uuid.UUID | None] = mapped_column(sa.ForeignKey("users.id"), index=True)
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow, index=True)

    recommendation: Mapped[Recommendation] = relationship(
        lazy="raise", back_populates="escalations"
    )


class Sanction(IdMixin, Base):
    """A sanction decided on one subject of a case, usually as a recommendation's follow-up."""

    __tablename__ = "sanctions"

    pokja_id: Mapped[uuid.UUID] = mapped_column(sa.ForeignKey("pokjas.id"), index=True)
    case_id: Mapped[uuid.UUID] = mapped_column(sa.ForeignKey("cases.id"), index=True)
    subject_id: Mapped[uuid.UUID] = mapped_column(sa.ForeignKey("subjects.id"), index=True)
    recommendation_id: Mapped[uuid.UUID | None] = mapped_column(
        sa.ForeignKey("recommendations.id"), index=True
    )
    level: Mapped[str] = mapped_column(
        string_enum("sanction_level", SANCTION_LEVELS, 16), index=True
    )
    kind: Mapped[str] = mapped_column(string_enum("sanction_kind", SANCTION_KINDS, 40), index=True)
    decree_number: Mapped[str | None] = mapped_column(sa.String(100))
    decree_date: Mapped[dt.date | None]
    deciding_agency_id: Mapped[uuid.UUID | None] = mapped_column(
        sa.ForeignKey("agencies.id"), index=True
    )
    created_by_id: Mapped[uuid.UUID | None] = mapped_column(sa.ForeignKey("users.id"), index=True)
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow, index=True)
