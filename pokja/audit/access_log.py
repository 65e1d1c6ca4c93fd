"""Reads of personal data (DESIGN §3: subject identity, reporter) are logged too."""

from __future__ import annotations

from collections.abc import Iterable

from sqlalchemy.orm import Session

from pokja.audit import events
from pokja.models import Case, User


def record_personal_data_view(
    session: Session, actor: User, case: Case, what: Iterable[str]
) -> None:
    """Log that ``actor`` read personal data of ``case`` (``what``: "subjects", "reporter");
    DESIGN §3: reads of personal data are logged too."""
    events.record(
        session,
        pokja_id=case.pokja_id,
        case_id=case.id,
        actor=actor,
        type=events.PERSONAL_DATA_VIEWED,
        data={"fields": sorted(set(what))},
    )
