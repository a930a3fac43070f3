"""Blocks and mutes through the API."""

from __future__ import annotations

from porch.graph.models import Block, Mute
from porch.posts.models import Audience
from porch.posts.services import do_create_post

from .client import assert_error


def test_block_hides_both_ways_and_unblock_lifts_it(ana, ben, api_as):
    post = do_create_post(ben, text="ben's news", audience=Audience.FRIENDS)
    as_ana, as_ben = api_as(ana), api_as(ben)
    assert as_ana.post("/members/ben/block").status_code == 204
    assert Block.objects.filter(blocker=ana, blocked=ben).exists()
    assert_error(as_ana.get(f"/posts/{post.pk}"), 404)
    assert_error(as_ben.get("/members/ana"), 404)
    assert_error(as_ana.get("/members/ben"), 404)
    assert as_ana.get("/friends").json()["friends"] == []
    assert as_ana.get("/blocks").json() == {
        "blocked": [{"username": "ben", "display_name": "Ben"}],
        "muted": [],
    }
    assert_error(as_ana.post("/members/ben/block"), 404)  # gone for Ana, as for Ben
    assert_error(as_ben.post("/members/ana/block"), 404)
    assert_error(as_ben.post("/friend-requests", {"username": "ana"}), 404)
    assert as_ana.delete("/members/ben/block").status_code == 204
    assert "have not blocked" in assert_error(as_ana.delete("/members/ben/block"), 404)["detail"]
    assert as_ana.get("/members/ben").status_code == 200


def test_mute_is_one_way_and_shows_on_the_profile(ana, ben, api_as):
    do_create_post(ben, text="ben's news", audience=Audience.FRIENDS)
    as_ana = api_as(ana)
    assert as_ana.get("/members/ben").json()["is_muted"] is False
    assert as_ana.post("/members/ben/mute").status_code == 204
    assert "already muted" in assert_error(as_ana.post("/members/ben/mute"), 409)["detail"]
    assert as_ana.get("/members/ben").json()["is_muted"] is True
    assert api_as(ben).get("/members/ana").json()["is_muted"] is False
    assert [i["text"] for i in as_ana.get("/feed").json()["items"]] == []
    assert as_ana.get("/blocks").json()["muted"] == [{"username": "ben", "display_name": "Ben"}]
    assert as_ana.delete("/members/ben/mute").status_code == 204
    assert not Mute.objects.exists()
    assert [i["text"] for i in as_ana.get("/feed").json()["items"]] == ["ben's news"]


def test_bad_block_requests_are_clear(ana, api_as, anon):
    as_ana = api_as(ana)
    assert "block yourself" in assert_error(as_ana.post("/members/ana/block"), 400)["detail"]
    assert "mute yourself" in assert_error(as_ana.post("/members/ana/mute"), 400)["detail"]
    assert_error(as_ana.post("/members/nobody/block"), 404)
    assert_error(as_ana.delete("/members/nobody/mute"), 404)
    assert_error(anon.post("/members/ana/block"), 401)
