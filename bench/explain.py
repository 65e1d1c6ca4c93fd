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

``--runs N`` measures instead of printing plans: every SELECT of each page is explained N
times (after one warm run) and a Markdown table gives, per statement, the medians of planning
time, execution time and shared buffers hit/read. ``--harness`` takes the pages the shared
harness asks (../shared/bench/run.py: a stage, that stage and a holder, that stage after a
cursor in the middle of its list) for the Pokja's most frequent stage; ``--user`` names
callers explicitly (repeatable), ``--path`` too.

    DATABASE_URL=... .venv/bin/python bench/explain.py --harness --runs 15 \\
        --user coordinator-1 --user liaison-1-tni
"""

from __future__ import annotations

import argparse
import statistics
import sys
from pathlib import Path
from typing import Any

import common
from flask import Flask


def capture(app: Flask, username: str, path: str, tokens: common.Tokens) -> list[Any]:
    """The (statement, parameters) the app sends for ``GET path`` as ``username``."""
    client = app.test_client()
    headers = {"Authorization": f"Bearer {tokens(username)}"}
    client.get(path, headers=headers)  # warm: the plans below are of a warm cache
    with common.counting(app, keep=True) as counter:
        response = client.get(path, headers=headers)
    if response.status_code != 200:
        raise SystemExit(f"GET {path}: {response.status_code} {response.json}")
    return counter.statements


def explain(app: Flask, username: str, path: str, tokens: common.Tokens) -> list[str]:
    from pokja.extensions import db

    statements = capture(app, username, path, tokens)
    out = [f"# GET {path} as {username}: {len(statements)} statements", ""]
    with app.app_context(), db.engine.connect() as conn, conn.begin() as transaction:
        for k, (statement, parameters) in enumerate(statements, 1):
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


def _label(statement: str) -> str:
    """What a statement is, for the table."""
    text = " ".join(statement.split())
    for needle, label in (
        ("FROM cases", "case page"),
        ("FROM users", "authentication"),
        ("FROM pokjas", "Pokja context"),
    ):
        if needle in text:
            return label
    return text[:30]


def _page(path: str) -> str:
    """A path without its long values (ids, cursors), for the table."""
    query = path.partition("?")[2]
    parts = [p if len(p) < 24 else p.split("=")[0] + "=…" for p in query.split("&")]
    return "&".join(p for p in parts if p != "limit=50") or "(no filter)"


def measure(
    app: Flask, username: str, path: str, tokens: common.Tokens, runs: int
) -> list[list[str]]:
    """Per SELECT of the page: medians over ``runs`` EXPLAIN (ANALYZE, BUFFERS) runs."""
    from pokja.extensions import db

    rows = []
    with app.app_context(), db.engine.connect() as conn, conn.begin() as transaction:
        for k, (statement, parameters) in enumerate(capture(app, username, path, tokens), 1):
            if not statement.lstrip().upper().startswith(("SELECT", "WITH")):
                continue
            sql = f"EXPLAIN (ANALYZE, BUFFERS, FORMAT JSON) {statement}"
            samples = []
            for _ in range(runs + 1):
                (plan,) = conn.exec_driver_sql(sql, parameters).one()
                top = plan[0]
                node = top["Plan"]
                samples.append(
                    (
                        top["Planning Time"],
                        top["Execution Time"],
                        node["Shared Hit Blocks"],
                        node["Shared Read Blocks"],
                        node["Actual Rows"],
                    )
                )
            samples = samples[1:]  # the first run warms the caches
            med = [statistics.median(s[i] for s in samples) for i in range(5)]
            rows.append(
                [
                    username,
                    _page(path),
                    f"{k}. {_label(statement)}",
                    f"{med[0]:.3f}",
                    f"{med[1]:.3f}",
                    f"{med[2]:.0f}",
                    f"{med[3]:.0f}",
                    f"{med[4]:.0f}",
                ]
            )
        transaction.rollback()
    return rows


def harness_paths(app: Flask, pokja_n: int) -> list[str]:
    """The shared harness's three kinds of list page for Pokja ``pokja_n``'s most frequent
    stage: the stage alone, with its most frequent holder, after a cursor half-way down."""
    import sqlalchemy as sa

    from pokja.api.pagination import encode_cursor
    from pokja.extensions import db

    with app.app_context():
        pokja_id = db.session.execute(
            sa.text("SELECT pokja_id FROM users WHERE username = :u"),
            {"u": f"coordinator-{pokja_n}"},
        ).scalar_one()
        stage, holder, n = db.session.execute(
            sa.text(
                "SELECT stage, mode() WITHIN GROUP (ORDER BY holder_agency_id), count(*)"
                " FROM cases WHERE pokja_id = :p GROUP BY stage ORDER BY count(*) DESC LIMIT 1"
            ),
            {"p": pokja_id},
        ).one()
        registered_at, case_id = db.session.execute(
            sa.text(
                "SELECT registered_at, id FROM cases WHERE pokja_id = :p AND stage = :s"
                " ORDER BY registered_at DESC, id DESC OFFSET :k LIMIT 1"
            ),
            {"p": pokja_id, "s": stage, "k": n // 2},
        ).one()
    base = f"/api/v1/cases?stage={stage}&limit=50"
    cursor = encode_cursor([registered_at, case_id])
    return [base, f"{base}&holder_id={holder}", f"{base}&cursor={cursor}"]


TABLE_HEAD = [
    "| caller | page | statement | planning ms | execution ms | shared hit | read | rows |",
    "| --- | --- | --- | ---: | ---: | ---: | ---: | ---: |",
]


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--pokja", type=int, default=1, help="the Pokja's number (coordinator-<n>)")
    parser.add_argument("--caller", choices=("coordinator", "liaison", "both"), default="both")
    parser.add_argument("--path", default="/api/v1/cases?limit=50")
    parser.add_argument("--out", type=Path, help="write here instead of standard output")
    parser.add_argument("--user", action="append", help="explain as this user (repeatable)")
    parser.add_argument("--runs", type=int, help="measure: medians of this many runs")
    parser.add_argument("--harness", action="store_true", help="the shared harness's pages")
    parser.add_argument("--extra-path", action="append", default=[], help="another page")
    args = parser.parse_args()
    common.configure_environment()
    app = common.make_app()
    common.data_set(app)
    callers = {
        "coordinator": f"coordinator-{args.pokja}",
        "liaison": f"liaison-{args.pokja}-{common.non_bawaslu_kind(args.pokja).lower()}",
    }
    chosen = list(callers.values()) if args.caller == "both" else [callers[args.caller]]
    chosen = args.user or chosen
    paths = harness_paths(app, args.pokja) if args.harness else [args.path]
    paths += args.extra_path
    tokens = common.Tokens(app)
    if args.runs:
        table = [
            "| " + " | ".join(row) + " |"
            for user in chosen
            for path in paths
            for row in measure(app, user, path, tokens, args.runs)
        ]
        text = "\n".join(TABLE_HEAD + table)
    else:
        text = "\n".join(
            line for user in chosen for path in paths for line in explain(app, user, path, tokens)
        )
    if args.out:
        args.out.write_text(text + "\n")
    else:
        sys.stdout.write(text + "\n")


if __name__ == "__main__":
    main()
