"""Reply controls and hidden replies through the API."""

from __future__ import annotations

from .client import assert_error


def test_create_with_a_reply_policy_and_change_it(ana, ben, api_as, make_member):
    as_ana, as_ben = api_as(ana), api_as(ben)
    stranger = api_as(make_member("dee"))
    made = as_ana.post(
        "/posts", {"text": "Friends only", "audience": "public", "reply_policy": "friends"}
    )
    assert made.status_code == 201, made.content
    body = made.json()
    assert body["reply_policy"] == "friends" and body["can_reply"] is True
    post_id = body["id"]
    assert stranger.get(f"/posts/{post_id}").json()["can_reply"] is False
    refused = assert_error(stranger.post(f"/posts/{post_id}/replies", {"text": "hi"}), 403)
    assert refused["detail"] == "Only Ana's friends can reply to this post."
    assert as_ben.post(f"/posts/{post_id}/replies", {"text": "hi"}).status_code == 201
    changed = as_ana.patch(f"/posts/{post_id}", {"reply_policy": "nobody"})
    assert changed.status_code == 200 and changed.json()["reply_policy"] == "nobody"
    assert changed.json()["text"] == "Friends only"
    assert_error(as_ben.post(f"/posts/{post_id}/replies", {"text": "again"}), 403)
    assert_error(as_ana.patch(f"/posts/{post_id}", {"reply_policy": "vips"}), 400)
    assert_error(as_ana.patch(f"/posts/{post_id}", {}), 400)
    assert_error(as_ben.patch(f"/posts/{post_id}", {"reply_policy": "everyone"}), 403)


def test_hide_and_unhide_a_reply(ana, ben, api_as, make_member):
    cy = make_member("cy")
    as_ana, as_ben, as_cy = api_as(ana), api_as(ben), api_as(cy)
    post_id = as_ana.post("/posts", {"text": "News", "audience": "public"}).json()["id"]
    reply_id = as_cy.post(f"/posts/{post_id}/replies", {"text": "rude"}).json()["id"]
    hidden = as_ana.post(f"/posts/{reply_id}/hide")
    assert hidden.status_code == 200 and hidden.json()["hidden"] is True
    assert_error(as_ben.get(f"/posts/{reply_id}"), 404)
    assert [i["id"] for i in as_ben.get(f"/posts/{post_id}/thread").json()["replies"]] == []
    mine = as_cy.get(f"/posts/{reply_id}").json()
    assert mine["hidden"] is True  # the replier sees it, marked
    assert as_ben.get(f"/posts/{post_id}").json()["reply_count"] == 0
    assert_error(as_ben.post(f"/posts/{reply_id}/hide"), 404)
    assert_error(as_cy.post(f"/posts/{reply_id}/hide"), 403)
    assert as_ana.delete(f"/posts/{reply_id}/hide").json()["hidden"] is False
    assert as_ben.get(f"/posts/{reply_id}").status_code == 200
