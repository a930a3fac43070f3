"""GET /feed, POST /feed/seen, pagination, and query counts that do not grow."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core.cache import cache
from django.utils import timezone

from porch.graph.services import do_add_to_circle, do_create_circle
from porch.posts.models import Post
from porch.posts.services import do_create_post, do_react, do_reply

from .client import assert_error


def _post(author, text, minutes_ago, **kwargs):
    post = do_create_post(author, text=text, audience=kwargs.pop("audience", "friends"), **kwargs)
    Post.objects.filter(pk=post.pk).update(
        created_at=timezone.now() - timedelta(minutes=minutes_ago)
    )
    post.refresh_from_db()
    return post


def test_feed_pages_newest_first_and_ends(ana, ben, api_as):
    for n in range(5):
        _post(ben, f"post {n}", minutes_ago=10 - n)
    client = api_as(ana)
    first = client.get("/feed", limit=2, order="chronological").json()
    assert first["order"] == "chronological"
    assert [p["text"] for p in first["items"]] == ["post 4", "post 3"]
    assert first["next_cursor"]
    second = client.get("/feed", limit=2, cursor=first["next_cursor"]).json()
    assert [p["text"] for p in second["items"]] == ["post 2", "post 1"]
    last = client.get("/feed", limit=2, cursor=second["next_cursor"]).json()
    assert [p["text"] for p in last["items"]] == ["post 0"]
    assert last["next_cursor"] is None


def test_new_count_and_seen_marker(ana, ben, api_as):
    old = _post(ben, "old", minutes_ago=30)
    client = api_as(ana)
    # Never looked before: everything is new, and the marker sits at the end.
    assert client.get("/feed", order="chronological").json()["new_count"] == 1
    marked = client.post("/feed/seen", {"up_to": old.created_at.isoformat()})
    assert marked.status_code == 200, marked.content
    ana.refresh_from_db()
    assert ana.feed_seen_at == old.created_at
    _post(ben, "new 1", minutes_ago=2)
    _post(ben, "new 2", minutes_ago=1)
    body = client.get("/feed", order="chronological").json()
    assert [p["text"] for p in body["items"]] == ["new 2", "new 1", "old"]
    assert body["new_count"] == 2
    # seen_before overrides the stored marker.
    earlier = (old.created_at - timedelta(minutes=1)).isoformat()
    again = client.get("/feed", seen_before=earlier, order="chronological").json()
    assert again["new_count"] == 3


def test_created_at_round_trips_exactly(ana, ben, api_as):
    _post(ben, "a", minutes_ago=3)
    newest = _post(ben, "b", minutes_ago=1)
    client = api_as(ana)
    item = client.get("/feed").json()["items"][0]
    client.post("/feed/seen", {"up_to": item["created_at"]})
    ana.refresh_from_db()
    assert ana.feed_seen_at == newest.created_at


def test_seen_marker_never_moves_back(ana, ben, api_as):
    early = _post(ben, "early", minutes_ago=20)
    late = _post(ben, "late", minutes_ago=10)
    client = api_as(ana)
    client.post("/feed/seen", {"up_to": late.created_at.isoformat()})
    client.post("/feed/seen", {"up_to": early.created_at.isoformat()})
    assert client.post("/feed/seen", {"up_to": "2001-01-01T00:00:00Z"}).json() == {
        "feed_seen_at": late.created_at.isoformat(),
        "marked": 0,
    }


def test_seen_up_to_must_have_a_time_zone(ana, api_as):
    client = api_as(ana)
    assert_error(client.post("/feed/seen", {"up_to": "2024-01-01T10:00:00"}), 400, field="up_to")
    assert_error(client.post("/feed/seen", {"up_to": "yesterday"}), 400, field="up_to")
    assert_error(client.post("/feed/seen", {}), 400, field="up_to")
    assert_error(
        client.post("/feed/seen", {"up_to": "9999-12-31T23:59:59-12:00"}), 400, field="up_to"
    )
    assert_error(client.get("/feed", seen_before="2024-01-01"), 400, field="seen_before")
    assert_error(client.get("/feed", seen_before="0001-01-01T00:00:00+14:00"), 400)


@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({"limit": 0}, "limit"),
        ({"limit": 101}, "limit"),
        ({"limit": "ten"}, "limit"),
        ({"limit": 10**30}, "limit"),
        ({"cursor": "garbage"}, "cursor"),
        ({"cursor": "1.2.3"}, "cursor"),
        ({"cursor": "99999999999999999999.1"}, "cursor"),
        ({"cursor": "1." + "9" * 25}, "cursor"),
        ({"cursor": "x" * 500}, "cursor"),
    ],
)
def test_bad_paging_is_400(ana, api_as, params, field):
    assert_error(api_as(ana).get("/feed", **params), 400, "invalid", field)


def test_bad_cursor_message_is_for_a_person(ana, api_as):
    error = assert_error(api_as(ana).get("/feed", cursor="zz"), 400, "invalid", "cursor")
    assert error["detail"] == "cursor: not in the expected format."


def test_large_but_valid_cursor_is_an_empty_page(ana, ben, api_as):
    _post(ben, "a", minutes_ago=1)
    body = api_as(ana).get("/feed", cursor="1.1").json()
    assert body["items"] == [] and body["next_cursor"] is None


def _busy_world(ana, ben, make_member, befriend, posts: int):
    """ben posts ``posts`` times; each post gets a reply and a reaction, and ana posts
    to a circle too, so every per-post lookup (author, reactions, circles) is exercised."""
    circle = do_create_circle(ana, f"c{posts}")
    do_add_to_circle(ana, circle, ben)
    for n in range(posts):
        post = do_create_post(ben, text=f"p{n}", audience="friends")
        do_reply(ana, post, text="r")
        do_react(ana, post, "heart")
        own = do_create_post(ana, text=f"o{n}", audience="circles", circle_ids=[circle.pk])
        do_react(ben, own, "wow")


@pytest.mark.parametrize(("order", "most"), [("chronological", 13), ("conversation", 28)])
def test_feed_queries_do_not_grow_with_posts(
    ana, ben, make_member, befriend, api_as, django_assert_max_num_queries, order, most
):
    client = api_as(ana)
    _busy_world(ana, ben, make_member, befriend, posts=2)
    client.get("/feed")  # warm up: SiteSettings row, token last_used_at
    cache.clear()  # both requests rank anew, from nothing kept
    with django_assert_max_num_queries(most) as few:
        small = client.get("/feed", limit=100, order=order)
    _busy_world(ana, ben, make_member, befriend, posts=20)
    cache.clear()
    with django_assert_max_num_queries(len(few.captured_queries)):
        large = client.get("/feed", limit=100, order=order)
    assert len(small.json()["items"]) == 4
    assert len(large.json()["items"]) == 44
    assert large.json()["order"] == order


def test_thread_queries_do_not_grow_with_replies(
    ana, ben, make_member, befriend, api_as, django_assert_max_num_queries
):
    family = do_create_circle(ana, "Family")
    do_add_to_circle(ana, family, ben)
    root = do_create_post(ana, text="root", audience="circles", circle_ids=[family.pk])
    client = api_as(ana)

    def grow(n):
        for _ in range(n):
            reply = do_reply(ben, root, text="reply")
            do_reply(ana, reply, text="nested")
            do_react(ana, reply, "heart")

    grow(2)
    client.get(f"/posts/{root.pk}/thread")
    with django_assert_max_num_queries(14) as few:
        small = client.get(f"/posts/{root.pk}/thread")
    grow(30)
    with django_assert_max_num_queries(len(few.captured_queries)):
        large = client.get(f"/posts/{root.pk}/thread")
    assert len(small.json()["replies"]) == 4
    assert len(large.json()["replies"]) == 64


def _friendship_reads(queries) -> int:
    """The queries that read a member's friends (``graph.reads``: with their blocks,
    follows and mutes), not the rule's friends-of-friends."""
    read = 'SELECT 0, "friend_id" FROM "graph_friendship"'
    return sum(1 for query in queries if query["sql"].startswith(read))


def test_a_page_reads_the_viewers_friends_once(
    ana, ben, make_member, befriend, api_as, django_assert_max_num_queries
):
    """The feed's authors, the visibility rule and the ranking's features all ask for
    the viewer's friends; in a GET request the database is asked once."""
    _busy_world(ana, ben, make_member, befriend, posts=2)
    client = api_as(ana)
    client.get("/feed")
    root = do_create_post(ana, text="root", audience="friends")
    for path, params in (
        ("/feed", {"order": "conversation"}),
        ("/feed", {"order": "chronological"}),
        (f"/posts/{root.pk}/thread", {}),
    ):
        with django_assert_max_num_queries(40) as page:
            assert client.get(path, **params).status_code == 200
        assert _friendship_reads(page.captured_queries) == 1, (path, params)
