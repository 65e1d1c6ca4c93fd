"""A Pokja's facts, which every case of it needs to be shown (DESIGN §12 "hot reads"): its
zone and clock settings, its agencies, authority rules and declared days, read in one
statement per request (:func:`pokja_context`) and held as :class:`PokjaFacts`, which also
remember what they worked out (where a case may go next, a case's clocks) while the database
says the same.
"""

from __future__ import annotations

import dataclasses
import uuid
from datetime import date, datetime
from typing import Any, NamedTuple

import orjson
import sqlalchemy as sa
from sqlalchemy.orm import Session

from pokja.cases.child_rows import text_rows
from pokja.directory import accounts
from pokja.errors import NotFound
from pokja.models import Agency, AuthorityRule, Pokja, PokjaDay
from pokja.models.base import AnySelect
from pokja.time.calendar import PokjaCalendar
from pokja.time.case_clocks import PlannedClock, case_clock_plan
from pokja.time.catalogue import Settings, clock_settings
from pokja.time.scope import KnownAgency
from pokja.time.settings import snapshot_settings

_CONTEXT: dict[str, AnySelect] = {}


# A list of rows as a value that can be a key: each row its (column, value) pairs.
Rows = tuple[tuple[tuple[str, Any], ...], ...]


class PokjaContext(NamedTuple):
    """The row :class:`PokjaFacts` are made from, as it was read: the facts are remembered
    by it (``clock_overrides``: NULL or JSON text)."""

    id: uuid.UUID
    timezone: str
    clock_overrides: str | None
    agencies: Rows
    rules: Rows
    days: Rows

    @classmethod
    def of(cls, pokja_id: uuid.UUID, row: Any) -> PokjaContext:
        """The context in ``row``, whose columns are :func:`context_columns` by label."""
        return cls(
            pokja_id,
            row.pokja_timezone,
            row.pokja_clock_overrides,
            _as_rows(row.pokja_agencies),
            _as_rows(row.pokja_rules),
            _as_rows(row.pokja_days),
        )


def _as_rows(listed: list[dict[str, Any]] | None) -> Rows:
    return tuple(tuple(item.items()) for item in listed or ())


def context_columns(dialect: str) -> tuple[sa.ColumnElement[Any], ...]:
    """The columns of :class:`PokjaContext` after its id, correlated to ``Pokja``: a
    statement that has the Pokja's row in its FROM can read them along (the caller's
    authentication does, see :func:`remember_context`)."""
    # Text rows, not JSON objects: a JSON object per row is most of this statement's cost on
    # PostgreSQL (see child_rows.text_rows), and authentication runs it on every read.
    agencies = text_rows(
        dialect,
        {
            "id": Agency.id,
            "kind": Agency.kind,
            "name": Agency.name,
            "active": Agency.active,
            "created_at": Agency.created_at,
        },
        Agency.pokja_id == Pokja.id,
        (Agency.kind, Agency.name, Agency.id),
        Pokja,
    )
    rules = text_rows(
        dialect,
        {
            "subject_type": AuthorityRule.subject_type,
            "category": AuthorityRule.category,
            "agency_kind": AuthorityRule.agency_kind,
        },
        AuthorityRule.pokja_id == Pokja.id,
        (AuthorityRule.id,),
        Pokja,
    )
    days = text_rows(
        dialect,
        {"day": PokjaDay.day, "kind": PokjaDay.kind},
        PokjaDay.pokja_id == Pokja.id,
        (PokjaDay.day,),
        Pokja,
    )
    return (
        Pokja.timezone.label("pokja_timezone"),
        sa.cast(Pokja.clock_overrides, sa.Text).label("pokja_clock_overrides"),
        agencies.label("pokja_agencies"),
        rules.label("pokja_rules"),
        days.label("pokja_days"),
    )


