"""Accounts: sign-up modes, invites, usernames, passwords, tokens, admins."""

from datetime import timedelta

import pytest
from django.conf import settings
from django.contrib.auth.hashers import identify_hasher
from django.utils import timezone

from porch.accounts.models import AccessToken, Invite, Member, SignupMode, SiteSettings
from porch.accounts.services import (
    access_member,
    do_change_password,
    do_create_invite,
    do_create_token,
    do_revoke_invite,
    do_revoke_token,
    do_signup,
    do_update_profile,
    member_for_token,
)
from porch.errors import Conflict, InvalidInput, NotAllowed, NotFound
from tests.conftest import PASSWORD


def set_mode(mode):
    site = SiteSettings.current()
    site.signup_mode = mode
    site.save()


def test_invite_mode_is_the_default_and_needs_an_invite(db):
    assert SiteSettings.current().signup_mode == SignupMode.INVITE
    with pytest.raises(NotAllowed, match="invite"):
        do_signup(username="ana", password=PASSWORD)
    assert not Member.objects.exists()


def test_signup_with_invite_records_who_invited_whom(make_member):
    host = make_member("host")
    invite = do_create_invite(host, max_uses=2)
    ana = do_signup(username="ana", password=PASSWORD, invite_code=invite.code)
    assert ana.invited_by == host
    assert ana.joined_with.invite == invite
    invite.refresh_from_db()
    assert invite.uses == 1


def test_invite_runs_out_expires_and_can_be_revoked(make_member):
    host = make_member("host")
    invite = do_create_invite(host, max_uses=1)
    do_signup(username="ana", password=PASSWORD, invite_code=invite.code)
    with pytest.raises(InvalidInput, match="not valid"):
        do_signup(username="ben", password=PASSWORD, invite_code=invite.code)
    expired = do_create_invite(host)
    Invite.objects.filter(pk=expired.pk).update(expires_at=timezone.now() - timedelta(seconds=1))
    with pytest.raises(InvalidInput):
        do_signup(username="ben", password=PASSWORD, invite_code=expired.code)
    revoked = do_create_invite(host)
    do_revoke_invite(host, revoked.code)
    with pytest.raises(InvalidInput):
        do_signup(username="ben", password=PASSWORD, invite_code=revoked.code)
    with pytest.raises(NotFound):
        do_revoke_invite(make_member("other"), invite.code)
    assert not Member.objects.filter(username="ben").exists()


def test_invite_limits_are_checked(make_member):
    host = make_member("host")
    with pytest.raises(InvalidInput):
        do_create_invite(host, max_uses=0)
    with pytest.raises(InvalidInput):
        do_create_invite(host, max_uses=51)
    with pytest.raises(InvalidInput):
        do_create_invite(host, days=91)


def test_open_and_closed_modes(db):
    set_mode(SignupMode.OPEN)
    assert do_signup(username="ana", password=PASSWORD).invited_by is None
    set_mode(SignupMode.CLOSED)
    with pytest.raises(NotAllowed, match="closed"):
        do_signup(username="ben", password=PASSWORD)


@pytest.mark.parametrize(
    ("username", "error"),
    [
        ("a", InvalidInput),
        ("has space", InvalidInput),
        ("émile", InvalidInput),
        ("x" * 31, InvalidInput),
        ("admin", InvalidInput),
        ("ANA", Conflict),
    ],
)
def test_bad_usernames_are_refused(db, username, error):
    set_mode(SignupMode.OPEN)
    do_signup(username="ana", password=PASSWORD)
    with pytest.raises(error) as raised:
        do_signup(username=username, password=PASSWORD)
    assert raised.value.field == "username"
    assert Member.objects.count() == 1


@pytest.mark.parametrize("password", ["short", "password123", "12345678901", "x" * 129])
def test_weak_or_overlong_passwords_are_refused(db, password):
    set_mode(SignupMode.OPEN)
    with pytest.raises(InvalidInput) as raised:
        do_signup(username="ana", password=password)
    assert raised.value.field == "password"


@pytest.mark.real_password_hashing
def test_passwords_are_hashed_with_argon2id(make_member):
    member = make_member()
    hasher = identify_hasher(member.password)
    assert hasher.algorithm == "argon2"
    assert "$argon2id$" in member.password
    assert settings.PASSWORD_HASHERS[0].endswith("Argon2PasswordHasher")
    assert hasher.memory_cost >= 19456 and hasher.time_cost >= 2


def test_login_is_case_insensitive(make_member, client):
    make_member("Ana")
    assert client.login(username="ana", password=PASSWORD)


def test_change_password_needs_the_old_one(make_member):
    ana = make_member("ana")
    with pytest.raises(InvalidInput, match="current password"):
        do_change_password(ana, old_password="wrong", new_password="another-long-one-99")
    with pytest.raises(InvalidInput):
        do_change_password(ana, old_password=PASSWORD, new_password="short")
    do_change_password(ana, old_password=PASSWORD, new_password="another-long-one-99")
    assert Member.objects.get(pk=ana.pk).check_password("another-long-one-99")


def test_profile_limits_and_going_private_ends_follows(make_member):
    from porch.graph.models import Follow
    from porch.graph.services import do_follow

    ana = make_member("ana", is_public_profile=True)
    ben = make_member("ben")
    do_follow(ben, ana)
    with pytest.raises(InvalidInput):
        do_update_profile(ana, display_name="x" * 61, bio="", is_public_profile=True)
    with pytest.raises(InvalidInput):
        do_update_profile(ana, display_name="Ana", bio="x" * 501, is_public_profile=True)
    do_update_profile(ana, display_name="Ana B", bio="hi", is_public_profile=False)
    assert not Follow.objects.exists()


def test_tokens_are_stored_hashed_and_can_be_revoked(make_member):
    ana = make_member("ana")
    token, raw = do_create_token(ana, "phone")
    assert raw.startswith("porch_") and raw not in token.digest
    assert not AccessToken.objects.filter(digest=raw).exists()
    assert member_for_token(raw) == ana
    assert member_for_token(raw + "x") is None
    assert member_for_token("") is None
    do_revoke_token(ana, token.pk)
    assert member_for_token(raw) is None
    with pytest.raises(NotFound):
        do_revoke_token(ana, token.pk)


def test_tokens_of_deactivated_members_stop_working(make_member):
    ana = make_member("ana")
    _, raw = do_create_token(ana, "phone")
    Member.objects.filter(pk=ana.pk).update(is_active=False)
    assert member_for_token(raw) is None


def test_token_names_are_checked(make_member):
    ana = make_member("ana")
    with pytest.raises(InvalidInput):
        do_create_token(ana, "")
    with pytest.raises(InvalidInput):
        do_create_token(ana, "x" * 61)


def test_profiles_of_private_members_are_hidden_from_visitors(make_member):
    from django.contrib.auth.models import AnonymousUser

    ana = make_member("ana")
    pub = make_member("pub", is_public_profile=True)
    assert access_member(ana, "PUB") == pub
    assert access_member(pub, "ana") == ana
    assert access_member(AnonymousUser(), "pub") == pub
    with pytest.raises(NotFound):
        access_member(AnonymousUser(), "ana")
    with pytest.raises(NotFound):
        access_member(ana, "nobody")


def test_malformed_invite_codes_are_just_invalid(make_member):
    host = make_member("host")
    for bad in ["a\x00b", "x" * 500]:
        with pytest.raises(InvalidInput, match="not valid"):
            do_signup(username="ana", password=PASSWORD, invite_code=bad)
        with pytest.raises(NotFound):
            do_revoke_invite(host, bad)
