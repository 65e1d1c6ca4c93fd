"""A Pokja's calendar (declared days off and working) and deadline settings (DESIGN §6).

Everyone in the Pokja reads them; its coordinator or an administrator changes them. A change
applies to deadlines started afterwards, never to past records: a deadline is stored when its
clock starts (a handoff's `due_on`, a clock extension's `due_at`). The ETag of both resources
is the Pokja's version, which every change bumps.
"""

from __future__ import annotations

import uuid
from typing import Any

from flask.views import MethodView
from flask_jwt_extended import current_user

from pokja.access.roles import may_manage_pokjas
from pokja.access.scopes import get_or_404, visible_pokjas
from pokja.api.base import ETAG_HEADER, Blueprint, check_if_match, etag_of
from pokja.api.schemas.pokja_settings import (
    CalendarQuerySchema,
    CalendarSchema,
    SettingsPatchSchema,
    SettingsSchema,
)
from pokja.directory import settings
from pokja.extensions import db_session
from pokja.models import Pokja

blp = Blueprint(
    "pokja_settings",
    __name__,
    url_prefix="/api/v1/pokjas",
    description="A Pokja's calendar and deadline settings",
)

_CHANGE_DOC = (
    " A change applies to deadlines started afterwards, never to past records: deadlines are "
    "stored when their clock starts."
)


def _get(pokja_id: uuid.UUID) -> Pokja:
    return get_or_404(
        db_session(), visible_pokjas(current_user).where(Pokja.id == pokja_id), "Pokja"
    )


def _calendar(pokja: Pokja, year: int | None) -> tuple[dict[str, Any], int, dict[str, str]]:
    body = {
        "time_zone": pokja.timezone,
        "days": settings.declared_days(db_session(), pokja),
        "version": pokja.version,
    }
    if year is not None:
        body["public_holidays"] = settings.public_holidays(year)
    return body, 200, {"ETag": etag_of(pokja)}


@blp.route("/<uuid:pokja_id>/calendar")
class PokjaCalendarView(MethodView):
    @blp.auth_required()
    @blp.arguments(CalendarQuerySchema, location="query")
    @blp.response(200, CalendarSchema, headers=ETAG_HEADER)
    @blp.alt_response(404, response="NOT_FOUND")
    def get(self, query: dict[str, Any], pokja_id: uuid.UUID) -> Any:
        """Read the days the Pokja declares off or working (and a year's public holidays)."""
        return _calendar(_get(pokja_id), query.get("year"))

    @blp.auth_required(may_manage_pokjas)
    @blp.if_match_required
    @blp.arguments(CalendarSchema)
    @blp.response(200, CalendarSchema, headers=ETAG_HEADER)
    @blp.alt_response(404, response="NOT_FOUND")
    @blp.doc(description="Replace the declared days." + _CHANGE_DOC)
    def put(self, data: dict[str, Any], pokja_id: uuid.UUID) -> Any:
        """Replace the days the Pokja declares off or working (coordinator, administrator)."""
        pokja = _get(pokja_id)
        check_if_match(pokja)
        settings.replace_days(db_session(), current_user, pokja, data["days"])
        db_session().commit()
        return _calendar(pokja, None)


@blp.route("/<uuid:pokja_id>/settings")
class PokjaSettingsView(MethodView):
    @blp.auth_required()
    @blp.response(200, SettingsSchema, headers=ETAG_HEADER)
    @blp.alt_response(404, response="NOT_FOUND")
    def get(self, pokja_id: uuid.UUID) -> Any:
        """Read the Pokja's clocks, register format and violation-track table."""
        pokja = _get(pokja_id)
        return settings.settings_view(pokja), 200, {"ETag": etag_of(pokja)}

    @blp.auth_required(may_manage_pokjas)
    @blp.if_match_required
    @blp.arguments(SettingsPatchSchema)
    @blp.response(200, SettingsSchema, headers=ETAG_HEADER)
    @blp.alt_response(404, response="NOT_FOUND")
    @blp.doc(description="A JSON merge-patch; `null` restores a default." + _CHANGE_DOC)
    def patch(self, changes: dict[str, Any], pokja_id: uuid.UUID) -> Any:
        """Change the Pokja's clocks, register format or violation tracks."""
        pokja = _get(pokja_id)
        check_if_match(pokja)
        settings.update_settings(db_session(), current_user, pokja, changes)
        db_session().commit()
        return settings.settings_view(pokja), 200, {"ETag": etag_of(pokja)}
