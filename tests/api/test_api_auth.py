"""Tokens and sessions: who may call what, and the 401/403 answers."""

from __future__ import annotations

import pytest
from django.test import Client

from porch.accounts.models import AccessToken
from porch.accounts.services import do_create_token, do_revoke_token
from tests.conftest import PASSWORD

from .client import ApiClient, assert_error

PROTECTED = [
    ("get", "/me"),
    ("patch", "/me"),
    ("get", "/feed"),
    ("post", "/feed/seen"),
    ("post", "/posts"),
    ("patch", "/posts/1"),
    ("delete", "/posts/1"),
    ("post", "/posts/1/replies"),
    ("put", "/posts/1/reaction"),
    ("delete", "/posts/1/reaction"),
    ("get", "/posts/1/reactions"),
    ("post", "/members/ana/follow"),
    ("delete", "/members/ana/follow"),
    ("get", "/friends"),
    ("delete", "/friends/ana"),
    ("get", "/friend-requests"),
    ("post", "/friend-requests"),
    ("post", "/friend-requests/ana/accept"),
    ("post", "/friend-requests/ana/decline"),
    ("delete", "/friend-requests/ana"),
    ("get", "/circles"),
    ("post", "/circles"),
    ("get", "/circles/1"),
    ("patch", "/circles/1"),
    ("delete", "/circles/1"),
    ("put", "/circles/1/members/ana"),
    ("delete", "/circles/1/members/ana"),
    ("get", "/notifications"),
    ("post", "/notifications/1/read"),
    ("post", "/notifications/read-all"),
    ("get", "/invites"),
    ("post", "/invites"),
    ("delete", "/invites/abc"),
    ("get", "/auth/tokens"),
    ("delete", "/auth/tokens/1"),
]


@pytest.mark.parametrize(("method", "path"), PROTECTED)
def test_protected_endpoints_need_auth(anon, method, path):
    response = anon.request(method, path, {} if method != "get" else None)
    error = assert_error(response, 401, "unauthenticated")
    assert "Bearer" in error["detail"]
    assert response["WWW-Authenticate"].startswith("Bearer")


def test_create_token_with_password(make_member, anon):
    ana = make_member("ana")
    response = anon.post("/auth/tokens", {"username": "ANA", "password": PASSWORD, "name": "phone"})
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["name"] == "phone"
    assert body["token"].startswith("porch_")
    assert AccessToken.objects.get(pk=body["id"]).member == ana
    me = ApiClient(body["token"]).get("/me")
    assert me.status_code == 200
    assert me.json()["username"] == "ana"


def test_wrong_password_and_unknown_member_look_the_same(make_member, anon):
    make_member("ana")
    wrong = anon.post("/auth/tokens", {"username": "ana", "password": "nope-nope", "name": "x"})
    unknown = anon.post("/auth/tokens", {"username": "zed", "password": "nope-nope", "name": "x"})
    assert assert_error(wrong, 401, "unauthenticated") == assert_error(unknown, 401)
    assert not AccessToken.objects.exists()


def test_inactive_member_gets_no_token(make_member, anon):
    make_member("ana", is_active=False)
    response = anon.post("/auth/tokens", {"username": "ana", "password": PASSWORD, "name": "x"})
    assert_error(response, 401, "unauthenticated")


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"username": "ana", "password": PASSWORD}, "name"),
        ({"username": "ana", "password": PASSWORD, "name": ""}, "name"),
        ({"username": "ana", "password": PASSWORD, "name": "n" * 61}, "name"),
        ({"username": "ana", "name": "x"}, "password"),
        ({"username": "a" * 31, "password": PASSWORD, "name": "x"}, "username"),
        ({"username": "ana", "password": "p" * 129, "name": "x"}, "password"),
        ({"username": 5, "password": PASSWORD, "name": "x"}, "username"),
    ],
)
def test_create_token_bad_input(make_member, anon, body, field):
    make_member("ana")
    assert_error(anon.post("/auth/tokens", body), 400, "invalid", field)


def test_revoked_token_is_401(make_member):
    ana = make_member("ana")
    token, raw = do_create_token(ana, "laptop")
    client = ApiClient(raw)
    assert client.get("/me").status_code == 200
    do_revoke_token(ana, token.pk)
    error = assert_error(client.get("/me"), 401, "unauthenticated")
    assert "revoked" in error["detail"]


def test_token_of_deactivated_member_is_401(make_member):
    ana = make_member("ana")
    _, raw = do_create_token(ana, "laptop")
    ana.is_active = False
    ana.save()
    assert_error(ApiClient(raw).get("/me"), 401)


@pytest.mark.parametrize(
    "header",
    ["Bearer porch_not-a-real-token", "Bearer ", "Bearer nonsense", "Bearer " + "x" * 5000],
)
def test_bad_bearer_tokens_are_401(db, header):
    response = ApiClient().get("/me", headers={"Authorization": header})
    assert_error(response, 401, "unauthenticated")


def test_bad_token_is_refused_even_on_public_reads(make_member):
    make_member("ana", is_public_profile=True)
    assert ApiClient().get("/members/ana").status_code == 200
    assert_error(ApiClient("porch_revoked").get("/members/ana"), 401)


def test_list_and_revoke_own_tokens(make_member, api_as):
    ana = make_member("ana")
    client = api_as(ana)
    tokens = client.get("/auth/tokens").json()
    assert [t["name"] for t in tokens] == ["tests"]
    assert "token" not in tokens[0] and tokens[0]["hint"].startswith("porch_")
    other, _ = do_create_token(make_member("ben"), "bens")
    assert_error(client.delete(f"/auth/tokens/{other.pk}"), 404, "not_found")
    assert client.delete(f"/auth/tokens/{tokens[0]['id']}").status_code == 204
    assert_error(client.get("/me"), 401)


# --- The browser session ------------------------------------------------------------
@pytest.fixture
def browser(make_member):
    """A logged-in browser session whose client enforces CSRF like a real browser."""
    ana = make_member("ana")
    client = Client(enforce_csrf_checks=True)
    client.force_login(ana)
    return ApiClient(client=client)


def test_session_reads_work(browser):
    assert browser.get("/me").json()["username"] == "ana"


def test_session_post_without_csrf_is_403(browser):
    response = browser.post("/posts", {"text": "hi", "audience": "friends"})
    assert_error(response, 403, "csrf_failed")
    response = browser.patch("/me", {"bio": "changed"})
    assert_error(response, 403, "csrf_failed")


def test_session_post_with_csrf_token_works(browser):
    browser.client.get("/api/v1/docs")  # the docs page sets the csrftoken cookie
    csrf = browser.client.cookies["csrftoken"].value
    response = browser.post(
        "/posts", {"text": "hi", "audience": "friends"}, headers={"X-CSRFToken": csrf}
    )
    assert response.status_code == 201, response.content


def test_token_requests_need_no_csrf(make_member):
    ana = make_member("ana")
    _, raw = do_create_token(ana, "app")
    client = ApiClient(raw, client=Client(enforce_csrf_checks=True))
    response = client.post("/posts", {"text": "hi", "audience": "friends"})
    assert response.status_code == 201, response.content


def test_logged_out_post_without_csrf_is_401_not_403(db):
    client = ApiClient(client=Client(enforce_csrf_checks=True))
    assert_error(client.post("/posts", {"text": "hi", "audience": "friends"}), 401)
