"""Sign-up in each mode (with and without an invite), log-in and log-out."""

from __future__ import annotations

import re

import pytest
from django.test import Client

from porch.accounts.models import Member, SignupMode
from porch.accounts.services import do_create_invite
from tests.conftest import PASSWORD

NEW_PASSWORD = "a-brand-new-member-password-7"


def signup_data(username="ana", **extra):
    data = {
        "username": username,
        "display_name": "Ana Lima",
        "password1": NEW_PASSWORD,
        "password2": NEW_PASSWORD,
    }
    data.update(extra)
    return data


@pytest.fixture
def host(make_member):
    return make_member("host", display_name="Hal Host")


def test_invite_link_shows_who_invited_and_signs_up_and_logs_in(host, client):
    invite = do_create_invite(host, max_uses=2)
    page = client.get(f"/invite/{invite.code}/")
    assert page.status_code == 200
    assert "Hal Host" in page.text and "invited you" in page.text
    assert f'name="invite" value="{invite.code}"' in page.text

    response = client.post("/signup/", signup_data(invite=invite.code))

    assert response.status_code == 302 and response.url == "/"
    ana = Member.objects.get(username="ana")
    assert ana.invited_by == host and ana.display_name == "Ana Lima"
    home = client.get("/")
    assert home.status_code == 200 and "Welcome, Ana Lima!" in home.text
    invite.refresh_from_db()
    assert invite.uses == 1


def test_invite_in_the_query_string_works_too(host, client):
    invite = do_create_invite(host)
    page = client.get(f"/signup/?invite={invite.code}")
    assert "invited you" in page.text
    client.post(f"/signup/?invite={invite.code}", signup_data("ben", invite=invite.code))
    assert Member.objects.get(username="ben").invited_by == host


def test_invite_mode_without_an_invite_says_so_and_refuses(db, client):
    page = client.get("/signup/")
    assert page.status_code == 200
    assert "You need an invite to join." in page.text
    assert 'name="invite"' in page.text  # a place to paste the code

    response = client.post("/signup/", signup_data())

    assert response.status_code == 400
    assert "You need an invite link to join this server." in response.text
    assert not Member.objects.filter(username="ana").exists()


def test_a_spent_invite_is_explained(host, client):
    invite = do_create_invite(host, max_uses=1)
    client.post("/signup/", signup_data("first", invite=invite.code))
    other = Client()
    page = other.get(f"/invite/{invite.code}/")
    assert "This invite link is not valid any more." in page.text
    response = other.post("/signup/", signup_data("second", invite=invite.code))
    assert response.status_code == 400
    assert not Member.objects.filter(username="second").exists()


def test_closed_mode_shows_no_form_and_refuses(db, client, signup_mode):
    signup_mode(SignupMode.CLOSED)
    page = client.get("/signup/")
    assert "Sign-up is closed on this server." in page.text
    assert 'name="password1"' not in page.text
    response = client.post("/signup/", signup_data())
    assert response.status_code == 403
    assert not Member.objects.filter(username="ana").exists()


def test_open_mode_needs_no_invite(db, client, signup_mode):
    signup_mode(SignupMode.OPEN)
    page = client.get("/signup/")
    assert "You need an invite" not in page.text
    assert client.post("/signup/", signup_data()).status_code == 302
    assert Member.objects.get(username="ana").invited_by is None
    assert "Create an account" in Client().get("/login/").text


@pytest.mark.parametrize(
    ("data", "field_error"),
    [
        (signup_data(username="a b"), "Use 2 to 30 letters, digits or underscores."),
        (signup_data(username="settings"), "That username is reserved."),
        (signup_data(password2="something-else-entirely"), "The two passwords are not the same."),
        (signup_data(password1="password", password2="password"), "too common"),
    ],
)
def test_sign_up_mistakes_appear_on_the_form(db, client, signup_mode, data, field_error):
    signup_mode(SignupMode.OPEN)
    response = client.post("/signup/", data)
    assert response.status_code == 400
    assert field_error in response.text
    assert 'value="Ana Lima"' in response.text  # what was typed is kept
    assert not Member.objects.exists()


def test_a_taken_username_is_a_form_error(make_member, client, signup_mode):
    signup_mode(SignupMode.OPEN)
    make_member("ana")
    response = client.post("/signup/", signup_data(username="ANA"))
    assert response.status_code == 400
    assert "That username is taken." in response.text


def test_logged_in_members_are_sent_home_from_signup_and_login(make_member, login):
    client = login(make_member("ana"))
    assert client.get("/signup/").url == "/"
    assert client.get("/login/").url == "/"


def test_log_in_and_out(make_member, client):
    make_member("ana")
    assert client.get("/").url == "/login/?next=/"
    page = client.get("/login/")
    assert page.status_code == 200 and 'autocomplete="current-password"' in page.text

    wrong = client.post("/login/", {"username": "ana", "password": "not-the-password"})
    nobody = client.post("/login/", {"username": "nobody", "password": "not-the-password"})
    assert wrong.status_code == nobody.status_code == 200
    message = "Please enter a correct username and password."
    assert message in wrong.text and message in nobody.text

    response = client.post("/login/", {"username": "Ana", "password": PASSWORD})
    assert response.status_code == 302 and response.url == "/"
    assert client.get("/").status_code == 200

    assert client.get("/logout/").status_code == 405  # a link cannot log anyone out
    assert client.get("/").status_code == 200
    response = client.post("/logout/")
    assert response.status_code == 302 and response.url == "/login/"
    assert client.get("/").status_code == 302


def test_login_keeps_a_safe_next_and_drops_a_foreign_one(make_member, client):
    make_member("ana")
    response = client.post(
        "/login/?next=/friends/", {"username": "ana", "password": PASSWORD, "next": "/friends/"}
    )
    assert response.url == "/friends/"
    client.post("/logout/")
    response = client.post(
        "/login/", {"username": "ana", "password": PASSWORD, "next": "https://evil.example/"}
    )
    assert response.url == "/"


def test_the_header_shows_account_links_to_visitors_and_the_nav_to_members(make_member, login):
    visitor = Client().get("/login/").text
    assert "Log in" in visitor and 'class="site-nav"' not in visitor
    page = login(make_member("ana")).get("/").text
    for label in ["Home", "Friends", "Circles", "Notifications", "Profile", "Settings", "Log out"]:
        assert re.search(rf">\s*{label}\s*<", page), label
    assert 'href="#main"' in page and '<main id="main"' in page
