"""Abuse limits, tested the way Mastodon tests its own: limit - 1 passes, twice the limit
is refused with 429 and Retry-After, and the limit resets after its period."""

from __future__ import annotations

import pytest
from django.test import Client
from django_ratelimit import core

from porch import limits
from porch.accounts.models import Member
from porch.posts.models import Post
from tests.api.client import ApiClient
from tests.conftest import PASSWORD


class Clock:
    """django-ratelimit's clock, moved by hand."""

    def __init__(self):
        import time

        self.now = time.time()

    def time(self):
        return self.now


@pytest.fixture
def clock(monkeypatch):
    fake = Clock()
    monkeypatch.setattr(core, "time", fake)
    return fake


def signup(client, n):
    return client.post(
        "/accounts", {"username": f"newcomer{n}", "password": PASSWORD, "display_name": "New"}
    )


def test_sign_ups_per_ip(db, clock, settings):
    from porch.accounts.models import SiteSettings

    site = SiteSettings.current()
    site.signup_mode = "open"
    site.save()
    api = ApiClient()
    for n in range(4):  # limit - 1
        assert signup(api, n).status_code == 201
    assert signup(api, 4).status_code == 201  # the 5th is the limit itself
    refused = [signup(api, n) for n in range(5, 10)]
    assert {r.status_code for r in refused} == {429}
    body = refused[0].json()
    assert body["code"] == "rate_limited" and "Too many sign-ups" in body["detail"]
    assert 0 < int(refused[0]["Retry-After"]) <= 30 * 60
    assert Member.objects.filter(username__startswith="newcomer").count() == 5
    # Another address is not affected; and after the period, this one may again.
    assert signup(ApiClient(client=Client(REMOTE_ADDR="10.0.0.9")), 20).status_code == 201
    clock.now += 30 * 60 + 1
    assert signup(api, 21).status_code == 201


def test_an_account_locks_after_repeated_failed_log_ins(make_member, clock):
    make_member("ana")

    def attempt(password, ip):
        client = ApiClient(client=Client(REMOTE_ADDR=ip))
        return client.post("/auth/tokens", {"username": "ana", "password": password, "name": "t"})

    # Failures from many addresses (so no address reaches its own limit).
    for n in range(25):
        assert attempt("wrong-password", f"10.1.0.{n}").status_code == 401
    locked = attempt(PASSWORD, "10.2.0.1")
    assert locked.status_code == 429 and "locked" in locked.json()["detail"]
    assert int(locked["Retry-After"]) <= 3600
    # A name that does not exist locks the same way: no hint that "ana" exists.
    for n in range(25):
        attempt_other = ApiClient(client=Client(REMOTE_ADDR=f"10.3.0.{n}")).post(
            "/auth/tokens", {"username": "nobody", "password": "x", "name": "t"}
        )
        assert attempt_other.status_code == 401
    assert attempt("x", "10.4.0.1").status_code == 429
    clock.now += 3601
    assert attempt(PASSWORD, "10.2.0.1").status_code == 201


def test_log_ins_per_ip_on_the_web_page(make_member, clock):
    make_member("ana")
    client = Client()
    for _ in range(25):
        page = client.post("/login/", {"username": "ana", "password": "nope"})
        assert page.status_code == 200  # the form again, with its error
    refused = client.post("/login/", {"username": "ana", "password": PASSWORD})
    assert refused.status_code == 429 and "Too many log-in attempts" in refused.text
    assert int(refused["Retry-After"]) <= 300


def test_posting_replying_and_friend_requests_are_limited(make_member, monkeypatch, clock):
    monkeypatch.setitem(limits.RULES, "post", limits.Rule("3/h", "member", "Slow down."))
    monkeypatch.setitem(limits.RULES, "reply", limits.Rule("2/h", "member", "Slow down."))
    monkeypatch.setitem(limits.RULES, "friend_request", limits.Rule("1/h", "member", "Slow down."))
    ana = make_member("ana")
    for name in ("ben", "cy"):
        make_member(name)
    web = Client()
    web.force_login(ana)
    for n in range(3):
        assert (
            web.post("/posts/new", {"text": f"post {n}", "audience": "friends"}).status_code == 302
        )
    refused = web.post("/posts/new", {"text": "one too many", "audience": "friends"})
    assert refused.status_code == 429 and refused["Retry-After"]
    assert not Post.objects.filter(text="one too many").exists()
    first = Post.objects.filter(author=ana).first()
    assert web.post(f"/posts/{first.pk}/reply", {"text": "r1"}).status_code in (200, 302)
    assert web.post(f"/posts/{first.pk}/reply", {"text": "r2"}).status_code in (200, 302)
    assert web.post(f"/posts/{first.pk}/reply", {"text": "r3"}).status_code == 429
    assert web.post("/@ben/friend", {"action": "request"}).status_code == 302
    assert web.post("/@cy/friend", {"action": "request"}).status_code == 429
    clock.now += 3601
    assert web.post("/posts/new", {"text": "later", "audience": "friends"}).status_code == 302


def test_api_requests_per_token_and_deletes_per_member(make_member, monkeypatch, clock):
    from porch.accounts.services import do_create_token
    from porch.posts.services import do_create_post

    monkeypatch.setitem(limits.RULES, "api_token", limits.Rule("4/5m", "token", "Easy."))
    monkeypatch.setitem(limits.RULES, "delete", limits.Rule("1/30m", "member", "Easy."))
    ana = make_member("ana")
    _, raw = do_create_token(ana, "app")
    _, other = do_create_token(ana, "second app")
    api = ApiClient(raw)
    for _ in range(4):
        assert api.get("/me").status_code == 200
    refused = api.get("/me")
    assert refused.status_code == 429 and refused.json()["code"] == "rate_limited"
    assert int(refused["Retry-After"]) <= 300
    assert ApiClient(other).get("/me").status_code == 200  # per token
    clock.now += 301
    first, second = (do_create_post(ana, text=t, audience="friends") for t in ("a", "b"))
    assert api.delete(f"/posts/{first.pk}").status_code == 204
    assert api.delete(f"/posts/{second.pk}").status_code == 429
    assert Post.objects.filter(pk=second.pk, deleted_at__isnull=True).exists()
