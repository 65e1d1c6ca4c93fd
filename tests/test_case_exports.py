"""Case-list exports: the list's redaction in CSV and XLSX, neutralised formulas, Indonesian
headers, the Pokja's zone, logged reads (DESIGN §5, §8)."""

from __future__ import annotations

import csv
import io
from zoneinfo import ZoneInfo

import pytest
import sqlalchemy as sa
from openpyxl import load_workbook

from pokja.cases.export import neutralise
from pokja.extensions import db
from pokja.models import PersonalDataRead
from tests.factories import case_data, new_case

EXPORT = "/api/v1/cases/export"
NAME = "Budi Santoso"  # the factory's subject
TITLE = case_data()["title"]


def _export(client, headers, **params):
    response = client.get(EXPORT, query_string=params, headers=headers)
    assert response.status_code == 200, response.get_data(as_text=True)
    return response


def _csv_rows(response):
    text = response.get_data().decode("utf-8")
    assert text.startswith("\ufeff")
    return list(csv.reader(io.StringIO(text[1:])))


def _xlsx_rows(response):
    sheet = load_workbook(io.BytesIO(response.get_data()), read_only=True).active
    return [
        [cell if cell is not None else "" for cell in row]
        for row in sheet.iter_rows(values_only=True)
    ]


def test_coordinator_exports_in_full_with_indonesian_headers(client, headers_for, world):
    case = new_case(world)
    db.session.commit()
    response = _export(client, headers_for(world.coordinator))
    assert response.mimetype == "text/csv"
    assert "attachment" in response.headers["Content-Disposition"]
    header, row = _csv_rows(response)
    assert header[:3] == ["Nomor Register", "Ringkasan Terbatas", "Tahapan"]
    assert header[-1] == "Terlapor"
    cells = dict(zip(header, row, strict=True))
    assert cells["Nomor Register"] == case.register_number
    assert cells["Ringkasan Terbatas"] == "tidak"
    assert cells["Tahapan"] == "Diterima"
    assert cells["Judul"] == TITLE
    assert NAME in cells["Terlapor"]
    local = case.registered_at.astimezone(ZoneInfo("Asia/Jakarta"))
    assert cells["Waktu Registrasi"] == local.strftime("%Y-%m-%d %H:%M")


def test_english_headers_and_labels(client, headers_for, world):
    new_case(world)
    db.session.commit()
    header, row = _csv_rows(_export(client, headers_for(world.coordinator), lang="en"))
    assert header[:3] == ["Register number", "Redacted", "Stage"]
    assert row[1:3] == ["no", "Received"]


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
@pytest.mark.parametrize("caller", ["viewer", "kejari"])
def test_redacted_callers_get_no_names_or_text(client, headers_for, world, fmt, caller):
    case = new_case(world)
    db.session.commit()
    user = world.viewer if caller == "viewer" else world.liaisons["KEJARI"]
    response = _export(client, headers_for(user), format=fmt)
    rows = _csv_rows(response) if fmt == "csv" else _xlsx_rows(response)
    [row] = rows[1:]
    cells = dict(zip(rows[0], row, strict=True))
    assert cells["Nomor Register"] == case.register_number
    assert cells["Ringkasan Terbatas"] == "ya"
    assert cells["Judul"] == cells["Terlapor"] == cells["Desa/Kelurahan"] == ""
    flat = repr(rows)
    for secret in (NAME, TITLE, "Pasar Baru", case_data()["subjects"][0]["identifier"]):
        assert secret not in flat
    if fmt == "csv":
        assert NAME.encode() not in response.data


def test_coordinator_xlsx_carries_the_names(client, headers_for, world):
    new_case(world)
    db.session.commit()
    rows = _xlsx_rows(_export(client, headers_for(world.coordinator), format="xlsx"))
    assert rows[0][0] == "Nomor Register"
    assert NAME in rows[1][-1]


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_formula_cells_are_neutralised(client, headers_for, world, fmt):
    subject = {**case_data()["subjects"][0], "name": "@SUM(A1:A9)"}
    new_case(world, title='=HYPERLINK("http://evil.example","klik")', subjects=[subject])
    db.session.commit()
    response = _export(client, headers_for(world.coordinator), format=fmt, rows="subjects")
    rows = _csv_rows(response) if fmt == "csv" else _xlsx_rows(response)
    cells = dict(zip(rows[0], rows[1], strict=True))
    assert cells["Judul"] == '\'=HYPERLINK("http://evil.example","klik")'
    assert cells["Nama Terlapor"] == "'@SUM(A1:A9)"
    if fmt == "xlsx":
        sheet = load_workbook(io.BytesIO(response.get_data())).active
        assert all(cell.data_type != "f" for row in sheet.iter_rows() for cell in row)


def test_neutralise_every_dangerous_start():
    for start in ("=", "+", "-", "@", "\t", "\r"):
        assert neutralise(start + "1") == "'" + start + "1"
    assert neutralise("Budi") == "Budi"


def test_one_row_per_subject_and_redacted_cases_stay_one_row(client, headers_for, world):
    subjects = [
        {**case_data()["subjects"][0], "name": "Budi Santoso"},
        {**case_data()["subjects"][0], "name": "Ani Lestari", "identifier": "198501012010012002"},
    ]
    new_case(world, subjects=subjects)
    db.session.commit()
    full = _csv_rows(_export(client, headers_for(world.coordinator), rows="subjects"))
    assert full[0][-5:] == [
        "Nama Terlapor",
        "NIP/NRP/NIK",
        "Jenis Terlapor",
        "Jabatan",
        "Unit Kerja",
    ]
    assert [row[-5] for row in full[1:]] == ["Budi Santoso", "Ani Lestari"]
    redacted = _csv_rows(_export(client, headers_for(world.viewer), rows="subjects"))
    assert len(redacted) == 2
    assert redacted[1][-5:] == [""] * 5


def test_list_filters_apply(client, headers_for, world):
    pemilu = new_case(world)
    new_case(world, election="pilkada-2024", election_kind="pilkada")
    db.session.commit()
    rows = _csv_rows(_export(client, headers_for(world.coordinator), election="pemilu-2024"))
    assert [row[0] for row in rows[1:]] == [pemilu.register_number]


def _reads():
    return db.session.scalar(sa.select(sa.func.count()).select_from(PersonalDataRead))


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_an_export_with_names_is_a_logged_read(client, headers_for, world, fmt):
    case = new_case(world)
    db.session.commit()
    _export(client, headers_for(world.viewer), format=fmt)
    assert _reads() == 0
    _export(client, headers_for(world.coordinator), format=fmt)
    logged = db.session.execute(sa.select(PersonalDataRead.case_id, PersonalDataRead.fields)).all()
    assert [(row.case_id, row.fields) for row in logged] == [(case.id, ["subjects"])]


@pytest.mark.parametrize(
    "params", [{"format": "pdf"}, {"rows": "agencies"}, {"lang": "jv"}, {"stage": "nope"}]
)
def test_bad_parameters_are_422(client, headers_for, world, params):
    response = client.get(EXPORT, query_string=params, headers=headers_for(world.coordinator))
    assert response.status_code == 422
    assert response.mimetype == "application/problem+json"
