"""Every code list the API accepts, with Indonesian and English labels (DESIGN §6, §9).

Gathered from where each list lives (models, :mod:`pokja.directory.labels`,
:mod:`pokja.followup.sanctions`, :mod:`pokja.time.catalogue`, :mod:`pokja.cases.stages`) so that
a client never hard-codes one.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from sqlalchemy.orm import Session

from pokja.cases.stages import allowed_next
from pokja.directory import labels
from pokja.followup.sanctions import ESCALATION_KINDS, SANCTION_KINDS, SANCTION_LEVELS
from pokja.followup.tracks import violation_tracks
from pokja.models import VIOLATION_TYPES, Pokja, User
from pokja.time.catalogue import CLOCKS


def _codes(table: Mapping[str, tuple[str, str]]) -> list[dict[str, Any]]:
    return [
        {"code": code, "label_id": lid, "label_en": len_} for code, (lid, len_) in table.items()
    ]


def code_lists_for(session: Session, user: User) -> dict[str, Any]:
    """The lists as ``user`` reads them: with its Pokja's violation-track table."""
    pokja = session.get(Pokja, user.pokja_id) if user.pokja_id else None
    return code_lists(pokja)


def code_lists(pokja: Pokja | None) -> dict[str, Any]:
    """The lists; ``violation_tracks`` is ``pokja``'s table (the defaults without a Pokja)."""
    stages = [{**item, "next": allowed_next(item["code"])} for item in _codes(labels.STAGE_LABELS)]
    sanction_kinds = [
        {
            "code": code,
            "label_id": kind.label_id,
            "label_en": kind.label_en,
            "level": kind.level,
            "subject_types": list(kind.subject_types),
            "legal_basis": kind.legal_basis,
        }
        for code, kind in SANCTION_KINDS.items()
    ]
    clocks = [
        {
            "code": str(code),
            "label_id": spec.label_id,
            "label_en": spec.label_en,
            "starts_from": spec.starts_from,
            "defaults": {
                str(kind): {
                    "length": d.length,
                    "unit": d.unit,
                    "follows": d.follows and str(d.follows),
                }
                for kind, d in spec.defaults.items()
            },
        }
        for code, spec in CLOCKS.items()
    ]
    tracks = violation_tracks(pokja.violation_tracks if pokja is not None else None)
    return {
        "violation_types": _codes(VIOLATION_TYPES),
        "subject_types": _codes(labels.SUBJECT_TYPE_LABELS),
        "case_sources": _codes(labels.CASE_SOURCE_LABELS),
        "case_categories": _codes(labels.CASE_CATEGORY_LABELS),
        "election_kinds": _codes(labels.ELECTION_KIND_LABELS),
        "stages": stages,
        "dismissal_reasons": _codes(labels.DISMISSAL_REASON_LABELS),
        "evidence_kinds": _codes(labels.EVIDENCE_KIND_LABELS),
        "external_systems": _codes(labels.EXTERNAL_SYSTEM_LABELS),
        "agency_kinds": _codes(labels.AGENCY_KIND_LABELS),
        "handoff_purposes": _codes(labels.HANDOFF_PURPOSE_LABELS),
        "handoff_statuses": _codes(labels.HANDOFF_STATUS_LABELS),
        "decline_reasons": _codes(labels.DECLINE_REASON_LABELS),
        "sanction_levels": _codes(SANCTION_LEVELS),
        "sanction_kinds": sanction_kinds,
        "escalation_kinds": _codes(ESCALATION_KINDS),
        "day_units": _codes(labels.DAY_UNIT_LABELS),
        "declared_day_kinds": _codes(labels.POKJA_DAY_KIND_LABELS),
        "clocks": clocks,
        "violation_track_kinds": _codes(labels.VIOLATION_TRACK_LABELS),
        "violation_tracks": [{"violation_type": code, **row} for code, row in tracks.items()],
    }
