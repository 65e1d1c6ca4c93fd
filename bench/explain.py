"""EXPLAIN (ANALYZE, BUFFERS) of every statement the app sends for one page of the case list,
on a database filled by ``pokja bench-data`` (the national data set).

    DATABASE_URL=postgresql://postgres@127.0.0.1:5432/pokja_bench \\
        .venv/bin/python bench/explain.py [--pokja 1] [--caller both] \\
        [--path '/api/v1/cases?limit=50'] [--out FILE]

The statements are the app's own: the request goes through the test client in production
configuration, with a before_cursor_execute listener keeping each statement and its
parameters (authentication, the page, its selectin loads, the authority and deadline blocks);
each SELECT is then run again under EXPLAIN (ANALYZE, BUFFERS) with the same parameters, in a
transaction that is rolled back. Pokja 1 is the largest of the national data set (about 1,600
cases); ``--caller`` is its coordinator, its non-Bawaslu liaison (common.non_bawaslu_kind), or
both. Another path (a filter, a cursor) explains that page instead.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

import common
from flask import Flask


def explain(app: Flask, username: str, path: str, tokens: common.Tokens) -> list[str]:
    from pokja.extensions import db

    client = app.test_client()
    headers = {"Authorization": f"Bearer {tokens(username)}"}
    client.get(path, headers=headers)  # warm: the plans below are of a warm cache
    with common.counting(app, keep=True) as counter:
        response = client.get(path, headers=headers)
    if response.status_code != 200:
        raise SystemExit(f"GET {path}: {response.status_code} {response.json}")
    out = [f"# GET {path} as {username}: {len(counter.statements)} statements", ""]
    with app.app_context(), db.engine.connect() as conn, conn.begin() as transaction:
        for k, (statement, parameters) in enumerate(counter.statements, 1):
            out += [
                f"## {k}. statement",
                "",
                statement.strip(),
                "",
                f"parameters: {parameters}",
                "",
            ]
            if not statement.lstrip().upper().startswith(("SELECT", "WITH")):
                out += ["(not a SELECT: not explained, since EXPLAIN ANALYZE would run it)", ""]
                continue
            plan: Any = conn.exec_driver_sql(f"EXPLAIN (ANALYZE, BUFFERS) {statement}", parameters)
            out += [row[0] for row in plan] + [""]
        transaction.rollback()
    return out


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--pokja", type=int, default=1, help="the Pokja's number (coordinator-<n>)")
    parser.add_argument("--caller", choices=("coordinator", "liaison", "both"), default="both")
    parser.add_argument("--path", default="/api/v1/cases?limit=50")
    parser.add_argument("--out", type=Path, help="write here instead of standard output")
    args = parser.parse_args()
    common.configure_environment()
    app = common.make_app()
    common.data_set(app)
    callers = {
        "coordinator": f"coordinator-{args.pokja}",
        "liaison": f"liaison-{args.pokja}-{common.non_bawaslu_kind(args.pokja).lower()}",
    }
    chosen = list(callers.values()) if args.caller == "both" else [callers[args.caller]]
    tokens = common.Tokens(app)
    text = "\n".join(line for user in chosen for line in explain(app, user, args.path, tokens))
    if args.out:
        args.out.write_text(text + "\n")
    else:
        sys.stdout.write(text + "\n")


if __name__ == "__main__":
    main()
