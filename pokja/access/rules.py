"""The Pokja's authority rules (DESIGN §4): which agency kinds may hold a case, by subject type
and category.

The rules are rows per Pokja (``AuthorityRule``), seeded from :data:`DEFAULT_RULES` and
replaced whole by its coordinator; :func:`allowed_agencies` answers where a case may go next.
"""

from __future__ import annotations

import hashlib
import json
import uuid
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Session

from pokja.access.roles import manages_pokja
from pokja.audit import events
from pokja.errors import NotPermitted, RuleViolation
from pokja.models import (
    CASE_CATEGORIES,
    MEMBER_AGENCY_KINDS,
    SUBJECT_TYPES,
    Agency,
    AuthorityRule,
    Case,
    Pokja,
    Subject,
    User,
)

_CIVIL_SERVANTS = ("pns", "pppk", "non_asn")


_VILLAGE = ("village_head", "village_official")


# (subject_type or None = any, category or None = any, agency kind) - DESIGN §4 seeded defaults.
DEFAULT_RULES: tuple[tuple[str | None, str | None, str], ...] = (
    (None, None, "BAWASLU"),
    *(
        (subject, category, kind)
        for subject in _CIVIL_SERVANTS
        for category in ("neutrality", "administrative")
        for kind in ("BKDPSDM", "INSPEKTORAT")
    ),
    *((subject, None, kind) for subject in _VILLAGE for kind in ("INSPEKTORAT", "BKDPSDM")),
    ("tni", None, "TNI"),
    ("polri", None, "POLRI"),
    (None, "election_crime", "POLRI"),
    (None, "election_crime", "KEJARI"),
)


def seed_default_rules(session: Session, pokja: Pokja) -> list[AuthorityRule]:
    """Give a new Pokja the default authority rules; its coordinator edits them afterwards."""
    rules = [
        AuthorityRule(pokja_id=pokja.id, subject_type=subject, category=category, agency_kind=kind)
        for subject, category, kind in DEFAULT_RULES
    ]
    session.add_all(rules)
    session.flush()
    return rules


Rule = tuple[str | None, str | None, str]  # (subject_type, category, agency_kind); None = any


# Bawaslu registers every case and takes back what others return (purpose "return"): a rule set
# without it could leave a case that no agency may hold.
REQUIRED_RULE: Rule = (None, None, "BAWASLU")


MAX_RULES = 500


def _rule_order(rule: Rule) -> tuple[Any, ...]:
    subject, category, kind = rule
    # "Any" first, then the code lists' own order, so that the set reads like DESIGN §4.
    return (
        subject is not None,
        SUBJECT_TYPES.index(subject) if subject else -1,
        category is not None,
        CASE_CATEGORIES.index(category) if category else -1,
        MEMBER_AGENCY_KINDS.index(kind)
        if kind in MEMBER_AGENCY_KINDS
        else len(MEMBER_AGENCY_KINDS),
        kind,
    )


@dataclass(frozen=True)
class RuleSet:
    """A Pokja's whole rule set; ``version`` is a digest of its content (the API's ETag)."""

    pokja_id: uuid.UUID
    rules: tuple[Rule, ...]

    @property
    def version(self) -> str:
        raw = json.dumps(self.rules, separators=(",", ":")).encode()
        return hashlib.sha256(raw).hexdigest()[:20]

    def as_dicts(self) -> list[dict[str, str | None]]:
        return [{"subject_type": s, "category": c, "agency_kind": k} for s, c, k in self.rules]


def rule_set(session: Session, pokja_id: uuid.UUID, *, lock: bool = False) -> RuleSet:
    """The Pokja's rules in a stable order. ``lock`` holds the Pokja's row until the
    transaction ends, so that two coordinators replacing the rules take turns (PostgreSQL)."""
    if lock:
        session.execute(sa.select(Pokja.id).where(Pokja.id == pokja_id).with_for_update())
    rows = session.execute(
        sa.select(
            AuthorityRule.subject_type, AuthorityRule.category, AuthorityRule.agency_kind
        ).where(AuthorityRule.pokja_id == pokja_id)
    )
    rules: list[Rule] = [(row[0], row[1], row[2]) for row in rows]
    return RuleSet(pokja_id, tuple(sorted(rules, key=_rule_order)))


def check_rules(rules: Sequence[Mapping[str, Any]]) -> tuple[Rule, ...]:
    """Validate a whole rule set; every problem is reported at once, by ``rules.<index>``.

    Kinds are the member agencies only: outside authorities (KASN, BKN, the PPK) receive
    recommendations but never hold a case (DESIGN §3).
    """
    errors: dict[str, list[str]] = {}
    seen: dict[Rule, int] = {}
    for index, item in enumerate(rules):
        rule: Rule = (item.get("subject_type"), item.get("category"), item.get("agency_kind", ""))
        subject, category, kind = rule
        messages = []
        if subject is not None and subject not in SUBJECT_TYPES:
            messages.append(f"Unknown subject_type {subject!r}.")
        if category is not None and category not in CASE_CATEGORIES:
            messages.append(f"Unknown category {category!r}.")
        if kind not in MEMBER_AGENCY_KINDS:
            messages.append(f"agency_kind must be one of {', '.join(MEMBER_AGENCY_KINDS)}.")
        if rule in seen:
            messages.append(f"Duplicates rule {seen[rule]}.")
        seen.setdefault(rule, index)
        if messages:
            errors[f"rules.{index}"] = messages
    if len(rules) > MAX_RULES:
        errors["rules"] = [f"At most {MAX_RULES} rules."]
    if errors:
        raise RuleViolation(
            "The rule set is not valid; see errors.", code="validation_error", errors=errors
        )
    if REQUIRED_RULE not in seen:
        message = "BAWASLU must stay allowed to hold any case (subject_type and category null)."
        raise RuleViolation(message, code="bawaslu_rule_required", errors={"rules": [message]})
    return tuple(sorted(seen, key=_rule_order))


