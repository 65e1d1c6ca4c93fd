"""``/metrics`` for Prometheus (DESIGN §9): requests by route template and status, their
latency, the outbox's backlog and dead deliveries, the database pool's use.

Under gunicorn every worker is a process of its own: with ``PROMETHEUS_MULTIPROC_DIR`` set
(gunicorn.conf.py sets it), prometheus-client keeps each process's values in memory-mapped
files there and a scrape of any worker adds them up. A request costs a counter increment and
a histogram observation on children looked up once per (method, route, status); the pool
gauges move on checkout and checkin. The outbox is counted when scraped, not per request.

Who may read it: a request with ``Authorization: Bearer <POKJA_METRICS_TOKEN>`` when that is
set, or one from the networks in ``POKJA_METRICS_ALLOW`` (default: this machine only) that did
not come through a proxy (no ``X-Forwarded-For``/``Forwarded`` header: behind a reverse proxy
on the same machine every request comes from 127.0.0.1).
"""

from __future__ import annotations

import hmac
import ipaddress
import os
import time
from collections.abc import Iterator
from typing import Any

from flask import Flask, current_app, g, request
from flask.wrappers import Response
from prometheus_client import (
    CONTENT_TYPE_LATEST,
    REGISTRY,
    CollectorRegistry,
    Counter,
    Gauge,
    Histogram,
    generate_latest,
    multiprocess,
)
from prometheus_client.core import GaugeMetricFamily
from prometheus_client.registry import Collector
from sqlalchemy.exc import SQLAlchemyError

from pokja.api.base import Blueprint
from pokja.errors import NotPermitted
from pokja.extensions import db, db_session, watch_pool
from pokja.notify.outbox import backlog
from pokja.time import clock

blp = Blueprint("metrics", __name__, description="Operations (Prometheus)")

REQUESTS = Counter(
    "pokja_http_requests",
    "HTTP requests answered, by method, route template and status",
    ["method", "route", "status"],
)
LATENCY = Histogram(
    "pokja_http_request_duration_seconds",
    "Time to answer a request (to the first byte of a streamed body), by route template",
    ["method", "route"],
    buckets=(0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0),
)
POOL_IN_USE = Gauge(
    "pokja_db_pool_connections_in_use",
    "Database connections checked out of the pools (all processes)",
    multiprocess_mode="livesum",
)
POOL_OPEN = Gauge(
    "pokja_db_pool_connections_open",
    "Database connections open in the pools (all processes)",
    multiprocess_mode="livesum",
)
_METHODS = frozenset(("GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"))
_FORWARDED = ("X-Forwarded-For", "Forwarded", "X-Real-IP")
# (method, route, status) -> (counter child, histogram child): no label lookup per request.
_children: dict[tuple[str, str, int], tuple[Any, Any]] = {}


def _observe(response: Response) -> Response:
    started = g.pop("metrics_started", None)
    if started is None:
        return response
    rule = request.url_rule
    method = request.method if request.method in _METHODS else "other"
    key = (method, rule.rule if rule is not None else "unmatched", response.status_code)
    children = _children.get(key)
    if children is None:
        children = (REQUESTS.labels(key[0], key[1], str(key[2])), LATENCY.labels(key[0], key[1]))
        _children[key] = children
    children[0].inc()
    children[1].observe(time.perf_counter() - started)
    return response


def _start() -> None:
    g.metrics_started = time.perf_counter()


def init_metrics(app: Flask) -> None:
    """Count the app's requests and its pool's connections (call in an app context)."""
    # The first hook of all, so that the time includes the others and every answer counts.
    app.before_request_funcs.setdefault(None, []).insert(0, _start)
    app.after_request(_observe)
    watch_pool(db.engine, POOL_IN_USE.inc, POOL_OPEN.inc)


class _Outbox(Collector):
    """The outbox, counted when scraped."""

    def collect(self) -> Iterator[GaugeMetricFamily]:
        # A database that does not answer is when metrics matter most: say so and go on.
        try:
            state = backlog(db_session())
        except SQLAlchemyError:
            db_session().rollback()
            yield GaugeMetricFamily("pokja_database_up", "Whether the database answered", 0)
            return
        yield GaugeMetricFamily("pokja_database_up", "Whether the database answered", 1)
        messages = GaugeMetricFamily(
            "pokja_outbox_messages", "Webhook messages by state", labels=["status"]
        )
        messages.add_metric(["pending"], state.pending)
        messages.add_metric(["dead"], state.dead)
        yield messages
        age = 0.0
        if state.oldest_pending_at is not None:
            age = max(0.0, (clock.now() - state.oldest_pending_at).total_seconds())
        yield GaugeMetricFamily(
            "pokja_outbox_oldest_pending_seconds",
            "Age of the oldest message waiting to be delivered (0 when none waits)",
            value=age,
        )


def _may_read() -> bool:
    token = current_app.config.get("POKJA_METRICS_TOKEN")
    if token:
        given = request.headers.get("Authorization", "")
        if hmac.compare_digest(given.encode(), f"Bearer {token}".encode()):
            return True
    if any(name in request.headers for name in _FORWARDED):
        return False
    try:
        address = ipaddress.ip_address(request.remote_addr or "")
    except ValueError:
        return False
    return any(address in network for network in current_app.config["POKJA_METRICS_ALLOW"])


def _registry() -> CollectorRegistry:
    if "PROMETHEUS_MULTIPROC_DIR" not in os.environ:
        return REGISTRY
    registry = CollectorRegistry()
    multiprocess.MultiProcessCollector(registry)  # type: ignore[no-untyped-call]
    return registry


@blp.route("/metrics", methods=["GET"])
@blp.doc(
    responses={
        "200": {
            "description": "The Prometheus text format",
            "content": {CONTENT_TYPE_LATEST.split(";")[0]: {"schema": {"type": "string"}}},
        }
    }
)
@blp.alt_response(403, response="FORBIDDEN")
def metrics() -> Response:
    """Metrics for Prometheus (this machine, or `POKJA_METRICS_TOKEN`, by default)."""
    if not _may_read():
        raise NotPermitted("Metrics are readable from the allowed networks or with the token.")
    outbox = CollectorRegistry(auto_describe=False)
    outbox.register(_Outbox())
    body = generate_latest(_registry()) + generate_latest(outbox)
    return Response(body, content_type=CONTENT_TYPE_LATEST)
