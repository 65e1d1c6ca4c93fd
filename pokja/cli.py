"""The ``pokja`` command: Flask's CLI (``pokja db upgrade``, ``pokja routes``, ``pokja shell``,
``pokja openapi write``) plus pokja's own commands."""

from __future__ import annotations

import os
import uuid
from typing import Any

import click
from flask import Flask
from flask.cli import FlaskGroup
from flask_migrate import upgrade
from werkzeug.serving import run_simple

from pokja.errors import DomainError
from pokja.models import AGENCY_KINDS, POKJA_LEVELS, POKJA_TIMEZONES, ROLES

DEFAULT_DEMO_PASSWORD = "pokja-demo"  # noqa: S105 - documented demo credential


def _create_app() -> Flask:
    from pokja import create_app

    return create_app()


@click.group(cls=FlaskGroup, create_app=_create_app, add_version_option=False)
def main() -> None:
    """pokja: the shared record of a Pokja Netralitas ASN, TNI dan Polri."""


def _commit_or_fail(action: Any) -> Any:
    """Run a domain action in one transaction; a refused one is a clean CLI error."""
    from pokja.extensions import db_session

    try:
        result = action(db_session())
        db_session().commit()
    except DomainError as exc:
        db_session().rollback()
        raise click.ClickException(exc.detail) from exc
    return result


