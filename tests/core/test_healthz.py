def test_healthz_answers_with_the_database_status(client, db):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json()["database"]["status"] == "ok"


def test_anonymous_users_are_sent_to_login(client, db):
    response = client.get("/")
    assert response.status_code == 302 and response.url.startswith("/accounts/login/")


def test_an_unknown_api_path_answers_json_404(client, db):
    response = client.get("/api/v1/no-such-thing")
    assert response.status_code == 404 and response.json()["code"] == "not_found"
