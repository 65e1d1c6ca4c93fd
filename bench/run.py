"""pokja's hot endpoints on a database filled by ``pokja bench-data`` (DESIGN §11): latency and
SQL statements per request in-process, CPU per request under gunicorn.

    DATABASE_URL=postgresql://postgres@127.0.0.1:5432/pokja_bench \\
        .venv/bin/python bench/run.py [--requests 200] [--warmup 20] [--pokjas 20] \\
        [--workers 2] [--threads 2] [--connections 8] [--duration 10] [--no-gunicorn] \\
        [--out bench/RESULTS.md]

1. Undoes what earlier runs wrote (``pokja bench-data --reset-writes``: the events a full read
   of a case logs, accepted handoffs, login sessions), so that every run starts from the
   generated rows.
2. Picks ``--pokjas`` Pokjas with a fixed seed, and in them the callers (each Pokja's
   coordinator, and one non-Bawaslu liaison per Pokja, see common.non_bawaslu_kind) and the
   requests: the first page of cases (50), cases by id, the deadlines view, the pending-handoff
   inbox of agencies that have one, and accepting pending handoffs (each once, by the
   receiving agency's liaison, from every Pokja). Tokens are minted as a login mints them;
   one real login checks the data set's password (POKJA_BENCH_PASSWORD, default pokja-bench).
3. In-process, through the Flask test client in production configuration: ``--warmup``
   requests, then ``--requests`` timed ones per row: p50/p95 of the wall time, CPU time of
   this process per request, and statements per request (before_cursor_execute; not
   pool_pre_ping's ping nor the implicit BEGIN/COMMIT).
4. Resets the writes, starts ``gunicorn -c gunicorn.conf.py wsgi:app`` with
   GUNICORN_WORKERS/GUNICORN_THREADS (the rest of gunicorn.conf.py as is, access log
   included, to bench/out/gunicorn.log), and for each row runs wrk (bench/requests.lua) for
   2 s of warm-up and ``--duration`` s of measurement with ``--connections`` connections.
   CPU per request is the CPU time of the gunicorn master and its workers (those it reaped
   included) and of this database's PostgreSQL backends (those that ended meanwhile included,
   from the postmaster's reaped children), read from /proc before and after.
   Accepting stops once every pending handoff is accepted; its requests are the handoffs
   accepted.
5. Resets the writes again and writes the table to ``--out`` (with date, machine, command
   line, git revision and data set) and the raw figures to bench/out/run-<time>.json.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import random
import re
import signal
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import common
import sqlalchemy as sa
from flask import Flask

from pokja.demo.bench import generate as bench_data

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "bench" / "out"
LUA = ROOT / "bench" / "requests.lua"
CLOCK_TICKS = os.sysconf("SC_CLK_TCK")
LIST, INBOX = "/api/v1/cases?limit=50", "/api/v1/handoffs?direction=incoming&status=pending"


@dataclass
class Endpoint:
    label: str
    caller: str
    method: str
    requests: list[tuple[str, str]]  # (username, path)
    once: bool = False  # each request changes state: send each one once
    results: dict[str, Any] = field(default_factory=dict)


def endpoints(app: Flask, size: str, args: argparse.Namespace) -> list[Endpoint]:
    rng = random.Random(args.seed)
    total = bench_data.SIZES[size].pokjas
    ns = sorted(rng.sample(range(1, total + 1), min(args.pokjas, total)))
    coordinators = [f"coordinator-{n}" for n in ns]
    liaisons = [f"liaison-{n}-{common.non_bawaslu_kind(n).lower()}" for n in ns]
    per_pokja = -(-(args.warmup + args.requests) // len(ns))
    cases = common.sample_cases(app, ns, per_pokja, args.seed)
    rng.shuffle(cases)
    handoffs = common.pending_handoffs(app, args.accept_max, args.seed)
    receivers = list(dict.fromkeys(user for _, user in handoffs))[: len(ns)]
    coordinator = "coordinator of the Pokja"
    liaison = "non-Bawaslu liaison"
    return [
        Endpoint(
            "GET /api/v1/cases (page of 50)", coordinator, "GET", [(u, LIST) for u in coordinators]
        ),
        Endpoint("GET /api/v1/cases (page of 50)", liaison, "GET", [(u, LIST) for u in liaisons]),
        Endpoint(
            "GET /api/v1/cases/{id}",
            coordinator,
            "GET",
            [(f"coordinator-{n}", f"/api/v1/cases/{c}") for n, c in cases],
        ),
        Endpoint(
            "GET /api/v1/cases/{id}",
            liaison,
            "GET",
            [
                (f"liaison-{n}-{common.non_bawaslu_kind(n).lower()}", f"/api/v1/cases/{c}")
                for n, c in cases
            ],
        ),
        Endpoint(
            "GET /api/v1/deadlines",
            coordinator,
            "GET",
            [(u, "/api/v1/deadlines") for u in coordinators],
        ),
        Endpoint(
            "GET /api/v1/deadlines", liaison, "GET", [(u, "/api/v1/deadlines") for u in liaisons]
        ),
        Endpoint(
            "GET /api/v1/handoffs?direction=incoming&status=pending",
            "liaison of a receiving agency",
            "GET",
            [(u, INBOX) for u in receivers],
        ),
        Endpoint(
            "POST /api/v1/handoffs/{id}/accept",
            "liaison of the receiving agency",
            "POST",
            [(u, f"/api/v1/handoffs/{h}/accept") for h, u in handoffs],
            once=True,
        ),
    ]


STATS = [
    ("/api/v1/stats/cases?group_by=stage", "coordinator"),
    ("/api/v1/stats/cases?group_by=month&group_by=holder", "coordinator"),
    ("/api/v1/stats/cases?group_by=violation_type&group_by=subject_type", "liaison"),
    (
        "/api/v1/stats/cases?group_by=kecamatan&category=neutrality"
        "&registered_from=2024-01-01&registered_to=2026-12-31",
        "coordinator",
    ),
    ("/api/v1/stats/cases?group_by=subject_type&format=csv", "liaison"),
    ("/api/v1/stats/handoffs", "coordinator"),
    ("/api/v1/stats/handoffs", "liaison"),
    ("/api/v1/stats/recommendations", "coordinator"),
    ("/api/v1/stats/recommendations?format=csv", "liaison"),
    ("/api/v1/action-needed", "coordinator"),
    ("/api/v1/action-needed", "liaison"),
]


def stats_endpoints(size: str, args: argparse.Namespace) -> list[Endpoint]:
    """``--stats``: the statistics and action needed (DESIGN §11: under 150 ms), from the
    sampled Pokjas and Pokja 1, the largest."""
    rng = random.Random(args.seed)
    total = bench_data.SIZES[size].pokjas
    ns = sorted({1, *rng.sample(range(1, total + 1), min(args.pokjas, total))})
    users = {
        "coordinator": [f"coordinator-{n}" for n in ns],
        "liaison": [f"liaison-{n}-{common.non_bawaslu_kind(n).lower()}" for n in ns],
    }
    callers = {"coordinator": "coordinator of the Pokja", "liaison": "non-Bawaslu liaison"}
    return [
        Endpoint(f"GET {path}", callers[who], "GET", [(u, path) for u in users[who]])
        for path, who in STATS
    ]


def _percentile(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(p / 100 * (len(ordered) - 1)))]


def _redacted(body: Any) -> tuple[int, int]:
    """(redacted items, items) of a case page or case."""
    if isinstance(body, dict) and "items" in body and "redacted" in (body["items"] or [{}])[0]:
        return sum(bool(i["redacted"]) for i in body["items"]), len(body["items"])
    if isinstance(body, dict) and "redacted" in body:
        return int(bool(body["redacted"])), 1
    return 0, 0


def in_process(app: Flask, ep: Endpoint, tokens: common.Tokens, args: argparse.Namespace) -> None:
    client = app.test_client()
    warmup, count = args.warmup, args.requests
    if ep.once:
        warmup = min(warmup, len(ep.requests) // 10)
        count = min(count, len(ep.requests) - warmup)
    walls, cpus, statements, redacted, items = [], [], [], 0, 0
    with common.counting(app) as counter:
        for k in range(warmup + count):
            username, path = ep.requests[k % len(ep.requests)]
            headers = {"Authorization": f"Bearer {tokens(username)}"}
            counter.count = 0
            wall, cpu = time.perf_counter(), time.process_time()
            response = client.open(path, method=ep.method, headers=headers)
            wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
            if response.status_code != 200:
                raise SystemExit(f"{ep.method} {path}: {response.status_code} {response.json}")
            if k >= warmup:
                walls.append(wall)
                cpus.append(cpu)
                statements.append(counter.count)
                # The CSV form of a statistic has no items to count.
                body = response.json if response.mimetype == "application/json" else None
                r, n = _redacted(body)
                redacted, items = redacted + r, items + n
    ep.results["in_process"] = {
        "requests": count,
        "p50_ms": _percentile(walls, 50) * 1000,
        "p95_ms": _percentile(walls, 95) * 1000,
        "cpu_ms": statistics.fmean(cpus) * 1000,
        "statements_min": min(statements),
        "statements_max": max(statements),
        "statements_mean": statistics.fmean(statements),
        "redacted": f"{redacted}/{items}" if items else "",
    }


# --- under gunicorn --------------------------------------------------------------------------


def _stat(pid: int | str) -> list[str]:
    """/proc/<pid>/stat's fields after the command name (field 3, the state, is index 0)."""
    data = Path(f"/proc/{pid}/stat").read_text()
    return data[data.rindex(")") + 2 :].split()


