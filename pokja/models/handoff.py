"""Authority over cases: handoffs (pelimpahan), shares (tembusan) and the authority rules."""

from __future__ import annotations

import uuid
from datetime import date, datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from pokja.models.base import Base, IdMixin, string_enum, utcnow
from pokja.models.case import CASE_CATEGORIES, SUBJECT_TYPES, Case
from pokja.models.pokja import AGENCY_KINDS, Pokja

HANDOFF_PURPOSES = (
    "examination",
    "follow_up",
    "investigation",
    "prosecution",
    "internal_discipline",
    "return",
)
HANDOFF_STATUSES = ("pending", "accepted", "declined", "withdrawn")
DECLINE_REASONS = ("not_our_authority", "incomplete_file", "duplicate", "other")


class Handoff(IdMixin, Base):
    """A handoff (pelimpahan) moves authority over a case to another agency once accepted."""

    __tablename__ = "handoffs"
    __table_args__ = (
        # DESIGN §3: at most one pending handoff per case, enforced by the database.
        sa.Index(
            "uq_handoffs_one_pending_per_case",
            "case_id",
            unique=True,
            postgresql_where=sa.text("status = 'pending'"),
            sqlite_where=sa.text("status = 'pending'"),
        ),
        sa.CheckConstraint("from_agency_id <> to_agency_id", name="not_to_itself"),
        # Handoff statistics per receiving agency; an agency's declined handoffs (action needed).
        sa.Index("ix_handoffs_pokja_to_status", "pokja_id", "to_agency_id", "status"),
        sa.Index("ix_handoffs_from_status", "from_agency_id", "status"),
        # The full-access rule (access/scopes.py): the cases an agency sent or received a
        # handoff of, read as index-only scans (bench/RESULTS.md, "Case list SQL").
        sa.Index("ix_handoffs_from_case", "from_agency_id", "case_id"),
        sa.Index("ix_handoffs_to_case", "to_agency_id", "case_id"),
        sa.CheckConstraint(
            "status <> 'declined' OR decline_reason IS NOT NULL", name="decline_has_reason"
        ),
    )

    pokja_id: Mapped[uuid.UUID] = mapped_column(sa.ForeignKey("pokjas.id"), index=True)
    case_id: Mapped[uuid.UUID] = mapped_column(sa.ForeignKey("cases.id"), index=True)
    from_agency_id: Mapped[uuid.UUID] = mapped_column(sa.ForeignKey("agencies.id"), index=True)
    to_agency_id: Mapped[uuid.UUID] = mapped_column(sa.ForeignKey("agencies.id"), index=True)
    purpose: Mapped[str] = mapped_column(string_enum("handoff_purpose", HANDOFF_PURPOSES))
    reason: Mapped[str] = mapped_column(sa.Text, default="")
    letter_number: Mapped[str | None] = mapped_column(sa.String(100))
    letter_date: Mapped[date | None]
    status: Mapped[str] = mapped_column(
        string_enum("handoff_status", HANDOFF_STATUSES, 16), default="pending", index=True
    )
    # Set by the caller from the Pokja's clocks (DESIGN §6: 3 working days by practice).
    due_on: Mapped[date | None] = mapped_column(index=True)
    decline_reason: Mapped[str | None] = mapped_column(
        string_enum("decline_reason", DECLINE_REASONS)
    )
    decline_text: Mapped[str | None] = mapped_column(sa.Text)
    suggested_agency_id: Mapped[uuid.UUID | None] = mapped_column(
        sa.ForeignKey("agencies.id"), index=True
    )
    # A coordinator's justification for a handoff the authority rules do not allow (DESIGN §4).
    override_justification: Mapped[str | None] = mapped_column(sa.Text)
    created_by_id: Mapped[uuid.UUID | None] = mapped_column(sa.ForeignKey("users.id"), index=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow, index=True)
    # Accepted or declined: by whom and when.
    decided_by_id: Mapped[uuid.UUID | None] = mapped_column(sa.ForeignKey("users.id"), index=True)
    decided_at: Mapped[datetime | None]
    withdrawn_by_id: Mapped[uuid.UUID | None] = mapped_column(sa.ForeignKey("users.id"), index=True)
    withdrawn_at: Mapped[datetime | None]

    case: Mapped[Case] = relationship(lazy="raise")
    # Its time zone says when the handoff becomes overdue (loaded with the handoff to show it).
    pokja: Mapped[Pokja] = relationship(lazy="raise")


class Share(IdMixin, Base):
    """A share (tembusan): read access for another agency, without moving authority."""

    __tablename__ = "shares"
    __table_args__ = (
        sa.Index(
            "uq_shares_one_active_per_agency",
            "case_id",
            "agency_id",
            unique=True,
            postgresql_where=sa.text("revoked_at IS NULL"),
            sqlite_where=sa.text("revoked_at IS NULL"),
        ),
        # The full-access rule: an agency's active shares, an index-only scan.
        sa.Index(
            "ix_shares_agency_case_active",
            "agency_id",
            "case_id",
            postgresql_where=sa.text("revoked_at IS NULL"),
            sqlite_where=sa.text("revoked_at IS NULL"),
        ),
    )

    pokja_id: Mapped[uuid.UUID] = mapped_column(sa.ForeignKey("pokjas.id"), index=True)
    case_id: Mapped[uuid.UUID] = mapped_column(sa.ForeignKey("cases.id"), index=True)
    agency_id: Mapped[uuid.UUID] = mapped_column(sa.ForeignKey("agencies.id"), index=True)
    reason: Mapped[str] = mapped_column(sa.Text, default="")
    granted_by_id: Mapped[uuid.UUID | None] = mapped_column(sa.ForeignKey("users.id"), index=True)
    granted_at: Mapped[datetime] = mapped_column(default=utcnow)
    revoked_by_id: Mapped[uuid.UUID | None] = mapped_column(sa.ForeignKey("users.id"), index=True)
    revoked_at: Mapped[datetime | None] = mapped_column(index=True)


class AuthorityRule(IdMixin, Base):
    """Which agency kind may hold a case, by subject type and category (NULL means any).

    Rules are data per Pokja, editable by its coordinator (DESIGN §4); duplicates are refused
    by the domain code because NULLs never collide in a unique index on either database.
    """

    __tablename__ = "authority_rules"

    pokja_id: Mapped[uuid.UUID] = mapped_column(sa.ForeignKey("pokjas.id"), index=True)
    subject_type: Mapped[str | None] = mapped_column(
        string_enum("rule_subject_type", SUBJECT_TYPES)
    )
    category: Mapped[str | None] = mapped_column(string_enum("rule_category", CASE_CATEGORIES))
    agency_kind: Mapped[str] = mapped_column(string_enum("rule_agency_kind", AGENCY_KINDS, 16))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
