"""Small builders for domain tests (no HTTP): cases, handoffs, shares."""

from __future__ import annotations

from typing import Any

from pokja import cases, handoffs
from pokja.extensions import db
from pokja.models import Case, Handoff, User


def case_data(**overrides: Any) -> dict[str, Any]:
    data: dict[str, Any] = {
        "source": "report",
        "category": "neutrality",
        "election": "pemilu-2024",
        "election_kind": "pemilu",
        "title": "Kepala sekolah memberi 'like' pada unggahan calon",
        "summary": "Dilaporkan di posko pengaduan Kecamatan Manna.",
        "kecamatan": "Manna",
        "desa": "Pasar Baru",
        "violation_types": ["social_media"],
        "subjects": [
            {
                "name": "Budi Santoso",
                "identifier": "198001012005011001",
                "subject_type": "pns",
                "position": "Kepala Sekolah",
            }
        ],
        "reporter": {"name": "Siti Aminah", "contact": "0812-0000-0000"},
    }
    data.update(overrides)
    return data


def new_case(world: Any, actor: User | None = None, **overrides: Any) -> Case:
    """A case registered by the Pokja's Bawaslu liaison (or ``actor``)."""
    return cases.create_case(db.session, actor or world.liaisons["BAWASLU"], case_data(**overrides))


def hand_off(
    world: Any, case: Case, to_kind: str = "BKDPSDM", actor: User | None = None, **data: Any
) -> Handoff:
    """Start a handoff of ``case`` from its holder to the Pokja's ``to_kind`` agency."""
    payload = {
        "to_agency_id": world.agencies[to_kind].id,
        "purpose": "follow_up",
        "reason": "Pelanggaran disiplin PNS",
        **data,
    }
    return handoffs.start_handoff(db.session, actor or world.liaisons["BAWASLU"], case, payload)
