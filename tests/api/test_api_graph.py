"""Friends, friend requests, follows and circles through the API."""

from __future__ import annotations

import pytest

from porch.graph.models import Circle, CircleMember, Follow, FriendRequest
from porch.graph.services import are_friends, do_create_circle

from .client import assert_error


@pytest.fixture
def ana(make_member):
    return make_member("ana")


@pytest.fixture
def ben(make_member):
    return make_member("ben")


# --- Friend requests ------------------------------------------------------------------
def test_request_accept_and_unfriend(ana, ben, api_as):
    sent = api_as(ana).post("/friend-requests", {"username": "Ben"})
    assert sent.status_code == 201, sent.content
    assert sent.json() == {"status": "requested"}
    incoming = api_as(ben).get("/friend-requests").json()
    assert [r["member"]["username"] for r in incoming["incoming"]] == ["ana"]
    assert incoming["outgoing"] == []
    assert [
        r["member"]["username"] for r in api_as(ana).get("/friend-requests").json()["outgoing"]
    ] == ["ben"]
    assert api_as(ben).post("/friend-requests/ana/accept").status_code == 204
    assert are_friends(ana, ben)
    assert api_as(ana).get("/friends").json() == {
        "friends": [{"username": "ben", "display_name": "Ben"}],
        "following": [],
    }
    assert api_as(ana).delete("/friends/ben").status_code == 204
    assert not are_friends(ana, ben)
    assert_error(api_as(ana).delete("/friends/ben"), 404, "not_found")


def test_crossing_requests_make_friends(ana, ben, api_as):
    api_as(ana).post("/friend-requests", {"username": "ben"})
    assert api_as(ben).post("/friend-requests", {"username": "ana"}).json() == {
        "status": "accepted"
    }
    assert are_friends(ana, ben)


def test_befriending_oneself_is_400(ana, api_as):
    assert_error(api_as(ana).post("/friend-requests", {"username": "ana"}), 400, "invalid")


def test_duplicate_request_is_409(ana, ben, api_as):
    api_as(ana).post("/friend-requests", {"username": "ben"})
    error = assert_error(api_as(ana).post("/friend-requests", {"username": "ben"}), 409, "conflict")
    assert "already" in error["detail"]
    assert FriendRequest.objects.count() == 1


def test_request_to_a_friend_is_409(ana, ben, api_as, befriend):
    befriend(ana, ben)
    assert_error(api_as(ana).post("/friend-requests", {"username": "ben"}), 409)


@pytest.mark.parametrize(
    ("body", "status"),
    [
        ({"username": "nobody"}, 404),
        ({"username": ""}, 404),
        ({"username": "x" * 31}, 400),
        ({"username": 3}, 400),
        ({}, 400),
    ],
)
def test_request_to_bad_usernames(ana, api_as, body, status):
    assert_error(api_as(ana).post("/friend-requests", body), status)


def test_decline_and_cancel(ana, ben, api_as):
    api_as(ana).post("/friend-requests", {"username": "ben"})
    assert api_as(ben).post("/friend-requests/ana/decline").status_code == 204
    assert not FriendRequest.objects.exists()
    assert_error(api_as(ben).post("/friend-requests/ana/accept"), 404)
    assert_error(api_as(ben).post("/friend-requests/ana/decline"), 404)
    api_as(ana).post("/friend-requests", {"username": "ben"})
    assert api_as(ana).delete("/friend-requests/ben").status_code == 204
    assert not FriendRequest.objects.exists()
    assert_error(api_as(ana).delete("/friend-requests/ben"), 404)
    assert_error(api_as(ana).delete("/friend-requests/nobody"), 404)


