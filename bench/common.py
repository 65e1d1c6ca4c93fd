"""What bench/run.py and bench/explain.py share: the app in production configuration on the
benchmark database, the data set's description, access tokens, and statement counting."""

from __future__ import annotations

import gc
import os
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

import sqlalchemy as sa
from flask import Flask

# What the app needs to run as in production; DATABASE_URL must name the benchmark database.
BENCH_ENV = {
    "POKJA_ENV": "production",
    "SECRET_KEY": "bench-only-secret-key-0123456789abcdefghijklmnop",
    "POKJA_ACCESS_MINUTES": "600",
}
NON_BAWASLU = ("BKDPSDM", "INSPEKTORAT", "KEJARI", "TNI", "POLRI")


def configure_environment() -> str:
    """Fill in the production settings the benchmark needs; return the database URL."""
    url = os.environ.get("DATABASE_URL", "")
    if not url.startswith(("postgresql://", "postgres://")):
        raise SystemExit("set DATABASE_URL to the PostgreSQL database `pokja bench-data` filled")
    for key, value in BENCH_ENV.items():
        os.environ.setdefault(key, value)
    return url


def make_app() -> Flask:
    from pokja import create_app

    # Logging in is not measured; tokens are minted (see mint_token), so no rate limit applies.
    app = create_app({"RATELIMIT_ENABLED": False})
    # What wsgi.py does after starting: the startup objects frozen out of the collector.
    gc.collect()
    gc.freeze()
    return app


def psycopg_url(app: Flask) -> str:
    from pokja.extensions import db

    with app.app_context():
        url = db.engine.url.set(drivername="postgresql")
        return url.render_as_string(hide_password=False)


def data_set(app: Flask) -> dict[str, str]:
    """bench.meta of the database (size, seed, as_of, ...), refusing one bench-data did not make."""
    from pokja.extensions import db

    with app.app_context():
        try:
            rows = db.session.execute(sa.text("SELECT key, value FROM bench.meta")).all()
        except sa.exc.ProgrammingError as exc:
            raise SystemExit("this database was not filled by `pokja bench-data`") from exc
        return dict(rows)  # type: ignore[arg-type]


def non_bawaslu_kind(pokja_n: int) -> str:
    """The agency whose liaison stands for "a non-Bawaslu liaison" of Pokja ``pokja_n``."""
    return NON_BAWASLU[pokja_n % len(NON_BAWASLU)]


@dataclass
class Tokens:
    """Access tokens by username, minted once: what a login does after checking the password
    (pokja.api.tokens.start_session), without an argon2 verification per user."""

    app: Flask
    cache: dict[str, str] = field(default_factory=dict)

    def __call__(self, username: str) -> str:
        if username not in self.cache:
            self.mint([username])
        return self.cache[username]

    def mint(self, usernames: list[str]) -> None:
        from pokja.api import tokens
        from pokja.extensions import db
        from pokja.models import User

        wanted = [u for u in dict.fromkeys(usernames) if u not in self.cache]
        if not wanted:
            return
        with self.app.app_context():
            users = db.session.scalars(sa.select(User).where(User.username.in_(wanted))).all()
            missing = set(wanted) - {u.username for u in users}
            if missing:
                raise SystemExit(f"no such users: {sorted(missing)[:5]}")
            for user in users:
                self.cache[user.username] = tokens.start_session(db.session, user).access_token
            db.session.commit()


def check_login(app: Flask, username: str, password: str) -> None:
    """One real login, so that a run also shows that the data set's password works."""
    response = app.test_client().post(
        "/api/v1/auth/login", json={"username": username, "password": password}
    )
    if response.status_code != 200:
        raise SystemExit(f"login of {username} failed: {response.status_code} {response.json}")


@dataclass
class StatementCounter:
    """Statements SQLAlchemy sends (before_cursor_execute); pool_pre_ping's ping and the
    DBAPI's implicit BEGIN/COMMIT are not among them."""

    count: int = 0
    statements: list[tuple[str, Any]] = field(default_factory=list)
    keep: bool = False

    def __call__(self, conn: Any, cursor: Any, statement: str, parameters: Any, *_: Any) -> None:
        self.count += 1
        if self.keep:
            self.statements.append((statement, parameters))


@contextmanager
def counting(app: Flask, keep: bool = False) -> Iterator[StatementCounter]:
    from pokja.extensions import db

    counter = StatementCounter(keep=keep)
    with app.app_context():
        engine = db.engine
    sa.event.listen(engine, "before_cursor_execute", counter)
    try:
        yield counter
    finally:
        sa.event.remove(engine, "before_cursor_execute", counter)


def sample_cases(
    app: Flask, pokja_ns: list[int], per_pokja: int, seed: int
) -> list[tuple[int, str]]:
    """(Pokja number, case id) pairs: ``per_pokja`` cases of each Pokja, the same every run."""
    from pokja.extensions import db

    with app.app_context():
        rows = db.session.execute(
            sa.text(
                "SELECT n, id FROM (SELECT split_part(u.username, '-', 2)::int AS n, c.id,"
                " row_number() OVER (PARTITION BY c.pokja_id ORDER BY md5(c.id::text || :seed))"
                " AS k FROM cases c JOIN users u ON u.pokja_id = c.pokja_id"
                " AND u.role = 'coordinator') s WHERE n = ANY(:ns) AND k <= :per ORDER BY n, k"
            ),
            {"seed": str(seed), "ns": pokja_ns, "per": per_pokja},
        ).all()
    return [(n, str(uuid.UUID(str(case_id)))) for n, case_id in rows]


def pending_handoffs(app: Flask, limit: int, seed: int) -> list[tuple[str, str]]:
    """(handoff id, username of the receiving agency's liaison) of the generated pending
    handoffs, in a fixed shuffled order."""
    from pokja.extensions import db

    with app.app_context():
        rows = db.session.execute(
            sa.text(
                "SELECT h.id, u.username FROM bench.pending_handoffs p"
                " JOIN handoffs h ON h.id = p.id"
                " JOIN users u ON u.agency_id = h.to_agency_id AND u.role = 'liaison'"
                " ORDER BY md5(h.id::text || :seed) LIMIT :limit"
            ),
            {"seed": str(seed), "limit": limit},
        ).all()
    return [(str(handoff_id), username) for handoff_id, username in rows]
