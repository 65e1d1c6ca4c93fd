"""Cases (dugaan pelanggaran) and what hangs off them: subjects, reporter, evidence, external
reference numbers and violation types (DESIGN §3)."""

from __future__ import annotations

import uuid
from datetime import date, datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from pokja.models.base import Base, IdMixin, TimestampMixin, VersionedMixin, string_enum, utcnow

CASE_SOURCES = ("finding", "report", "complaint_post", "referral")
CASE_CATEGORIES = ("neutrality", "administrative", "election_crime", "other_law")
ELECTION_KINDS = ("pemilu", "pilkada")
STAGES = ("received", "examination", "recommended", "forwarded", "decided", "dismissed", "closed")
# DESIGN §3: not_registered = late, or formal/material requirements unmet.
DISMISSAL_REASONS = (
    "not_registered",
    "not_a_violation",
    "insufficient_evidence",
    "withdrawn",
    "stopped",
)
SUBJECT_TYPES = ("pns", "pppk", "non_asn", "tni", "polri", "village_head", "village_official")
EVIDENCE_KINDS = ("document", "photo", "video", "audio", "screenshot", "link", "other")
EXTERNAL_SYSTEMS = ("SIGAPLAPOR", "LAPOR", "BKN", "OTHER")

# PP 94/2021 art. 5 n and the 2022 joint decree (SKB) on ASN neutrality (DESIGN §6):
# code -> (Indonesian label, English label).
VIOLATION_TYPES: dict[str, tuple[str, str]] = {
    "campaigning": ("Berkampanye atau menjadi tim kampanye", "Campaigning or campaign official"),
    "campaign_attributes": (
        "Kampanye dengan atribut partai atau atribut PNS",
        "Campaigning with party or civil-service attributes",
    ),
    "mobilising_staff": ("Mengerahkan ASN lain", "Mobilising other civil servants"),
    "state_facilities": ("Menggunakan fasilitas negara", "Using state facilities"),
    "partisan_decision": (
        "Keputusan/tindakan yang menguntungkan atau merugikan peserta",
        "Decisions or actions that benefit or harm a candidate",
    ),
    "partisan_activity": (
        "Kegiatan keberpihakan atau pemberian barang",
        "Partisan activities or gifts",
    ),
    "id_card_support": ("Memberikan fotokopi KTP sebagai dukungan", "ID-card copy as support"),
    "banners_posters": ("Memasang spanduk atau baliho", "Banners or posters"),
    "social_media": (
        "Unggah, komentar, bagikan, suka, ikuti di media sosial",
        "Social-media engagement (post, comment, share, like, follow)",
    ),
    "partisan_gesture_photo": ("Foto dengan gestur keberpihakan", "Photos with partisan gestures"),
    "declaration_attendance": ("Menghadiri deklarasi", "Attending a declaration"),
    "party_membership": (
        "Mendekati atau menjadi anggota partai politik",
        "Approaching or joining a party",
    ),
    "campaign_consultant": ("Menjadi konsultan kampanye", "Acting as a campaign consultant"),
    "other": ("Lainnya", "Other"),
}


