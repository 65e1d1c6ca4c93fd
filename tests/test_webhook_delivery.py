"""Notifications end to end: queued with the change, delivered by the worker to a real HTTP
receiver on 127.0.0.1, signed, retried, revived; deadline reminders once, in working hours."""

from __future__ import annotations

import hashlib
import hmac
import json
import os
import threading
import time
import uuid
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, date, datetime, timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import pytest
import sqlalchemy as sa
from flask_migrate import upgrade
from sqlalchemy.orm import Session

from pokja.cases.editing import change_stage
from pokja.directory.agencies import create_agency
from pokja.directory.pokjas import create_pokja
from pokja.extensions import db
from pokja.handoffs import shares
from pokja.handoffs.lifecycle import accept_handoff, decline_handoff, withdraw_handoff
from pokja.models import OutboxMessage, WebhookSubscription
from pokja.models.base import utcnow
from pokja.notify import delivery, reminders, signing
from pokja.notify.delivery import DeliverySettings, run_once
from pokja.notify.outbox import notify
from pokja.notify.subscriptions import create_subscription, new_secret
from tests.conftest import create_postgres_database, make_test_app
from tests.factories import hand_off, new_case

# The receiver is on 127.0.0.1, which a production worker refuses to call (SSRF).
SETTINGS = DeliverySettings(allow_private_networks=True, timeout=2.0)


class _Handler(BaseHTTPRequestHandler):
    def do_POST(self) -> None:
        body = self.rfile.read(int(self.headers["Content-Length"]))
        receiver: Receiver = self.server.receiver  # type: ignore[attr-defined]
        if self.path != receiver.path:  # another test's message, for a port used before
            self.send_response(404)
            self.send_header("Content-Length", "0")
            self.end_headers()
            return
        receiver.requests.append((dict(self.headers), body))
        self.send_response(receiver.status)
        if receiver.status in (301, 302, 307, 308):
            self.send_header("Location", "http://127.0.0.1:9/elsewhere")
        self.send_header("Content-Length", "0")
        self.end_headers()

    def log_message(self, *args: Any) -> None:
        pass


class Receiver:
    """A real HTTP server on 127.0.0.1 in a thread; ``status`` is what it answers."""

    def __init__(self) -> None:
        self.requests: list[tuple[dict[str, str], bytes]] = []
        self.status = 200
        self.port = 0
        self.path = f"/hooks/{uuid.uuid4().hex}"
        self.server: ThreadingHTTPServer | None = None
        self.thread: threading.Thread | None = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}{self.path}"

    def start(self) -> None:
        self.server = ThreadingHTTPServer(("127.0.0.1", self.port), _Handler)
        self.server.receiver = self  # type: ignore[attr-defined]
        self.port = self.server.server_address[1]
        self.thread = threading.Thread(
            target=self.server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True
        )
        self.thread.start()

    def stop(self) -> None:
        if self.server is not None:
            self.server.shutdown()
            self.server.server_close()
            assert self.thread is not None
            self.thread.join(timeout=5)
            self.server = None


@pytest.fixture
def receiver() -> Iterator[Receiver]:
    r = Receiver()
    r.start()
    yield r
    r.stop()


def subscribe(world, agency_kind: str, url: str, events: list[str], **data: Any):
    subscription = create_subscription(
        db.session,
        world.liaisons[agency_kind],
        {"url": url, "events": events, **data},
        allow_private=True,  # the receiver listens on 127.0.0.1
    )
    db.session.commit()
    return subscription


def outbox(world, **where: Any) -> list[OutboxMessage]:
    """The world's Pokja's messages (other tests' rows may be in the database)."""
    db.session.expire_all()
    stmt = (
        sa.select(OutboxMessage)
        .filter_by(pokja_id=world.pokja.id, **where)
        .order_by(OutboxMessage.created_at)
    )
    return list(db.session.scalars(stmt))


def started_handoff(world, **data: Any):
    handoff = hand_off(world, new_case(world), **data)
    db.session.commit()
    return handoff


# --- queued with the change -------------------------------------------------------------------


