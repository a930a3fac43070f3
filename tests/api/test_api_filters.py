"""Keyword filters through the API."""

from __future__ import annotations

from porch.posts.models import Audience
from porch.posts.services import do_create_post, do_reply

from .client import assert_error


def test_filters_hide_from_lists_and_warn_on_the_rest(ana, ben, api_as):
    as_ana = api_as(ana)
    spoiler = do_create_post(ben, text="Spoiler: the butler did it", audience=Audience.FRIENDS)
    do_create_post(ben, text="Election night!", audience=Audience.FRIENDS)
    do_reply(ben, spoiler, text="More spoiler talk")
    made = as_ana.post("/filters", {"phrase": "spoiler", "action": "hide", "expires_in_days": 7})
    assert made.status_code == 201, made.content
    assert made.json()["phrase"] == "spoiler" and made.json()["expires_at"]
    as_ana.post("/filters", {"phrase": "election", "action": "warn"})
    feed = as_ana.get("/feed").json()["items"]
    assert [i["text"] for i in feed] == ["Election night!"]
    assert feed[0]["filtered"] == {"phrase": "election", "action": "warn"}
    # Opened directly, a hidden one comes with the reason; its thread drops hidden replies.
    assert as_ana.get(f"/posts/{spoiler.pk}").json()["filtered"]["action"] == "hide"
    assert as_ana.get(f"/posts/{spoiler.pk}/thread").json()["replies"] == []
    assert api_as(ben).get("/feed").json()["items"][0]["filtered"] is None
    assert [f["phrase"] for f in as_ana.get("/filters").json()] == ["election", "spoiler"]
    assert as_ana.delete(f"/filters/{made.json()['id']}").status_code == 204
    assert len(as_ana.get("/feed").json()["items"]) == 2


def test_bad_filters_are_400_or_409(ana, api_as):
    as_ana = api_as(ana)
    assert_error(as_ana.post("/filters", {"phrase": "", "action": "hide"}), 400)
    assert_error(as_ana.post("/filters", {"phrase": "x", "action": "ban"}), 400)
    assert_error(as_ana.post("/filters", {"phrase": "x", "expires_in_days": 2}), 400)
    assert_error(as_ana.post("/filters", {"phrase": 5}), 400)
    assert as_ana.post("/filters", {"phrase": "x"}).status_code == 201
    assert_error(as_ana.post("/filters", {"phrase": "X"}), 409)
    assert_error(as_ana.delete("/filters/12345"), 404)