class Case(IdMixin, TimestampMixin, VersionedMixin, Base):
    """A case (dugaan pelanggaran): one alleged breach, held by exactly one agency."""

    __tablename__ = "cases"
    __table_args__ = (
        sa.UniqueConstraint("pokja_id", "register_number"),
        # The sequence behind the number is unique too, whatever format the Pokja chose.
        sa.UniqueConstraint("pokja_id", "register_kind", "register_year", "register_seq"),
        sa.CheckConstraint(
            "stage <> 'dismissed' OR dismissal_reason IS NOT NULL", name="dismissal_has_reason"
        ),
        # The case list: one Pokja's cases in keyset order, whole or narrowed by stage or
        # holder (the filters a liaison's and a dashboard's lists use most); read backwards
        # for the newest-first default. Proved with EXPLAIN in bench/explain.py.
        sa.Index("ix_cases_pokja_registered", "pokja_id", "registered_at", "id"),
        sa.Index("ix_cases_pokja_updated", "pokja_id", "updated_at", "id"),
        sa.Index("ix_cases_pokja_stage_registered", "pokja_id", "stage", "registered_at", "id"),
        sa.Index(
            "ix_cases_pokja_holder_registered",
            "pokja_id",
            "holder_agency_id",
            "registered_at",
            "id",
        ),
        # The harness's (and a dashboard's) list by stage and holder at once.
        sa.Index(
            "ix_cases_pokja_stage_holder_registered",
            "pokja_id",
            "stage",
            "holder_agency_id",
            "registered_at",
            "id",
        ),
        # The statistics' groupings and filters within one Pokja (DESIGN §8, bench/run.py
        # --stats): each dimension after the Pokja, registration last for the date range.
        sa.Index("ix_cases_pokja_category_registered", "pokja_id", "category", "registered_at"),
        sa.Index("ix_cases_pokja_election_registered", "pokja_id", "election", "registered_at"),
        sa.Index("ix_cases_pokja_source_registered", "pokja_id", "source", "registered_at"),
        sa.Index("ix_cases_pokja_kecamatan_registered", "pokja_id", "kecamatan", "registered_at"),
    )

    pokja_id: Mapped[uuid.UUID] = mapped_column(sa.ForeignKey("pokjas.id"), index=True)
    register_number: Mapped[str] = mapped_column(sa.String(80))
    register_kind: Mapped[str] = mapped_column(sa.String(8))
    register_year: Mapped[int]
    register_seq: Mapped[int]
    source: Mapped[str] = mapped_column(string_enum("case_source", CASE_SOURCES), index=True)
    category: Mapped[str] = mapped_column(string_enum("case_category", CASE_CATEGORIES), index=True)
    election: Mapped[str] = mapped_column(sa.String(40), index=True)
    election_kind: Mapped[str] = mapped_column(
        string_enum("election_kind", ELECTION_KINDS, 16), index=True
    )
    occurred_on: Mapped[date | None] = mapped_column(index=True)
    discovered_on: Mapped[date | None]
    registered_at: Mapped[datetime] = mapped_column(default=utcnow, index=True)
    # The Pokja's clock overrides when the case was registered (DESIGN §6: a later settings
    # change applies to later cases); NULL only for a row written without registration.
    clock_settings: Mapped[dict[str, Any] | None] = mapped_column(sa.JSON)
    kecamatan: Mapped[str | None] = mapped_column(sa.String(100), index=True)
    desa: Mapped[str | None] = mapped_column(sa.String(100))
    title: Mapped[str] = mapped_column(sa.String(300))
    summary: Mapped[str] = mapped_column(sa.Text, default="")
    stage: Mapped[str] = mapped_column(string_enum("case_stage", STAGES), index=True)
    dismissal_reason: Mapped[str | None] = mapped_column(
        string_enum("dismissal_reason", DISMISSAL_REASONS)
    )
    holder_agency_id: Mapped[uuid.UUID] = mapped_column(sa.ForeignKey("agencies.id"), index=True)
    created_by_id: Mapped[uuid.UUID | None] = mapped_column(sa.ForeignKey("users.id"), index=True)

    subjects: Mapped[list[Subject]] = relationship(
        back_populates="case", lazy="raise", cascade="all, delete-orphan", order_by="Subject.seq"
    )
    reporter: Mapped[Reporter | None] = relationship(
        back_populates="case", lazy="raise", cascade="all, delete-orphan"
    )
    evidence: Mapped[list[Evidence]] = relationship(
        back_populates="case", lazy="raise", cascade="all, delete-orphan"
    )
    external_refs: Mapped[list[ExternalRef]] = relationship(
        back_populates="case", lazy="raise", cascade="all, delete-orphan"
    )
    violation_type_links: Mapped[list[CaseViolationType]] = relationship(
        lazy="raise", cascade="all, delete-orphan", order_by="CaseViolationType.code"
    )

    @property
    def violation_types(self) -> list[str]:
        """The violation type codes (needs ``violation_type_links`` loaded)."""
        return [link.code for link in self.violation_type_links]


# A holder belongs to one Pokja, so PostgreSQL's default estimate of "this Pokja and this
# holder" (the product of the two) is a few rows where there are hundreds, and the list by
# holder sorted every matching case instead of reading its index backwards. Functional
# dependency statistics correct it (migration 0013_list_indexes; SQLite has no planner
# statistics of this kind).
CASES_POKJA_HOLDER_STATISTICS = "st_cases_pokja_holder"
sa.event.listen(
    Case.__table__,
    "after_create",
    sa.DDL(
        f"CREATE STATISTICS {CASES_POKJA_HOLDER_STATISTICS} (dependencies)"
        " ON pokja_id, holder_agency_id FROM cases"
    ).execute_if(dialect="postgresql"),
)


