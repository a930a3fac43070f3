"""The API never shows a post, reply, count or member the caller may not see.

ana writes; ben is her friend; cy is ben's friend (a friend of a friend to ana);
dee is a stranger; and a logged-out visitor calls without any credentials.
"""

from __future__ import annotations

import pytest

from porch.graph.services import do_add_to_circle, do_create_circle
from porch.posts.services import do_create_post, do_react, do_reply

from .client import ApiClient, assert_error


@pytest.fixture
def people(make_member, befriend):
    ana, ben, cy, dee = (make_member(n) for n in ["ana", "ben", "cy", "dee"])
    befriend(ana, ben)
    befriend(ben, cy)
    return ana, ben, cy, dee


@pytest.fixture
def clients(people, api_as):
    ana, ben, cy, dee = people
    return {
        "ana": api_as(ana),
        "ben": api_as(ben),
        "cy": api_as(cy),
        "dee": api_as(dee),
        "visitor": ApiClient(),
    }


WHO_SEES = {
    "public": {"ana", "ben", "cy", "dee", "visitor"},
    "friends_of_friends": {"ana", "ben", "cy"},
    "friends": {"ana", "ben"},
    "only_me": {"ana"},
}


@pytest.mark.parametrize("audience", list(WHO_SEES))
def test_post_and_thread_and_history_follow_the_audience(people, clients, audience):
    ana, *_ = people
    post = do_create_post(ana, text="words", audience=audience)
    reply = do_reply(ana, post, text="more words")
    missing = clients["ana"].get("/posts/987654")
    for name, client in clients.items():
        for path in (
            f"/posts/{post.pk}",
            f"/posts/{reply.pk}",
            f"/posts/{post.pk}/thread",
            f"/posts/{reply.pk}/thread",
            f"/posts/{post.pk}/history",
        ):
            response = client.get(path)
            if name in WHO_SEES[audience]:
                assert response.status_code == 200, (name, path, response.content)
            else:
                # Exactly the answer for an id that does not exist: nothing to probe.
                assert response.status_code == 404, (name, path)
                assert response.json() == missing.json()


def test_circle_post_and_its_replies(people, clients):
    ana, ben, *_ = people
    family = do_create_circle(ana, "Family")
    do_add_to_circle(ana, family, ben)
    post = do_create_post(ana, text="family only", audience="circles", circle_ids=[family.pk])
    reply = do_reply(ben, post, text="hi mum")
    assert clients["ben"].get(f"/posts/{reply.pk}").status_code == 200
    for name in ["cy", "dee", "visitor"]:
        assert_error(clients[name].get(f"/posts/{reply.pk}"), 404, "not_found")
        assert_error(clients[name].get(f"/posts/{post.pk}/thread"), 404)
    # Nor can they reply to it or react to it.
    assert_error(clients["cy"].post(f"/posts/{post.pk}/replies", {"text": "me too"}), 404)
    assert_error(clients["cy"].post(f"/posts/{reply.pk}/replies", {"text": "me too"}), 404)
    assert_error(clients["cy"].put(f"/posts/{post.pk}/reaction", {"kind": "heart"}), 404)
    assert_error(clients["dee"].get(f"/posts/{post.pk}/reactions"), 404)


def test_circles_field_only_for_the_author(people, clients):
    ana, ben, *_ = people
    family = do_create_circle(ana, "Family")
    do_add_to_circle(ana, family, ben)
    post = do_create_post(ana, text="family only", audience="circles", circle_ids=[family.pk])
    assert clients["ana"].get(f"/posts/{post.pk}").json()["circles"] == [
        {"id": family.pk, "name": "Family"}
    ]
    for_ben = clients["ben"].get(f"/posts/{post.pk}").json()
    assert "circles" not in for_ben
    assert for_ben["audience"] == "circles"
    feed_item = clients["ben"].get("/feed").json()["items"][0]
    assert "circles" not in feed_item
    thread = clients["ben"].get(f"/posts/{post.pk}/thread").json()
    assert "circles" not in thread["root"]


def test_reaction_counts_only_for_the_author(people, clients):
    ana, ben, cy, _ = people
    post = do_create_post(ana, text="news", audience="public")
    do_react(ben, post, "heart")
    do_react(cy, post, "heart")
    assert clients["ana"].get(f"/posts/{post.pk}").json()["reactions"] == {
        "mine": None,
        "counts": {"heart": 2},
        "total": 2,
    }
    for name in ["ben", "cy", "dee", "visitor"]:
        reactions = clients[name].get(f"/posts/{post.pk}").json()["reactions"]
        assert reactions["counts"] is None and reactions["total"] is None, name
    assert clients["ben"].get(f"/posts/{post.pk}").json()["reactions"]["mine"] == "heart"
    for name in ["ben", "cy", "dee"]:
        assert_error(clients[name].get(f"/posts/{post.pk}/reactions"), 403)


def test_profile_posts_follow_the_audience(people, clients):
    ana, *_ = people
    for audience in WHO_SEES:
        do_create_post(ana, text=audience, audience=audience)
    ana.is_public_profile = True
    ana.save()
    for name, client in clients.items():
        items = client.get("/members/ana/posts").json()["items"]
        assert {item["text"] for item in items} == {
            audience for audience, who in WHO_SEES.items() if name in who
        }, name


def test_visitors_see_public_profiles_only(people, clients):
    ana, *_ = people
    assert_error(clients["visitor"].get("/members/ana"), 404)
    assert_error(clients["visitor"].get("/members/ana/posts"), 404)
    assert_error(clients["visitor"].get("/members/nobody"), 404)
    assert clients["dee"].get("/members/ana").status_code == 200
    ana.is_public_profile = True
    ana.save()
    profile = clients["visitor"].get("/members/ana").json()
    assert profile["relationship"] is None and profile["is_following"] is None
    assert clients["ben"].get("/members/ana").json()["relationship"] == "friends"


def test_feed_never_holds_what_the_viewer_may_not_see(people, clients):
    ana, *_ = people
    for audience in WHO_SEES:
        do_create_post(ana, text=audience, audience=audience)
    texts = {item["text"] for item in clients["ben"].get("/feed").json()["items"]}
    assert texts == {"public", "friends_of_friends", "friends"}
    # cy and dee are not ana's friends and do not follow her: nothing of hers.
    assert clients["cy"].get("/feed").json()["items"] == []
    assert clients["dee"].get("/feed").json()["items"] == []


def test_notifications_hide_posts_no_longer_visible(people, clients):
    ana, ben, *_ = people
    family = do_create_circle(ana, "Family")
    do_add_to_circle(ana, family, ben)
    post = do_create_post(ana, text="hi @ben", audience="circles", circle_ids=[family.pk])
    kinds = [n["kind"] for n in clients["ben"].get("/notifications").json()["items"]]
    assert "mention" in kinds
    clients["ana"].delete(f"/circles/{family.pk}/members/ben")
    body = clients["ben"].get("/notifications").json()
    assert all((n["post"] or {}).get("id") != post.pk for n in body["items"])