def replace_rules(
    session: Session, actor: User, pokja: Pokja, rules: Sequence[Mapping[str, Any]]
) -> RuleSet:
    """Replace the Pokja's whole rule set (its coordinator or an administrator, DESIGN §4);
    recorded as one event with the sets before and after. An identical set changes nothing."""
    if not manages_pokja(actor, pokja.id):
        raise NotPermitted("Only the Pokja's coordinator or an administrator changes its rules.")
    after = RuleSet(pokja.id, check_rules(rules))
    before = rule_set(session, pokja.id, lock=True)
    if after.rules == before.rules:
        return before
    session.execute(sa.delete(AuthorityRule).where(AuthorityRule.pokja_id == pokja.id))
    session.add_all(
        AuthorityRule(pokja_id=pokja.id, subject_type=s, category=c, agency_kind=k)
        for s, c, k in after.rules
    )
    session.flush()
    events.record(
        session,
        pokja_id=pokja.id,
        case_id=None,
        actor=actor,
        type="authority_rules.replaced",
        data={"before": before.as_dicts(), "after": after.as_dicts()},
    )
    return after


def allowed_agency_kinds(session: Session, case: Case) -> set[str]:
    """The agency kinds the Pokja's rules allow to hold ``case``.

    A rule applies when its category is the case's (or any) and its subject type is that of
    at least one of the case's subjects (or any). A report naming a teacher and a soldier may
    thus go to BKDPSDM for the one and to TNI for the other: each agency handles its own
    people (DESIGN §1), so requiring every subject to match would make mixed cases stuck.
    """
    case_subject_types = sa.select(Subject.subject_type).where(Subject.case_id == case.id)
    stmt = (
        sa.select(AuthorityRule.agency_kind)
        .where(
            AuthorityRule.pokja_id == case.pokja_id,
            sa.or_(AuthorityRule.category.is_(None), AuthorityRule.category == case.category),
            sa.or_(
                AuthorityRule.subject_type.is_(None),
                AuthorityRule.subject_type.in_(case_subject_types),
            ),
        )
        .distinct()
    )
    return set(session.scalars(stmt))


def allowed_agencies(session: Session, case: Case, *, exclude_holder: bool = True) -> list[Agency]:
    """The Pokja's active agencies the rules allow to hold ``case`` (by default without the
    current holder: these are the agencies it may be handed to next)."""
    kinds = allowed_agency_kinds(session, case)
    stmt = (
        sa.select(Agency)
        .where(Agency.pokja_id == case.pokja_id, Agency.active.is_(True), Agency.kind.in_(kinds))
        .order_by(Agency.kind, Agency.name)
    )
    if exclude_holder:
        stmt = stmt.where(Agency.id != case.holder_agency_id)
    return list(session.scalars(stmt))


def allowed_agencies_by_case(
    session: Session, cases: Sequence[Case], *, exclude_holder: bool = True
) -> dict[uuid.UUID, list[Agency]]:
    """:func:`allowed_agencies` for many cases in one statement (a page of a case list).

    The same rule as :func:`allowed_agency_kinds`, joined per case instead of run per case.
    """
    if not cases:
        return {}
    subject_matches = sa.exists().where(
        Subject.case_id == Case.id, Subject.subject_type == AuthorityRule.subject_type
    )
    stmt = (
        sa.select(Case.id, Agency)
        .join(AuthorityRule, AuthorityRule.pokja_id == Case.pokja_id)
        .join(
            Agency,
            sa.and_(
                Agency.pokja_id == Case.pokja_id,
                Agency.kind == AuthorityRule.agency_kind,
                Agency.active.is_(True),
            ),
        )
        .where(
            Case.id.in_([case.id for case in cases]),
            sa.or_(AuthorityRule.category.is_(None), AuthorityRule.category == Case.category),
            sa.or_(AuthorityRule.subject_type.is_(None), subject_matches),
        )
        .distinct()
        .order_by(Case.id, Agency.kind, Agency.name, Agency.id)
    )
    if exclude_holder:
        stmt = stmt.where(Agency.id != Case.holder_agency_id)
    allowed: dict[uuid.UUID, list[Agency]] = {case.id: [] for case in cases}
    for case_id, agency in session.execute(stmt):
        allowed[case_id].append(agency)
    return allowed
