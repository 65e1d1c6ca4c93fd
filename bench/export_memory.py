"""Memory of a 100,000-case CSV export (issue 11: "flat"), in-process, on PostgreSQL.

A case-list export is per Pokja, and no Pokja of the national data set has 100,000 cases, so
this uses a data set of its own made by the same generator (``pokja bench-data``'s): one
Pokja with 100,000 cases (and about 200,000 subjects), one event per case.

    createdb -h 127.0.0.1 -U postgres pokja_export
    DATABASE_URL=postgresql://postgres@127.0.0.1:5432/pokja_export \\
        .venv/bin/python bench/export_memory.py --generate

The export is read as a client would, chunk by chunk, while a thread samples the process's
resident memory (``/proc/self/statm``) every 20 ms: the figure is the peak above what the
process held before the request, and how it moved as the rows went by. The coordinator
reads every case in full (names, so every case is also a logged personal-data read); a
non-Bawaslu liaison mostly redacted rows.
"""

from __future__ import annotations

import argparse
import os
import resource
import sys
import threading
import time
from datetime import UTC, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from flask_migrate import upgrade  # noqa: E402

from pokja import create_app  # noqa: E402
from pokja.demo.bench import generate as bench_data  # noqa: E402
from pokja.demo.bench.vocabulary import SIZES, Size  # noqa: E402

SIZES["export"] = Size(pokjas=1, cases=100_000, events_per_case=1)
PAGE = os.sysconf("SC_PAGE_SIZE")


def rss() -> int:
    with open("/proc/self/statm") as statm:
        return int(statm.read().split()[1]) * PAGE


class Sampler(threading.Thread):
    def __init__(self) -> None:
        super().__init__(daemon=True)
        self.peak = rss()
        self.running = True

    def run(self) -> None:
        while self.running:
            self.peak = max(self.peak, rss())
            time.sleep(0.02)


def export(app, username: str, query: str) -> dict[str, float]:
    from pokja.api import tokens
    from pokja.extensions import db
    from pokja.models import User

    with app.app_context():
        user = db.session.scalars(db.select(User).where(User.username == username)).one()
        token = tokens.start_session(db.session, user).access_token
        db.session.commit()
    client = app.test_client()
    headers = {"Authorization": f"Bearer {token}"}
    before = rss()
    sampler = Sampler()
    sampler.start()
    started, cpu = time.monotonic(), time.process_time()
    response = client.get(f"/api/v1/cases/export?{query}", headers=headers, buffered=False)
    size, lines, marks = 0, 0, []
    for chunk in response.response:
        size += len(chunk)
        lines += chunk.count(b"\n")
        if len(marks) < lines // 20_000:
            marks.append((rss() - before) / 2**20)
    response.close()
    sampler.running = False
    sampler.join()
    return {
        "status": response.status_code,
        "rows": lines - 1,
        "mb": size / 2**20,
        "seconds": time.monotonic() - started,
        "cpu": time.process_time() - cpu,
        "peak_mb": (sampler.peak - before) / 2**20,
        "marks": marks,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--generate", action="store_true", help="make the data set first")
    args = parser.parse_args()
    url = os.environ["DATABASE_URL"]
    os.environ.setdefault("POKJA_ENV", "production")
    os.environ.setdefault("SECRET_KEY", "bench-only-secret-key-0123456789abcdefghij")
    app = create_app()
    if args.generate:
        with app.app_context():
            upgrade()
            bench_data.generate(url.replace("+psycopg", ""), "export", replace=True)
    rows = [
        ("coordinator-1", "format=csv", "coordinator (every case in full)"),
        ("liaison-1-kejari", "format=csv", "non-Bawaslu liaison (mostly redacted)"),
        ("coordinator-1", "format=csv&rows=subjects", "coordinator, a row per subject"),
    ]
    print(f"Measured {datetime.now(UTC):%Y-%m-%d %H:%M} UTC, load {os.getloadavg()[0]:.2f}")
    print(
        "| export | rows | MB sent | s | CPU s | peak RSS above start, MB"
        " | RSS above start every 20,000 rows, MB |"
    )
    print("|---|---:|---:|---:|---:|---:|---|")
    for username, query, label in rows:
        r = export(app, username, query)
        assert r["status"] == 200, r
        marks = ", ".join(f"{m:.1f}" for m in r["marks"])
        print(
            f"| `{query}` as {label} | {r['rows']:,} | {r['mb']:.1f} | {r['seconds']:.1f} "
            f"| {r['cpu']:.1f} | {r['peak_mb']:.1f} | {marks} |"
        )
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"Process peak RSS over the whole run (app and all exports): {peak:.0f} MB")


if __name__ == "__main__":
    main()
