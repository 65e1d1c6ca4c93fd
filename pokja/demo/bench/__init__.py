"""Benchmark data (``pokja bench-data``) in pokja's own migrated schema, for bench/ (DESIGN §11).

PostgreSQL only: every table is filled by ``INSERT … SELECT generate_series`` in one
transaction, with indexes and foreign keys dropped for the load and re-created from their own
definitions afterwards (so every constraint of the migrations is checked on the result).
Randomness is ``md5`` of a fixed salt and the row's key, so the same size and ``as_of`` give
the same rows on every run, whatever plan PostgreSQL picks.

Sizes: ``national`` (514 Pokjas × 6 agencies with the default authority rules, 100,000 cases,
~200,000 subjects, ~1,000,000 events), ``pokja`` (one Pokja with 5,000 cases, ~2,000 open) and
``tiny`` (for tests). Cases move along the stage table; authority moves only by accepted
handoffs to agencies the rules allow; pending handoffs, recommendations and escalations fall
due around ``as_of`` (some overdue); due dates come from pokja's own clocks and calendar.
Events are each Pokja's real hash chain (:func:`pokja.audit.events.compute_hash`), so
``pokja audit-verify`` passes. Users: see :func:`pokja.demo.bench.generate.logins`; one argon2
hash of the password.

Schema ``bench`` keeps what :func:`pokja.demo.bench.generate.reset_writes` needs to undo a
benchmark run's writes.
"""