def _processes() -> list[str]:
    return [p.name for p in Path("/proc").iterdir() if p.name.isdigit()]


def server_cpu(master: int) -> float:
    """CPU seconds of gunicorn's master, its live workers and the workers it reaped."""
    ticks = 0
    for pid in _processes():
        try:
            fields = _stat(pid)
        except (FileNotFoundError, ProcessLookupError):
            continue
        if pid == str(master):
            ticks += sum(int(f) for f in fields[11:15])  # utime, stime, cutime, cstime
        elif fields[1] == str(master):
            ticks += int(fields[11]) + int(fields[12])
    return ticks / CLOCK_TICKS


def postgres_cpu(dbname: str) -> float:
    """CPU seconds of the PostgreSQL backends connected to ``dbname`` (on this machine), and of
    the backends that have ended: the postmaster's reaped children.

    A backend that ends during a phase (gunicorn recycles a worker after max_requests, and
    its connections close) takes its CPU time out of the live backends' sum; the postmaster
    that reaps it adds it to its own children's time. That also counts autovacuum workers
    that end meanwhile (a few milliseconds; none runs on the benchmark's read-mostly data)."""
    # "postgres: [<cluster>: ]<user> <database> <client>(<port>) <state>"
    client_backend = re.compile(rf"postgres: (\S+: )?\S+ {re.escape(dbname)} \S*\(\d+\)")
    ticks, postmasters = 0, set()
    for pid in _processes():
        try:
            command = Path(f"/proc/{pid}/cmdline").read_bytes().decode(errors="replace")
            if client_backend.match(command):
                fields = _stat(pid)
                ticks += int(fields[11]) + int(fields[12])
                postmasters.add(fields[1])
        except (FileNotFoundError, ProcessLookupError, PermissionError):
            continue
    for pid in postmasters:
        try:
            fields = _stat(pid)
        except (FileNotFoundError, ProcessLookupError):
            continue
        ticks += int(fields[13]) + int(fields[14])  # cutime, cstime
    return ticks / CLOCK_TICKS