def test_handoff_steps_notify_the_agency_concerned(world):
    receiving = subscribe(world, "BKDPSDM", "http://127.0.0.1:9/bkd", ["handoff.received"])
    sending = subscribe(
        world, "BAWASLU", "http://127.0.0.1:9/bawaslu", ["handoff.accepted", "handoff.declined"]
    )
    subscribe(world, "BKDPSDM", "http://127.0.0.1:9/paused", ["handoff.received"], active=False)
    subscribe(world, "INSPEKTORAT", "http://127.0.0.1:9/insp", ["handoff.received"])

    handoff = started_handoff(world)
    [received] = outbox(world)
    assert (received.subscription_id, received.event_type) == (receiving.id, "handoff.received")
    assert received.agency_id == world.agencies["BKDPSDM"].id
    assert received.payload["handoff_id"] == str(handoff.id)
    assert received.payload["register_number"]
    assert "Budi Santoso" not in json.dumps(received.payload)  # thin: no personal data

    accept_handoff(db.session, world.liaisons["BKDPSDM"], handoff)
    db.session.commit()
    accepted = outbox(world, event_type="handoff.accepted")
    assert [m.subscription_id for m in accepted] == [sending.id]
    assert accepted[0].payload["status"] == "accepted"


def test_a_withdrawal_notifies_both_agencies(world):
    subscribe(world, "BKDPSDM", "http://127.0.0.1:9/bkd", ["handoff.withdrawn"])
    subscribe(world, "BAWASLU", "http://127.0.0.1:9/bawaslu", ["handoff.withdrawn"])
    handoff = started_handoff(world)
    withdraw_handoff(db.session, world.liaisons["BAWASLU"], handoff)
    db.session.commit()
    agencies = {m.agency_id for m in outbox(world, event_type="handoff.withdrawn")}
    assert agencies == {world.agencies["BKDPSDM"].id, world.agencies["BAWASLU"].id}


def test_a_decline_notifies_the_sender_with_the_reason(world):
    subscribe(world, "BAWASLU", "http://127.0.0.1:9/bawaslu", ["handoff.declined"])
    handoff = started_handoff(world)
    decline_handoff(
        db.session,
        world.liaisons["BKDPSDM"],
        handoff,
        {"decline_reason": "incomplete_file", "decline_text": "Berkas belum lengkap"},
    )
    db.session.commit()
    [declined] = outbox(world, event_type="handoff.declined")
    assert declined.payload["decline_reason"] == "incomplete_file"


def test_a_share_notifies_the_agency_given_it(world):
    subscribe(world, "KEJARI", "http://127.0.0.1:9/kejari", ["case.shared"])
    case = new_case(world)
    share = shares.grant_share(
        db.session, world.liaisons["BAWASLU"], case, world.agencies["KEJARI"].id, "Gakkumdu"
    )
    db.session.commit()
    [shared] = outbox(world)
    assert shared.event_type == "case.shared"
    assert shared.payload["share_id"] == str(share.id)
    assert shared.payload["register_number"] == case.register_number


def test_a_rolled_back_change_enqueues_nothing(world):
    subscribe(world, "BKDPSDM", "http://127.0.0.1:9/bkd", ["handoff.received"])
    case = new_case(world)
    db.session.commit()
    savepoint = db.session.begin_nested()
    hand_off(world, case)
    assert len(outbox(world)) == 1  # queued in the change's own transaction ...
    savepoint.rollback()
    assert outbox(world) == []  # ... and gone with it


def test_an_unknown_event_type_is_a_bug():
    with pytest.raises(ValueError, match="unknown webhook event type"):
        notify(
            db.session,
            pokja_id=uuid.uuid4(),
            agency_id=uuid.uuid4(),
            event_type="handoff.exploded",
            payload={},
        )


# --- delivery ---------------------------------------------------------------------------------


