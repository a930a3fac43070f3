"""The post page and its thread: replying (nested, inline, with htmx), editing with history,
deleting, reacting, the author-only reactions page, and what stays hidden."""

from __future__ import annotations

import re

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from porch.posts.models import Audience, Post, PostEdit, Reaction
from porch.posts.services import do_create_post, do_delete_post, do_edit_post, do_react, do_reply

HX = {"HX-Request": "true"}


@pytest.fixture
def post(ana):
    return do_create_post(ana, text="Sunday lunch?", audience=Audience.FRIENDS)


def test_post_page_shows_the_post_and_its_thread(ana, ben, post, login):
    reply = do_reply(ben, post, text="Yes please")
    nested = do_reply(ana, reply, text="Great, noon then")
    page = login(ben).get(f"/posts/{post.pk}/")
    assert page.status_code == 200
    text = page.text
    assert text.index("Sunday lunch?") < text.index("Yes please") < text.index("Great, noon")
    assert "2 replies" in text
    assert (
        f'id="post-{reply.pk}"' in text and f'class="reply indent-1" id="post-{nested.pk}"' in text
    )
    assert f'action="/posts/{post.pk}/reply"' in text  # the form at the bottom answers the post
    assert f"/posts/{post.pk}/?reply_to={reply.pk}#reply-form" in text


def test_a_reply_address_leads_to_its_place_in_the_thread(ana, ben, post, login):
    reply = do_reply(ben, post, text="Yes please")
    response = login(ana).get(f"/posts/{reply.pk}/")
    assert response.status_code == 302
    assert response.url == f"/posts/{post.pk}/#post-{reply.pk}"


def test_reply_and_nested_reply_without_javascript(ana, ben, post, login):
    client = login(ben)
    response = client.post(f"/posts/{post.pk}/reply", {"text": "I'll bring cake"})
    reply = Post.objects.get(parent=post)
    assert response.status_code == 302 and response.url == f"/posts/{post.pk}/#post-{reply.pk}"
    assert (reply.author, reply.root, reply.text) == (ben, post, "I'll bring cake")

    inline = login(ana).get(f"/posts/{post.pk}/?reply_to={reply.pk}")
    assert 'id="reply-form"' in inline.text and "Reply to Ben Okafor" in inline.text
    assert f'action="/posts/{reply.pk}/reply"' in inline.text

    response = login(ana).post(f"/posts/{reply.pk}/reply", {"text": "Chocolate, please"})
    nested = Post.objects.get(parent=reply)
    assert nested.root == post
    assert response.url == f"/posts/{post.pk}/#post-{nested.pk}"
    assert "Chocolate, please" in client.get(f"/posts/{post.pk}/").text


def test_reply_with_htmx_answers_with_the_new_thread(ben, post, login):
    response = login(ben).post(f"/posts/{post.pk}/reply", {"text": "On my way"}, headers=HX)
    assert response.status_code == 200
    assert response.text.lstrip().startswith('<section class="thread card" id="thread"')
    reply = Post.objects.get(parent=post)
    assert f'class="reply indent-0 is-new" id="post-{reply.pk}"' in response.text


def test_reply_errors_stay_on_the_form(ben, post, login):
    client = login(ben)
    empty = client.post(f"/posts/{post.pk}/reply", {"text": "  "})
    assert empty.status_code == 400 and "Write something first." in empty.text
    too_long = client.post(f"/posts/{post.pk}/reply", {"text": "y" * 5001}, headers=HX)
    assert too_long.status_code == 400 and "at most 5,000 characters" in too_long.text
    assert 'id="thread"' in too_long.text and "<html" not in too_long.text
    assert not Post.objects.filter(parent=post).exists()


def test_replying_twice_with_the_same_key_makes_one_reply(ben, post, login):
    client = login(ben)
    key = re.search(r'name="idempotency_key" value="(\w+)"', client.get(f"/posts/{post.pk}/").text)
    for _ in range(2):
        client.post(f"/posts/{post.pk}/reply", {"text": "once", "idempotency_key": key.group(1)})
    assert Post.objects.filter(parent=post).count() == 1


