"""gunicorn settings for production; every value can be overridden by environment variables.

Run: ``gunicorn -c gunicorn.conf.py wsgi:app`` behind a reverse proxy (nginx, Caddy) that
terminates TLS.
"""

import glob
import multiprocessing
import os
import shutil
import tempfile
import threading
import time

bind = os.environ.get("GUNICORN_BIND", "0.0.0.0:8000")
# The API is CPU-bound per request (JSON, JWT) and waits on PostgreSQL briefly. Measured on
# 2 cores with the national data set (case list, wrk -c16, 2026-12-01, a machine shared with
# other work): 5 workers x 2 threads 47 req/s, 2 x 2 30, 2 x 4 32, 3 x 3 30. Processes beat
# threads (the GIL), and a couple of threads per worker cover its waits on PostgreSQL: hence
# 2 x cores + 1 workers with 2 threads each.
workers = int(os.environ.get("GUNICORN_WORKERS", multiprocessing.cpu_count() * 2 + 1))
threads = int(os.environ.get("GUNICORN_THREADS", "2"))
worker_class = "gthread"
# gunicorn's ``timeout`` only notices a worker whose main loop hangs; under gthread a request
# thread stuck in a wait does not stop the loop, so it never fires for requests. What bounds
# a request is, first, the database (lock_timeout, statement_timeout, connect and pool
# timeouts: POKJA_DB_*), which answers a stuck request with a 503 within seconds; and, as the
# last resort, the watchdog below: a worker with a request running longer than
# POKJA_REQUEST_TIMEOUT seconds exits at once (the master starts a new one, and PostgreSQL
# rolls back the transactions of the connections that close with it).
timeout = int(os.environ.get("GUNICORN_TIMEOUT", "30"))
request_timeout = int(os.environ.get("POKJA_REQUEST_TIMEOUT", "20"))
graceful_timeout = int(os.environ.get("GUNICORN_GRACEFUL_TIMEOUT", "30"))
keepalive = int(os.environ.get("GUNICORN_KEEPALIVE", "5"))
# Recycle workers now and then so that a slow leak cannot take an instance down mid-election.
max_requests = int(os.environ.get("GUNICORN_MAX_REQUESTS", "5000"))
max_requests_jitter = int(os.environ.get("GUNICORN_MAX_REQUESTS_JITTER", "500"))
accesslog = "-"
errorlog = "-"
loglevel = os.environ.get("GUNICORN_LOG_LEVEL", "info")
access_log_format = '%(h)s "%(r)s" %(s)s %(b)s %(M)sms rid=%({x-request-id}o)s'
# Trust X-Forwarded-* only from the proxy in front (set to its address in production).
forwarded_allow_ips = os.environ.get("FORWARDED_ALLOW_IPS", "127.0.0.1")
preload_app = True

_running: dict[int, float] = {}  # request thread -> when its request started (monotonic)


def pre_request(worker, req):  # type: ignore[no-untyped-def]
    _running[threading.get_ident()] = time.monotonic()


def post_request(worker, req, environ, resp):  # type: ignore[no-untyped-def]
    _running.pop(threading.get_ident(), None)


def post_worker_init(worker):  # type: ignore[no-untyped-def]
    def watch() -> None:
        while True:
            time.sleep(1)
            now = time.monotonic()
            if any(now - started > request_timeout for started in list(_running.values())):
                worker.log.critical(
                    "worker %s: a request ran longer than %s s; exiting",
                    os.getpid(),
                    request_timeout,
                )
                os._exit(1)

    threading.Thread(target=watch, name="request-watchdog", daemon=True).start()
# /metrics under several workers: prometheus-client's multiprocess mode keeps each worker's
# values in memory-mapped files in PROMETHEUS_MULTIPROC_DIR, and a scrape answered by any
# worker adds them up. It must be set before the app (and prometheus_client) is imported,
# hence here; by default a fresh directory per start, removed when gunicorn exits. A
# directory you set yourself is emptied when gunicorn starts, and a dead worker's live gauges
# are dropped.
_OWN_METRICS_DIR = "PROMETHEUS_MULTIPROC_DIR" not in os.environ
if _OWN_METRICS_DIR:
    os.environ["PROMETHEUS_MULTIPROC_DIR"] = tempfile.mkdtemp(prefix="pokja-metrics-")


def on_starting(server):
    for stale in glob.glob(os.path.join(os.environ["PROMETHEUS_MULTIPROC_DIR"], "*.db")):
        os.remove(stale)


def on_exit(server):
    if _OWN_METRICS_DIR:
        shutil.rmtree(os.environ["PROMETHEUS_MULTIPROC_DIR"], ignore_errors=True)


def child_exit(server, worker):
    from prometheus_client import multiprocess

    multiprocess.mark_process_dead(worker.pid)
