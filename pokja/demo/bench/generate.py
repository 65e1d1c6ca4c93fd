"""``pokja bench-data``: fill a migrated PostgreSQL database with a benchmark data set, and
undo what a benchmark run wrote."""

from __future__ import annotations

import hashlib
import json
import time
from collections.abc import Callable, Iterable
from datetime import UTC, date, datetime, timedelta
from typing import Any

import psycopg

from pokja.audit import events, keys
from pokja.demo.bench.cases_sql import CASES
from pokja.demo.bench.children_sql import CHILDREN
from pokja.demo.bench.directory_sql import DIRECTORY, SETUP
from pokja.demo.bench.events_sql import EVENT_COLUMNS, EVENTS, LOADED, RESET, SNAPSHOT
from pokja.demo.bench.followup_sql import FOLLOW_UP
from pokja.demo.bench.vocabulary import (
    DEFAULT_AS_OF,
    DEFAULT_PASSWORD,
    HISTORY_START,
    SEED,
    SEED_VERSION,
    SIZES,
    NotEmpty,
)
from pokja.directory import passwords
from pokja.models import MEMBER_AGENCY_KINDS, POKJA_TIMEZONES
from pokja.time.calendar import PokjaCalendar
from pokja.time.catalogue import Clock, ElectionKind, clock_settings, deadline_for


def logins(size: str) -> list[str]:
    """How to name the users of a data set of ``size`` (all share one password)."""
    last = SIZES[size].pokjas
    kinds = ", ".join(kind.lower() for kind in MEMBER_AGENCY_KINDS)
    return [
        f"coordinator-<n>, secretary-<n>, viewer-<n> for Pokja n = 1..{last} (Bawaslu's agency)",
        f"liaison-<n>-<kind> for each agency, kind one of {kinds}",
        "bench-admin (administrator)",
    ]


def deadline_rows(as_of: date) -> Iterable[tuple[Any, ...]]:
    """b_due: when pokja's clocks started on each day run out, per zone and election kind."""
    settings = clock_settings()
    clocks = (Clock.HANDOFF_ACCEPTANCE, Clock.RECOMMENDATION_FOLLOW_UP, Clock.DECISION_EXTENSION)
    for zone in POKJA_TIMEZONES:
        calendar = PokjaCalendar(time_zone=zone)
        day = HISTORY_START - timedelta(days=10)
        while day <= as_of + timedelta(days=10):
            noon = datetime(day.year, day.month, day.day, 12, tzinfo=calendar.zone)
            for clock in clocks:
                for kind in ElectionKind:
                    due = deadline_for(calendar, settings, clock, kind, noon)
                    setting = settings[clock][kind]
                    row = (zone, day, str(clock), str(kind), due, due.date(), setting.length)
                    yield (*row, setting.unit)
            day += timedelta(days=1)


def day_rows(as_of: date) -> Iterable[tuple[date, int]]:
    """b_day: how many working days (Indonesia's calendar) up to and including each day."""
    calendar, working = PokjaCalendar(), 0
    day = HISTORY_START - timedelta(days=10)
    while day <= as_of + timedelta(days=90):
        working += calendar.is_working_day(day)
        yield day, working
        day += timedelta(days=1)


def copy(cur: psycopg.Cursor[Any], sql: str, rows: Iterable[tuple[Any, ...]]) -> None:
    with cur.copy(sql) as copy:
        for row in rows:
            copy.write_row(row)


