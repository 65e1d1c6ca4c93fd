"""WSGI entry point: ``gunicorn -c gunicorn.conf.py wsgi:app``."""

import gc

from pokja import create_app

app = create_app()
# gunicorn preloads the app (preload_app) and forks its workers from it. What starting built
# (the app, the mappers, the schemas, the statements built once: about 230,000 objects) lives
# as long as the process, so it is frozen out of the collector: a full collection, which a
# request allocating tens of thousands of objects (a live agenda) triggers every few requests,
# then no longer walks all of it (135 ms each on the benchmark machine, bench/RESULTS.md),
# and the workers keep sharing those pages instead of copying them on write.
gc.collect()
gc.freeze()