def test_delivery_is_signed_with_the_subscription_secret(world, receiver):
    subscription = subscribe(world, "BKDPSDM", receiver.url, ["handoff.received"])
    handoff = started_handoff(world)
    report = run_once(db.session, settings=SETTINGS)
    assert report.delivered == 1

    [(headers, body)] = receiver.requests
    [message] = outbox(world)
    assert headers["X-Pokja-Delivery"] == str(message.id)
    assert headers["X-Pokja-Event"] == "handoff.received"
    assert headers["Content-Type"] == "application/json"
    timestamp, signature = headers["X-Pokja-Timestamp"], headers["X-Pokja-Signature"]
    expected = hmac.new(
        subscription.secret.encode(), f"{timestamp}.".encode() + body, hashlib.sha256
    ).hexdigest()
    assert signature == f"sha256={expected}"
    assert signing.verify_signature(subscription.secret, body, timestamp, signature)
    assert not signing.verify_signature("whsec_wrong", body, timestamp, signature)
    assert not signing.verify_signature(
        subscription.secret, body.replace(b"pending", b"accepted"), timestamp, signature
    )
    replayed_later = int(timestamp) + signing.SIGNATURE_TOLERANCE + 1
    assert not signing.verify_signature(
        subscription.secret, body, timestamp, signature, now=replayed_later
    )

    document = json.loads(body)
    assert document["id"] == str(message.id)
    assert document["type"] == "handoff.received"
    assert document["agency_id"] == str(world.agencies["BKDPSDM"].id)
    assert document["data"]["handoff_id"] == str(handoff.id)
    assert (message.status, message.attempts, message.last_status_code) == ("delivered", 1, 200)
    assert message.delivered_at is not None
    assert message.next_attempt_at is None

    assert run_once(db.session, settings=SETTINGS).delivered == 0  # nothing sent twice
    assert len(receiver.requests) == 1


def test_receiver_down_is_retried_later_and_delivered_once_up(world, receiver):
    subscribe(world, "BKDPSDM", receiver.url, ["handoff.received"])
    receiver.stop()  # the port is closed now: connection refused
    started_handoff(world)
    t0 = utcnow()

    assert run_once(db.session, settings=SETTINGS, now=t0).delivered == 0
    [message] = outbox(world)
    assert (message.status, message.attempts) == ("pending", 1)
    assert "refused" in (message.last_error or "").lower()
    # 30 s after the first failure, less up to a quarter of jitter.
    assert t0 + timedelta(seconds=22) <= message.next_attempt_at <= t0 + timedelta(seconds=30)

    receiver.start()  # the same port again
    assert run_once(db.session, settings=SETTINGS, now=t0 + timedelta(seconds=10)).delivered == 0
    assert receiver.requests == []  # not due yet
    report = run_once(db.session, settings=SETTINGS, now=t0 + timedelta(seconds=31))
    assert report.delivered == 1
    [(headers, _)] = receiver.requests
    assert headers["X-Pokja-Delivery"] == str(message.id)
    [message] = outbox(world)
    assert (message.status, message.attempts, message.last_error) == ("delivered", 2, None)


def test_a_worker_killed_mid_way_is_relieved_after_its_lease(world, receiver):
    subscribe(world, "BKDPSDM", receiver.url, ["handoff.received"])
    started_handoff(world)
    t0 = utcnow()
    # A worker claims the message, then dies before sending it or writing any outcome.
    [abandoned] = delivery.claim_due(db.session, now=t0, settings=SETTINGS)
    [message] = outbox(world)
    assert message.claim_token == abandoned.token
    assert message.claimed_until == t0 + SETTINGS.lease

    # While the lease runs, no other worker touches it.
    assert delivery.claim_due(db.session, now=t0 + timedelta(seconds=5), settings=SETTINGS) == []
    assert run_once(db.session, settings=SETTINGS, now=t0 + SETTINGS.lease / 2).delivered == 0

    report = run_once(db.session, settings=SETTINGS, now=t0 + SETTINGS.lease + timedelta(seconds=1))
    assert report.delivered == 1
    [(headers, _)] = receiver.requests
    assert headers["X-Pokja-Delivery"] == str(abandoned.message_id) == str(message.id)
    [message] = outbox(world)
    assert (message.status, message.attempts, message.claim_token) == ("delivered", 2, None)

    # The dead worker's late outcome cannot overwrite what the next one recorded.
    late = delivery.record_outcome(
        db.session,
        abandoned,
        delivery.Outcome(False, error="late"),
        now=t0,
        settings=SETTINGS,
    )
    assert late is None
    assert outbox(world)[0].status == "delivered"


