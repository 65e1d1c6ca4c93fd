"""Authority rules: which agency kinds may hold a case, per subject type and category."""

from __future__ import annotations

import uuid
from typing import Any

from flask.views import MethodView
from flask_jwt_extended import current_user

from pokja.access import rules
from pokja.access.roles import is_admin, may_manage_pokjas
from pokja.access.scopes import get_or_404, visible_pokjas
from pokja.api.base import ETAG_HEADER, Blueprint, check_if_match, etag_of
from pokja.api.schemas.authority_rules import RULE_SET_EXAMPLE, RuleSetQuerySchema, RuleSetSchema
from pokja.errors import field_error
from pokja.extensions import db_session
from pokja.models import Pokja

blp = Blueprint(
    "authority-rules",
    __name__,
    url_prefix="/api/v1/authority-rules",
    description="The Pokja's authority rules (DESIGN §4)",
)


def _pokja(pokja_id: uuid.UUID | None) -> Pokja:
    """The caller's Pokja; administrators belong to none, so they name one."""
    if pokja_id is None and is_admin(current_user):
        raise field_error("pokja_id", "Administrators name the Pokja with pokja_id.")
    wanted = pokja_id or current_user.pokja_id
    return get_or_404(db_session(), visible_pokjas(current_user).where(Pokja.id == wanted), "Pokja")


def _reply(rule_set: rules.RuleSet) -> tuple[dict[str, Any], int, dict[str, str]]:
    body = {"pokja_id": rule_set.pokja_id, "rules": rule_set.as_dicts()}
    return body, 200, {"ETag": etag_of(rule_set)}


@blp.route("")
class AuthorityRules(MethodView):
    @blp.auth_required()
    @blp.arguments(RuleSetQuerySchema, location="query", as_kwargs=True)
    @blp.response(200, RuleSetSchema, headers=ETAG_HEADER)
    @blp.alt_response(404, response="NOT_FOUND")
    def get(self, pokja_id: uuid.UUID | None = None) -> Any:
        """Read the Pokja's authority rules (anyone in it; administrators name the Pokja)."""
        return _reply(rules.rule_set(db_session(), _pokja(pokja_id).id))

    @blp.auth_required(may_manage_pokjas)
    @blp.if_match_required
    @blp.arguments(RuleSetQuerySchema, location="query", as_kwargs=True)
    @blp.arguments(RuleSetSchema, example=RULE_SET_EXAMPLE)
    @blp.response(200, RuleSetSchema, headers=ETAG_HEADER)
    @blp.alt_response(404, response="NOT_FOUND")
    def put(self, data: dict[str, Any], pokja_id: uuid.UUID | None = None) -> Any:
        """Replace the Pokja's whole rule set.

        Its coordinator, or an administrator (naming the Pokja with `pokja_id`), with the
        ETag read last in `If-Match`. Kinds are the six member agencies; the rule letting
        BAWASLU hold any case (subject_type and category null) must stay, and no rule may be
        given twice. Recorded as one `authority_rules.replaced` event with the sets before
        and after.
        """
        pokja = _pokja(pokja_id)
        check_if_match(rules.rule_set(db_session(), pokja.id, lock=True))
        rule_set = rules.replace_rules(db_session(), current_user, pokja, data["rules"])
        db_session().commit()
        return _reply(rule_set)
