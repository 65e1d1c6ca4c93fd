"""The demo Pokja: Kabupaten Bengkulu Selatan with its six agencies and a user per role.

Seeding is idempotent: what exists (by name or username) is left alone, so ``pokja demo`` can
be run again and again.
"""

from __future__ import annotations

from dataclasses import dataclass

import sqlalchemy as sa
from sqlalchemy.orm import Session

from pokja import directory
from pokja.models import Agency, Pokja, User

DEMO_POKJA = {
    "name": "Pokja Netralitas ASN, TNI dan Polri Kabupaten Bengkulu Selatan",
    "region_code": "17.01",
    "region_name": "Kabupaten Bengkulu Selatan",
    "level": "kabupaten",
    "timezone": "Asia/Jakarta",
    "locale": "id",
}

DEMO_AGENCIES = (
    ("BAWASLU", "Bawaslu Kabupaten Bengkulu Selatan"),
    ("BKDPSDM", "BKPSDM Kabupaten Bengkulu Selatan"),
    ("INSPEKTORAT", "Inspektorat Kabupaten Bengkulu Selatan"),
    ("KEJARI", "Kejaksaan Negeri Bengkulu Selatan"),
    ("TNI", "Kodim 0408/Bengkulu Selatan"),
    ("POLRI", "Polres Bengkulu Selatan"),
    ("BKN", "Badan Kepegawaian Negara"),
    ("PPK", "Bupati Bengkulu Selatan (Pejabat Pembina Kepegawaian)"),
)

# (username, display name, role, agency kind or None)
DEMO_USERS = (
    ("admin", "Administrator Sistem", "admin", None),
    ("coordinator", "Hendri Saputra (Koordinator Pokja)", "coordinator", "BAWASLU"),
    ("secretary", "Yuliana Sari (Sekretaris Rakor)", "secretary", "BAWASLU"),
    ("viewer", "Dasbor Pemantauan", "viewer", None),
    ("bawaslu", "Rina Marlina (Bawaslu)", "liaison", "BAWASLU"),
    ("bkdpsdm", "Agus Salim (BKPSDM)", "liaison", "BKDPSDM"),
    ("inspektorat", "Desi Ratnasari (Inspektorat)", "liaison", "INSPEKTORAT"),
    ("kejari", "Fajar Nugroho, S.H. (Kejari)", "liaison", "KEJARI"),
    ("tni", "Kapten Inf. Andi Wijaya (Kodim 0408)", "liaison", "TNI"),
    ("polri", "AKP Budi Santoso (Polres)", "liaison", "POLRI"),
)


@dataclass(frozen=True)
class DemoLogin:
    username: str
    role: str
    agency: str | None


def seed_demo(session: Session, password: str) -> list[DemoLogin]:
    """Create (or complete) the demo Pokja; return the logins it offers."""
    pokja = session.scalar(sa.select(Pokja).where(Pokja.name == DEMO_POKJA["name"]))
    if pokja is None:
        pokja = directory.create_pokja(session, None, dict(DEMO_POKJA))
    agencies: dict[str, Agency] = {}
    for kind, name in DEMO_AGENCIES:
        agency = session.scalar(
            sa.select(Agency).where(Agency.pokja_id == pokja.id, Agency.name == name)
        )
        if agency is None:
            agency = directory.create_agency(
                session, None, {"pokja_id": pokja.id, "kind": kind, "name": name}
            )
        agencies[kind] = agency
    logins = []
    for username, display_name, role, agency_kind in DEMO_USERS:
        if session.scalar(sa.select(User.id).where(User.username == username)) is None:
            directory.create_user(
                session,
                None,
                {
                    "username": username,
                    "display_name": display_name,
                    "password": password,
                    "role": role,
                    "pokja_id": None if role == "admin" else pokja.id,
                    "agency_id": agencies[agency_kind].id if agency_kind else None,
                },
            )
        logins.append(DemoLogin(username, role, agency_kind))
    return logins
