"""The access log of personal-data reads (DESIGN §3): who read which personal fields of which
case, when. Apart from the change chain, so that a read never waits for a write."""

from __future__ import annotations

import uuid
from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from pokja.models.base import Base, IdMixin


class PersonalDataRead(IdMixin, Base):
    """One read of a case's personal data (subject identity, reporter).

    Appended by the reading request itself, in its own (only) transaction. On purpose without
    foreign keys: PostgreSQL checks one by locking the referenced row (``FOR KEY SHARE``),
    which would make a read wait for a writer holding that case or user; the ids are
    historical references anyway. ``digest_event_id`` is set when the read is digested into
    the Pokja's change chain (:mod:`pokja.audit.access_log`), after which altering, adding or
    removing a row of the digest is detected by ``pokja audit-verify``.
    """

    __tablename__ = "personal_data_reads"
    __table_args__ = (sa.Index("ix_personal_data_reads_pokja_read_at", "pokja_id", "read_at"),)

    pokja_id: Mapped[uuid.UUID]
    case_id: Mapped[uuid.UUID] = mapped_column(index=True)
    user_id: Mapped[uuid.UUID | None] = mapped_column(index=True)
    agency_id: Mapped[uuid.UUID | None]
    read_at: Mapped[datetime]
    # The personal fields shown: "subjects", "reporter".
    fields: Mapped[list[str]] = mapped_column(sa.JSON)
    digest_event_id: Mapped[uuid.UUID | None] = mapped_column(index=True)
