"""The same pages with JavaScript off (everything still works through plain forms) and on
(htmx answers in place: older posts, reactions, inline replies, marking read)."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest

from tests.conftest import PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def friends(transactional_db):
    """Ana and Ben, friends; Ben wrote 25 posts and one reply to Ana's post."""
    from django.utils import timezone

    from porch.accounts.models import Member
    from porch.graph.services import do_accept_friend_request, do_send_friend_request
    from porch.posts.models import Post
    from porch.posts.services import do_create_post, do_reply

    ana = Member.objects.create_user(username="ana", password=PASSWORD, display_name="Ana Lima")
    ben = Member.objects.create_user(username="ben", password=PASSWORD, display_name="Ben Okafor")
    do_send_friend_request(ana, ben)
    do_accept_friend_request(ben, ana)
    now = timezone.now()
    for i in range(25):
        post = do_create_post(ben, text=f"Ben's note number {i:02}", audience="friends")
        Post.objects.filter(pk=post.pk).update(created_at=now - timedelta(hours=30 - i))
    lunch = do_create_post(ana, text="Lunch on Sunday?", audience="friends")
    reply = do_reply(ben, lunch, text="Yes, at noon")
    return {"lunch": lunch.pk, "reply": reply.pk}


def log_in(person, username):
    person.go("/login/")
    person.page.get_by_label("Username").fill(username)
    person.page.get_by_label("Password").fill(PASSWORD)
    person.page.get_by_role("button", name="Log in").click()
    person.page.wait_for_url(re.compile(r"/$"))


def test_everything_works_without_javascript(friends, people):
    from playwright.sync_api import expect

    ana = people(javascript=False)
    log_in(ana, "ana")
    # Post to friends with the plain form.
    ana.page.get_by_label("Write a post").fill("Written without JavaScript")
    ana.page.get_by_role("button", name="Post", exact=True).click()
    expect(ana.page.locator(".post").first).to_contain_text("Written without JavaScript")
    # React: the <details> menu opens without script, the button posts and comes back.
    card = ana.page.locator(".post", has_text="Ben's note number 24")
    card.locator(".react-picker summary").click()
    card.get_by_role("button", name="React with “thanks”").click()
    card = ana.page.locator(".post", has_text="Ben's note number 24")
    expect(card.locator(".react-picker summary")).to_contain_text("Thanks")
    # Older posts is a plain link to the next page.
    ana.page.get_by_role("link", name="Older posts").click()
    expect(ana.page).to_have_url(re.compile(r"\?cursor="))
    expect(ana.page.get_by_text("Ben's note number 00")).to_be_visible()
    # Reply inline: the Reply link opens the form at the reply, by address.
    ana.go(f"/posts/{friends['lunch']}/")
    ana.page.locator(".reply", has_text="Yes, at noon").get_by_role("link", name="Reply").click()
    expect(ana.page).to_have_url(re.compile(rf"reply_to={friends['reply']}#reply-form"))
    ana.page.get_by_label("Reply to Ben Okafor").fill("Noon it is")
    ana.page.locator("#reply-form").get_by_role("button", name="Reply").click()
    expect(ana.page.locator(".reply.indent-1")).to_contain_text("Noon it is")
    # Notifications: opening one marks it read and goes to the reply.
    ana.go("/notifications/")
    ana.page.locator(".notification", has_text="replied to you").locator(
        "button.notification-link"
    ).click()
    expect(ana.page).to_have_url(re.compile(rf"/posts/{friends['lunch']}/#post-{friends['reply']}"))
    expect(ana.page.locator("#unread-badge")).to_have_text(re.compile("^1"))  # of two
    ana.go("/notifications/")
    ana.page.get_by_role("button", name="Mark all read").click()
    expect(ana.page.locator("#unread-badge")).to_be_hidden()
    # Log out is a form too.
    ana.page.get_by_role("button", name="Log out").click()
    expect(ana.page).to_have_url(re.compile("/login/"))
    assert ana.unexpected_errors() == []


def test_htmx_answers_in_place(friends, people):
    from playwright.sync_api import expect

    ana = people()
    log_in(ana, "ana")
    expect(ana.page.locator(".post")).to_have_count(20)
    ana.page.get_by_role("link", name="Older posts").click()
    expect(ana.page.locator(".post")).to_have_count(26)  # appended, no new page
    expect(ana.page).not_to_have_url(re.compile(r"cursor="))
    expect(ana.page.get_by_text("That's everything. You're all caught up.")).to_be_visible()

    # Inline reply opens in place, Cancel closes it, a second one replaces the first.
    ana.go(f"/posts/{friends['lunch']}/")
    reply_item = ana.page.locator(".reply", has_text="Yes, at noon")
    reply_item.get_by_role("link", name="Reply").click()
    expect(ana.page.locator("#reply-form")).to_be_visible()
    expect(ana.page.get_by_label("Reply to Ben Okafor")).to_be_focused()
    expect(ana.page).to_have_url(re.compile(rf"/posts/{friends['lunch']}/$"))
    ana.page.get_by_role("link", name="Cancel").click()
    expect(ana.page.locator("#reply-form")).to_have_count(0)
    reply_item.get_by_role("link", name="Reply").click()
    ana.page.get_by_label("Reply to Ben Okafor").fill("")
    ana.page.locator("#reply-form").get_by_role("button", name="Reply").click()
    expect(ana.page.locator("#reply-form")).to_be_visible()  # the browser refuses it empty
    ana.page.get_by_label("Reply to Ben Okafor").fill("See you then")
    ana.page.locator("#reply-form").get_by_role("button", name="Reply").click()
    expect(ana.page.locator(".reply.is-new")).to_contain_text("See you then")
    expect(ana.page.get_by_role("heading", name="2 replies")).to_be_visible()

    # Marking a notification read updates the item and the badge in place.
    ana.go("/notifications/")
    expect(ana.page.locator("#unread-badge")).to_have_text(re.compile("^2"))
    ana.page.get_by_role("button", name=re.compile("Mark read")).first.click()
    expect(ana.page.locator(".notification.is-unread")).to_have_count(1)
    expect(ana.page.locator("#unread-badge")).to_have_text(re.compile("^1"))
    ana.page.get_by_role("button", name=re.compile("Mark read")).click()
    expect(ana.page.locator(".notification.is-unread")).to_have_count(0)
    expect(ana.page.locator("#unread-badge")).to_be_hidden()
    assert ana.unexpected_errors() == []