def test_a_deleted_post_cannot_be_answered(ana, ben, post, login):
    reply = do_reply(ben, post, text="first")
    do_delete_post(ben, reply)
    client = login(ana)
    response = client.post(f"/posts/{reply.pk}/reply", {"text": "to nothing"})
    assert response.status_code == 302
    page = client.get(response.url)
    assert "This post was deleted; it cannot be replied to." in page.text
    assert not Post.objects.filter(parent=reply).exists()


def test_deep_threads_stop_indenting_and_say_whom_they_answer(ana, ben, post, login):
    parent = post
    for i in range(6):
        parent = do_reply(ben if i % 2 == 0 else ana, parent, text=f"level {i}")
    page = login(ana).get(f"/posts/{post.pk}/").text
    assert page.count("indent-3") == 3  # depths 3, 4 and 5 share the last step
    assert "indent-4" not in page
    assert page.count('<span class="visually-hidden">replying to</span>') == 3


def test_edit_keeps_history(ana, ben, post, login):
    client = login(ana)
    form = client.get(f"/posts/{post.pk}/edit")
    assert form.status_code == 200 and ">Sunday lunch?</textarea>" in form.text

    response = client.post(f"/posts/{post.pk}/edit", {"text": "Sunday lunch at noon?"})
    assert response.status_code == 302 and response.url == f"/posts/{post.pk}/"
    post.refresh_from_db()
    assert post.text == "Sunday lunch at noon?" and post.edited_at is not None

    page = login(ben).get(f"/posts/{post.pk}/").text
    assert f'href="/posts/{post.pk}/history">edited</a>' in page
    history = login(ben).get(f"/posts/{post.pk}/history")
    assert history.status_code == 200
    assert "Sunday lunch at noon?" in history.text and "Sunday lunch?" in history.text
    assert "changed this post 1 time" in history.text


def test_edit_errors_and_strangers(ana, ben, post, login):
    client = login(ana)
    response = client.post(f"/posts/{post.pk}/edit", {"text": ""})
    assert response.status_code == 400 and "Write something first." in response.text
    assert login(ben).get(f"/posts/{post.pk}/edit").status_code == 403
    assert login(ben).post(f"/posts/{post.pk}/edit", {"text": "hijack"}).status_code == 403
    post.refresh_from_db()
    assert post.text == "Sunday lunch?" and not PostEdit.objects.exists()


def test_delete_asks_first_then_keeps_the_conversation(ana, ben, post, login):
    reply = do_reply(ben, post, text="Count me in")
    client = login(ana)
    confirm = client.get(f"/posts/{post.pk}/delete")
    assert confirm.status_code == 200 and "Delete this post?" in confirm.text
    post.refresh_from_db()
    assert post.deleted_at is None  # asking is not deleting

    response = client.post(f"/posts/{post.pk}/delete")
    assert response.status_code == 302 and response.url == "/"
    page = login(ben).get(f"/posts/{post.pk}/")
    assert page.status_code == 200
    assert "This post was deleted." in page.text and "Sunday lunch?" not in page.text
    assert "Count me in" in page.text

    do_delete_post(ben, reply)
    assert login(ben).get(f"/posts/{post.pk}/").status_code == 404


def test_deleting_a_reply_returns_to_the_thread(ana, ben, post, login):
    reply = do_reply(ben, post, text="oops")
    assert login(ana).post(f"/posts/{reply.pk}/delete").status_code == 403
    response = login(ben).post(f"/posts/{reply.pk}/delete")
    assert response.url == f"/posts/{post.pk}/"
    assert "oops" not in login(ana).get(f"/posts/{post.pk}/").text


def test_react_change_and_remove(ana, ben, post, login):
    client = login(ben)
    response = client.post(f"/posts/{post.pk}/react", {"kind": "heart", "next": "/"})
    assert response.status_code == 302 and response.url == "/"
    assert Reaction.objects.get(post=post, member=ben).kind == "heart"
    client.post(f"/posts/{post.pk}/react", {"kind": "laugh"})
    assert Reaction.objects.get(post=post, member=ben).kind == "laugh"
    client.post(f"/posts/{post.pk}/react", {"kind": ""})
    assert not Reaction.objects.exists()
    bad = client.post(f"/posts/{post.pk}/react", {"kind": "angry"}, follow=True)
    assert "Choose one of:" in bad.text and not Reaction.objects.exists()
    foreign = client.post(
        f"/posts/{post.pk}/react", {"kind": "wow", "next": "https://evil.example/"}
    )
    assert foreign.url == f"/posts/{post.pk}/"