def accepted(app: Flask) -> int:
    from pokja.extensions import db

    with app.app_context():
        sql = "SELECT count(*) FROM handoffs h JOIN bench.pending_handoffs p USING (id)"
        return db.session.scalar(sa.text(sql + " WHERE h.status = 'accepted'")) or 0


def start_gunicorn(args: argparse.Namespace, port: int) -> subprocess.Popen[bytes]:
    env = dict(os.environ, GUNICORN_WORKERS=str(args.workers), GUNICORN_THREADS=str(args.threads))
    env |= {"GUNICORN_BIND": f"127.0.0.1:{port}", "GUNICORN_LOG_LEVEL": "warning"}
    gunicorn = Path(sys.executable).parent / "gunicorn"
    log = (OUT / "gunicorn.log").open("ab")
    command = [str(gunicorn), "-c", "gunicorn.conf.py", "wsgi:app"]
    server = subprocess.Popen(command, cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT)  # noqa: S603 - our own command
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=2):
                return server
        except OSError:
            if server.poll() is not None:
                raise SystemExit("gunicorn exited; see bench/out/gunicorn.log") from None
            time.sleep(0.5)
    server.terminate()
    raise SystemExit("gunicorn did not answer /healthz within 60 s")


def wrk(
    args: argparse.Namespace, port: int, lines: Path, seconds: float, until: Any = None
) -> dict:
    """Run wrk over ``lines``; with ``until`` (a function that says whether every request of
    a "once" file was answered) stop it as soon as that holds: wrk's main thread sleeps for
    the whole duration, and SIGINT ends it early with its summary."""
    command = ["wrk", f"-t{args.wrk_threads}", f"-c{args.connections}", f"-d{seconds}s"]
    command += ["--timeout", "10s"]
    command += ["-s", str(LUA), f"http://127.0.0.1:{port}", "--", str(lines)]
    if until is not None:
        command += ["once", str(args.wrk_threads)]
    proc = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)  # noqa: S603 - fixed command
    if until is not None:
        while proc.poll() is None and not until():
            time.sleep(0.2)
        if proc.poll() is None:
            proc.send_signal(signal.SIGINT)
    out, err = proc.communicate(timeout=seconds + 120)
    for line in out.splitlines():
        if line.startswith("WRKJSON "):
            return json.loads(line[len("WRKJSON ") :])
    raise SystemExit(f"wrk printed no result:\n{out}\n{err}")


