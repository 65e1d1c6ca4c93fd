"""The agenda of a Pokja with about 2,000 open cases (DESIGN §11: under 300 ms), in-process,
on the database ``pokja bench-data --size pokja`` filled.

    DATABASE_URL=postgresql://postgres@127.0.0.1:5432/pokja_bench_agenda \\
        .venv/bin/python bench/agenda.py [--requests 50] [--warmup 5] [--out bench/RESULTS.md]

It adds a draft meeting to Pokja 1 (starting at the data set's ``as_of`` day, 09.00 local
time), then times ``GET /api/v1/meetings/{id}/agenda`` through the Flask test client in
production configuration: the draft's agenda generated on every request (the secretary's
live view), and, once the meeting's agenda is frozen as ``schedule`` freezes it, the frozen
agenda as the secretary and a TNI liaison read it (redacted for them), and its DOCX. p50/p95
of the wall time, CPU time per request and SQL statements per request. The meeting is
deleted again at the end. The table replaces the "Agenda" section of ``--out``.
"""

from __future__ import annotations

import argparse
import os
import re
import statistics
import sys
import time
from datetime import date, datetime, timedelta
from datetime import time as clock_time
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import common
import sqlalchemy as sa

ROOT = Path(__file__).resolve().parent.parent
BEGIN, END = "<!-- agenda: begin -->", "<!-- agenda: end -->"


def _percentile(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(p / 100 * (len(ordered) - 1)))]


def add_meeting(app: Any, as_of: date) -> tuple[str, dict[str, int]]:
    from pokja.extensions import db
    from pokja.models import Case, Handoff, Meeting, MeetingInvitation, Pokja, Recommendation

    with app.app_context():
        pokja = db.session.scalars(sa.select(Pokja).order_by(Pokja.name)).first()
        if pokja is None:
            raise SystemExit("no Pokja: run pokja bench-data --size pokja first")
        zone = ZoneInfo(pokja.timezone)
        starts = datetime.combine(as_of, clock_time(9), tzinfo=zone)
        meeting = Meeting(
            pokja_id=pokja.id,
            title="Rapat koordinasi (bench)",
            starts_at=starts,
            ends_at=starts + timedelta(hours=3),
            place="Media center",
        )
        db.session.add(meeting)
        db.session.flush()
        from pokja.models import Agency

        for agency_id in db.session.scalars(
            sa.select(Agency.id).where(Agency.pokja_id == pokja.id)
        ):
            db.session.add(
                MeetingInvitation(pokja_id=pokja.id, meeting_id=meeting.id, agency_id=agency_id)
            )
        counts = {
            "open cases": db.session.scalar(
                sa.select(sa.func.count()).where(
                    Case.pokja_id == pokja.id, Case.stage.not_in(("closed", "dismissed"))
                )
            ),
            "cases": db.session.scalar(sa.select(sa.func.count()).where(Case.pokja_id == pokja.id)),
            "pending handoffs": db.session.scalar(
                sa.select(sa.func.count()).where(
                    Handoff.pokja_id == pokja.id, Handoff.status == "pending"
                )
            ),
            "issued recommendations": db.session.scalar(
                sa.select(sa.func.count()).where(
                    Recommendation.pokja_id == pokja.id, Recommendation.status == "issued"
                )
            ),
        }
        db.session.commit()
        return str(meeting.id), counts


def freeze(app: Any, meeting_id: str) -> None:
    from pokja.extensions import db
    from pokja.meetings.agenda_snapshot import freeze_agenda
    from pokja.models import Meeting

    with app.app_context():
        meeting = db.session.get(Meeting, meeting_id)
        freeze_agenda(meeting)
        meeting.status = "scheduled"
        db.session.commit()


def delete_meeting(app: Any, meeting_id: str) -> None:
    from pokja.extensions import db
    from pokja.models import Meeting, MeetingInvitation

    with app.app_context():
        db.session.execute(
            sa.delete(MeetingInvitation).where(MeetingInvitation.meeting_id == meeting_id)
        )
        db.session.execute(sa.delete(Meeting).where(Meeting.id == meeting_id))
        db.session.commit()