def pokja_context(session: Session, pokja_id: uuid.UUID) -> PokjaContext | None:
    """The facts every case of a Pokja needs to be presented, in one statement: its zone and
    clock settings, its agencies, authority rules and declared days. The statement is the
    same for every request, so it is built once per database dialect."""
    remembered = session.info.get(_REMEMBERED)
    if remembered is not None and remembered.id == pokja_id:
        return remembered
    dialect = session.get_bind().dialect.name
    if dialect not in _CONTEXT:
        where = Pokja.id == sa.bindparam("pokja_id")
        _CONTEXT[dialect] = sa.select(Pokja.id, *context_columns(dialect)).where(where)
    row = session.connection().execute(_CONTEXT[dialect], {"pokja_id": pokja_id}).one_or_none()
    return None if row is None else PokjaContext.of(row.id, row)


def remember_context(session: Session, context: PokjaContext) -> None:
    """Keep a Pokja's context, read along with another statement, for :func:`pokja_context`
    to answer with while the session's transaction lasts (a commit in between, or the next
    request, reads it again). Only for a transaction that changes none of it: a read."""
    session.info[_REMEMBERED] = context


_REMEMBERED = "pokja.cases.facts.remembered_context"
# The token's caller statement with the caller's Pokja's context read along, per dialect.
_CALLERS_WITH_CONTEXT: dict[str, AnySelect] = {}


def caller_with_context(session: Session) -> AnySelect:
    """:func:`pokja.directory.accounts.token_caller_statement` that also reads the caller's
    Pokja's context (:func:`context_columns`): a read that presents the Pokja's cases saves
    a statement (see :func:`remember_callers_context`)."""
    dialect = session.get_bind().dialect.name
    if dialect not in _CALLERS_WITH_CONTEXT:
        columns = context_columns(dialect)
        _CALLERS_WITH_CONTEXT[dialect] = accounts.token_caller_statement(*columns)
    return _CALLERS_WITH_CONTEXT[dialect]


def remember_callers_context(session: Session, row: Any) -> None:
    """Remember the context in a row of :func:`caller_with_context` (none for an admin)."""
    if row.pokja_id is not None:
        remember_context(session, PokjaContext.of(row.pokja_id, row))


@sa.event.listens_for(Session, "after_transaction_end")
def _forget_context(session: Session, _transaction: Any) -> None:
    session.info.pop(_REMEMBERED, None)