def test_dead_after_the_limit_then_the_retry_endpoint_revives_it(
    world, receiver, client, headers_for
):
    subscribe(world, "BKDPSDM", receiver.url, ["handoff.received"])
    receiver.status = 503
    started_handoff(world)
    settings = DeliverySettings(allow_private_networks=True, timeout=2.0, max_attempts=3)
    now = utcnow()
    for _ in range(3):
        run_once(db.session, settings=settings, now=now)
        now += settings.max_delay  # later than any back-off
    assert len(receiver.requests) == 3
    [message] = outbox(world)
    assert (message.status, message.attempts, message.next_attempt_at) == ("dead", 3, None)
    assert (message.last_status_code, message.last_error) == (503, "HTTP 503")
    run_once(db.session, settings=settings, now=now)
    assert len(receiver.requests) == 3  # dead stays dead

    receiver.status = 204
    response = client.post(
        f"/api/v1/webhooks/deliveries/{message.id}/retry",
        headers=headers_for(world.liaisons["BKDPSDM"]),
    )
    assert response.status_code == 200, response.get_json()
    assert (response.json["status"], response.json["attempts"]) == ("pending", 0)
    assert run_once(db.session, settings=settings).delivered == 1
    assert receiver.requests[-1][0]["X-Pokja-Delivery"] == str(message.id)
    assert outbox(world)[0].status == "delivered"


@pytest.mark.parametrize("status", [302, 404, 500])
def test_anything_but_2xx_is_a_failed_attempt(world, receiver, status):
    subscribe(world, "BKDPSDM", receiver.url, ["handoff.received"])
    receiver.status = status
    started_handoff(world)
    assert run_once(db.session, settings=SETTINGS).delivered == 0
    assert len(receiver.requests) == 1  # a redirect is not followed
    [message] = outbox(world)
    assert (message.status, message.last_status_code) == ("pending", status)


def test_private_addresses_are_refused_unless_allowed(world, receiver):
    subscribe(world, "BKDPSDM", receiver.url, ["handoff.received"])
    started_handoff(world)
    run_once(db.session, settings=DeliverySettings(timeout=2.0))
    assert receiver.requests == []
    assert "non-public address (127.0.0.1)" in outbox(world)[0].last_error


def test_back_off_doubles_from_30_seconds_up_to_an_hour():
    for attempt, seconds in [(1, 30), (2, 60), (3, 120), (7, 1920), (8, 3600), (20, 3600)]:
        delay = delivery.backoff(attempt, SETTINGS).total_seconds()
        assert seconds * 0.75 <= delay <= seconds


def test_the_worker_command_sends_what_is_due(world, receiver, app, monkeypatch):
    subscribe(world, "BKDPSDM", receiver.url, ["handoff.received"])
    started_handoff(world)
    monkeypatch.setitem(app.config, "POKJA_WEBHOOK_ALLOW_PRIVATE_NETWORKS", "true")
    result = app.test_cli_runner().invoke(args=["worker", "--once"])
    assert result.exit_code == 0, result.output
    assert "delivered 1" in result.output
    assert len(receiver.requests) == 1


def test_settings_come_from_the_configuration():
    settings = DeliverySettings.from_config({"POKJA_WEBHOOK_MAX_ATTEMPTS": "3"})
    assert (settings.max_attempts, settings.allow_private_networks) == (3, False)
    assert DeliverySettings.from_config({}).max_attempts == 8


# --- deadline reminders -----------------------------------------------------------------------

WIB = timedelta(hours=7)  # Asia/Jakarta, the test Pokja's zone


def jakarta(day: date, hour: int) -> datetime:
    return datetime(day.year, day.month, day.day, hour, tzinfo=UTC) - WIB


WEDNESDAY = date(2024, 6, 5)  # an ordinary working week in Indonesia


@pytest.fixture
def deadline_subscriptions(world):
    return {
        kind: subscribe(world, kind, f"http://127.0.0.1:9/{kind.lower()}", list(reminders_types()))
        for kind in ("BKDPSDM", "BAWASLU")
    }