def measure(app: Any, path: str, token: str, args: argparse.Namespace) -> dict[str, Any]:
    client = app.test_client()
    walls, cpus, statements, items = [], [], [], 0
    with common.counting(app) as counter:
        for k in range(args.warmup + args.requests):
            counter.count = 0
            wall, cpu = time.perf_counter(), time.process_time()
            response = client.get(path, headers={"Authorization": f"Bearer {token}"})
            wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
            if response.status_code != 200:
                raise SystemExit(f"GET {path}: {response.status_code} {response.get_data()[:300]}")
            if k >= args.warmup:
                walls.append(wall)
                cpus.append(cpu)
                statements.append(counter.count)
            if k == 0 and response.is_json:
                items = sum(len(s["items"]) for s in response.json["sections"])
    return {
        "p50_ms": _percentile(walls, 50) * 1000,
        "p95_ms": _percentile(walls, 95) * 1000,
        "cpu_ms": statistics.fmean(cpus) * 1000,
        "statements": f"{min(statements)}"
        if min(statements) == max(statements)
        else f"{min(statements)}–{max(statements)}",
        "items": items,
    }


def report(
    rows: list[tuple[str, str, dict[str, Any]]],
    counts: dict[str, int],
    meta: dict[str, str],
    args: argparse.Namespace,
) -> str:
    revision = common_git()
    facts = ", ".join(f"{n:,} {what}" for what, n in counts.items())
    stamp = datetime.now().astimezone().strftime("%Y-%m-%d %H:%M %Z")
    data = f"`pokja bench-data --size {meta.get('size')} --as-of {meta.get('as_of')}`"
    lines = [
        BEGIN,
        "## Agenda of a Pokja with about 2,000 open cases",
        "",
        f"Measured {stamp} by `bench/agenda.py` (git `{revision}`) on {data}: {facts}.",
        "In-process, Flask test client, `POKJA_ENV=production`, PostgreSQL on the same (shared)"
        f" machine, load average {args.load[0]:.2f} at the start and {args.load[1]:.2f} at the"
        f" end (nproc {os.cpu_count()}); {args.warmup} warm-up requests, then {args.requests}"
        " per row. DESIGN §11: under 300 ms.",
        "",
        "| request | caller | p50 ms | p95 ms | CPU ms / request | statements / request"
        " | items listed |",
        "|---|---|---:|---:|---:|---:|---:|",
    ]
    for label, caller, r in rows:
        lines.append(
            f"| {label} | {caller} | {r['p50_ms']:.1f} | {r['p95_ms']:.1f} | {r['cpu_ms']:.1f} |"
            f" {r['statements']} | {r['items'] or ''} |"
        )
    return "\n".join([*lines, END]) + "\n"


def common_git() -> str:
    import subprocess

    return subprocess.run(
        ["git", "log", "-1", "--format=%h %s"],  # noqa: S607
        capture_output=True,
        text=True,
        cwd=ROOT,
        check=False,
    ).stdout.strip()[:100]


def write(out: Path, section: str) -> None:
    text = out.read_text() if out.exists() else ""
    if BEGIN in text:
        text = re.sub(re.escape(BEGIN) + ".*?" + re.escape(END) + "\n?", section, text, flags=re.S)
    else:
        text = text.rstrip("\n") + "\n\n" + section
    out.write_text(text)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--requests", type=int, default=50)
    parser.add_argument("--warmup", type=int, default=5)
    parser.add_argument("--out", type=Path, default=ROOT / "bench" / "RESULTS.md")
    args = parser.parse_args()
    common.configure_environment()
    app = common.make_app()
    meta = common.data_set(app)
    as_of = date.fromisoformat(meta["as_of"])
    tokens = common.Tokens(app)
    secretary, tni = tokens("secretary-1"), tokens("liaison-1-tni")
    start_load = os.getloadavg()[0]
    meeting_id, counts = add_meeting(app, as_of)
    try:
        url = f"/api/v1/meetings/{meeting_id}/agenda"
        rows = [
            ("GET …/agenda (draft: generated)", "secretary", measure(app, url, secretary, args))
        ]
        freeze(app, meeting_id)
        rows += [
            ("GET …/agenda (frozen)", "secretary", measure(app, url, secretary, args)),
            ("GET …/agenda (frozen)", "TNI liaison (redacted)", measure(app, url, tni, args)),
            (
                "GET …/agenda?format=docx (frozen)",
                "secretary",
                measure(app, url + "?format=docx", secretary, args),
            ),
        ]
    finally:
        delete_meeting(app, meeting_id)
    args.load = (start_load, os.getloadavg()[0])
    section = report(rows, counts, meta, args)
    print(section)
    write(args.out, section)


if __name__ == "__main__":
    sys.exit(main())
