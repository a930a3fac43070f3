"""Sign-up, the caller's profile, invites, and notifications."""

from __future__ import annotations

import pytest

from porch.accounts.models import Invite, Member, SignupMode, SiteSettings
from porch.accounts.services import do_create_invite
from porch.notifications.models import Notification
from porch.posts.services import do_create_post, do_reply

from .client import assert_error

GOOD_PASSWORD = "correct-horse-battery-9"


def _signup_mode(mode):
    settings = SiteSettings.current()
    settings.signup_mode = mode
    settings.save()


# --- Sign-up ------------------------------------------------------------------------
def test_open_signup(anon):
    _signup_mode(SignupMode.OPEN)
    response = anon.post(
        "/accounts",
        {"username": "zoe", "password": GOOD_PASSWORD, "display_name": "Zoë", "email": "z@x.org"},
    )
    assert response.status_code == 201, response.content
    assert response.json() == {
        "username": "zoe",
        "display_name": "Zoë",
        "bio": "",
        "is_public_profile": False,
        "email": "z@x.org",
        "url": "http://testserver/@zoe/",
    }
    assert Member.objects.get(username="zoe").check_password(GOOD_PASSWORD)


def test_invite_only_signup(make_member, anon):
    invite = do_create_invite(make_member("ana"))
    assert_error(anon.post("/accounts", {"username": "zoe", "password": GOOD_PASSWORD}), 403)
    bad = anon.post("/accounts", {"username": "zoe", "password": GOOD_PASSWORD, "invite": "nope"})
    assert_error(bad, 400, "invalid", "invite")
    good = anon.post(
        "/accounts", {"username": "zoe", "password": GOOD_PASSWORD, "invite": invite.code}
    )
    assert good.status_code == 201, good.content
    assert Member.objects.get(username="zoe").invited_by.username == "ana"


def test_closed_signup(anon):
    _signup_mode(SignupMode.CLOSED)
    assert_error(anon.post("/accounts", {"username": "zoe", "password": GOOD_PASSWORD}), 403)


@pytest.mark.parametrize(
    ("body", "status", "field"),
    [
        ({"username": "zoe", "password": "short"}, 400, "password"),
        ({"username": "zoe", "password": "password123"}, 400, "password"),
        ({"username": "z", "password": GOOD_PASSWORD}, 400, "username"),
        ({"username": "admin", "password": GOOD_PASSWORD}, 400, "username"),
        ({"username": "zo é", "password": GOOD_PASSWORD}, 400, "username"),
        ({"username": "ana", "password": GOOD_PASSWORD}, 409, "username"),
        ({"username": "ANA", "password": GOOD_PASSWORD}, 409, "username"),
        (
            {"username": "zoe", "password": GOOD_PASSWORD, "display_name": "d" * 61},
            400,
            "display_name",
        ),
        ({"username": "zoe", "password": GOOD_PASSWORD, "email": "e" * 255}, 400, "email"),
        ({"username": "zoe"}, 400, "password"),
        ({"password": GOOD_PASSWORD}, 400, "username"),
    ],
)
def test_signup_bad_input(make_member, anon, body, status, field):
    make_member("ana")
    _signup_mode(SignupMode.OPEN)
    assert_error(anon.post("/accounts", body), status, field=field)


# --- /me --------------------------------------------------------------------------------
def test_me_and_patch_me(make_member, api_as):
    ana = make_member("ana", bio="hello")
    client = api_as(ana)
    assert client.get("/me").json()["bio"] == "hello"
    changed = client.patch("/me", {"display_name": "Ana B."})
    assert changed.status_code == 200
    assert changed.json()["display_name"] == "Ana B."
    assert changed.json()["bio"] == "hello"  # left out: unchanged
    changed = client.patch("/me", {"is_public_profile": True, "bio": ""})
    assert changed.json()["is_public_profile"] is True and changed.json()["bio"] == ""
    ana.refresh_from_db()
    assert ana.display_name == "Ana B." and ana.is_public_profile


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"bio": "b" * 501}, "bio"),
        ({"display_name": "d" * 61}, "display_name"),
        ({"is_public_profile": "maybe"}, "is_public_profile"),
        ({"bio": 7}, "bio"),
    ],
)
def test_patch_me_bad_input(make_member, api_as, body, field):
    assert_error(api_as(make_member("ana")).patch("/me", body), 400, "invalid", field)


