"""POST/GET/PATCH/DELETE /posts, replies, threads, reactions and history."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from porch.accounts.models import SiteSettings
from porch.graph.services import do_add_to_circle, do_create_circle
from porch.posts.models import Post
from porch.posts.services import do_create_post, do_edit_post, do_react, do_reply

from .client import assert_error


# --- Creating ----------------------------------------------------------------------
def test_create_post_returns_the_post(ana, api_as):
    response = api_as(ana).post("/posts", {"text": "Hello *porch*", "audience": "friends"})
    assert response.status_code == 201, response.content
    post = response.json()
    assert post["text"] == "Hello *porch*"
    assert "<em>porch</em>" in post["html"]
    assert post["audience"] == "friends"
    assert post["author"] == {"username": "ana", "display_name": "Ana"}
    assert post["parent_id"] is None and post["root_id"] is None
    assert post["reply_count"] == 0
    assert post["reactions"] == {"mine": None, "counts": {}, "total": 0}
    assert post["circles"] == []
    assert post["deleted"] is False
    assert post["url"] == f"http://testserver/posts/{post['id']}/"
    assert Post.objects.get(pk=post["id"]).author == ana


def test_create_post_for_circles(ana, ben, api_as):
    family = do_create_circle(ana, "Family")
    do_add_to_circle(ana, family, ben)
    response = api_as(ana).post(
        "/posts", {"text": "family news", "audience": "circles", "circles": [family.pk]}
    )
    assert response.status_code == 201, response.content
    assert response.json()["circles"] == [{"id": family.pk, "name": "Family"}]


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"text": "x" * 5001, "audience": "friends"}, "text"),
        ({"text": "hi", "audience": "everyone"}, "audience"),
        ({"text": "hi"}, "audience"),
        ({"audience": "friends"}, "text"),
        ({"text": 42, "audience": "friends"}, "text"),
        ({"text": ["a"], "audience": "friends"}, "text"),
        ({"text": "hi", "audience": "circles", "circles": "1"}, "circles"),
        ({"text": "hi", "audience": "circles", "circles": ["one"]}, "circles"),
        ({"text": "hi", "audience": "circles", "circles": [2**70]}, "circles"),
        ({"text": "hi", "audience": "circles", "circles": list(range(1, 30))}, "circles"),
        ({"text": "nul \x00 byte", "audience": "friends"}, "text"),
        ({"text": "lone \ud800 surrogate", "audience": "friends"}, "text"),
        ({"text": "   ", "audience": "friends"}, "text"),
        ({"text": "hi", "audience": "circles"}, "circles"),
        ({"text": "hi", "audience": "circles", "circles": [99999]}, "circles"),
        ({"text": "hi", "audience": "friends", "circles": [1]}, "circles"),
    ],
)
def test_create_post_refuses_bad_input(ana, api_as, body, field):
    error = assert_error(api_as(ana).post("/posts", body), 400, "invalid", field)
    assert field in error["detail"] or error["detail"]
    assert not Post.objects.exists()


def test_someone_elses_circle_is_unknown(ana, ben, api_as):
    bens = do_create_circle(ben, "Ben's")
    body = {"text": "hi", "audience": "circles", "circles": [bens.pk]}
    error = assert_error(api_as(ana).post("/posts", body), 400, "invalid", "circles")
    assert error["detail"] == "Unknown circle."


def test_over_long_text_names_the_field_and_limit(ana, api_as):
    error = assert_error(
        api_as(ana).post("/posts", {"text": "x" * 5001, "audience": "public"}), 400
    )
    assert error["detail"].startswith("text:")
    assert "5000" in error["detail"]


@pytest.mark.parametrize(
    ("raw", "detail"),
    [
        ("{not json", "The request body is not valid JSON."),
        ('{"text": "hi", ', "The request body is not valid JSON."),
        ("[1, 2]", "The request body must be a JSON object."),
        ('"text"', "The request body must be a JSON object."),
        ("", "Send a JSON object in the request body."),
    ],
)
def test_malformed_bodies_are_400(ana, api_as, raw, detail):
    error = assert_error(api_as(ana).post("/posts", raw=raw), 400, "invalid")
    assert error["detail"] == detail


def test_invalid_utf8_body_is_400(ana, api_as):
    response = api_as(ana).post("/posts", raw=b'{"text": "\xff\xfe", "audience": "public"}')
    assert_error(response, 400, "invalid")


def test_idempotency_key_returns_the_same_post(ana, api_as):
    client = api_as(ana)
    body = {"text": "only once", "audience": "friends"}
    first = client.post("/posts", body, headers={"Idempotency-Key": "k-1"})
    again = client.post("/posts", body, headers={"Idempotency-Key": "k-1"})
    assert first.status_code == 201
    assert again.status_code == 200
    assert again.json() == first.json()
    assert Post.objects.count() == 1
    other = client.post("/posts", body, headers={"Idempotency-Key": "k-2"})
    assert other.status_code == 201
    assert Post.objects.count() == 2


def _posting_queries(client, path, body) -> list[str]:
    with CaptureQueriesContext(connection) as queries:
        response = client.post(path, body)
    assert response.status_code == 201, response.content
    return [query["sql"] for query in queries.captured_queries]


def test_posting_reads_nothing_of_the_authors_network(make_member, befriend, api_as):
    """A new post or reply has no replies and no reactions yet: the answer says so
    without reading them, so posting costs the same whatever the author's friend count
    (the benchmark's posting target, docs/performance.md)."""
    SiteSettings.current()  # made on first use: not part of either post
    few, many = make_member("few"), make_member("many")
    befriend(few, make_member())
    for _ in range(30):
        befriend(many, make_member())
    counts = []
    for author in (few, many):
        client = api_as(author)
        post = _posting_queries(client, "/posts", {"text": "hello", "audience": "friends"})
        root = Post.objects.filter(author=author).latest("pk")
        answer = _posting_queries(client, f"/posts/{root.pk}/replies", {"text": "me again"})
        for sql in post:
            assert "graph_friendship" not in sql and "posts_reaction" not in sql, sql
        # A reply reads the author's friends once, to check they may see its parent.
        assert not [sql for sql in answer if "posts_reaction" in sql]
        counts.append((len(post), len(answer)))
    assert counts[0] == counts[1]


def test_a_replayed_post_shows_its_replies_and_reactions(ana, ben, api_as):
    body = {"text": "only once", "audience": "friends"}
    first = api_as(ana).post("/posts", body, headers={"Idempotency-Key": "k-1"}).json()
    assert (first["reply_count"], first["reactions"]["total"]) == (0, 0)
    post = Post.objects.get(pk=first["id"])
    answer = do_reply(ben, post, text="welcome")
    do_react(ben, post, "heart")
    do_react(ana, answer, "laugh")
    again = api_as(ana).post("/posts", body, headers={"Idempotency-Key": "k-1"})
    assert again.status_code == 200
    assert again.json()["reply_count"] == 1
    assert again.json()["reactions"] == {"mine": None, "counts": {"heart": 1}, "total": 1}
    replayed = api_as(ben).post(
        f"/posts/{post.pk}/replies", {"text": "welcome"}, headers={"Idempotency-Key": "r"}
    )
    assert replayed.status_code == 201  # a new key: a new reply, with no reactions
    assert replayed.json()["reactions"] == {"mine": None, "counts": {}, "total": 0}
    again = api_as(ben).post(
        f"/posts/{post.pk}/replies", {"text": "welcome"}, headers={"Idempotency-Key": "r"}
    )
    assert again.status_code == 200
    do_react(ana, Post.objects.get(pk=again.json()["id"]), "heart")
    third = api_as(ben).post(
        f"/posts/{post.pk}/replies", {"text": "welcome"}, headers={"Idempotency-Key": "r"}
    )
    assert third.json()["reactions"]["mine"] is None
    assert third.json()["reactions"]["counts"] == {"heart": 1}


def test_idempotency_key_too_long_is_400(ana, api_as):
    response = api_as(ana).post(
        "/posts", {"text": "hi", "audience": "public"}, headers={"Idempotency-Key": "k" * 65}
    )
    assert_error(response, 400, "invalid", "Idempotency-Key")


# --- Reading -----------------------------------------------------------------------
def test_get_post(ana, ben, api_as):
    post = do_create_post(ana, text="hi", audience="friends")
    do_reply(ben, post, text="hello")
    body = api_as(ben).get(f"/posts/{post.pk}").json()
    assert body["id"] == post.pk
    assert body["reply_count"] == 1
    assert "circles" not in body


def test_get_reply(ana, ben, api_as):
    post = do_create_post(ana, text="hi", audience="friends")
    reply = do_reply(ben, post, text="hello")
    body = api_as(ana).get(f"/posts/{reply.pk}").json()
    assert body["parent_id"] == post.pk and body["root_id"] == post.pk
    assert body["reply_count"] is None
    assert body["url"] == f"http://testserver/posts/{post.pk}/#post-{reply.pk}"


@pytest.mark.parametrize("post_id", ["abc", "1.5", "0", "-3", str(2**64), "99999999999999999999"])
def test_bad_post_ids_are_400_not_500(ana, api_as, post_id):
    assert_error(api_as(ana).get(f"/posts/{post_id}"), 400, "invalid", "post_id")


def test_missing_post_is_404(ana, api_as):
    assert_error(api_as(ana).get("/posts/123456"), 404, "not_found")


# --- Editing and deleting --------------------------------------------------------
def test_edit_post_keeps_history(ana, ben, api_as):
    post = do_create_post(ana, text="first", audience="friends")
    response = api_as(ana).patch(f"/posts/{post.pk}", {"text": "second"})
    assert response.status_code == 200, response.content
    assert response.json()["text"] == "second"
    assert response.json()["edited_at"] is not None
    history = api_as(ben).get(f"/posts/{post.pk}/history").json()
    assert [item["text"] for item in history["items"]] == ["first"]


def test_only_the_author_edits_or_deletes(ana, ben, api_as):
    post = do_create_post(ana, text="mine", audience="friends")
    assert_error(api_as(ben).patch(f"/posts/{post.pk}", {"text": "x"}), 403, "forbidden")
    assert_error(api_as(ben).delete(f"/posts/{post.pk}"), 403, "forbidden")
    post.refresh_from_db()
    assert post.text == "mine" and post.deleted_at is None


def test_edit_refuses_bad_text(ana, api_as):
    post = do_create_post(ana, text="first", audience="friends")
    assert_error(api_as(ana).patch(f"/posts/{post.pk}", {"text": ""}), 400, "invalid", "text")
    assert_error(api_as(ana).patch(f"/posts/{post.pk}", {}), 400, "invalid", "text")
    assert_error(
        api_as(ana).patch(f"/posts/{post.pk}", {"text": "y" * 5001}), 400, "invalid", "text"
    )


def test_delete_post(ana, ben, api_as):
    post = do_create_post(ana, text="bye", audience="friends")
    reply = do_reply(ben, post, text="answer")
    response = api_as(ana).delete(f"/posts/{post.pk}")
    assert response.status_code == 204
    assert_error(api_as(ana).get(f"/posts/{post.pk}"), 404)
    assert_error(api_as(ana).delete(f"/posts/{post.pk}"), 404)
    thread = api_as(ben).get(f"/posts/{post.pk}/thread").json()
    assert thread["root"]["deleted"] is True and thread["root"]["text"] == ""
    assert [r["id"] for r in thread["replies"]] == [reply.pk]


# --- Replies and threads ------------------------------------------------------------
def test_reply_and_thread(ana, ben, api_as):
    post = do_create_post(ana, text="question", audience="friends")
    first = api_as(ben).post(f"/posts/{post.pk}/replies", {"text": "answer"})
    assert first.status_code == 201, first.content
    answer = first.json()
    assert answer["parent_id"] == post.pk and answer["root_id"] == post.pk
    nested = api_as(ana).post(f"/posts/{answer['id']}/replies", {"text": "thanks"})
    assert nested.status_code == 201
    thread = api_as(ana).get(f"/posts/{post.pk}/thread").json()
    assert thread["root"]["id"] == post.pk
    assert thread["root"]["reply_count"] == 2
    assert "depth" not in thread["root"]
    assert [(r["id"], r["depth"], r["parent_id"]) for r in thread["replies"]] == [
        (answer["id"], 0, post.pk),
        (nested.json()["id"], 1, answer["id"]),
    ]
    # A reply's id gives the same thread.
    assert api_as(ana).get(f"/posts/{answer['id']}/thread").json() == thread


def test_a_thread_opened_from_its_first_post_is_read_in_one_query(ana, ben, api_as):
    post = do_create_post(ana, text="question", audience="friends")
    answer = do_reply(ben, post, text="answer")
    do_reply(ana, answer, text="thanks")
    client = api_as(ben)
    client.get("/me")  # the token's first use is written down: not part of the thread
    with CaptureQueriesContext(connection) as queries:
        thread = client.get(f"/posts/{post.pk}/thread").json()
    post_reads = [
        q["sql"]
        for q in queries.captured_queries
        if q["sql"].startswith('SELECT "posts_post"."id"')
    ]
    assert len(post_reads) == 1, post_reads
    assert [r["depth"] for r in thread["replies"]] == [0, 1]
    assert thread["root"]["reply_count"] == 2
    assert client.get(f"/posts/{answer.pk}/thread").json() == thread


def test_reply_idempotency(ana, ben, api_as):
    post = do_create_post(ana, text="question", audience="friends")
    client = api_as(ben)
    first = client.post(
        f"/posts/{post.pk}/replies", {"text": "a"}, headers={"Idempotency-Key": "r"}
    )
    again = client.post(
        f"/posts/{post.pk}/replies", {"text": "a"}, headers={"Idempotency-Key": "r"}
    )
    assert (first.status_code, again.status_code) == (201, 200)
    assert first.json() == again.json()


def test_reply_to_deleted_post_is_404(ana, ben, api_as):
    post = do_create_post(ana, text="question", audience="friends")
    api_as(ana).delete(f"/posts/{post.pk}")
    assert_error(api_as(ben).post(f"/posts/{post.pk}/replies", {"text": "a"}), 404)


def test_reply_refuses_bad_text(ana, ben, api_as):
    post = do_create_post(ana, text="question", audience="friends")
    assert_error(api_as(ben).post(f"/posts/{post.pk}/replies", {"text": ""}), 400, field="text")
    assert_error(api_as(ben).post(f"/posts/{post.pk}/replies", {}), 400, field="text")


# --- Reactions -------------------------------------------------------------------------
def test_react_and_unreact(ana, ben, api_as):
    post = do_create_post(ana, text="news", audience="friends")
    response = api_as(ben).put(f"/posts/{post.pk}/reaction", {"kind": "heart"})
    assert response.status_code == 200, response.content
    assert response.json() == {"mine": "heart", "counts": None, "total": None}
    assert api_as(ana).get(f"/posts/{post.pk}").json()["reactions"] == {
        "mine": None,
        "counts": {"heart": 1},
        "total": 1,
    }
    again = api_as(ben).put(f"/posts/{post.pk}/reaction", {"kind": "laugh"})
    assert again.json()["mine"] == "laugh"
    gone = api_as(ben).delete(f"/posts/{post.pk}/reaction")
    assert gone.status_code == 200
    assert gone.json()["mine"] is None
    assert api_as(ana).get(f"/posts/{post.pk}").json()["reactions"]["total"] == 0


def test_react_refuses_unknown_kind(ana, ben, api_as):
    post = do_create_post(ana, text="news", audience="friends")
    assert_error(api_as(ben).put(f"/posts/{post.pk}/reaction", {"kind": "fire"}), 400, field="kind")
    assert_error(api_as(ben).put(f"/posts/{post.pk}/reaction", {}), 400, field="kind")


def test_reactions_detail_for_the_author_only(ana, ben, api_as):
    post = do_create_post(ana, text="news", audience="friends")
    do_react(ben, post, "wow")
    detail = api_as(ana).get(f"/posts/{post.pk}/reactions").json()
    assert detail["who"] == [{"member": {"username": "ben", "display_name": "Ben"}, "kind": "wow"}]
    assert detail["counts"] == {"wow": 1}
    assert_error(api_as(ben).get(f"/posts/{post.pk}/reactions"), 403, "forbidden")


def test_host_can_show_counts_to_everyone(ana, ben, api_as):
    settings = SiteSettings.current()
    settings.show_reaction_counts = True
    settings.save()
    post = do_create_post(ana, text="news", audience="friends")
    do_react(ana, post, "heart")
    assert api_as(ben).get(f"/posts/{post.pk}").json()["reactions"]["counts"] == {"heart": 1}


def test_history_of_unedited_post_is_empty(ana, api_as):
    post = do_create_post(ana, text="once", audience="public")
    assert api_as(ana).get(f"/posts/{post.pk}/history").json() == {"items": []}
    do_edit_post(ana, post, text="twice")
    items = api_as(ana).get(f"/posts/{post.pk}/history").json()["items"]
    assert [i["text"] for i in items] == ["once"]
