"""The OpenAPI document, the offline docs page, and JSON errors for unknown paths."""

from __future__ import annotations

import re

import pytest
from django.test import Client

from .client import assert_error


@pytest.fixture
def openapi(db):
    response = Client().get("/api/v1/openapi.json")
    assert response.status_code == 200
    return response.json()


def test_openapi_states_the_limits(openapi):
    schemas = openapi["components"]["schemas"]
    assert schemas["PostIn"]["properties"]["text"]["maxLength"] == 5000
    assert schemas["PostIn"]["properties"]["circles"]["maxItems"] == 20
    assert schemas["CircleIn"]["properties"]["name"]["maxLength"] == 40
    assert schemas["ProfilePatch"]["properties"]["bio"]["anyOf"][0]["maxLength"] == 500
    assert set(schemas["Audience"]["enum"]) == {
        "only_me",
        "circles",
        "friends",
        "friends_of_friends",
        "public",
    }
    feed = openapi["paths"]["/api/v1/feed"]["get"]
    limit = next(p for p in feed["parameters"] if p["name"] == "limit")
    assert (limit["schema"]["minimum"], limit["schema"]["maximum"]) == (1, 100)


def test_openapi_security(openapi):
    paths = openapi["paths"]
    assert set(openapi["components"]["securitySchemes"]) == {"BearerToken", "BrowserSession"}
    assert paths["/api/v1/feed"]["get"]["security"] == [{"BearerToken": []}, {"BrowserSession": []}]
    assert {} in paths["/api/v1/posts/{post_id}"]["get"]["security"]
    assert "security" not in paths["/api/v1/auth/tokens"]["post"]
    assert "security" not in paths["/api/v1/accounts"]["post"]


def test_every_contract_endpoint_is_there(openapi):
    expected = {
        ("post", "/auth/tokens"),
        ("post", "/accounts"),
        ("get", "/me"),
        ("patch", "/me"),
        ("get", "/feed"),
        ("post", "/feed/seen"),
        ("post", "/posts"),
        ("get", "/posts/{post_id}"),
        ("patch", "/posts/{post_id}"),
        ("delete", "/posts/{post_id}"),
        ("get", "/posts/{post_id}/thread"),
        ("post", "/posts/{post_id}/replies"),
        ("put", "/posts/{post_id}/reaction"),
        ("delete", "/posts/{post_id}/reaction"),
        ("get", "/posts/{post_id}/reactions"),
        ("get", "/posts/{post_id}/history"),
        ("get", "/members/{username}"),
        ("get", "/members/{username}/posts"),
        ("post", "/members/{username}/follow"),
        ("delete", "/members/{username}/follow"),
        ("get", "/friends"),
        ("delete", "/friends/{username}"),
        ("get", "/friend-requests"),
        ("post", "/friend-requests"),
        ("post", "/friend-requests/{username}/accept"),
        ("post", "/friend-requests/{username}/decline"),
        ("delete", "/friend-requests/{username}"),
        ("get", "/circles"),
        ("post", "/circles"),
        ("get", "/circles/{circle_id}"),
        ("patch", "/circles/{circle_id}"),
        ("delete", "/circles/{circle_id}"),
        ("put", "/circles/{circle_id}/members/{username}"),
        ("delete", "/circles/{circle_id}/members/{username}"),
        ("get", "/notifications"),
        ("post", "/notifications/{notification_id}/read"),
        ("post", "/notifications/read-all"),
        ("get", "/invites"),
        ("post", "/invites"),
        ("delete", "/invites/{code}"),
    }
    present = {
        (method, path.removeprefix("/api/v1"))
        for path, operations in openapi["paths"].items()
        for method in operations
    }
    assert expected <= present, expected - present


def test_docs_page_works_offline(db):
    client = Client()
    page = client.get("/api/v1/docs")
    assert page.status_code == 200
    html = page.content.decode()
    # Everything the page loads is Porch's own (the CSRF token it carries is random
    # text, so the page is checked for addresses, not for words such as "cdn").
    loaded = re.findall(r'(?:src|href)="([^"]*)"', html)
    assert loaded and all(url.startswith("/") for url in loaded), loaded
    assert "https://" not in html and "http://" not in html
    assert "<script>" not in html and "style=" not in html
    csp = page["Content-Security-Policy"]
    assert "script-src 'self'" in csp
    for asset, content_type in (
        ("swagger-ui.css", "text/css"),
        ("swagger-ui-bundle.js", "text/javascript"),
        ("swagger-ui-init.js", "text/javascript"),
        ("favicon.png", "image/png"),
    ):
        url = f"/api/v1/docs/assets/{asset}"
        assert url in html
        response = client.get(url)
        assert response.status_code == 200
        assert response["Content-Type"] == content_type
        assert len(b"".join(response.streaming_content)) > 100
        response.close()
    assert_error(client.get("/api/v1/docs/assets/../../../etc/passwd"), 404)
    assert_error(client.get("/api/v1/docs/assets/redoc.standalone.js"), 404)


@pytest.mark.parametrize("method", ["get", "post", "put", "patch", "delete"])
def test_unknown_endpoints_are_json_404(db, method):
    response = getattr(Client(), method)("/api/v1/no/such/thing")
    assert_error(response, 404, "not_found")


def test_unexpected_errors_are_json_500(db, monkeypatch, make_member):
    """A bug still answers JSON (and is logged), never an HTML page."""
    from porch.api import members

    def broken(*args, **kwargs):
        raise RuntimeError("a bug")

    make_member("ana", is_public_profile=True)
    monkeypatch.setattr(members, "access_member", broken)
    response = Client().get("/api/v1/members/ana")
    assert_error(response, 500, "server_error")