def rebuild_ddl(cur: psycopg.Cursor[Any]) -> tuple[list[str], list[str]]:
    """DDL that drops the loaded tables' keys and indexes and every foreign key, and the DDL
    that re-creates them from their own definitions (the migrations' schema, unchanged)."""
    fks = cur.execute(
        "SELECT conrelid::regclass::text, conname, pg_get_constraintdef(oid) FROM pg_constraint"
        " WHERE contype = 'f' AND connamespace = 'public'::regnamespace"
    ).fetchall()
    keys = cur.execute(
        "SELECT conrelid::regclass::text, conname, pg_get_constraintdef(oid) FROM pg_constraint"
        " WHERE contype IN ('p', 'u') AND conrelid = ANY(%s::regclass[])",
        (LOADED,),
    ).fetchall()
    indexes = cur.execute(
        "SELECT indexrelid::regclass::text, pg_get_indexdef(indexrelid) FROM pg_index"
        " WHERE indrelid = ANY(%s::regclass[]) AND NOT EXISTS"
        " (SELECT 1 FROM pg_constraint WHERE conindid = indexrelid)",
        (LOADED,),
    ).fetchall()
    drop = [f'ALTER TABLE {t} DROP CONSTRAINT "{name}"' for t, name, _ in fks]
    drop += [f"DROP INDEX {name}" for name, _ in indexes]
    drop += [f'ALTER TABLE {t} DROP CONSTRAINT "{name}"' for t, name, _ in keys]
    create = [f'ALTER TABLE {t} ADD CONSTRAINT "{name}" {ddl}' for t, name, ddl in keys]
    create += [ddl for _, ddl in indexes]
    create += [f'ALTER TABLE {t} ADD CONSTRAINT "{name}" {ddl}' for t, name, ddl in fks]
    return drop, create


def chain_events(conn: psycopg.Connection[Any]) -> int:
    """Number b_event per Pokja in time order, hash-chain them as :func:`pokja.audit.events.record`
    does, and COPY them into ``events``; then the chain heads. Returns the number of events."""
    heads: list[tuple[Any, int, str]] = []
    keyring = keys.current()
    pokja_id, seq, prev = None, 0, events.GENESIS_HASH
    with conn.cursor(name="bench_events") as source, conn.cursor() as target:
        source.execute(
            "SELECT pokja_id, id, case_id, actor_user_id, actor_agency_id, type, at, data::text"
            " FROM b_event ORDER BY pokja_id, at, i, ord"
        )
        while rows := source.fetchmany(20_000):
            batch = []
            for pid, event_id, case_id, user_id, agency_id, kind, at, text in rows:
                if pid != pokja_id:
                    if pokja_id is not None:
                        heads.append((pokja_id, seq, prev))
                    pokja_id, seq, prev = pid, 0, events.GENESIS_HASH
                seq += 1
                data = json.loads(text)
                digest = events.keyed_hash(
                    keyring,
                    id=event_id,
                    pokja_id=pid,
                    seq=seq,
                    case_id=case_id,
                    actor_user_id=user_id,
                    actor_agency_id=agency_id,
                    type=kind,
                    occurred_at=at,
                    data=data,
                    prev_hash=prev,
                )
                row = (event_id, pid, seq, case_id, user_id, agency_id, kind, at, json.dumps(data))
                batch.append((*row, prev, digest, keyring.current_id))
                prev = digest
            copy(target, f"COPY events ({EVENT_COLUMNS}) FROM STDIN", batch)
        if pokja_id is not None:
            heads.append((pokja_id, seq, prev))
        sql = "COPY event_chain_heads (pokja_id, last_seq, last_hash) FROM STDIN"
        copy(target, sql, heads)
    return sum(seq for _, seq, _ in heads)


def password_hash(password: str) -> str:
    """One argon2 hash for every user, by pokja's own hasher and profile (so that no login
    re-hashes), with a salt from the seed so that the users' rows are the same on every run."""
    hasher = passwords._hasher_for(passwords.profile())
    return hasher.hash(password, salt=hashlib.sha256(SEED.encode()).digest()[:16])


def row_counts(cur: psycopg.Cursor[Any]) -> dict[str, int]:
    tables: tuple[str, ...] = ("pokjas", "agencies", "users", "cases", "subjects", "handoffs")
    tables += ("recommendations", "events")
    sql = ", ".join(f"(SELECT count(*) FROM {t})" for t in tables)
    return dict(zip(tables, cur.execute(f"SELECT {sql}").fetchone() or (), strict=True))


