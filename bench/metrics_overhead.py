"""What the request metrics cost a request, in-process: the same app with and without them.

    .venv/bin/python bench/metrics_overhead.py [--requests 20000] [--single-process]

Two apps in one process, one built with ``POKJA_METRICS_ENABLED=false``, answer ``/healthz``
(no database, so the difference is the metrics' before/after-request hooks and nothing
else) in alternating rounds; the figure is the difference of the medians of CPU time per
request. By default in prometheus-client's multiprocess mode (``PROMETHEUS_MULTIPROC_DIR``,
values in memory-mapped files), as under gunicorn; ``--single-process`` without it.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--requests", type=int, default=20_000)
    parser.add_argument("--rounds", type=int, default=10)
    parser.add_argument("--single-process", action="store_true")
    args = parser.parse_args()
    if not args.single_process:  # before prometheus_client is imported
        os.environ["PROMETHEUS_MULTIPROC_DIR"] = tempfile.mkdtemp(prefix="pokja-metrics-bench-")
    from pokja import create_app

    base = {"SQLALCHEMY_DATABASE_URI": "sqlite://", "POKJA_ENV": "testing"}
    clients = {
        "on": create_app({**base, "POKJA_METRICS_ENABLED": True}).test_client(),
        "off": create_app({**base, "POKJA_METRICS_ENABLED": False}).test_client(),
    }
    per_round = args.requests // args.rounds
    cpu: dict[str, list[float]] = {"on": [], "off": []}
    for _ in range(args.rounds):
        for name, client in clients.items():
            started = time.process_time()
            for _ in range(per_round):
                client.get("/healthz")
            cpu[name].append((time.process_time() - started) / per_round * 1e6)
    on, off = statistics.median(cpu["on"]), statistics.median(cpu["off"])
    hooks = _hooks_alone(clients["on"].application, args.requests)
    mode = "single-process" if args.single_process else "multiprocess (as under gunicorn)"
    print(f"{mode}: {per_round * args.rounds:,} requests each, {args.rounds} rounds")
    print(f"  GET /healthz CPU per request: {off:.1f} µs without metrics, {on:.1f} µs with")
    print(f"  the metrics' cost: {on - off:.1f} µs per request (difference of the medians)")
    print(f"  the two hooks alone, called directly: {hooks:.1f} µs per request")


def _hooks_alone(app, n: int) -> float:
    """The before/after-request hooks timed without the web stack around them (the figure
    the difference above measures with the noise of a whole request)."""
    from flask.wrappers import Response

    from pokja.api import metrics

    response = Response("ok")
    with app.test_request_context("/healthz"):
        started = time.process_time()
        for _ in range(n):
            metrics._start()
            metrics._observe(response)
        return (time.process_time() - started) / n * 1e6


if __name__ == "__main__":
    main()