class _Progress:
    """True once ``count()`` reaches ``goal``, or has not moved for 3 s (a request refused)."""

    def __init__(self, count: Any, goal: int) -> None:
        self.count, self.goal, self.last, self.since = count, goal, -1, time.monotonic()

    def __call__(self) -> bool:
        now = self.count()
        if now != self.last:
            self.last, self.since = now, time.monotonic()
        return now >= self.goal or time.monotonic() - self.since > 3


def under_gunicorn(
    app: Flask, eps: list[Endpoint], tokens: common.Tokens, args: argparse.Namespace, dbname: str
) -> None:
    port = args.port
    server = start_gunicorn(args, port)
    try:
        for ep in eps:
            with tempfile.NamedTemporaryFile("w", suffix=".txt", dir=OUT, delete=False) as f:
                for username, path in ep.requests:
                    f.write(f"{ep.method} {tokens(username)} {path}\n")
            lines = Path(f.name)
            if not ep.once:
                wrk(args, port, lines, 2)
            before = (server_cpu(server.pid), postgres_cpu(dbname), accepted(app))
            until = None
            if ep.once:
                until = _Progress(lambda: accepted(app), before[2] + len(ep.requests))
            seconds = max(args.duration, 300) if ep.once else args.duration
            result = wrk(args, port, lines, seconds, until)
            after = (server_cpu(server.pid), postgres_cpu(dbname), accepted(app))
            lines.unlink()
            requests = after[2] - before[2] if ep.once else result["requests"]
            errors = sum(result[k] for k in ("connect_errors", "read_errors", "write_errors"))
            ep.results["gunicorn"] = {
                "requests": requests,
                "req_per_s": requests / (result["duration_us"] / 1e6),
                "p50_ms": result["p50_us"] / 1000,
                "p99_ms": result["p99_us"] / 1000,
                "server_cpu_us": (after[0] - before[0]) / max(requests, 1) * 1e6,
                "postgres_cpu_us": (after[1] - before[1]) / max(requests, 1) * 1e6,
                "non_2xx": result["status_errors"],
                "socket_errors": errors + result["timeouts"],
            }
            print(f"  gunicorn  {ep.label} ({ep.caller}): {ep.results['gunicorn']}", flush=True)
    finally:
        server.terminate()
        server.wait(timeout=60)


# --- the report ------------------------------------------------------------------------------


def _git(*command: str) -> str:
    done = subprocess.run(["git", *command], cwd=ROOT, capture_output=True, text=True)  # noqa: S603, S607 - git from PATH
    return done.stdout.strip()


def machine() -> dict[str, Any]:
    cpu = next(
        (
            line.split(":", 1)[1].strip()
            for line in Path("/proc/cpuinfo").read_text().splitlines()
            if line.startswith("model name")
        ),
        platform.processor(),
    )
    memory = next(
        int(line.split()[1])
        for line in Path("/proc/meminfo").read_text().splitlines()
        if line.startswith("MemTotal")
    )
    return {
        "nproc": os.cpu_count(),
        "cpu": cpu,
        "memory_gib": round(memory / 2**20),
        "kernel": platform.release(),
        "load": os.getloadavg(),
    }


def database_facts(app: Flask) -> dict[str, Any]:
    from pokja.extensions import db

    with app.app_context():
        version = db.session.scalar(sa.text("SHOW server_version"))
        tables = ("pokjas", "agencies", "users", "cases", "subjects", "handoffs", "events")
        counts = {t: db.session.scalar(sa.text(f"SELECT count(*) FROM {t}")) for t in tables}  # noqa: S608 - fixed names
        pending = db.session.scalar(sa.text("SELECT count(*) FROM bench.pending_handoffs"))
    return {"postgresql": version, "counts": counts, "pending_handoffs": pending}


