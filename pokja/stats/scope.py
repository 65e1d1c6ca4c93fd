"""What every statistic starts from: the caller's cases narrowed by the dashboard filters
(the case list's own filters, :mod:`pokja.cases.filters`), and the Pokja's facts."""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Session

from pokja.access.roles import in_a_pokja
from pokja.cases.facts import PokjaFacts
from pokja.cases.filters import filtered_cases
from pokja.models import User
from pokja.models.base import AnySelect

# The filters every statistic takes (DESIGN §8: date range, election, category, agency).
STAT_FILTERS = ("registered_from", "registered_to", "election", "category", "holder_id", "stage")


def case_filters(filters: dict[str, Any]) -> dict[str, Any]:
    """The dashboard filters that were given, as case-list filters."""
    return {name: filters[name] for name in STAT_FILTERS if filters.get(name) is not None}


def scoped_cases(session: Session, user: User, filters: dict[str, Any]) -> AnySelect:
    """The caller's cases (as the case list gives them) narrowed by ``filters``, with the
    per-row ``full_access`` column."""
    return filtered_cases(session, user, case_filters(filters))


def case_condition(session: Session, user: User, filters: dict[str, Any]) -> Any:
    """The WHERE clause of :func:`scoped_cases` over ``cases``, for a statement that joins it."""
    clause = scoped_cases(session, user, filters).whereclause
    return clause if clause is not None else sa.true()


def facts_for(session: Session, user: User) -> PokjaFacts | None:
    """The caller's Pokja's agencies and calendar (one statement), None outside a Pokja."""
    if not in_a_pokja(user) or user.pokja_id is None:
        return None
    return PokjaFacts.load(session, user.pokja_id)