# --- Follows ------------------------------------------------------------------------
def test_follow_public_profiles_only(ana, ben, api_as):
    assert_error(api_as(ana).post("/members/ben/follow"), 403, "forbidden")
    ben.is_public_profile = True
    ben.save()
    assert api_as(ana).post("/members/ben/follow").status_code == 204
    assert Follow.objects.filter(follower=ana, followee=ben).exists()
    assert_error(api_as(ana).post("/members/ben/follow"), 409, "conflict")
    assert api_as(ana).get("/members/ben").json()["is_following"] is True
    assert api_as(ana).get("/friends").json()["following"] == [
        {"username": "ben", "display_name": "Ben"}
    ]
    assert api_as(ana).delete("/members/ben/follow").status_code == 204
    assert_error(api_as(ana).delete("/members/ben/follow"), 404)
    assert_error(api_as(ana).post("/members/ana/follow"), 400)
    assert_error(api_as(ana).post("/members/nobody/follow"), 404)


# --- Circles ------------------------------------------------------------------------
def test_circle_lifecycle(ana, ben, api_as, befriend):
    befriend(ana, ben)
    client = api_as(ana)
    created = client.post("/circles", {"name": "Family"})
    assert created.status_code == 201, created.content
    circle = created.json()
    assert circle["name"] == "Family" and circle["members"] == []
    assert [c["name"] for c in client.get("/circles").json()["items"]] == ["Family"]
    added = client.put(f"/circles/{circle['id']}/members/ben")
    assert added.status_code == 200
    assert added.json()["members"] == [{"username": "ben", "display_name": "Ben"}]
    assert client.get(f"/circles/{circle['id']}").json()["members"][0]["username"] == "ben"
    renamed = client.patch(f"/circles/{circle['id']}", {"name": "Kin"})
    assert renamed.json()["name"] == "Kin"
    removed = client.delete(f"/circles/{circle['id']}/members/ben")
    assert removed.json()["members"] == []
    assert_error(client.delete(f"/circles/{circle['id']}/members/ben"), 404)
    assert client.delete(f"/circles/{circle['id']}").status_code == 204
    assert not Circle.objects.exists()


def test_only_friends_join_circles(ana, ben, api_as):
    circle = do_create_circle(ana, "Family")
    error = assert_error(api_as(ana).put(f"/circles/{circle.pk}/members/ben"), 400, "invalid")
    assert "friends" in error["detail"]
    assert_error(api_as(ana).put(f"/circles/{circle.pk}/members/nobody"), 404)
    assert not CircleMember.objects.exists()


def test_someone_elses_circle_is_404(ana, ben, api_as, befriend):
    befriend(ana, ben)
    bens = do_create_circle(ben, "Ben's")
    client = api_as(ana)
    missing = client.get("/circles/999999").json()
    for response in (
        client.get(f"/circles/{bens.pk}"),
        client.patch(f"/circles/{bens.pk}", {"name": "Mine now"}),
        client.delete(f"/circles/{bens.pk}"),
        client.put(f"/circles/{bens.pk}/members/ben"),
        client.delete(f"/circles/{bens.pk}/members/ben"),
    ):
        assert assert_error(response, 404, "not_found") == missing
    bens.refresh_from_db()
    assert bens.name == "Ben's"


@pytest.mark.parametrize(
    ("body", "status", "field"),
    [
        ({"name": ""}, 400, "name"),
        ({"name": "   "}, 400, "name"),
        ({"name": "n" * 41}, 400, "name"),
        ({"name": None}, 400, "name"),
        ({}, 400, "name"),
    ],
)
def test_circle_name_checks(ana, api_as, body, status, field):
    assert_error(api_as(ana).post("/circles", body), status, field=field)


def test_duplicate_circle_name_is_409(ana, api_as):
    api_as(ana).post("/circles", {"name": "Family"})
    assert_error(api_as(ana).post("/circles", {"name": "family"}), 409, "conflict", "name")


@pytest.mark.parametrize("circle_id", ["x", "0", str(2**63)])
def test_bad_circle_ids_are_400(ana, api_as, circle_id):
    assert_error(api_as(ana).get(f"/circles/{circle_id}"), 400, "invalid", "circle_id")
