"""Profiles, the friend-request flow, follows and the friends page."""

from __future__ import annotations

import pytest
from django.test import Client

from porch.graph.models import Follow, FriendRequest
from porch.graph.services import are_friends, do_send_friend_request
from porch.posts.models import Audience
from porch.posts.services import do_create_post


@pytest.fixture
def ana(make_member):
    return make_member("ana", display_name="Ana Lima", bio="Gardener & baker")


@pytest.fixture
def ben(make_member):
    return make_member("ben", display_name="Ben Okafor")


def act(client, username, action, path="friend", **extra):
    return client.post(f"/@{username}/{path}", {"action": action, **extra})


def test_profile_shows_name_bio_and_only_posts_i_may_see(ana, ben, login):
    do_create_post(ana, text="For friends only", audience=Audience.FRIENDS)
    do_create_post(ana, text="For the world", audience=Audience.PUBLIC)
    page = login(ben).get("/@ana/")
    assert page.status_code == 200
    assert "Ana Lima" in page.text and "@ana" in page.text and "Gardener &amp; baker" in page.text
    assert "For the world" in page.text and "For friends only" not in page.text
    assert "Add friend" in page.text
    for word in ("follower", "Followers", "friends count"):
        assert word not in page.text  # no popularity numbers anywhere


def test_own_profile_links_to_settings(ana, login):
    page = login(ana).get("/@ana/").text
    assert 'href="/settings/"' in page and "Edit profile" in page and "Add friend" not in page


def test_profile_addresses(ana, login):
    client = login(ana)
    assert client.get("/@ANA/").url == "/@ana/"
    assert client.get("/@nobody/").status_code == 404
    visitor = Client()
    assert visitor.get("/@ana/").status_code == 404  # a private profile, to visitors
    ana.is_public_profile = True
    ana.save()
    assert visitor.get("/@ana/").status_code == 200


def test_friend_request_sent_accepted_and_ended(ana, ben, login):
    as_ana, as_ben = login(ana), login(ben)
    response = act(as_ana, "ben", "request")
    assert response.status_code == 302 and response.url == "/@ben/"
    assert FriendRequest.objects.filter(from_member=ana, to_member=ben).exists()
    page = as_ana.get("/@ben/").text
    assert "Friend request sent to Ben Okafor." in page and "Cancel request" in page

    ben_sees = as_ben.get("/@ana/").text
    assert "Ana Lima asked to be your friend" in ben_sees
    assert 'value="accept"' in ben_sees and 'value="decline"' in ben_sees
    friends_page = as_ben.get("/friends/").text
    assert "Asking to be your friend" in friends_page and "Ana Lima" in friends_page

    response = act(as_ben, "ana", "accept", next="/friends/")
    assert response.url == "/friends/"
    assert are_friends(ana, ben)
    assert "You and Ana Lima are now friends." in as_ben.get("/friends/").text
    assert "Unfriend" in as_ana.get("/@ben/").text

    act(as_ana, "ben", "unfriend")
    assert not are_friends(ana, ben)
    assert "You and Ben Okafor are no longer friends." in as_ana.get("/@ben/").text


def test_friend_request_declined_and_cancelled(ana, ben, login):
    as_ana, as_ben = login(ana), login(ben)
    act(as_ana, "ben", "request")
    act(as_ben, "ana", "decline")
    assert not FriendRequest.objects.exists() and not are_friends(ana, ben)
    act(as_ana, "ben", "request")
    assert "Requests you sent" in as_ana.get("/friends/").text
    act(as_ana, "ben", "cancel", next="/friends/")
    assert not FriendRequest.objects.exists()


def test_crossing_requests_make_friends(ana, ben, login):
    do_send_friend_request(ben, ana)
    act(login(ana), "ben", "request")
    assert are_friends(ana, ben)


def test_friend_mistakes_are_messages(ana, ben, login):
    client = login(ana)
    again = act(client, "ben", "accept")
    assert again.status_code == 302
    assert "No friend request from that member." in client.get("/@ben/").text
    assert act(client, "ben", "marry").status_code == 400
    assert act(client, "nobody", "request").status_code == 404
    act(client, "ana", "request")
    assert "You cannot befriend yourself." in client.get("/@ana/").text


def test_follow_only_public_profiles_of_non_friends(ana, ben, befriend, make_member, login):
    dee = make_member("dee", display_name="Dee Marsh", is_public_profile=True)
    client = login(ana)
    page = client.get("/@dee/").text
    assert 'value="follow"' in page
    assert 'value="follow"' not in client.get("/@ben/").text  # private profile
    act(client, "dee", "follow", path="follow")
    assert Follow.objects.filter(follower=ana, followee=dee).exists()
    assert 'value="unfollow"' in client.get("/@dee/").text
    assert "Dee Marsh" in client.get("/friends/").text
    act(client, "dee", "unfollow", path="follow", next="/friends/")
    assert not Follow.objects.exists()

    act(client, "ben", "follow", path="follow")
    assert "Only members with a public profile can be followed." in client.get("/@ben/").text
    befriend(ana, dee)
    assert 'value="follow"' not in client.get("/@dee/").text
    assert act(client, "dee", "wave", path="follow").status_code == 400


def test_friends_page_finds_members_by_username(ana, ben, login):
    client = login(ana)
    page = client.get("/friends/")
    assert page.status_code == 200
    assert 'for="find-username"' in page.text
    assert client.get("/friends/?username=@Ben").url == "/@ben/"
    missing = client.get("/friends/?username=nobody")
    assert missing.status_code == 200 and "Nobody here has that username." in missing.text
