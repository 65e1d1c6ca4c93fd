"""The contract works for a generated client (DESIGN §9): openapi-python-client builds a client
from the committed openapi.yaml without a warning, and the client, sent to the app over a WSGI
transport, logs in, lists and reads cases, hands one off, accepts the handoff and lists
recommendations, every answer parsed into its generated model."""

from __future__ import annotations

import importlib
import subprocess
import sys
import uuid
from pathlib import Path

import httpx
import pytest

from pokja.cases.editing import change_stage
from pokja.extensions import db
from tests.conftest import PASSWORD
from tests.factories import new_case

SPEC_FILE = Path(__file__).resolve().parent.parent / "openapi.yaml"
PACKAGE = "pokja_generated_client"


@pytest.fixture(scope="session")
def generated(tmp_path_factory):
    """The client package, generated once per session (a few seconds)."""
    root = tmp_path_factory.mktemp("client")
    config = root / "config.yaml"
    config.write_text("post_hooks: []\n")  # no formatter run: the code is imported, not read
    result = subprocess.run(  # noqa: S603 - our own interpreter, fixed arguments
        [
            sys.executable,
            "-m",
            "openapi_python_client",
            "generate",
            "--path",
            str(SPEC_FILE),
            "--meta",
            "none",
            "--output-path",
            str(root / PACKAGE),
            "--config",
            str(config),
            "--fail-on-warning",
        ],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    sys.path.insert(0, str(root))
    try:
        yield importlib.import_module(PACKAGE)
    finally:
        sys.path.remove(str(root))


def _module(name: str):
    return importlib.import_module(f"{PACKAGE}.{name}")


@pytest.fixture
def connect(generated, app):
    transport = httpx.WSGITransport(app=app)

    def client(token: str | None = None):
        args = {"base_url": "http://pokja.test", "httpx_args": {"transport": transport}}
        if token is None:
            return generated.Client(**args)
        return generated.AuthenticatedClient(token=token, **args)

    return client


def _login(connect, user):
    login = _module("api.auth.login")
    models = _module("models")
    response = login.sync_detailed(
        client=connect(), body=models.Login(username=user.username, password=PASSWORD)
    )
    assert response.status_code == 200, response.content
    assert isinstance(response.parsed, models.Token)
    return connect(response.parsed.access_token)


def test_the_generated_client_works_against_the_server(world, connect):
    models = _module("models")
    api = {
        name: _module(f"api.{name}")
        for name in (
            "auth.get_current_user",
            "cases.list_cases",
            "cases.get_case",
            "handoffs.create_handoff",
            "handoffs.list_handoffs",
            "handoffs.accept_handoff",
            "recommendations.create_recommendation",
            "recommendations.list_recommendations",
            "code_lists.get_code_lists",
        )
    }
    case = new_case(world)
    change_stage(db.session, world.liaisons["BAWASLU"], case, "examination")
    db.session.commit()

    bawaslu = _login(connect, world.liaisons["BAWASLU"])
    me = api["auth.get_current_user"].sync(client=bawaslu)
    assert isinstance(me, models.Me)
    assert me.username == world.liaisons["BAWASLU"].username

    page = api["cases.list_cases"].sync(client=bawaslu)
    assert isinstance(page, models.CasePage)
    assert [item.id for item in page.items] == [case.id]
    read = api["cases.get_case"].sync(case.id, client=bawaslu)
    assert isinstance(read, models.Case)
    assert read.register_number == case.register_number
    assert read.dismissal_reason is None  # a nullable enum, read as such
    missing = api["cases.get_case"].sync_detailed(uuid.uuid4(), client=bawaslu)
    assert missing.status_code == 404
    assert isinstance(missing.parsed, models.Problem)

    recommendation = api["recommendations.create_recommendation"].sync(
        case.id,
        client=bawaslu,
        body=models.RecommendationCreate(
            addressee_agency_id=world.agencies["INSPEKTORAT"].id,
            number="045/PP.01.02/K.BE-07/03/2024",
            date=read.registered_at.date(),
            text="Merekomendasikan penjatuhan sanksi sesuai PP 94/2021.",
        ),
    )
    assert isinstance(recommendation, models.Recommendation)

    handoff = api["handoffs.create_handoff"].sync(
        case.id,
        client=bawaslu,
        body=models.HandoffCreate(
            to_agency_id=world.agencies["BKDPSDM"].id,
            purpose=models.HandoffCreatePurpose.FOLLOW_UP,
            reason="Pelanggaran disiplin PNS",
        ),
        idempotency_key=f"client-{uuid.uuid4()}",
    )
    assert isinstance(handoff, models.Handoff)
    assert handoff.status == models.HandoffStatus.PENDING
    assert handoff.decline_reason is None

    bkdpsdm = _login(connect, world.liaisons["BKDPSDM"])
    incoming = api["handoffs.list_handoffs"].sync(client=bkdpsdm)
    assert isinstance(incoming, models.HandoffPage)
    assert handoff.id in [item.id for item in incoming.items]
    accepted = api["handoffs.accept_handoff"].sync(handoff.id, client=bkdpsdm)
    assert isinstance(accepted, models.Handoff)
    assert accepted.status == models.HandoffStatus.ACCEPTED
    now_held = api["cases.get_case"].sync(case.id, client=bkdpsdm)
    assert now_held.authority.holder.id == world.agencies["BKDPSDM"].id

    recommendations = api["recommendations.list_recommendations"].sync(client=bawaslu)
    assert isinstance(recommendations, models.RecommendationPage)
    assert [item.id for item in recommendations.items] == [recommendation.id]
    code_lists = api["code_lists.get_code_lists"].sync(client=bawaslu)
    assert isinstance(code_lists, models.CodeLists)
    assert code_lists.sanction_kinds


def test_an_unknown_query_parameter_reaches_the_client_as_a_400_naming_it(world, connect):
    models = _module("models")
    bawaslu = _login(connect, world.liaisons["BAWASLU"])
    raw = bawaslu.get_httpx_client().get("/api/v1/cases", params={"search": "x"})
    assert raw.status_code == 400
    problem = models.Problem.from_dict(raw.json())
    assert problem.code == "unknown_parameter"
    assert "search" in problem.errors.to_dict()