# --- Invites ----------------------------------------------------------------------------
def test_invites(make_member, api_as):
    ana = make_member("ana")
    client = api_as(ana)
    created = client.post("/invites", {"max_uses": 3, "days": 7})
    assert created.status_code == 201, created.content
    invite = created.json()
    assert invite["max_uses"] == 3 and invite["uses"] == 0 and invite["is_usable"]
    assert invite["url"] == f"http://testserver/invite/{invite['code']}/"
    assert client.post("/invites", {}).json()["max_uses"] == 5
    assert_error(client.post("/invites"), 400, "invalid")
    assert len(client.get("/invites").json()["items"]) == 2
    assert client.delete(f"/invites/{invite['code']}").status_code == 204
    assert Invite.objects.get(code=invite["code"]).revoked
    assert_error(client.delete("/invites/nope"), 404)


def test_others_invites_are_not_yours(make_member, api_as):
    bens = do_create_invite(make_member("ben"))
    client = api_as(make_member("ana"))
    assert client.get("/invites").json() == {"items": []}
    assert_error(client.delete(f"/invites/{bens.code}"), 404)


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"max_uses": 0}, "max_uses"),
        ({"max_uses": 51}, "max_uses"),
        ({"days": 0}, "days"),
        ({"days": 91}, "days"),
        ({"days": 10**40}, "days"),
        ({"days": "soon"}, "days"),
    ],
)
def test_invite_bad_input(make_member, api_as, body, field):
    assert_error(api_as(make_member("ana")).post("/invites", body), 400, "invalid", field)


def test_no_invites_when_signup_is_closed(make_member, api_as):
    _signup_mode(SignupMode.CLOSED)
    assert_error(api_as(make_member("ana")).post("/invites", {}), 403, "forbidden")


# --- Notifications ------------------------------------------------------------------
def test_notifications(make_member, befriend, api_as):
    ana, ben = make_member("ana"), make_member("ben")
    befriend(ana, ben)
    post = do_create_post(ana, text="hi", audience="friends")
    reply = do_reply(ben, post, text="hello @ana")
    client = api_as(ana)
    page = client.get("/notifications").json()
    assert page["unread"] == 2
    latest = page["items"][0]
    assert latest["kind"] == "reply"
    assert latest["message"] == "Ben replied to you"
    assert latest["actor"] == {"username": "ben", "display_name": "Ben"}
    assert latest["post"] == {
        "id": reply.pk,
        "root_id": post.pk,
        "url": f"http://testserver/posts/{post.pk}/#post-{reply.pk}",
    }
    assert page["items"][1]["kind"] == "friend_accepted"
    assert client.post(f"/notifications/{latest['id']}/read").status_code == 204
    assert client.get("/notifications").json()["unread"] == 1
    assert client.post("/notifications/read-all").json() == {"marked": 1}
    assert client.get("/notifications").json()["unread"] == 0


def test_notification_paging_and_others_notifications(make_member, befriend, api_as):
    ana, ben = make_member("ana"), make_member("ben")
    befriend(ana, ben)
    post = do_create_post(ana, text="hi", audience="friends")
    for n in range(3):
        do_reply(ben, post, text=f"r{n}")
    client = api_as(ana)
    first = client.get("/notifications", limit=2).json()
    assert len(first["items"]) == 2 and first["next_cursor"]
    rest = client.get("/notifications", limit=2, cursor=first["next_cursor"]).json()
    assert len(rest["items"]) == 2 and rest["next_cursor"] is None
    bens = Notification.objects.filter(recipient=ben).first()
    assert_error(client.post(f"/notifications/{bens.pk}/read"), 404)
    assert_error(client.post("/notifications/abc/read"), 400, field="notification_id")
    assert_error(client.get("/notifications", limit=1000), 400, field="limit")
    assert_error(client.get("/notifications", cursor="nope"), 400, field="cursor")