def reminders_types() -> tuple[str, ...]:
    return ("deadline.approaching", "deadline.passed")


def remind(world, now: datetime) -> int:
    """Produce the reminders due at ``now``; how many the world's Pokja got."""
    before = len(outbox(world))
    reminders.produce_deadline_reminders(db.session, now=now)
    db.session.commit()
    return len(outbox(world)) - before


def test_a_handoff_due_within_a_working_day_is_reminded_once(world, deadline_subscriptions):
    handoff = started_handoff(world, due_on=WEDNESDAY + timedelta(days=1))
    now = jakarta(WEDNESDAY, 10)
    assert remind(world, now) == 1
    assert remind(world, now + timedelta(hours=2)) == 0
    [reminder] = outbox(world, event_type="deadline.approaching")
    assert reminder.agency_id == world.agencies["BKDPSDM"].id  # the one that must act
    assert reminder.payload["item_id"] == str(handoff.id)
    assert reminder.payload["due_on"] == "2024-06-06"
    assert reminder.next_attempt_at == now


def test_a_cases_decision_clock_is_reminded_to_bawaslu_like_the_other_deadlines(
    world, deadline_subscriptions
):
    # Registered Monday 3 June 2024: Bawaslu decides within 7 days (UU 7/2017 art. 454(7)),
    # so by the end of Monday 10 June.
    case = new_case(world, registered_at=jakarta(date(2024, 6, 3), 10), election="pemilu-2024")
    db.session.commit()
    bawaslu = world.agencies["BAWASLU"].id
    assert remind(world, jakarta(date(2024, 6, 6), 10)) == 0  # Thursday: not yet
    assert remind(world, jakarta(date(2024, 6, 7), 10)) == 1  # Friday: Monday is next
    [approaching] = outbox(world, event_type="deadline.approaching")
    assert approaching.agency_id == bawaslu
    assert approaching.payload["kind"] == "case_decision"
    assert approaching.payload["item_id"] == str(case.id)
    assert approaching.payload["register_number"] == case.register_number
    assert approaching.payload["due_on"] == "2024-06-10"
    assert remind(world, jakarta(date(2024, 6, 11), 10)) == 1  # Tuesday: it has passed
    [passed] = outbox(world, event_type="deadline.passed")
    assert (passed.agency_id, passed.payload["item_id"]) == (bawaslu, str(case.id))
    assert remind(world, jakarta(date(2024, 6, 11), 11)) == 0  # once


def test_a_decided_case_is_not_reminded_of_its_decision_clock(world, deadline_subscriptions):
    case = new_case(world, registered_at=jakarta(date(2024, 6, 3), 10), election="pemilu-2024")
    change_stage(
        db.session, world.liaisons["BAWASLU"], case, "dismissed", dismissal_reason="withdrawn"
    )
    db.session.commit()
    assert remind(world, jakarta(date(2024, 6, 7), 10)) == 0


def test_a_friday_reminds_of_a_monday_deadline(world, deadline_subscriptions):
    started_handoff(world, due_on=date(2024, 6, 10))
    assert remind(world, jakarta(date(2024, 6, 6), 9)) == 0
    assert remind(world, jakarta(date(2024, 6, 7), 9)) == 1


def test_no_reminders_outside_working_hours(world, deadline_subscriptions):
    started_handoff(world, due_on=WEDNESDAY)
    saturday = date(2024, 6, 8)
    idul_adha = date(2024, 6, 17)  # a public holiday on a Monday
    for now in (
        jakarta(WEDNESDAY, 7),  # 07:00, before the office opens
        jakarta(WEDNESDAY, 16),  # 16:00, closed
        jakarta(saturday, 10),
        jakarta(idul_adha, 10),
    ):
        assert remind(world, now) == 0, now
    assert outbox(world, event_type="deadline.approaching") == []
    assert outbox(world, event_type="deadline.passed") == []


