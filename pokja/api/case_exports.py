"""Case-list exports as CSV (streamed) and XLSX (DESIGN §8): every case-list filter, the
list's visibility and redaction (``pokja.cases.export``)."""

from __future__ import annotations

import csv
import io
import tempfile
from collections.abc import Iterator
from typing import IO, Any

from flask import Response, send_file, stream_with_context
from flask.views import MethodView
from flask_jwt_extended import current_user
from openpyxl import Workbook

from pokja.api.base import Blueprint
from pokja.api.schemas.case_exports import ExportQuerySchema
from pokja.cases.export import Export, export_cases
from pokja.extensions import db_session
from pokja.time import clock

blp = Blueprint(
    "case_exports", __name__, url_prefix="/api/v1/cases", description="Case-list exports"
)

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
# Flushed to the client whenever this much CSV has been written.
CHUNK = 64 * 1024
_DOC = {
    "responses": {
        "200": {
            "description": "The cases as a file (CSV streamed, UTF-8 with a byte-order mark "
            "so that spreadsheets read it as UTF-8)",
            "content": {
                "text/csv": {"schema": {"type": "string"}},
                XLSX: {"schema": {"type": "string", "format": "binary"}},
            },
        }
    }
}


def _csv(export: Export) -> Iterator[bytes]:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    buffer.write("\ufeff")
    writer.writerow(export.headers)
    try:
        for row in export.rows:
            writer.writerow(row)
            if buffer.tell() >= CHUNK:
                yield buffer.getvalue().encode()
                buffer.seek(0)
                buffer.truncate()
        yield buffer.getvalue().encode()
    finally:
        export.close()


def _xlsx(export: Export) -> IO[bytes]:
    """The workbook, built before the response starts (a zip archive is complete only at its
    end). openpyxl's write-only mode keeps the rows in a temporary file, not in memory, and
    the finished file is sent from a temporary file too."""
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet("Kasus")
    sheet.append(export.headers)
    try:
        for row in export.rows:
            sheet.append(row)
    finally:
        export.close()
    file = tempfile.TemporaryFile()  # noqa: SIM115 - send_file closes it after sending
    workbook.save(file)
    file.seek(0)
    return file


@blp.route("/export")
class CaseExport(MethodView):
    @blp.auth_required(with_pokja_facts=True)
    @blp.arguments(ExportQuerySchema, location="query", as_kwargs=True)
    @blp.doc(**_DOC)
    def get(self, format: str, rows: str, lang: str, **filters: Any) -> Any:
        """Export the case list as CSV or XLSX, with every filter of the list.

        The same visibility and redaction as the list: cases you see only as a summary have
        empty text and subject columns. One row per case, or per subject with
        `rows=subjects`. Headers in Indonesian (`lang=en` for English), times in the Pokja's
        zone. An export that names subjects is logged as a personal-data read.
        """
        user = current_user._get_current_object()
        export = export_cases(db_session, user, filters, lang=lang, per_subject=rows == "subjects")
        name = f"kasus-{clock.now():%Y%m%d}.{format}"
        if format == "xlsx":
            return send_file(_xlsx(export), XLSX, as_attachment=True, download_name=name)
        # Streamed: the request's context (and its database session) lives until the end.
        response = Response(stream_with_context(_csv(export)), mimetype="text/csv")
        response.headers["Content-Disposition"] = f'attachment; filename="{name}"'
        return response