def generate(
    database_url: str,
    size: str,
    *,
    as_of: date = DEFAULT_AS_OF,
    password: str = DEFAULT_PASSWORD,
    replace: bool = False,
    log: Callable[[str], None] = print,
) -> dict[str, int]:
    """Fill the (migrated) PostgreSQL database at ``database_url`` with a data set of ``size``;
    refuses a database that has Pokjas or users unless ``replace``. Returns row counts."""
    spec = SIZES[size]
    params = {"pokjas": spec.pokjas, "cases": spec.cases, "as_of": as_of}
    params |= {"events_per_case": spec.events_per_case, "hash": password_hash(password)}
    started = time.monotonic()
    with psycopg.connect(database_url, cursor_factory=psycopg.ClientCursor) as conn:
        cur = conn.cursor()
        cur.execute("SET TIME ZONE 'UTC'")
        filled = "SELECT EXISTS (SELECT FROM pokjas) OR EXISTS (SELECT FROM users)"
        if cur.execute(filled).fetchone() != (False,):
            if not replace:
                raise NotEmpty("The database has Pokjas or users already (--replace empties it).")
            tables = cur.execute(
                "SELECT string_agg(quote_ident(tablename), ', ') FROM pg_tables"
                " WHERE schemaname = 'public' AND tablename <> 'alembic_version'"
            ).fetchone()
            cur.execute(f"TRUNCATE {tables[0] if tables else ''} CASCADE")
        cur.execute("DROP SCHEMA IF EXISTS bench CASCADE")
        cur.execute(SETUP)
        copy(cur, "COPY b_due FROM STDIN", deadline_rows(as_of))
        copy(cur, "COPY b_day FROM STDIN", day_rows(as_of))
        drop, create = rebuild_ddl(cur)
        for ddl in drop:
            cur.execute(ddl)
        for label, sql in DIRECTORY + CASES + CHILDREN + FOLLOW_UP + [("events", EVENTS)]:
            step = time.monotonic()
            cur.execute(sql, params)
            log(f"  {label:<40} {time.monotonic() - step:6.1f} s")
        step = time.monotonic()
        chained = chain_events(conn)
        log(f"  {'hash chain of ' + str(chained) + ' events':<40} {time.monotonic() - step:6.1f} s")
        step = time.monotonic()
        for ddl in create:
            cur.execute(ddl)
        log(
            f"  {f'{len(create)} keys, indexes, foreign keys':<40} {time.monotonic() - step:6.1f} s"
        )
        cur.execute(SNAPSHOT)
        meta = {"size": size, "seed": SEED, "seed_version": SEED_VERSION, "as_of": str(as_of)}
        meta |= {"generated_at": datetime.now(UTC).isoformat(timespec="seconds")}
        meta |= {"logins": "; ".join(logins(size))}
        cur.executemany("INSERT INTO bench.meta VALUES (%s, %s)", list(meta.items()))
        conn.commit()
        conn.autocommit = True
        step = time.monotonic()
        cur.execute("VACUUM (ANALYZE)")
        log(f"  {'vacuum analyze':<40} {time.monotonic() - step:6.1f} s")
        counts = row_counts(cur)
    log(f"  {'in all':<40} {time.monotonic() - started:6.1f} s")
    return counts


def reset_writes(database_url: str) -> int:
    """Undo what a benchmark run wrote since :func:`generate`: events after the generated
    chain heads (reads log events), answered pending handoffs and their cases, outbox and
    idempotency rows, login sessions. Returns how many events were removed."""
    with psycopg.connect(database_url, autocommit=True) as conn:
        with conn.transaction():
            before = conn.execute("SELECT count(*) FROM events").fetchone()
            conn.execute(RESET)
            after = conn.execute("SELECT count(*) FROM events").fetchone()
        for table in ("events", "event_chain_heads", "handoffs", "cases", "auth_sessions"):
            conn.execute(f"VACUUM (ANALYZE) {table}")
    return (before or (0,))[0] - (after or (0,))[0]