def register_commands(app: Flask) -> None:
    from pokja.demo.bench import generate as bench_data

    @app.cli.command("create-admin")
    @click.argument("username")
    @click.option("--display-name", default=None)
    def create_admin(username: str, display_name: str | None) -> None:
        """Create an administrator (password from POKJA_ADMIN_PASSWORD or a prompt)."""
        password = os.environ.get("POKJA_ADMIN_PASSWORD") or click.prompt(
            "Password", hide_input=True, confirmation_prompt=True
        )
        user = _commit_or_fail(
            lambda s: create_user(
                s,
                None,
                {
                    "username": username,
                    "display_name": display_name or username,
                    "password": password,
                    "role": "admin",
                },
            )
        )
        click.echo(f"created admin {user.username} ({user.id})")

    @app.cli.command("create-pokja")
    @click.option("--name", required=True)
    @click.option("--region-code", required=True)
    @click.option("--region-name", required=True)
    @click.option("--level", type=click.Choice(POKJA_LEVELS), required=True)
    @click.option("--timezone", type=click.Choice(POKJA_TIMEZONES), default="Asia/Jakarta")
    def create_pokja(**data: Any) -> None:
        """Create a Pokja."""
        pokja = _commit_or_fail(lambda s: create_pokja(s, None, data))
        click.echo(f"created Pokja {pokja.name} ({pokja.id})")

    @app.cli.command("create-agency")
    @click.option("--pokja-id", type=click.UUID, required=True)
    @click.option("--kind", type=click.Choice(AGENCY_KINDS), required=True)
    @click.option("--name", required=True)
    def create_agency(**data: Any) -> None:
        """Add an agency to a Pokja."""
        agency = _commit_or_fail(lambda s: create_agency(s, None, data))
        click.echo(f"created agency {agency.name} ({agency.id})")

    @app.cli.command("create-user")
    @click.argument("username")
    @click.option("--display-name", required=True)
    @click.option("--role", type=click.Choice(ROLES), required=True)
    @click.option("--pokja-id", type=click.UUID)
    @click.option("--agency-id", type=click.UUID)
    @click.password_option(envvar="POKJA_USER_PASSWORD")
    def create_user(
        username: str,
        display_name: str,
        role: str,
        pokja_id: uuid.UUID | None,
        agency_id: uuid.UUID | None,
        password: str,
    ) -> None:
        """Create a user of a Pokja (password from POKJA_USER_PASSWORD or a prompt)."""
        user = _commit_or_fail(
            lambda s: create_user(
                s,
                None,
                {
                    "username": username,
                    "display_name": display_name,
                    "password": password,
                    "role": role,
                    "pokja_id": pokja_id,
                    "agency_id": agency_id,
                },
            )
        )
        click.echo(f"created {user.role} {user.username} ({user.id})")

    @app.cli.command("seed-demo")
    def seed_demo() -> None:
        """Add the demo Pokja (Kabupaten Bengkulu Selatan) and its users; safe to repeat."""
        _seed_and_print()

    @app.cli.command("demo")
    @click.option("--port", default=5000, show_default=True)
    @click.option("--host", default="127.0.0.1", show_default=True)
    def run_demo(port: int, host: str) -> None:
        """Migrate the database, seed the demo Pokja, print the logins and serve the API."""
        upgrade()
        _seed_and_print()
        click.echo(
            f"\nAPI on http://{host}:{port}/api/v1 - documentation on http://{host}:{port}/docs\n"
        )
        # Flask refuses app.run() inside its CLI; werkzeug's server is what it would start.
        run_simple(host, port, app, threaded=True)

    @app.cli.command("bench-data")
    @click.option("--size", type=click.Choice(list(bench_data.SIZES)), default="national")
    @click.option(
        "--as-of",
        type=click.DateTime(["%Y-%m-%d"]),
        default=str(bench_data.DEFAULT_AS_OF),
        help="The day the open deadlines fall due around.",
    )
    @click.option("--password", envvar="POKJA_BENCH_PASSWORD", default=bench_data.DEFAULT_PASSWORD)
    @click.option("--replace", is_flag=True, help="Empty every table of the database first.")
    @click.option("--reset-writes", is_flag=True, help="Only undo what benchmark runs wrote.")
    def bench_data_command(
        size: str, as_of: Any, password: str, replace: bool, reset_writes: bool
    ) -> None:
        """Fill a PostgreSQL database with benchmark data (PostgreSQL only; bench/README.md).

        national: 514 Pokjas, 100,000 cases, ~1,000,000 events (a few minutes); pokja: one
        Pokja with 5,000 cases, 2,000 of them open. The same rows on every run.
        """
        from pokja.extensions import db

        if db.engine.dialect.name != "postgresql":
            raise click.ClickException("bench-data needs PostgreSQL (set DATABASE_URL).")
        url = db.engine.url.set(drivername="postgresql").render_as_string(hide_password=False)
        if reset_writes:
            click.echo(f"removed {bench_data.reset_writes(url)} events written by benchmarks")
            return
        upgrade()
        try:
            counts = bench_data.generate(
                url, size, as_of=as_of.date(), password=password, replace=replace, log=click.echo
            )
        except bench_data.NotEmpty as exc:
            raise click.ClickException(str(exc)) from exc
        click.echo(", ".join(f"{n:,} {table}" for table, n in counts.items()))
        click.echo(f"Logins (password {password!r}):")
        for line in bench_data.logins(size):
            click.echo(f"  {line}")

    @app.cli.command("audit-verify")
    @click.option("--pokja-id", type=click.UUID, default=None, help="Check one Pokja only.")
    @click.option("--anchor", default=None, help="SEQ:HASH from signed minutes: must be on it.")
    def audit_verify(pokja_id: uuid.UUID | None, anchor: str | None) -> None:
        """Verify the events' hash chain and the access log's digests; exit 1 naming the first
        broken event or digest. With ``--anchor SEQ:HASH`` (a closed meeting's minutes), also
        confirm that today's chain still passes through that event."""
        from pokja.audit import access_log, events
        from pokja.extensions import db_session

        session = db_session()
        if anchor is not None:
            try:
                seq, anchor_hash = events.parse_anchor(anchor.strip().lower())
            except ValueError as exc:
                raise click.BadParameter(str(exc), param_hint="--anchor") from exc
            anchored = events.anchored_pokja(session, seq, anchor_hash)
            if anchored is None or (pokja_id is not None and anchored != pokja_id):
                click.echo(
                    f"anchor NOT on the chain: no event {seq} with hash {anchor_hash}", err=True
                )
                raise SystemExit(1)
            pokja_id = anchored
        broken = events.verify_chain(session, pokja_id)
        if broken is not None:
            event = f"event {broken.event_id}" if broken.event_id else "the chain's end"
            click.echo(
                f"audit chain BROKEN in Pokja {broken.pokja_id} at seq {broken.seq} ({event}): "
                f"{broken.reason}",
                err=True,
            )
            raise SystemExit(1)
        digest = access_log.verify_digests(session, pokja_id)
        if digest is not None:
            click.echo(
                f"access log BROKEN in Pokja {digest.pokja_id} (digest event {digest.event_id}): "
                f"{digest.reason}",
                err=True,
            )
            raise SystemExit(1)
        if anchor is not None:
            click.echo(f"anchor {anchor.strip()} is on Pokja {pokja_id}'s chain")
        click.echo(
            f"audit chain intact ({events.count(session, pokja_id)} events); access log "
            f"digests intact ({access_log.undigested(session, pokja_id)} reads not digested yet)"
        )

    @app.cli.command("audit-digest")
    def audit_digest() -> None:
        """Digest the access log's new personal-data reads into each Pokja's chain (the
        worker does it on every pass)."""
        from pokja.audit import access_log

        digested = _commit_or_fail(access_log.digest_reads)
        click.echo(f"digested {digested} personal-data reads")

    @app.cli.command("purge-idempotency-keys")
    @click.option(
        "--older-than-hours",
        type=click.IntRange(min=24),
        default=24,
        show_default=True,
        help="Delete keys older than this; keys are kept at least 24 hours.",
    )
    def purge_idempotency_keys(older_than_hours: int) -> None:
        """Delete expired Idempotency-Key records (run it daily, e.g. from cron)."""
        from datetime import timedelta

        from pokja.audit import idempotency

        deleted = _commit_or_fail(
            lambda s: idempotency.purge(s, older_than=timedelta(hours=older_than_hours))
        )
        click.echo(f"deleted {deleted} idempotency keys older than {older_than_hours} hours")

    @app.cli.command("worker")
    @click.option("--once", is_flag=True, help="Send what is due now, then exit (cron, tests).")
    @click.option(
        "--interval", default=5.0, show_default=True, help="Seconds between polls (loop mode)."
    )
    def worker(once: bool, interval: float) -> None:
        """Send webhook notifications and deadline reminders from the outbox."""
        import signal
        import threading

        from pokja.extensions import db_session
        from pokja.notify import delivery

        settings = delivery.DeliverySettings.from_config(app.config)
        if once:
            report = delivery.run_once(db_session(), settings=settings)
            click.echo(
                f"reminders queued {report.reminders}, reads digested {report.reads_digested}, "
                f"delivered {report.delivered}, "
                f"failed {report.failed}, dead {report.dead}"
            )
            return
        stop = threading.Event()
        for signum in (signal.SIGINT, signal.SIGTERM):
            signal.signal(signum, lambda *_: stop.set())
        click.echo(f"worker polling every {interval} s; Ctrl-C stops it")
        delivery.run_forever(db_session(), settings=settings, interval=interval, stop=stop)


def _seed_and_print() -> None:
    from pokja.demo import seed

    password = os.environ.get("POKJA_DEMO_PASSWORD", DEFAULT_DEMO_PASSWORD)
    logins = _commit_or_fail(lambda s: seed.seed_demo(s, password))
    click.echo(f"Demo logins (password {password!r}):")
    for login in logins:
        agency = f", {login.agency}" if login.agency else ""
        click.echo(f"  {login.username:<12} {login.role}{agency}")
