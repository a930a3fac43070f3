"""The feed in conversation order through the API: explanations, ranked paging, seen
posts, and the member's feed settings."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from porch.feed.preferences import DEFAULT_WEIGHTS, SLIDERS
from porch.posts.models import Post
from porch.posts.services import do_create_post, do_reply

from .client import assert_error


@pytest.fixture
def cy(make_member, ana, befriend):
    cy = make_member("cy")
    befriend(ana, cy)
    return cy


def _post(author, text, hours_ago):
    post = do_create_post(author, text=text, audience="friends")
    Post.objects.filter(pk=post.pk).update(created_at=timezone.now() - timedelta(hours=hours_ago))
    return post


def test_conversation_order_is_the_default_and_explains_itself(ana, ben, cy, api_as):
    quiet = _post(cy, "anyone up?", hours_ago=3)
    busy = _post(ben, "long thread", hours_ago=1)
    for n in range(3):
        do_reply(ana, busy, text=f"reply {n}")
    body = api_as(ana).get("/feed").json()
    assert body["order"] == "conversation"
    assert [item["id"] for item in body["items"]] == [quiet.pk, busy.pk]
    assert any("Cy hasn't had a reply yet" in why for why in body["items"][0]["why_shown"])
    chronological = api_as(ana).get("/feed", order="chronological").json()
    assert [item["id"] for item in chronological["items"]] == [busy.pk, quiet.pk]
    assert chronological["items"][0]["why_shown"] == ["newest first: you chose chronological order"]


def test_ranked_pages_follow_their_cursor_to_the_end(ana, ben, cy, api_as):
    made = [_post([ben, cy][n % 2], f"p{n}", hours_ago=n) for n in range(7)]
    client = api_as(ana)
    got, cursor = [], None
    while True:
        body = client.get("/feed", limit=3, **({"cursor": cursor} if cursor else {})).json()
        got += [item["id"] for item in body["items"]]
        cursor = body["next_cursor"]
        if cursor is None:
            break
        assert cursor.startswith(("r", "o"))
    assert sorted(got) == sorted(post.pk for post in made)


def test_seen_posts_sink_when_the_client_says_so(ana, ben, cy, api_as):
    first = _post(ben, "first", hours_ago=1)
    second = _post(cy, "second", hours_ago=2)
    client = api_as(ana)
    assert [i["id"] for i in client.get("/feed").json()["items"]] == [first.pk, second.pk]
    stranger_post = do_create_post(ben, text="only ben", audience="only_me")
    marked = client.post("/feed/seen", {"post_ids": [first.pk, stranger_post.pk, 10**12]})
    assert marked.status_code == 200 and marked.json()["marked"] == 1
    body = client.get("/feed").json()
    assert [i["id"] for i in body["items"]] == [second.pk, first.pk]
    assert any("you have seen it" in why for why in body["items"][1]["why_shown"])
    assert body["new_count"] == 1  # the caught-up marker sits before what was seen


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({}, "up_to"),
        ({"post_ids": []}, "up_to"),
        ({"post_ids": "1,2"}, "post_ids"),
        ({"post_ids": [0]}, "post_ids"),
        ({"post_ids": list(range(1, 102))}, "post_ids"),
    ],
)
def test_bad_seen_requests_are_400(ana, api_as, body, field):
    assert_error(api_as(ana).post("/feed/seen", body), 400, "invalid", field)


def test_bad_order_and_ranked_cursor_are_400(ana, api_as):
    client = api_as(ana)
    assert_error(client.get("/feed", order="popular"), 400, "invalid", "order")
    assert_error(client.get("/feed", cursor="r1.0"), 400, "invalid", "cursor")
    assert_error(client.get("/feed", cursor="x1.1"), 400, "invalid", "cursor")


# --- Settings ---------------------------------------------------------------------------
def test_settings_show_every_weight_its_range_and_the_presets(ana, api_as):
    body = api_as(ana).get("/feed/settings").json()
    assert body["order"] == "conversation" and body["preset"] == "balanced"
    assert body["weights"] == body["defaults"]
    assert [s["name"] for s in body["sliders"]] == [s.name for s in SLIDERS]
    assert body["weights"]["recency"] == DEFAULT_WEIGHTS.recency
    assert {p["key"] for p in body["presets"]} >= {"balanced", "close", "unanswered", "fresh"}


def test_changing_order_preset_and_weights(ana, ben, api_as):
    client = api_as(ana)
    changed = client.patch("/feed/settings", {"order": "chronological"})
    assert changed.status_code == 200 and changed.json()["order"] == "chronological"
    assert client.get("/feed").json()["order"] == "chronological"
    preset = client.patch("/feed/settings", {"preset": "close"}).json()
    assert preset["preset"] == "close" and preset["order"] == "chronological"
    assert preset["weights"]["friendship"] == 2 * DEFAULT_WEIGHTS.friendship
    mixed = client.patch("/feed/settings", {"weights": {"recency": 7.5}}).json()
    assert mixed["preset"] is None and mixed["weights"]["recency"] == 7.5
    assert mixed["weights"]["friendship"] == 2 * DEFAULT_WEIGHTS.friendship  # kept
    back = client.patch("/feed/settings", {"preset": "balanced", "order": "conversation"})
    assert back.json()["weights"] == back.json()["defaults"]


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"order": "engagement"}, "order"),
        ({"preset": "viral"}, "preset"),
        ({"preset": "close", "weights": {"recency": 1}}, "preset"),
        ({"weights": {"follower_count": 1}}, "weights"),
        ({"weights": {"recency": 11}}, "recency"),
        ({"weights": {"recency": "high"}}, "weights"),
        ({"weights": {"per_author_limit": 2.5}}, "per_author_limit"),
        ({"weights": [1]}, "weights"),
    ],
)
def test_bad_settings_are_400_and_change_nothing(ana, api_as, body, field):
    client = api_as(ana)
    client.patch("/feed/settings", {"weights": {"recency": 4}})
    assert_error(client.patch("/feed/settings", body), 400, "invalid", field)
    after = client.get("/feed/settings").json()
    assert after["weights"]["recency"] == 4 and after["order"] == "conversation"


def test_settings_need_a_member(anon):
    assert anon.get("/feed/settings").status_code == 401
    assert anon.patch("/feed/settings", {"order": "chronological"}).status_code == 401
