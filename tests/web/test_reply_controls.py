"""Choosing who can reply, and hiding replies, in the web pages."""

from __future__ import annotations

from porch.posts.models import Audience, Post
from porch.posts.services import do_create_post, do_reply


def test_choose_who_can_reply_when_posting_and_later(ana, ben, login, make_member):
    client = login(ana)
    home = client.get("/")
    assert "Who can reply" in home.text and 'value="mentioned"' in home.text
    client.post("/posts/new", {"text": "Just us", "audience": "public", "reply_policy": "friends"})
    post = Post.objects.get(text="Just us")
    assert post.reply_policy == "friends"

    stranger = login(make_member("dee"))
    page = stranger.get(f"/posts/{post.pk}/")
    assert "Only Ana Lima&#x27;s friends can reply to this post." in page.text
    assert 'id="reply-root"' not in page.text
    refused = stranger.post(f"/posts/{post.pk}/reply", {"text": "let me in"}, follow=True)
    assert "Only Ana Lima&#x27;s friends can reply" in refused.text
    assert not Post.objects.filter(text="let me in").exists()
    assert 'id="reply-root"' in login(ben).get(f"/posts/{post.pk}/").text

    saved = client.post(f"/posts/{post.pk}/reply-policy", {"reply_policy": "nobody"}, follow=True)
    assert "Saved: who can reply" in saved.text
    assert Post.objects.get(pk=post.pk).reply_policy == "nobody"
    bad = client.post(f"/posts/{post.pk}/reply-policy", {"reply_policy": "vips"}, follow=True)
    assert "Choose who can reply" in bad.text
    assert (
        login(ben).post(f"/posts/{post.pk}/reply-policy", {"reply_policy": "everyone"}).status_code
        == 403
    )


def test_a_bad_policy_when_posting_is_a_form_error(ana, login):
    page = login(ana).post(
        "/posts/new", {"text": "Keep me", "audience": "friends", "reply_policy": "vips"}
    )
    assert page.status_code == 400
    assert "Choose who can reply" in page.text and "Keep me" in page.text
    assert not Post.objects.filter(text="Keep me").exists()


def test_hide_a_reply_on_your_post(ana, ben, login, make_member):
    cy = make_member("cy", display_name="Cy")
    post = do_create_post(ana, text="Big news", audience=Audience.PUBLIC)
    rude = do_reply(cy, post, text="What a silly idea")
    client = login(ana)
    assert "Hide" in client.get(f"/posts/{post.pk}/").text
    done = client.post(f"/posts/{rude.pk}/hide", {"action": "hide"}, follow=True)
    assert "Reply hidden" in done.text and "Hidden: only its author and you" in done.text
    assert "What a silly idea" not in login(ben).get(f"/posts/{post.pk}/").text
    own_view = login(cy).get(f"/posts/{post.pk}/").text
    assert "What a silly idea" in own_view and "Hidden by Ana Lima" in own_view
    assert client.post(f"/posts/{rude.pk}/hide", {"action": "bury"}).status_code == 400
    assert login(ben).post(f"/posts/{rude.pk}/hide", {"action": "unhide"}).status_code == 404
    client.post(f"/posts/{rude.pk}/hide", {"action": "unhide"})
    assert "What a silly idea" in login(ben).get(f"/posts/{post.pk}/").text