def test_react_with_htmx_answers_with_the_picker(ben, post, login):
    response = login(ben).post(f"/posts/{post.pk}/react", {"kind": "wow"}, headers=HX)
    assert response.status_code == 200
    assert response.text.startswith(f'<div class="reactions" id="reactions-{post.pk}">')
    assert "Remove your “wow” reaction" in response.text
    assert 'class="counts"' not in response.text


def test_only_the_author_sees_counts_and_who_reacted(ana, ben, make_member, befriend, post, login):
    cy = make_member("cy", display_name="Cy Tran")
    befriend(ana, cy)
    do_react(ben, post, "heart")
    do_react(cy, post, "heart")
    author_page = login(ana).get(f"/posts/{post.pk}/").text
    assert re.search(r'<a class="counts" href="/posts/\d+/reactions"', author_page)
    assert "</span> 2</span>" in author_page
    ben_page = login(ben).get(f"/posts/{post.pk}/").text
    assert 'class="counts"' not in ben_page and "</span> 2</span>" not in ben_page

    who = login(ana).get(f"/posts/{post.pk}/reactions")
    assert who.status_code == 200 and "Ben Okafor" in who.text and "Cy Tran" in who.text
    assert login(ben).get(f"/posts/{post.pk}/reactions").status_code == 403


def test_counts_for_everyone_when_the_host_allows(ben, post, site, login):
    do_react(ben, post, "heart")
    site.show_reaction_counts = True
    site.save()
    page = login(ben).get(f"/posts/{post.pk}/").text
    assert '<span class="counts">' in page  # counts, but not the author's list of who


def test_invisible_posts_are_not_found_everywhere(ana, post, make_member, login):
    reply = do_reply(ana, post, text="talking to myself")
    stranger = login(make_member("stranger"))
    for url in [
        f"/posts/{post.pk}/",
        f"/posts/{reply.pk}/",
        f"/posts/{post.pk}/history",
        f"/posts/{post.pk}/reactions",
        "/posts/987654/",
        "/posts/99999999999999999999999/",
    ]:
        response = stranger.get(url)
        assert response.status_code == 404, url
        assert "We can't find that" in response.text and "Sunday lunch" not in response.text
    for url, data in [
        (f"/posts/{post.pk}/reply", {"text": "hi"}),
        (f"/posts/{post.pk}/react", {"kind": "heart"}),
        (f"/posts/{post.pk}/edit", {"text": "mine now"}),
        (f"/posts/{post.pk}/delete", {}),
    ]:
        assert stranger.post(url, data).status_code == 404, url
    assert Post.objects.count() == 2 and not Reaction.objects.exists()


def test_visitors_read_public_posts_only(ana, post):
    public = do_create_post(ana, text="Open day at the garden", audience=Audience.PUBLIC)
    visitor = Client()
    page = visitor.get(f"/posts/{public.pk}/")
    assert page.status_code == 200 and "Open day at the garden" in page.text
    assert "Log in</a> to reply" in page.text and 'name="text"' not in page.text
    assert visitor.get(f"/posts/{post.pk}/").status_code == 404
    assert visitor.get(f"/posts/{public.pk}/?reply_to={public.pk}").status_code == 302
    assert visitor.post(f"/posts/{public.pk}/reply", {"text": "hi"}).status_code == 302


def _conversation(ana, ben, root, n):
    parent = root
    for i in range(n):
        parent = do_reply(ben if i % 2 else ana, parent, text=f"reply {i} @ana")
        do_react(ben, parent, "heart")
        do_react(ana, parent, "laugh")
        if i % 3 == 0:
            do_edit_post(parent.author, parent, text=f"edited {i}")
            parent = root


def test_thread_queries_do_not_grow_with_replies(
    ana, ben, post, login, django_assert_max_num_queries
):
    client = login(ben)
    client.get(f"/posts/{post.pk}/")
    _conversation(ana, ben, post, 3)
    with CaptureQueriesContext(connection) as few:
        assert client.get(f"/posts/{post.pk}/").status_code == 200
    _conversation(ana, ben, post, 30)
    with django_assert_max_num_queries(len(few)):
        page = client.get(f"/posts/{post.pk}/")
    assert page.text.count('class="reply ') == 33
