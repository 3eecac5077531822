def test_healthz_answers_with_the_database_status(client, db):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json()["database"]["status"] == "ok"


def test_anonymous_users_are_sent_to_login(client, db):
    response = client.get("/")
    assert response.status_code == 302 and response.url.startswith("/accounts/login/")
