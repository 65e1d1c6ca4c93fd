"""gunicorn settings for production; every value can be overridden by environment variables.

Run: ``gunicorn -c gunicorn.conf.py wsgi:app`` behind a reverse proxy (nginx, Caddy) that
terminates TLS.
"""

import glob
import multiprocessing
import os
import shutil
import tempfile

bind = os.environ.get("GUNICORN_BIND", "0.0.0.0:8000")
# The API is CPU-bound per request (JSON, JWT) and waits on PostgreSQL briefly. Measured on
# 2 cores with the national data set (case list, wrk -c16, 2026-12-01, a machine shared with
# other work): 5 workers x 2 threads 47 req/s, 2 x 2 30, 2 x 4 32, 3 x 3 30. Processes beat
# threads (the GIL), and a couple of threads per worker cover its waits on PostgreSQL: hence
# 2 x cores + 1 workers with 2 threads each.
workers = int(os.environ.get("GUNICORN_WORKERS", multiprocessing.cpu_count() * 2 + 1))
threads = int(os.environ.get("GUNICORN_THREADS", "2"))
worker_class = "gthread"
timeout = int(os.environ.get("GUNICORN_TIMEOUT", "30"))
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
