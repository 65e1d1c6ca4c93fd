def test_healthz_answers_ok(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json == {"status": "ok"}


def test_me_returns_the_logged_in_user(client, world, headers_for):
    response = client.get("/api/v1/auth/me", headers=headers_for(world.liaisons["TNI"]))
    assert response.status_code == 200
    assert response.json["username"] == world.liaisons["TNI"].username
    assert response.json["agency"]["kind"] == "TNI"
