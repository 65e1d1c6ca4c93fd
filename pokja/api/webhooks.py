"""Webhooks: an agency's systems are notified of handoffs, shares and deadlines.

How deliveries are signed and retried is described in :mod:`pokja.notify.delivery`.
"""

from __future__ import annotations

import uuid
from typing import Any

from flask import current_app
from flask.views import MethodView
from flask_jwt_extended import current_user

from pokja.access.roles import may_manage_webhooks
from pokja.access.scopes import get_or_404, visible_deliveries, visible_subscriptions
from pokja.api.base import ETAG_HEADER, Blueprint, check_if_match, etag_of
from pokja.api.idempotency import idempotent
from pokja.api.schemas.webhooks import (
    DeliveryQuerySchema,
    DeliverySchema,
    WebhookCreateSchema,
    WebhookQuerySchema,
    WebhookSchema,
    WebhookUpdateSchema,
    WebhookWithSecretSchema,
)
from pokja.extensions import db_session
from pokja.models import OutboxMessage, WebhookSubscription
from pokja.notify import subscriptions
from pokja.notify.delivery import DeliverySettings

blp = Blueprint(
    "webhooks",
    __name__,
    url_prefix="/api/v1/webhooks",
    description="Notifications to an agency's own systems: subscriptions and deliveries. "
    "Each delivery is a signed JSON POST (`X-Pokja-Signature: sha256=<HMAC-SHA256 of "
    '"<X-Pokja-Timestamp>.<body>" keyed with the secret>`), retried with back-off and '
    "identified by `X-Pokja-Delivery`, the same on every retry.",
)


def _allow_private() -> bool:
    """``POKJA_WEBHOOK_ALLOW_PRIVATE_NETWORKS``, as the worker reads it."""
    return DeliverySettings.from_config(current_app.config).allow_private_networks


EXAMPLE = {
    "url": "https://simpeg.bengkuluselatankab.go.id/hooks/pokja",
    "events": ["handoff.received", "deadline.approaching", "deadline.passed"],
    "description": "SIMPEG BKPSDM inbox",
}


def _get(webhook_id: uuid.UUID) -> WebhookSubscription:
    stmt = visible_subscriptions(current_user).where(WebhookSubscription.id == webhook_id)
    return get_or_404(db_session(), stmt, "Webhook")


@blp.route("")
class Webhooks(MethodView):
    @blp.auth_required(may_manage_webhooks)
    @blp.arguments(WebhookQuerySchema, location="query", as_kwargs=True)
    @blp.paginate_keyset(
        WebhookSchema,
        order=[(WebhookSubscription.created_at, False), (WebhookSubscription.id, False)],
    )
    def get(self, agency_id: uuid.UUID | None = None, active: bool | None = None) -> Any:
        """List webhook subscriptions: a liaison's agency's, or all of the coordinator's Pokja."""
        stmt = visible_subscriptions(current_user)
        if agency_id is not None:
            stmt = stmt.where(WebhookSubscription.agency_id == agency_id)
        if active is not None:
            stmt = stmt.where(WebhookSubscription.active.is_(active))
        return stmt

    @blp.auth_required(may_manage_webhooks)
    @idempotent
    @blp.arguments(WebhookCreateSchema, example=EXAMPLE)
    @blp.response(201, WebhookWithSecretSchema, headers=ETAG_HEADER)
    @blp.alt_response(422, response="UNPROCESSABLE_ENTITY")
    def post(self, data: dict[str, Any]) -> Any:
        """Subscribe an agency to notifications; the response shows the signing secret once.

        A liaison subscribes its own agency; a coordinator any agency of the Pokja.
        """
        subscription = subscriptions.create_subscription(
            db_session(), current_user, data, allow_private=_allow_private()
        )
        db_session().commit()
        return subscription, 201, {"ETag": etag_of(subscription)}


@blp.route("/<uuid:webhook_id>")
class WebhookById(MethodView):
    @blp.auth_required(may_manage_webhooks)
    @blp.response(200, WebhookSchema, headers=ETAG_HEADER)
    @blp.alt_response(404, response="NOT_FOUND")
    def get(self, webhook_id: uuid.UUID) -> Any:
        """Read a webhook subscription (its secret is never shown again)."""
        subscription = _get(webhook_id)
        return subscription, 200, {"ETag": etag_of(subscription)}

    @blp.auth_required(may_manage_webhooks)
    @blp.if_match_required
    @blp.arguments(WebhookUpdateSchema, example={"active": False})
    @blp.response(200, WebhookSchema, headers=ETAG_HEADER)
    @blp.alt_response(404, response="NOT_FOUND")
    def patch(self, changes: dict[str, Any], webhook_id: uuid.UUID) -> Any:
        """Change the URL, event types or description; `active: false` pauses it."""
        subscription = _get(webhook_id)
        check_if_match(subscription)
        subscriptions.update_subscription(
            db_session(), current_user, subscription, changes, allow_private=_allow_private()
        )
        db_session().commit()
        return subscription, 200, {"ETag": etag_of(subscription)}

    @blp.auth_required(may_manage_webhooks)
    @blp.response(204)
    @blp.alt_response(404, response="NOT_FOUND")
    def delete(self, webhook_id: uuid.UUID) -> None:
        """Delete a subscription and its delivery history; nothing more is sent to it."""
        subscriptions.delete_subscription(db_session(), current_user, _get(webhook_id))
        db_session().commit()


@blp.route("/<uuid:webhook_id>/rotate-secret", methods=["POST"])
@blp.auth_required(may_manage_webhooks)
@blp.doc(operationId="rotateWebhookSecret")
@idempotent
@blp.response(200, WebhookWithSecretSchema, headers=ETAG_HEADER)
@blp.alt_response(404, response="NOT_FOUND")
def rotate_secret(webhook_id: uuid.UUID) -> Any:
    """Replace the signing secret; the response shows the new one once."""
    subscription = subscriptions.rotate_secret(db_session(), current_user, _get(webhook_id))
    db_session().commit()
    return subscription, 200, {"ETag": etag_of(subscription)}


@blp.route("/<uuid:webhook_id>/deliveries", methods=["GET"])
@blp.auth_required(may_manage_webhooks)
@blp.doc(operationId="listWebhookDeliveries")
@blp.arguments(DeliveryQuerySchema, location="query", as_kwargs=True)
@blp.alt_response(404, response="NOT_FOUND")
@blp.paginate_keyset(
    DeliverySchema, order=[(OutboxMessage.created_at, True), (OutboxMessage.id, True)]
)
def deliveries(webhook_id: uuid.UUID, status: str | None = None) -> Any:
    """List a subscription's deliveries, newest first: status, attempts, last error."""
    subscription = _get(webhook_id)
    stmt = visible_deliveries(current_user).where(OutboxMessage.subscription_id == subscription.id)
    if status is not None:
        stmt = stmt.where(OutboxMessage.status == status)
    return stmt


@blp.route("/deliveries/<uuid:delivery_id>/retry", methods=["POST"])
@blp.auth_required(may_manage_webhooks)
@blp.response(200, DeliverySchema)
@blp.alt_response(404, response="NOT_FOUND")
@blp.alt_response(409, response="CONFLICT", description="The delivery is not dead")
def retry_delivery(delivery_id: uuid.UUID) -> Any:
    """Send a dead delivery again, now, with a fresh set of attempts and the same id."""
    stmt = visible_deliveries(current_user).where(OutboxMessage.id == delivery_id)
    message = get_or_404(db_session(), stmt, "Delivery")
    subscriptions.retry_delivery(db_session(), current_user, message)
    db_session().commit()
    return message