def _f(value: float | None, digits: int = 1) -> str:
    return "" if value is None else f"{value:,.{digits}f}"


def report(eps: list[Endpoint], facts: dict[str, Any], args: argparse.Namespace) -> str:
    m, meta, db = facts["machine"], facts["data_set"], facts["database"]
    counts = ", ".join(f"{n:,} {t}" for t, n in db["counts"].items())
    lines = [
        f"# pokja benchmark: hot endpoints on the {meta['size']} data set",
        "",
        f"Measured {facts['date']} by `bench/run.py` (bench/README.md)."
        f" Machine: nproc {m['nproc']},"
        f" {m['cpu']}, {m['memory_gib']} GiB, Linux {m['kernel']}; load average"
        f" {m['load'][0]:.2f} at the start and {facts['load_at_end'][0]:.2f} at the end (the"
        " machine is shared: absolute figures move from run to run; compare runs made back"
        " to back).",
        f"Git revision: `{facts['revision']}`{' (uncommitted changes)' if facts['dirty'] else ''}."
        f" PostgreSQL {db['postgresql']} on the same machine.",
        f"Command: `{facts['command']}`",
        f"Data set: `pokja bench-data --size {meta['size']} --as-of {meta['as_of']}` (seed"
        f" {meta['seed']}, version {meta['seed_version']}, generated {meta['generated_at']}):"
        f" {counts}; {db['pending_handoffs']:,} pending handoffs.",
        "",
        f"- In-process: Flask test client, `POKJA_ENV=production`; {args.warmup} warm-up"
        f" requests, then {args.requests} per row, cycling through the row's requests in"
        f" {facts['pokjas']} Pokjas picked with seed {args.seed}. Wall time per request (p50,"
        " p95); CPU time of the process per request; SQL statements per request counted with"
        " `before_cursor_execute` (authentication included; pool_pre_ping's ping and the"
        " implicit BEGIN/COMMIT are not statements SQLAlchemy sends, so not counted).",
        f"- Under gunicorn: `gunicorn -c gunicorn.conf.py wsgi:app` with GUNICORN_WORKERS="
        f"{args.workers}, GUNICORN_THREADS={args.threads} (the rest of gunicorn.conf.py as"
        f" is: gthread, preload, access log on); `wrk -t{args.wrk_threads}"
        f" -c{args.connections} -d{args.duration}s` after 2 s of warm-up. CPU per request:"
        " gunicorn's master and workers (reaped ones included), and this database's"
        " PostgreSQL backends (ended ones included: the postmaster's reaped children),"
        " from /proc before and after, divided by the requests wrk"
        " completed. Accepting a handoff: every pending handoff once (at most"
        f" {args.accept_max}), the requests being the handoffs accepted.",
        "- A full read of a case (`GET /api/v1/cases/{id}` seen unredacted) logs a personal-data"
        " read: an event in the Pokja's chain, committed. The run undoes those writes and the"
        " accepts before and after each phase (`pokja bench-data --reset-writes`).",
        "",
        "| endpoint | caller | p50 ms | p95 ms | statements / request | CPU ms / request"
        " | redacted | req/s | p50 ms | p99 ms | server CPU µs / request"
        " | PostgreSQL CPU µs / request | non-2xx |",
        "|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for ep in eps:
        ip, g = ep.results.get("in_process", {}), ep.results.get("gunicorn", {})
        lo, hi = ip.get("statements_min"), ip.get("statements_max")
        stmts = (
            ""
            if lo is None
            else (str(lo) if lo == hi else f"{lo}–{hi} (mean {ip['statements_mean']:.1f})")
        )
        lines.append(
            f"| {ep.label} | {ep.caller} | {_f(ip.get('p50_ms'))} | {_f(ip.get('p95_ms'))}"
            f" | {stmts} | {_f(ip.get('cpu_ms'))} | {ip.get('redacted', '')}"
            f" | {_f(g.get('req_per_s'), 0)} | {_f(g.get('p50_ms'))} | {_f(g.get('p99_ms'))}"
            f" | {_f(g.get('server_cpu_us'), 0)} | {_f(g.get('postgres_cpu_us'), 0)}"
            f" | {g.get('non_2xx', '')} |"
        )
    lines += [
        "",
        "Budgets (DESIGN §11): case list ≤ 4 and case detail ≤ 5 statements per request;"
        " p95 under 25 ms in-process for the case list, case detail and handoff accept.",
        "",
    ]
    return "\n".join(lines)


STATS_HEADING = "## Statistics and action needed (`--stats`)"


def stats_section(text: str, out: Path) -> str:
    """``out`` with its statistics section replaced by this run's table (the hot endpoints'
    table above it is kept)."""
    kept = out.read_text().split(STATS_HEADING)[0].rstrip() if out.exists() else ""
    lines = []
    for line in text.split("\n")[1:]:
        if line.startswith(("- Under gunicorn", "- A full read")):
            continue  # in-process only
        if line.startswith("|"):
            line = "|".join(line.split("|")[:7]) + "|"  # endpoint … CPU ms / request
        if line.startswith("Budgets (DESIGN"):
            line = "Budget (DESIGN §11): any statistics endpoint under 150 ms on the national set."
        lines.append(line)
    return f"{kept}\n\n{STATS_HEADING}\n" + "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--requests", type=int, default=200, help="timed requests per row")
    parser.add_argument("--warmup", type=int, default=20)
    parser.add_argument("--pokjas", type=int, default=20, help="Pokjas the requests come from")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--accept-max", type=int, default=3000, help="pending handoffs used")
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--wrk-threads", type=int, default=2)
    parser.add_argument("--connections", type=int, default=8)
    parser.add_argument("--duration", type=int, default=10, help="seconds of wrk per row")
    parser.add_argument("--port", type=int, default=8765)
    parser.add_argument("--no-gunicorn", action="store_true", help="in-process figures only")
    parser.add_argument("--out", type=Path, default=ROOT / "bench" / "RESULTS.md")
    parser.add_argument(
        "--stats",
        action="store_true",
        help="the statistics and action needed, in-process, as a section of --out",
    )
    args = parser.parse_args()

    url = common.configure_environment()
    OUT.mkdir(exist_ok=True)
    app = common.make_app()
    meta = common.data_set(app)
    pg_url = common.psycopg_url(app)
    dbname = pg_url.rsplit("/", 1)[-1].split("?")[0]
    bench_data.reset_writes(pg_url)
    facts: dict[str, Any] = {
        "date": datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC"),
        "machine": machine(),
        "revision": _git("log", "-1", "--format=%h %s"),
        "dirty": bool(_git("status", "--porcelain", "--untracked-files=no")),
        "command": " ".join(
            [
                "DATABASE_URL=" + sa.engine.make_url(url).render_as_string(),
                sys.argv[0],
                *sys.argv[1:],
            ]
        ),
        "data_set": meta,
        "database": database_facts(app),
    }
    common.check_login(
        app, "coordinator-1", os.environ.get("POKJA_BENCH_PASSWORD", bench_data.DEFAULT_PASSWORD)
    )
    eps = stats_endpoints(meta["size"], args) if args.stats else endpoints(app, meta["size"], args)
    args.no_gunicorn = args.no_gunicorn or args.stats
    facts["pokjas"] = len({u.split("-")[1] for u, _ in eps[0].requests})
    tokens = common.Tokens(app)
    tokens.mint([u for ep in eps for u, _ in ep.requests])
    print(f"{len(tokens.cache)} callers; measuring in-process", flush=True)
    for ep in eps:
        in_process(app, ep, tokens, args)
        print(f"  in-process {ep.label} ({ep.caller}): {ep.results['in_process']}", flush=True)
    bench_data.reset_writes(pg_url)  # also ends the login sessions: mint the tokens again
    if not args.no_gunicorn:
        tokens = common.Tokens(app)
        tokens.mint([u for ep in eps for u, _ in ep.requests])
        under_gunicorn(app, eps, tokens, args, dbname)
        bench_data.reset_writes(pg_url)
    facts["load_at_end"] = os.getloadavg()
    text = report(eps, facts, args)
    if args.stats:
        text = stats_section(text, args.out)
    args.out.write_text(text)
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%S")
    raw = {
        "facts": facts,
        "args": {k: str(v) for k, v in vars(args).items()},
        "rows": [asdict(ep) | {"requests": len(ep.requests)} for ep in eps],
    }
    (OUT / f"run-{stamp}.json").write_text(json.dumps(raw, indent=1, default=str))
    print(text)


if __name__ == "__main__":
    main()
