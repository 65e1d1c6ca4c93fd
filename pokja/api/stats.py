"""Statistics for dashboards (DESIGN §8): counted in SQL over what the caller may list, each
also answered as CSV (``format=csv``)."""

from __future__ import annotations

from typing import Any

from flask import url_for
from flask.views import MethodView
from flask.wrappers import Response
from flask_jwt_extended import current_user

from pokja.api.base import Blueprint, json_response
from pokja.api.schemas.stats import (
    CaseStatsQuerySchema,
    CaseStatsSchema,
    HandoffStatsSchema,
    RecommendationStatsSchema,
    StatsQuerySchema,
)
from pokja.extensions import db_session
from pokja.stats import cases as case_stats
from pokja.stats import handoffs as handoff_stats
from pokja.stats import recommendations as recommendation_stats
from pokja.stats.csv_form import csv_text

blp = Blueprint(
    "stats",
    __name__,
    url_prefix="/api/v1/stats",
    description="Statistics for dashboards, each figure with the query that reproduces it",
)


def csv_doc(columns: list[str]) -> dict[str, Any]:
    """The ``format=csv`` form of a statistic's 200 answer, documented beside its JSON."""
    header = ",".join(columns) + "\r\n"
    csv = {"text/csv": {"schema": {"type": "string"}, "example": header}}
    return {"responses": {200: {"content": csv}}}


def answer(query: dict[str, Any], body: dict[str, Any], columns: list[str], rows: Any) -> Any:
    """The JSON body, or with ``format=csv`` the rows as CSV."""
    if query["format"] == "csv":
        return Response(csv_text(columns, rows), mimetype="text/csv")
    return json_response(body)


def _case_url(filters: dict[str, Any]) -> str:
    params: dict[str, Any] = {
        k: v.isoformat() if hasattr(v, "isoformat") else str(v) for k, v in filters.items()
    }
    return url_for("cases.Cases", **params)


@blp.route("/cases")
class CaseStats(MethodView):
    @blp.auth_required(with_pokja_facts=True)
    @blp.arguments(CaseStatsQuerySchema, location="query")
    @blp.response(200, CaseStatsSchema)
    @blp.doc(**csv_doc(case_stats.csv_columns(["stage"])))
    def get(self, query: dict[str, Any]) -> Any:
        """Count the cases you may list by one or two dimensions; each row links the case
        list that shows exactly its cases."""
        group_by = query["group_by"]
        rows = case_stats.case_counts(db_session(), current_user, group_by, query)
        for row in rows:
            row["cases"] = _case_url(row.pop("query"))
        body = {"group_by": group_by, "rows": rows}
        return answer(query, body, case_stats.csv_columns(group_by), rows)


@blp.route("/handoffs")
class HandoffStats(MethodView):
    @blp.auth_required(with_pokja_facts=True)
    @blp.arguments(StatsQuerySchema, location="query")
    @blp.response(200, HandoffStatsSchema)
    @blp.doc(**csv_doc(handoff_stats.CSV_COLUMNS))
    def get(self, query: dict[str, Any]) -> Any:
        """Per receiving agency: handoffs received, accepted, declined by reason, withdrawn,
        pending (and past the acceptance deadline), and the median and 90th percentile of the
        time to answer in hours and in the Pokja's working days."""
        rows = handoff_stats.handoff_stats(db_session(), current_user, query)
        return answer(query, {"rows": rows}, handoff_stats.CSV_COLUMNS, rows)


@blp.route("/recommendations")
class RecommendationStats(MethodView):
    @blp.auth_required(with_pokja_facts=True)
    @blp.arguments(StatsQuerySchema, location="query")
    @blp.response(200, RecommendationStatsSchema)
    @blp.doc(**csv_doc(recommendation_stats.CSV_COLUMNS))
    def get(self, query: dict[str, Any]) -> Any:
        """Per addressee: recommendations issued, followed up on time and late, rejected,
        open and not yet due, overdue, escalations by kind and the follow-up rate, with the
        Pokja's total (the CSV form's last line)."""
        rows, total = recommendation_stats.recommendation_stats(db_session(), current_user, query)
        columns = recommendation_stats.CSV_COLUMNS
        return answer(query, {"rows": rows, "total": total}, columns, [*rows, total])