@dataclasses.dataclass(frozen=True)
class PokjaFacts:
    """What every case of a Pokja needs to be shown: loaded once per request."""

    agencies: dict[uuid.UUID, dict[str, Any]]
    rules: list[tuple[str | None, str | None, str]]
    calendar: PokjaCalendar
    settings: Settings
    overrides: Any = None  # the Pokja's current clock overrides, from which ``settings`` is made
    # The agencies oldest first, as the deadline sources ask (pokja.time.acting).
    by_age: tuple[KnownAgency, ...] = ()
    # Where a case may go next depends only on its category, its subjects' types and its
    # holder: a page asks the same few questions many times.
    _allowed: dict[tuple[Any, ...], list[dict[str, Any]]] = dataclasses.field(
        default_factory=dict, compare=False
    )
    _snapshots: dict[str, Settings] = dataclasses.field(default_factory=dict, compare=False)
    # A case's clocks depend on the moment only through days left and overdue
    # (case_clock_plan): the rest is kept while these facts are (see load()).
    _plans: dict[tuple[Any, ...], tuple[PlannedClock, ...]] = dataclasses.field(
        default_factory=dict, compare=False
    )

    def settings_of(self, snapshot: Any) -> Settings:
        """The clocks of a case registered with ``snapshot`` (DESIGN §6)."""
        return snapshot_settings(self.settings, self.overrides, snapshot, self._snapshots)

    def clock_plan(self, settings: Settings, row: Any) -> tuple[PlannedClock, ...]:
        """:func:`~pokja.time.case_clocks.case_clock_plan` of a case without extensions
        under ``settings`` (these facts' own or a snapshot's), worked out once."""
        key: tuple[Any, ...] = (id(settings), row.election_kind, row.source, row.stage)
        key += (row.registered_at, row.discovered_on)
        planned = self._plans.get(key)
        if planned is None:
            if len(self._plans) >= _PLANS_KEPT:
                self._plans.clear()
            planned = case_clock_plan(self.calendar, settings, row, {})
            self._plans[key] = planned
        return planned

    @classmethod
    def load(cls, session: Session, pokja_id: uuid.UUID) -> PokjaFacts:
        """The Pokja's facts as the database has them now (one statement).

        Facts read before in this process are reused when the database still says exactly
        the same (their JSON text is the key), together with what they worked out: a page
        of the same Pokja asks the same questions of them request after request.
        """
        row = pokja_context(session, pokja_id)
        if row is None:
            raise NotFound("Pokja not found.")
        key = row
        facts = _KNOWN_FACTS.get(key)
        if facts is None:
            if len(_KNOWN_FACTS) >= _FACTS_KEPT:
                _KNOWN_FACTS.clear()
            facts = _KNOWN_FACTS[key] = cls._from_context(row)
        return facts

    @classmethod
    def _from_context(cls, row: PokjaContext) -> PokjaFacts:
        agencies, created = {}, {}
        for agency in map(dict, row.agencies):
            agency_id = uuid.UUID(str(agency["id"]))
            # As text on PostgreSQL ("true"), a number in SQLite's JSON.
            active = agency["active"] in (True, 1, "true")
            created[agency_id] = datetime.fromisoformat(agency.pop("created_at"))
            agencies[agency_id] = {**agency, "id": agency_id, "active": active}
        oldest_first = sorted(agencies, key=lambda agency_id: (created[agency_id], agency_id))
        days = [(date.fromisoformat(d["day"]), d["kind"]) for d in map(dict, row.days)]
        overrides = orjson.loads(row.clock_overrides) if row.clock_overrides else None
        return cls(
            agencies=agencies,
            rules=[
                (r["subject_type"], r["category"], r["agency_kind"]) for r in map(dict, row.rules)
            ],
            calendar=PokjaCalendar(
                row.timezone,
                days_off=[day for day, kind in days if kind == "off"],
                working_days=[day for day, kind in days if kind == "working"],
            ),
            settings=clock_settings(overrides),
            overrides=overrides,
            by_age=tuple(
                KnownAgency(i, agencies[i]["kind"], agencies[i]["active"]) for i in oldest_first
            ),
        )

    def ref(self, agency_id: uuid.UUID) -> dict[str, Any]:
        agency = self.agencies[agency_id]
        return {"id": agency["id"], "kind": agency["kind"], "name": agency["name"]}

    def allowed_next(
        self, category: str, subject_types: frozenset[str], holder_id: uuid.UUID
    ) -> list[dict[str, Any]]:
        """The Pokja's active agencies the rules allow to hold the case, but its holder
        (:func:`pokja.access.rules.allowed_agency_kinds`: a rule applies when its category
        is the case's or any, and its subject type one of the case's subjects' or any)."""
        key = (category, subject_types, holder_id)
        if key not in self._allowed:
            kinds = {
                kind
                for subject, rule_category, kind in self.rules
                if rule_category in (None, category)
                and (subject is None or subject in subject_types)
            }
            self._allowed[key] = [
                self.ref(agency_id)
                for agency_id, agency in self.agencies.items()
                if agency["active"] and agency["kind"] in kinds and agency_id != holder_id
            ]
        # Each view gets its own list: a caller may change what it was given.
        return list(self._allowed[key])


# PokjaFacts by their context row as read; bounded (a few hundred Pokjas at most
# per installation, and a changed Pokja leaves its old entry behind until the next clear).
_KNOWN_FACTS: dict[tuple[Any, ...], PokjaFacts] = {}
_FACTS_KEPT = 2048
_PLANS_KEPT = 50_000
