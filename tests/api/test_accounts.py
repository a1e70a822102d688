from rest_framework.test import APIClient

from annotator.accounts.models import ApiToken
from annotator.accounts.services import hash_token_key
from tests.conftest import client_for, make_user


def test_password_login_returns_token_once_and_stores_only_hash(world):
    anon = client_for(None)
    r = anon.post("/api/v1/auth/token/", {"username": "annotator", "password": "pw-annotator"}, format="json")
    assert r.status_code == 201
    key = r.json()["token"]
    stored = ApiToken.objects.get(pk=r.json()["id"])
    assert stored.key_hash == hash_token_key(key) and key not in (stored.key_hash, stored.prefix)
    for scheme in ("Bearer", "Token"):
        client = client_for(None)
        client.credentials(HTTP_AUTHORIZATION=f"{scheme} {key}")
        me = client.get("/api/v1/me/")
        assert me.status_code == 200 and me.json()["username"] == "annotator"
        assert me.json()["memberships"] == [{"project": world.project.pk, "role": "annotator"}]
    listed = client.get("/api/v1/tokens/").json()
    assert all("token" not in t for t in listed)
    assert stored.pk in {t["id"] for t in listed}


def test_bad_credentials_and_bad_tokens(world):
    anon = client_for(None)
    r = anon.post("/api/v1/auth/token/", {"username": "annotator", "password": "wrong"}, format="json")
    assert r.status_code == 400 and "token" not in r.json()
    assert anon.post("/api/v1/auth/token/", {"username": "annotator"}, format="json").status_code == 400
    assert anon.get("/api/v1/me/").status_code == 401
    anon.credentials(HTTP_AUTHORIZATION="Bearer ann_not-a-real-token")
    r = anon.get("/api/v1/me/")
    assert r.status_code == 401 and r["WWW-Authenticate"].startswith("Bearer")


def test_revoked_token_stops_working(world):
    client = client_for(world.users["reviewer"])
    created = client.post("/api/v1/tokens/", {"name": "script"}, format="json")
    assert created.status_code == 201
    token_id, key = created.json()["id"], created.json()["token"]
    script = client_for(None)
    script.credentials(HTTP_AUTHORIZATION=f"Bearer {key}")
    assert script.get("/api/v1/me/").status_code == 200
    # Someone else's token cannot be revoked by id.
    assert client_for(world.users["annotator"]).delete(f"/api/v1/tokens/{token_id}/").status_code == 404
    assert client.delete(f"/api/v1/tokens/{token_id}/").status_code == 204
    assert script.get("/api/v1/me/").status_code == 401
    assert token_id not in {t["id"] for t in client.get("/api/v1/tokens/").json()}


def test_session_auth_needs_csrf(world):
    from rest_framework.test import APIClient

    client = APIClient(enforce_csrf_checks=True)
    client.force_login(world.users["admin"])
    assert client.get("/api/v1/me/").status_code == 200
    r = client.post("/api/v1/projects/", {"name": "X"}, format="json")
    assert r.status_code == 403 and "CSRF" in r.json()["detail"]


def test_password_logins_are_throttled(world):
    anon = client_for(None)
    codes = [
        anon.post(
            "/api/v1/auth/token/", {"username": "annotator", "password": "wrong"}, format="json"
        ).status_code
        for _ in range(31)
    ]
    assert codes[:30] == [400] * 30 and codes[30] == 429


# --- the web UI's session sign-in -----------------------------------------------------------


def _csrf_client() -> APIClient:
    """A client that enforces CSRF, as a browser session must, holding the page's csrftoken."""
    client = APIClient(enforce_csrf_checks=True)
    assert client.get("/").status_code == 200  # the app's page sets the csrftoken cookie
    return client


def test_session_sign_in_needs_the_csrf_token_then_authenticates(db: None) -> None:
    make_user("carol")
    client = _csrf_client()
    body = {"username": "carol", "password": "pw-carol"}
    refused = client.post("/api/v1/auth/session/", body, format="json")  # no X-CSRFToken
    assert refused.status_code == 403
    assert refused.json()["code"] == "csrf_failed" and "reload the page" in refused.json()["detail"]
    token = client.cookies["csrftoken"].value
    response = client.post("/api/v1/auth/session/", body, format="json", HTTP_X_CSRFTOKEN=token)
    assert response.status_code == 200, response.json()
    assert response.json()["username"] == "carol"
    assert client.get("/api/v1/me/").json()["username"] == "carol"
    # Unsafe requests on the session need the (rotated) token too.
    assert client.post("/api/v1/tokens/", {"name": "x"}, format="json").status_code == 403
    token = client.cookies["csrftoken"].value
    assert client.delete("/api/v1/auth/session/", HTTP_X_CSRFTOKEN=token).status_code == 204
    assert client.get("/api/v1/me/").status_code in (401, 403)


def test_session_sign_in_refuses_wrong_credentials_with_one_message(db: None) -> None:
    make_user("dave")
    client = _csrf_client()
    token = client.cookies["csrftoken"].value
    for body in ({"username": "dave", "password": "wrong"}, {"username": "nobody", "password": "x"}):
        response = client.post("/api/v1/auth/session/", body, format="json", HTTP_X_CSRFTOKEN=token)
        assert response.status_code == 400
        assert response.json()["detail"] == "Unable to log in with the given username and password."
    assert client.get("/api/v1/me/").status_code in (401, 403)
