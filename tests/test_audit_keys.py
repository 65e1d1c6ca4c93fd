"""The keyed audit chain (issue 9): an event's hash is an HMAC under a key outside the
database, so rewriting rows and recomputing plain hashes is detected; keys rotate, each event
names its key, and ``pokja audit-verify`` says which keys verified."""

from __future__ import annotations

import hashlib
import json
from collections import Counter

import pytest
import sqlalchemy as sa

from pokja.audit import events, keys
from pokja.config import ConfigError
from pokja.extensions import db
from pokja.models import Event, EventChainHead
from tests.conftest import make_test_app
from tests.test_events import append


@pytest.fixture
def keyring():
    """Install keyrings in a test; the app's own one is back afterwards."""
    installed = keys.current()
    yield lambda spec, current=None: keys.install(
        keys.keyring_from_config(
            {"POKJA_AUDIT_KEYS": spec, "POKJA_AUDIT_KEY_ID": current, "SECRET_KEY": "x"}
        )
    )
    keys.install(installed)


def _plain(row) -> str:
    """What an attacker without the key computes: the unkeyed canonical SHA-256."""
    fields = {
        "id": str(row.id),
        "pokja_id": str(row.pokja_id),
        "seq": row.seq,
        "case_id": None,
        "actor_user_id": str(row.actor_user_id),
        "actor_agency_id": str(row.actor_agency_id),
        "type": row.type,
        "occurred_at": row.occurred_at.isoformat(),
        "data": row.data,
        "prev_hash": row.prev_hash,
    }
    canonical = json.dumps(fields, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return hashlib.sha256(canonical.encode()).hexdigest()


def _rewrite_from(pokja_id, seq, data, *, key_id="keep"):
    """Change event ``seq``'s data and recompute the chain from it with plain hashes."""
    rows = db.session.scalars(
        sa.select(Event)
        .where(Event.pokja_id == pokja_id, Event.seq >= seq)
        .order_by(Event.seq)
        .execution_options(populate_existing=True)
    ).all()
    prev = (
        db.session.scalar(
            sa.select(Event.hash).where(Event.pokja_id == pokja_id, Event.seq == seq - 1)
        )
        or events.GENESIS_HASH
    )
    for row in rows:
        if row.seq == seq:
            row.data = data
        row.prev_hash = prev
        row.hash = _plain(row)
        if key_id != "keep":
            row.key_id = key_id
        prev = row.hash
        db.session.flush()
    db.session.execute(
        sa.update(EventChainHead).where(EventChainHead.pokja_id == pokja_id).values(last_hash=prev)
    )


def test_events_are_hmacs_under_the_current_key_which_they_name(world):
    recorded = append(world.pokja, world.coordinator, 2)
    assert {e.key_id for e in recorded} == {keys.current().current_id}
    assert all(e.hash != _plain(e) for e in recorded)
    assert events.verify_chain(db.session, world.pokja.id) is None


def test_a_rewrite_with_recomputed_plain_hashes_is_detected(world):
    recorded = append(world.pokja, world.coordinator, 4)
    _rewrite_from(world.pokja.id, 2, {"i": "forged"})

    broken = events.verify_chain(db.session, world.pokja.id)

    assert (broken.seq, broken.event_id) == (2, recorded[1].id)
    assert broken.reason == "the stored event differs from what was recorded"


def test_a_rewrite_passed_off_as_unkeyed_is_a_downgrade(world):
    append(world.pokja, world.coordinator, 4)
    _rewrite_from(world.pokja.id, 3, {"i": "forged"}, key_id=None)

    broken = events.verify_chain(db.session, world.pokja.id)

    assert broken.seq == 3
    assert "without an audit key follows keyed events" in broken.reason


def test_a_whole_chain_rewritten_unkeyed_is_named_and_refused_on_request(app, world):
    append(world.pokja, world.coordinator, 3)
    _rewrite_from(world.pokja.id, 1, {"i": "forged"}, key_id=None)
    runner = app.test_cli_runner()

    lenient = runner.invoke(args=["audit-verify", "--pokja-id", str(world.pokja.id)])
    strict = runner.invoke(
        args=["audit-verify", "--pokja-id", str(world.pokja.id), "--require-keyed"]
    )

    assert "3 with key unkeyed" in lenient.output
    assert strict.exit_code == 1
    assert "3 events carry no audit key" in strict.output


def test_keys_rotate_old_events_verify_with_theirs_and_the_cli_names_them(app, world, keyring):
    keyring("k2026:" + "a" * 32)
    append(world.pokja, world.coordinator, 2)
    keyring("k2026:" + "a" * 32 + ",k2027:" + "b" * 32)  # the last listed is current
    later = append(world.pokja, world.coordinator, 3)
    assert {e.key_id for e in later} == {"k2027"}

    used = Counter()
    assert events.verify_chain(db.session, world.pokja.id, used) is None
    assert used == {"k2026": 2, "k2027": 3}
    result = app.test_cli_runner().invoke(args=["audit-verify", "--pokja-id", str(world.pokja.id)])
    assert result.exit_code == 0, result.output
    assert "2 with key k2026, 3 with key k2027" in result.output

    keyring("k2027:" + "b" * 32)  # the old key dropped: its events no longer verify
    broken = events.verify_chain(db.session, world.pokja.id)
    assert broken.seq == 1
    assert "'k2026', which is not configured" in broken.reason


def test_another_key_does_not_verify_the_chain(world, keyring):
    keyring("same-id:" + "a" * 32)
    append(world.pokja, world.coordinator, 2)
    keyring("same-id:" + "c" * 32)
    assert events.verify_chain(db.session, world.pokja.id).seq == 1


@pytest.mark.parametrize(
    ("spec", "current", "message"),
    [
        ("nocolon", None, "id:secret pairs"),
        ("a:" + "x" * 32 + ",a:" + "y" * 32, None, "twice"),
        ("a:" + "x" * 32, "b", "not among"),
        ("a:short", None, "at least 32"),
    ],
)
def test_bad_audit_keys_stop_the_app_with_one_line(
    database_url, monkeypatch, spec, current, message
):
    installed = keys.current()
    monkeypatch.setenv("POKJA_AUDIT_KEYS", spec)
    if current:
        monkeypatch.setenv("POKJA_AUDIT_KEY_ID", current)
    with pytest.raises(ConfigError, match=message):
        make_test_app(
            database_url, POKJA_ENV="production", SECRET_KEY="s" * 40, JWT_SECRET_KEY="s" * 40
        )
    keys.install(installed)


def test_production_without_audit_keys_warns(database_url, caplog):
    installed = keys.current()
    make_test_app(
        database_url, POKJA_ENV="production", SECRET_KEY="s" * 40, JWT_SECRET_KEY="s" * 40
    )
    assert keys.current().derived
    assert "POKJA_AUDIT_KEYS is not set" in caplog.text
    keys.install(installed)
