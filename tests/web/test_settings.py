"""Settings: profile, password, invites and API tokens."""

from __future__ import annotations

import re

import pytest
from django.test import Client

from porch.accounts.models import AccessToken, Invite, Member, SignupMode
from porch.accounts.services import do_create_invite, member_for_token
from porch.graph.models import Follow
from tests.conftest import PASSWORD


@pytest.fixture
def ana(make_member):
    return make_member("ana", display_name="Ana Lima")


def test_profile_settings(ana, make_member, login):
    client = login(ana)
    page = client.get("/settings/")
    assert page.status_code == 200 and 'value="Ana Lima"' in page.text
    assert 'for="id_is_public_profile"' in page.text
    response = client.post(
        "/settings/", {"display_name": "Ana L.", "bio": "Hello!", "is_public_profile": "on"}
    )
    assert response.status_code == 302 and response.url == "/settings/"
    ana.refresh_from_db()
    assert (ana.display_name, ana.bio, ana.is_public_profile) == ("Ana L.", "Hello!", True)
    assert "Profile saved." in client.get("/settings/").text

    Follow.objects.create(follower=make_member("fan"), followee=ana)
    client.post("/settings/", {"display_name": "Ana L.", "bio": "Hello!"})  # unticked
    ana.refresh_from_db()
    assert not ana.is_public_profile and not Follow.objects.exists()

    too_long = client.post("/settings/", {"display_name": "x" * 61, "bio": ""})
    assert too_long.status_code == 400 and "use at most 60 characters" in too_long.text
    ana.refresh_from_db()
    assert ana.display_name == "Ana L."


def test_password_change_keeps_this_session_only(ana, login):
    here, elsewhere = login(ana), login(ana)
    wrong = here.post(
        "/settings/password",
        {"old_password": "wrong", "new_password1": "x", "new_password2": "x"},
    )
    assert wrong.status_code == 400 and "Your old password was entered incorrectly" in wrong.text
    new = "another-long-password-99"
    response = here.post(
        "/settings/password",
        {"old_password": PASSWORD, "new_password1": new, "new_password2": new},
    )
    assert response.status_code == 302
    assert here.get("/").status_code == 200
    assert elsewhere.get("/").status_code == 302  # the other session ended
    assert Member.objects.get(pk=ana.pk).check_password(new)


def test_invites_created_listed_and_revoked(ana, login):
    client = login(ana)
    assert "You haven't made any invites yet." in client.get("/settings/invites").text
    response = client.post("/settings/invites", {"action": "create", "max_uses": 3, "days": 7})
    invite = Invite.objects.get(created_by=ana)
    assert response.status_code == 302 and response.url.endswith(f"#invite-{invite.code}")
    assert invite.max_uses == 3
    page = client.get("/settings/invites").text
    assert f'value="http://testserver/invite/{invite.code}/"' in page
    assert "Used 0 of 3" in page and "Active" in page

    client.post("/settings/invites", {"action": "revoke", "code": invite.code})
    invite.refresh_from_db()
    assert invite.revoked
    assert "Revoked" in client.get("/settings/invites").text

    bad = client.post("/settings/invites", {"action": "create", "max_uses": 500, "days": 7})
    assert bad.status_code == 400 and "An invite can be used 1 to 50 times." in bad.text
    bad = client.post("/settings/invites", {"action": "create", "max_uses": "lots", "days": 7})
    assert bad.status_code == 400 and "Enter a whole number." in bad.text
    assert Invite.objects.count() == 1


def test_someone_elses_invite_cannot_be_revoked(ana, make_member, login):
    theirs = do_create_invite(make_member("ben"))
    client = login(ana)
    client.post("/settings/invites", {"action": "revoke", "code": theirs.code})
    theirs.refresh_from_db()
    assert not theirs.revoked
    assert "No such invite." in client.get("/settings/invites").text


def test_invites_page_when_sign_up_is_closed(ana, login, signup_mode):
    signup_mode(SignupMode.CLOSED)
    page = login(ana).get("/settings/invites").text
    assert "Sign-up is closed on this server" in page and 'value="create"' not in page


def test_tokens_are_shown_once(ana, login):
    client = login(ana)
    response = client.post("/settings/tokens", {"action": "create", "name": "Phone app"})
    assert response.status_code == 200
    assert response["Cache-Control"] == "no-store"
    raw = re.search(
        r'id="raw-token" class="copy-source mono" type="text" value="([^"]+)"', response.text
    ).group(1)
    assert raw.startswith("porch_")
    assert member_for_token(raw) == ana
    token = AccessToken.objects.get(member=ana)
    assert token.name == "Phone app" and raw not in token.digest

    later = client.get("/settings/tokens").text
    assert raw not in later and "Phone app" in later and f"{token.hint}…" in later

    empty = client.post("/settings/tokens", {"action": "create", "name": ""})
    assert empty.status_code == 400 and "Give the token a name" in empty.text

    client.post("/settings/tokens", {"action": "revoke", "token": token.pk})
    assert not AccessToken.objects.exists() and member_for_token(raw) is None
    client.post("/settings/tokens", {"action": "revoke", "token": "99999999999999999999999"})
    assert "No such token." in client.get("/settings/tokens").text


def test_settings_need_a_login(db):
    for path in ("/settings/", "/settings/password", "/settings/invites", "/settings/tokens"):
        assert Client().get(path).url == f"/login/?next={path}"
