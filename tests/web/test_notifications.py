"""Notifications: the list, the unread badge, marking one or all read."""

from __future__ import annotations

import re

import pytest

from porch.graph.services import do_send_friend_request
from porch.notifications.models import Notification
from porch.posts.services import do_create_post, do_reply

HX = {"HX-Request": "true"}


@pytest.fixture
def ben(ben):
    Notification.objects.all().delete()  # the friendship's own notice is not the point here
    return ben


def badge(page: str) -> str | None:
    match = re.search(
        r'<span id="unread-badge" class="badge"(?: hx-swap-oob="true")?( hidden)?>(\d+)', page
    )
    return None if match is None or match.group(1) else match.group(2)


def test_list_shows_who_did_what_and_links_to_it(ana, ben, make_member, login):
    post = do_create_post(ana, text="Lunch **on Sunday**", audience="friends")
    reply = do_reply(ben, post, text="Count me in")
    eve = make_member("eve", display_name="Eve Adair")
    do_send_friend_request(eve, ana)
    client = login(ana)
    page = client.get("/notifications/").text
    assert "<strong>Ben Okafor</strong> replied to you" in page
    assert "“Count me in”" in page
    assert "<strong>Eve Adair</strong> sent you a friend request" in page
    assert f'name="next" value="/posts/{post.pk}/#post-{reply.pk}"' in page
    assert 'name="next" value="/friends/"' in page
    assert page.count('class="notification is-unread"') == 2
    assert badge(client.get("/").text) == "2"


def test_opening_a_notification_marks_it_read_and_goes_there(ana, ben, login):
    post = do_create_post(ana, text="Lunch", audience="friends")
    do_reply(ben, post, text="Yes")
    note = Notification.objects.get(recipient=ana)
    client = login(ana)
    client.get("/notifications/")
    note.refresh_from_db()
    assert note.read_at is None  # looking is not reading

    target = f"/posts/{post.pk}/#post-{note.post_id}"
    response = client.post(f"/notifications/{note.pk}/read", {"next": target})
    assert response.status_code == 302 and response.url == target
    note.refresh_from_db()
    assert note.read_at is not None
    page = client.get("/notifications/").text
    assert "is-unread" not in page and f'href="{target}"' in page
    assert badge(page) is None


def test_mark_one_read_with_htmx_updates_the_badge(ana, ben, login):
    post = do_create_post(ana, text="Lunch", audience="friends")
    do_reply(ben, post, text="Yes")
    do_reply(ben, post, text="And cake")
    first = Notification.objects.filter(recipient=ana).first()
    response = login(ana).post(f"/notifications/{first.pk}/read", headers=HX)
    assert response.status_code == 200 and "<html" not in response.text
    assert 'hx-swap-oob="true"' in response.text and badge(response.text) == "1"


def test_mark_all_read(ana, ben, login):
    post = do_create_post(ana, text="Lunch", audience="friends")
    for text in ("a", "b", "c"):
        do_reply(ben, post, text=text)
    client = login(ana)
    assert "Mark all read" in client.get("/notifications/").text
    response = client.post("/notifications/read-all")
    assert response.status_code == 302 and response.url == "/notifications/"
    assert not Notification.objects.filter(read_at__isnull=True).exists()
    page = client.get("/notifications/").text
    assert "Mark all read" not in page and badge(page) is None


def test_someone_elses_notification_is_not_found(ana, ben, login):
    post = do_create_post(ana, text="Lunch", audience="friends")
    do_reply(ben, post, text="Yes")
    note = Notification.objects.get(recipient=ana)
    assert login(ben).post(f"/notifications/{note.pk}/read").status_code == 404
    note.refresh_from_db()
    assert note.read_at is None


def test_empty_notifications_say_what_will_come(ana, login):
    page = login(ana).get("/notifications/").text
    assert "Nothing new." in page and "never suggestions" in page