class CaseViolationType(Base):
    """One violation type of a case: a child row so that filtering by type is plain SQL on
    every database (a JSON list would need dialect-specific operators)."""

    __tablename__ = "case_violation_types"

    case_id: Mapped[uuid.UUID] = mapped_column(sa.ForeignKey("cases.id"), primary_key=True)
    code: Mapped[str] = mapped_column(
        string_enum("violation_type", tuple(VIOLATION_TYPES), 32), primary_key=True, index=True
    )


class Subject(IdMixin, TimestampMixin, Base):
    """A subject (terlapor): the person the case is about. Personal data (DESIGN §5)."""

    __tablename__ = "subjects"
    # Counting and filtering cases by subject type (the statistics, the case list).
    __table_args__ = (sa.Index("ix_subjects_case_type", "case_id", "subject_type"),)

    case_id: Mapped[uuid.UUID] = mapped_column(sa.ForeignKey("cases.id"), index=True)
    # Keeps the order the subjects were entered in (a report may name 34 of them).
    seq: Mapped[int] = mapped_column(default=0)
    name: Mapped[str] = mapped_column(sa.String(200))
    # NIP (civil servants), NRP (TNI/Polri) or NIK (anyone else).
    identifier: Mapped[str | None] = mapped_column(sa.String(40), index=True)
    subject_type: Mapped[str] = mapped_column(
        string_enum("subject_type", SUBJECT_TYPES), index=True
    )
    position: Mapped[str | None] = mapped_column(sa.String(200))
    employer_unit: Mapped[str | None] = mapped_column(sa.String(200))

    case: Mapped[Case] = relationship(back_populates="subjects", lazy="raise")


class Reporter(IdMixin, TimestampMixin, Base):
    """The reporter (pelapor); visible to Bawaslu and coordinators only (DESIGN §5)."""

    __tablename__ = "reporters"
    __table_args__ = (
        sa.CheckConstraint("anonymous OR name IS NOT NULL", name="named_unless_anonymous"),
    )

    case_id: Mapped[uuid.UUID] = mapped_column(sa.ForeignKey("cases.id"), unique=True)
    name: Mapped[str | None] = mapped_column(sa.String(200))
    contact: Mapped[str | None] = mapped_column(sa.String(200))
    anonymous: Mapped[bool] = mapped_column(default=False)

    case: Mapped[Case] = relationship(back_populates="reporter", lazy="raise")


class Evidence(IdMixin, Base):
    """Evidence: a link or a stored file with its SHA-256 and size. Never deleted (DESIGN §3)."""

    __tablename__ = "evidence"
    __table_args__ = (
        sa.CheckConstraint("url IS NOT NULL OR file_path IS NOT NULL", name="has_location"),
    )

    case_id: Mapped[uuid.UUID] = mapped_column(sa.ForeignKey("cases.id"), index=True)
    description: Mapped[str] = mapped_column(sa.Text)
    kind: Mapped[str] = mapped_column(string_enum("evidence_kind", EVIDENCE_KINDS, 16))
    url: Mapped[str | None] = mapped_column(sa.String(2000))
    file_path: Mapped[str | None] = mapped_column(sa.String(500))
    sha256: Mapped[str | None] = mapped_column(sa.String(64), index=True)
    size_bytes: Mapped[int | None] = mapped_column(sa.BigInteger)
    added_by_id: Mapped[uuid.UUID | None] = mapped_column(sa.ForeignKey("users.id"), index=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    case: Mapped[Case] = relationship(back_populates="evidence", lazy="raise")


class ExternalRef(IdMixin, Base):
    """A number the case carries in another system, so that it is never counted twice."""

    __tablename__ = "external_refs"
    __table_args__ = (sa.UniqueConstraint("pokja_id", "system", "reference"),)

    pokja_id: Mapped[uuid.UUID] = mapped_column(sa.ForeignKey("pokjas.id"), index=True)
    case_id: Mapped[uuid.UUID] = mapped_column(sa.ForeignKey("cases.id"), index=True)
    system: Mapped[str] = mapped_column(string_enum("external_system", EXTERNAL_SYSTEMS, 16))
    reference: Mapped[str] = mapped_column(sa.String(100), index=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    case: Mapped[Case] = relationship(back_populates="external_refs", lazy="raise")