def test_a_passed_deadline_is_told_once_to_both_agencies(world, deadline_subscriptions):
    started_handoff(world, due_on=WEDNESDAY - timedelta(days=1))
    assert remind(world, jakarta(WEDNESDAY, 8)) == 2
    assert remind(world, jakarta(WEDNESDAY, 15)) == 0
    passed = outbox(world, event_type="deadline.passed")
    assert {m.agency_id for m in passed} == {
        world.agencies["BKDPSDM"].id,
        world.agencies["BAWASLU"].id,
    }


def test_an_answered_handoff_is_not_reminded(world, deadline_subscriptions):
    handoff = started_handoff(world, due_on=WEDNESDAY)
    accept_handoff(db.session, world.liaisons["BKDPSDM"], handoff)
    db.session.commit()
    assert remind(world, jakarta(WEDNESDAY, 10)) == 0


def test_an_extended_deadline_is_reminded_again(world, deadline_subscriptions):
    handoff = started_handoff(world, due_on=WEDNESDAY)
    assert remind(world, jakarta(WEDNESDAY, 10)) == 1
    handoff.due_on = WEDNESDAY + timedelta(days=1)
    db.session.commit()
    assert remind(world, jakarta(WEDNESDAY, 11)) == 1


def test_the_worker_produces_and_sends_reminders(world, receiver):
    subscribe(world, "BKDPSDM", receiver.url, ["deadline.approaching"])
    started_handoff(world, due_on=WEDNESDAY)
    report = run_once(db.session, settings=SETTINGS, now=jakarta(WEDNESDAY, 10))
    assert report.reminders >= 1
    assert report.delivered == 1
    assert receiver.requests[0][0]["X-Pokja-Event"] == "deadline.approaching"
    assert run_once(db.session, settings=SETTINGS, now=jakarta(WEDNESDAY, 11)).delivered == 0
    assert len(outbox(world)) == 1


# --- two workers at once (PostgreSQL: FOR UPDATE SKIP LOCKED) ----------------------------------

BASE_URL = os.environ.get("POKJA_TEST_DATABASE_URL", "")


@pytest.mark.postgres
@pytest.mark.skipif(
    not BASE_URL.startswith(("postgresql", "postgres:")),
    reason="needs POKJA_TEST_DATABASE_URL pointing at PostgreSQL",
)
def test_concurrent_workers_never_claim_the_same_message():
    url, drop = create_postgres_database(BASE_URL)
    engine = sa.create_engine(url, pool_size=8)
    try:
        with make_test_app(url).app_context():
            upgrade()
            db.engine.dispose()
        with Session(engine) as session:
            _seed_outbox(session, 60)
        settings = DeliverySettings(batch_size=7)
        now = utcnow() + timedelta(seconds=1)
        barrier = threading.Barrier(6)

        def worker(_i: int) -> list[uuid.UUID]:
            claimed: list[uuid.UUID] = []
            with Session(engine) as session:
                barrier.wait()
                while claims := delivery.claim_due(session, now=now, settings=settings):
                    claimed += [c.message_id for c in claims]
                    time.sleep(0.02)  # sending takes a while: the others claim meanwhile
            return claimed

        with ThreadPoolExecutor(max_workers=6) as pool:
            results = list(pool.map(worker, range(6)))
        everything = [m for claimed in results for m in claimed]
        assert len(everything) == len(set(everything)) == 60
        assert sum(1 for claimed in results if claimed) > 1  # the work was shared
    finally:
        engine.dispose()
        drop()


def _seed_outbox(session: Session, n: int) -> None:

    pokja = create_pokja(
        session,
        None,
        {
            "name": "Pokja Kota Bengkulu",
            "region_code": "17.71",
            "region_name": "Kota Bengkulu",
            "level": "kota",
        },
    )
    agency = create_agency(
        session, None, {"pokja_id": pokja.id, "kind": "BKDPSDM", "name": "BKPSDM"}
    )
    subscription = WebhookSubscription(
        pokja_id=pokja.id,
        agency_id=agency.id,
        url="http://127.0.0.1:9/bkd",
        events=["handoff.received"],
        secret=new_secret(),
    )
    session.add(subscription)
    session.flush()
    for i in range(n):
        notify(
            session,
            pokja_id=pokja.id,
            agency_id=agency.id,
            event_type="handoff.received",
            payload={"i": i},
        )
    session.commit()
