"""How a case is shown to one caller: in full or redacted (DESIGN §5), always with its
``authority`` block (§4).

The decision is :func:`pokja.authority.permissions` (``can_view_full``, ``can_view_reporter``)
fed with the SQL full-access answer, so redaction never re-derives the visibility rule. The
views are plain dicts, built in a fixed number of statements per page whatever its size, so a
handler may commit after presenting without anything being reloaded.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable, Sequence
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Session, joinedload, selectinload

from pokja.access.permissions import permissions
from pokja.access.rules import allowed_agencies_by_case
from pokja.access.scopes import can_see_full
from pokja.errors import NotPermitted
from pokja.models import Agency, Case, Evidence, Handoff, Pokja, Subject, User
from pokja.time.case_clocks import deadlines_by_case

# What a full representation reads; loaded with the case so that a page costs the same
# number of statements for 5 cases as for 200.
CASE_LOAD = (
    selectinload(Case.subjects),
    selectinload(Case.violation_type_links),
    selectinload(Case.external_refs),
    # At most one per clock and rare: joined into the page's own statement.
    joinedload(Case.clock_extensions),  # type: ignore[attr-defined]
)
CASE_DETAIL_LOAD = (*CASE_LOAD, selectinload(Case.reporter))


def agency_ref(agency: Agency) -> dict[str, Any]:
    return {"id": agency.id, "kind": agency.kind, "name": agency.name}


def subject_view(subject: Subject) -> dict[str, Any]:
    fields = ("id", "name", "identifier", "subject_type", "position", "employer_unit")
    return {name: getattr(subject, name) for name in fields}


def evidence_view(evidence: Evidence) -> dict[str, Any]:
    fields = ("id", "description", "kind", "url", "sha256", "size_bytes", "added_by_id")
    view = {name: getattr(evidence, name) for name in fields}
    return {**view, "stored": evidence.file_path is not None, "created_at": evidence.created_at}


@dataclasses.dataclass
class _Context:
    """What the authority blocks of a page of cases need, loaded once for the page."""

    agencies: dict[Any, Agency]
    pending: dict[Any, Handoff]
    allowed: dict[Any, list[Agency]]
    deadlines: dict[Any, list[dict[str, Any]]]

    @classmethod
    def load(cls, session: Session, cases: Sequence[Case], *, deadlines: bool = True) -> _Context:
        ids = [case.id for case in cases]
        pokja_ids = {case.pokja_id for case in cases}
        # The Pokjas and their declared days come along for the deadlines, in the same statement.
        agencies = session.scalars(
            sa.select(Agency)
            .where(Agency.pokja_id.in_(pokja_ids))
            .options(joinedload(Agency.pokja).joinedload(Pokja.declared_days))
        ).unique()
        pending = session.scalars(
            sa.select(Handoff).where(Handoff.case_id.in_(ids), Handoff.status == "pending")
        )
        return cls(
            agencies={agency.id: agency for agency in agencies},
            pending={handoff.case_id: handoff for handoff in pending},
            allowed=allowed_agencies_by_case(session, cases),
            deadlines=deadlines_by_case(session, cases) if deadlines else {},
        )

    def authority(self, user: User, case: Case, full: bool) -> dict[str, Any]:
        pending = self.pending.get(case.id)
        perms = permissions(user, case, pending, full_access=full)
        return {
            "holder": agency_ref(self.agencies[case.holder_agency_id]),
            "pending_handoff": pending
            and {
                "id": pending.id,
                "from_agency": agency_ref(self.agencies[pending.from_agency_id]),
                "to_agency": agency_ref(self.agencies[pending.to_agency_id]),
                "purpose": pending.purpose,
                "created_at": pending.created_at,
                "due_on": pending.due_on,
            },
            "allowed_agencies": [agency_ref(a) for a in self.allowed.get(case.id, ())],
            "permissions": dataclasses.asdict(perms),
        }


def _case_view(
    case: Case, authority: dict[str, Any], deadlines: list[dict[str, Any]], *, with_reporter: bool
) -> dict[str, Any]:
    perms = authority["permissions"]
    view: dict[str, Any] = {
        "id": case.id,
        "register_number": case.register_number,
        "redacted": not perms["can_view_full"],
        "stage": case.stage,
        "dismissal_reason": case.dismissal_reason,
        # The source is in the register number (LP/TM) anyway; the kecamatan is the unit the
        # statistics count by (DESIGN §8), not a personal datum. The desa may well be one.
        "source": case.source,
        "category": case.category,
        "election": case.election,
        "election_kind": case.election_kind,
        "occurred_on": case.occurred_on,
        "discovered_on": case.discovered_on,
        "registered_at": case.registered_at,
        "location": {"kecamatan": case.kecamatan},
        "version": case.version,
        "created_at": case.created_at,
        "updated_at": case.updated_at,
        "authority": authority,
        # Clocks show only dates and stages, so a redacted view carries them too (DESIGN §6).
        "deadlines": deadlines,
    }
    if not perms["can_view_full"]:
        return view
    view.update(
        title=case.title,
        summary=case.summary,
        location={"kecamatan": case.kecamatan, "desa": case.desa},
        violation_types=case.violation_types,
        subjects=[subject_view(s) for s in case.subjects],
        external_refs=[{"system": r.system, "reference": r.reference} for r in case.external_refs],
    )
    if with_reporter and perms["can_view_reporter"]:
        reporter = case.reporter
        view["reporter"] = reporter and {
            "name": reporter.name,
            "contact": reporter.contact,
            "anonymous": reporter.anonymous,
        }
    return view


def present_cases(
    session: Session,
    user: User,
    rows: Iterable[tuple[Case, Any]],
    *,
    with_reporter: bool = False,
) -> list[dict[str, Any]]:
    """Views of ``(case, full_access)`` rows, the cases loaded with :data:`CASE_LOAD`.

    Lists leave the reporter out (``with_reporter=False``): only a case's own representation,
    whose read is logged, shows who reported it.
    """
    rows = list(rows)
    if not rows:
        return []
    context = _Context.load(session, [case for case, _ in rows])
    return [
        _case_view(
            case,
            context.authority(user, case, bool(full)),
            context.deadlines[case.id],
            with_reporter=with_reporter,
        )
        for case, full in rows
    ]


def present_case(session: Session, user: User, case: Case) -> dict[str, Any]:
    """A case's own representation (loaded with :data:`CASE_DETAIL_LOAD`)."""
    full = can_see_full(session, user, case)
    return present_cases(session, user, [(case, full)], with_reporter=True)[0]


def present_authority(session: Session, user: User, case: Case) -> dict[str, Any]:
    """The authority block alone (no subjects or text needed)."""
    full = can_see_full(session, user, case)
    return _Context.load(session, [case], deadlines=False).authority(user, case, full)


def sees_full(session: Session, user: User, case: Case) -> bool:
    """Whether ``user`` gets ``case`` unredacted (viewers never do, DESIGN §5)."""
    full = can_see_full(session, user, case)
    return permissions(user, case, None, full_access=full).can_view_full


def personal_data_in(view: dict[str, Any]) -> list[str]:
    """Which personal data (DESIGN §3: subject identity, reporter) a view shows."""
    shown = []
    if view.get("subjects"):
        shown.append("subjects")
    reporter = view.get("reporter")
    if reporter and (reporter["name"] or reporter["contact"]):
        shown.append("reporter")
    return shown


def require_full_view(session: Session, user: User, case: Case) -> None:
    """NotPermitted (403 ``redacted``) unless ``user`` sees ``case`` in full: what only a full
    view shows (subjects, evidence, shares, sanctions) is refused, not silently emptied."""
    if not sees_full(session, user, case):
        raise NotPermitted("You see this case only as a redacted summary.", code="redacted")
