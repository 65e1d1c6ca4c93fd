"""A meeting's agenda and minutes, in the formats a secretary sends (DESIGN §7)."""

from __future__ import annotations

import uuid
from typing import Any

from flask import request
from flask.views import MethodView
from flask.wrappers import Response
from flask_jwt_extended import current_user

from pokja.access.roles import manages_meetings
from pokja.api.base import Blueprint, check_if_match, etag_of, json_response
from pokja.api.schemas.agenda import (
    AgendaSchema,
    DocumentQuerySchema,
    IcsQuerySchema,
    MinutesDocumentSchema,
)
from pokja.errors import NotAcceptable
from pokja.extensions import db_session
from pokja.meetings import lifecycle
from pokja.meetings.agenda.minutes import read_minutes
from pokja.meetings.agenda.reading import read_agenda
from pokja.meetings.queries import get_meeting
from pokja.meetings.render.dates import LANGUAGES
from pokja.meetings.render.documents import (
    AGENDA_FORMATS,
    FORMATS,
    MINUTES_FORMATS,
    Format,
    UnknownFormat,
    filename,
    format_named,
    render_agenda,
    render_minutes,
)
from pokja.time import clock

blp = Blueprint(
    "agenda",
    __name__,
    url_prefix="/api/v1/meetings",
    description="A meeting's agenda and minutes as documents",
)


def _content(formats: tuple[str, ...]) -> dict[str, Any]:
    """The other formats of a 200 response whose JSON ``@blp.response`` documents."""
    content: dict[str, Any] = {}
    for name in formats:
        fmt = FORMATS[name]
        if name != "json":
            binary = {"format": "binary"} if name == "docx" else {}
            content[fmt.media_type] = {"schema": {"type": "string", **binary}}
    return {"responses": {200: {"content": content}}}


def choose_format(query: dict[str, Any], allowed: tuple[str, ...]) -> Format:
    """``?format=`` first, else the best of ``Accept`` (JSON when it names none)."""
    try:
        if query.get("format"):
            return format_named(query["format"], allowed)
    except UnknownFormat as exc:
        raise NotAcceptable(
            f"No {exc} format; this document comes as {', '.join(allowed)}.", allowed=list(allowed)
        ) from exc
    if not request.headers.get("Accept"):
        return FORMATS["json"]
    types = [FORMATS[name].media_type for name in allowed]
    best = request.accept_mimetypes.best_match(types)
    if best is None:
        raise NotAcceptable(f"This document comes as {', '.join(types)}.", allowed=list(allowed))
    return next(FORMATS[name] for name in allowed if FORMATS[name].media_type == best)


def choose_language(query: dict[str, Any], default: str = "id") -> str:
    if query.get("lang") in LANGUAGES:
        return str(query["lang"])
    return request.accept_languages.best_match(LANGUAGES) or default


def document_response(body: bytes, fmt: Format, name: str) -> Response:
    mimetype = fmt.media_type
    response = Response(body, status=200, mimetype=mimetype)
    if mimetype.startswith("text/") or fmt.name == "json":
        response.headers["Content-Type"] = f"{mimetype}; charset=utf-8"
    disposition = "attachment" if fmt.attachment else "inline"
    response.headers["Content-Disposition"] = f'{disposition}; filename="{name}"'
    response.headers["Vary"] = "Accept, Accept-Language"
    return response


@blp.route("/<uuid:meeting_id>/agenda")
class MeetingAgenda(MethodView):
    @blp.auth_required()
    @blp.arguments(DocumentQuerySchema, location="query")
    @blp.response(200, AgendaSchema)
    @blp.alt_response(404, response="NOT_FOUND")
    @blp.alt_response(406, response="NOT_ACCEPTABLE")
    @blp.doc(**_content(AGENDA_FORMATS))
    def get(self, query: dict[str, Any], meeting_id: uuid.UUID) -> Any:
        """The meeting's agenda: generated now while a draft, the frozen one from `schedule`
        on; a case the caller does not see in full is a redacted summary in every format."""
        fmt = choose_format(query, AGENDA_FORMATS)
        now = clock.now()
        agenda = read_agenda(db_session(), current_user._get_current_object(), meeting_id, now)
        body = render_agenda(agenda, fmt, choose_language(query), now)
        return document_response(body, fmt, filename("rakor", agenda, fmt))


@blp.route("/<uuid:meeting_id>/agenda/refresh")
class RefreshAgenda(MethodView):
    @blp.auth_required(manages_meetings)
    @blp.if_match_optional
    @blp.response(200, AgendaSchema)
    @blp.alt_response(404, response="NOT_FOUND")
    @blp.alt_response(409, response="CONFLICT", description="The meeting is not scheduled")
    def post(self, meeting_id: uuid.UUID) -> Any:
        """Freeze the agenda again from the Pokja's state now, while the meeting is still
        scheduled (else 409); returns the new frozen agenda as JSON."""
        session = db_session()
        meeting = get_meeting(session, current_user, meeting_id)
        check_if_match(meeting, required=False)
        lifecycle.refresh_agenda(session, current_user, meeting)
        session.commit()
        agenda = read_agenda(session, current_user._get_current_object(), meeting_id, clock.now())
        return json_response(agenda, 200, {"ETag": etag_of(meeting)})


@blp.route("/<uuid:meeting_id>.ics")
class MeetingCalendar(MethodView):
    @blp.auth_required()
    @blp.arguments(IcsQuerySchema, location="query")
    @blp.response(200, content_type="text/calendar")
    @blp.alt_response(404, response="NOT_FOUND")
    def get(self, query: dict[str, Any], meeting_id: uuid.UUID) -> Any:
        """The meeting as an iCalendar event (RFC 5545) in the Pokja's zone."""
        fmt, now = FORMATS["ics"], clock.now()
        agenda = read_agenda(db_session(), current_user._get_current_object(), meeting_id, now)
        body = render_agenda(agenda, fmt, choose_language(query), now)
        return document_response(body, fmt, filename("rakor", agenda, fmt))


@blp.route("/<uuid:meeting_id>/minutes")
class MeetingMinutes(MethodView):
    @blp.auth_required()
    @blp.arguments(DocumentQuerySchema, location="query")
    @blp.response(200, MinutesDocumentSchema)
    @blp.alt_response(404, response="NOT_FOUND")
    @blp.alt_response(409, response="CONFLICT")
    @blp.alt_response(406, response="NOT_ACCEPTABLE")
    @blp.doc(**_content(MINUTES_FORMATS))
    def get(self, query: dict[str, Any], meeting_id: uuid.UUID) -> Any:
        """The minutes (notulen) of a closed meeting: attendance, the agenda with its minutes,
        the decisions, and the audit-chain head at closing."""
        fmt = choose_format(query, MINUTES_FORMATS)
        minutes = read_minutes(
            db_session(), current_user._get_current_object(), meeting_id, clock.now()
        )
        body = render_minutes(minutes, fmt, choose_language(query))
        return document_response(body, fmt, filename("notulen", minutes, fmt))
