"""A tour of every page in a real browser, on a desktop and on a phone.

A small community is made first (outside the browser's event loop); then Ana logs in and
visits each page. On every page: no script or CSP error, no server error, every form
control has a label, and nothing is wider than a 360px phone screen. Each page is
saved as a screenshot in test-results/screenshots/ for people to look at.
"""

from __future__ import annotations

import re
from datetime import timedelta

import pytest

from tests.conftest import PASSWORD

from .conftest import DESKTOP, PHONE

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SMALLEST_PHONE = {"width": 360, "height": 740}

UNLABELLED_CONTROLS = """
() => [...document.querySelectorAll('input:not([type=hidden]), select, textarea, button')]
  .filter(el => {
    if (el.tagName === 'BUTTON') return !(el.textContent.trim() || el.getAttribute('aria-label'));
    return !(el.labels && el.labels.length) && !el.getAttribute('aria-label');
  })
  .map(el => el.outerHTML.slice(0, 120))
"""
PAGE_WIDTH = "() => document.documentElement.scrollWidth"


@pytest.fixture
def community(transactional_db):
    """Ana's world: friends, circles, posts of every audience, a long thread, requests,
    notifications, an invite and a token."""
    from django.utils import timezone

    from porch.accounts.models import Member
    from porch.accounts.services import do_create_invite, do_create_token
    from porch.graph.services import (
        do_accept_friend_request,
        do_add_to_circle,
        do_create_circle,
        do_follow,
        do_send_friend_request,
    )
    from porch.posts.models import Audience, Post
    from porch.posts.services import do_create_post, do_edit_post, do_react, do_reply

    def member(username, name, **fields):
        return Member.objects.create_user(
            username=username, password=PASSWORD, display_name=name, **fields
        )

    host = member("host", "Hal Host")
    ana = member("ana", "Ana Lima", bio="Gardener, baker, aunt of three. Sundays are for lunch.")
    ben = member("ben", "Ben Okafor")
    cy = member("cy", "Cy Tran")
    dee = member(
        "dee", "Dee Marsh", is_public_profile=True, bio="Town librarian. Posts about books."
    )
    eve = member("eve", "Eve Adair")
    fred = member("fred", "Fred Pike")
    for friend in (ben, cy, host):
        do_send_friend_request(ana, friend)
        do_accept_friend_request(friend, ana)
    do_send_friend_request(ben, cy)
    do_accept_friend_request(cy, ben)
    do_send_friend_request(eve, ana)  # waiting for Ana
    do_send_friend_request(ana, fred)  # waiting for Fred
    do_follow(ana, dee)
    family = do_create_circle(ana, "Family")
    do_add_to_circle(ana, family, ben)
    do_create_circle(ana, "Book club")

    now = timezone.now()

    def post(author, text, audience=Audience.FRIENDS, hours_ago=0, **kwargs):
        made = do_create_post(author, text=text, audience=audience, **kwargs)
        Post.objects.filter(pk=made.pk).update(created_at=now - timedelta(hours=hours_ago))
        made.refresh_from_db()
        return made

    arrivals = post(
        dee,
        "New arrivals this week: three novels and a very good book on bread.",
        Audience.PUBLIC,
        50,
    )
    post(
        host, "Welcome to our little server, everyone. Be kind, be yourselves.", Audience.PUBLIC, 30
    )
    old = post(ben, "Does anyone have a ladder I could borrow on Saturday?", hours_ago=26)
    do_reply(ana, old, text="Ours is in the shed, come by any time.")
    lunch = post(
        ana,
        "Sunday lunch at ours — bring the little ones!\n\nGrandma is making her famous apple cake.",
        Audience.CIRCLES,
        3,
        circle_ids=[family.pk],
    )
    walk = post(
        cy, "Anyone up for a walk by the river tomorrow morning? *Early*, 7am.", hours_ago=2
    )
    bench = post(ana, "Finally finished the garden bench. Photos soon, **promise**.", hours_ago=1)
    do_edit_post(ana, bench, text="Finally finished the garden bench. Photos soon, **promise** 🪑")
    do_react(ben, bench, "heart")
    do_react(cy, bench, "thumbs_up")
    do_react(host, bench, "heart")
    post(ana, "Note to self: buy seeds.", Audience.ONLY_ME, hours_ago=0)

    # A long conversation under the lunch post, deep enough to reach the indent cap.
    parent, first_reply = lunch, None
    voices = [
        (ben, "We'll be there! I'll bring lemonade."),
        (ana, "Perfect — the kids love your lemonade."),
        (ben, "Should I bring the big jug or two small ones?"),
        (ana, "Big jug, it's going to be warm."),
        (ben, "Big jug it is. See you at noon."),
        (ana, "Noon. Don't be late, the cake won't wait 🍰"),
    ]
    for author, text in voices:
        parent = do_reply(author, parent, text=text)
        first_reply = first_reply or parent
    do_reply(ana, lunch, text="Also: parking is easier on the side street.")

    # Mentions and replies for Ana's notifications.
    do_reply(cy, bench, text="Looks great @ana, can I try it out?")

    # Reports waiting for the host, who moderates.
    from porch.moderation.services import do_grant_moderator, do_report

    do_grant_moderator(host)
    snark = do_reply(eve, post(dee, "Library closed Monday.", Audience.PUBLIC, 4), text="Typical.")
    report = do_report(dee, post_id=snark.pk, reason="harassment", note="Eve does this a lot")
    do_report(ana, post_id=snark.pk, reason="harassment")
    do_report(ana, username="fred", reason="spam", note="Sends the same link to everyone")

    # A community note shown under Dee's post, one waiting, and a stranger's reply that
    # low trust folds.
    from porch.notes.models import Note, NoteStatus
    from porch.notes.services import do_propose_note
    from porch.trust.services import compute_trust

    shown = do_propose_note(
        cy,
        arrivals.pk,
        text="The bread book is the 2nd edition; the 1st (2012) had the wrong oven times.",
        source_url="https://publisher.example/bread-2nd-edition",
    )
    Note.objects.filter(pk=shown.pk).update(status=NoteStatus.HELPFUL, intercept=0.52)
    do_propose_note(
        ben,
        arrivals.pk,
        text="Two of the novels are large-print editions.",
        source_url="https://library.example/catalogue",
    )
    zed = member("zed", "Zed Quill")
    do_reply(zed, arrivals, text="Cheap e-books at my site!!! Click now")
    do_reply(cy, arrivals, text="Saving the bread one for me, please!")
    compute_trust()

    invite = do_create_invite(ana, max_uses=5, days=14)
    do_create_token(ana, "Phone app")
    return {
        "invite": invite.code,
        "lunch": lunch.pk,
        "first_reply": first_reply.pk,
        "bench": bench.pk,
        "family": family.pk,
        "walk": walk.pk,
        "arrivals": arrivals.pk,
        "report": report.pk,
    }


def check_page(person, name: str, *, phone: bool = False):
    """The page has no unlabelled control, fits a small phone, and is saved as a picture."""
    unlabelled = person.page.evaluate(UNLABELLED_CONTROLS)
    assert unlabelled == [], f"{name}: controls without a label: {unlabelled}"
    if phone:
        width = person.page.evaluate(PAGE_WIDTH)
        assert width <= person.page.viewport_size["width"], f"{name}: {width}px wide on a phone"
    person.shot(f"{name}-{'phone' if phone else 'desktop'}")


def log_in(person, username: str):
    from playwright.sync_api import expect

    person.go("/login/")
    person.page.get_by_label("Username").fill(username)
    person.page.get_by_label("Password").fill(PASSWORD)
    person.page.get_by_role("button", name="Log in").click()
    person.page.wait_for_url(re.compile(r"/$"))
    expect(person.page.locator(".site-nav")).to_be_visible()


def test_every_page_on_desktop_and_phone(community, people):
    from playwright.sync_api import expect

    invite_code = community["invite"]
    lunch, bench, family = community["lunch"], community["bench"], community["family"]
    pages = [
        ("home", "/"),
        ("thread-long", f"/posts/{lunch}/"),
        ("thread-inline-reply", f"/posts/{lunch}/?reply_to={community['first_reply']}#reply-form"),
        ("profile-own", "/@ana/"),
        ("profile-friend", "/@ben/"),
        ("profile-public", "/@dee/"),
        ("profile-request", "/@eve/"),
        ("friends", "/friends/"),
        ("circles", "/circles/"),
        ("circle", f"/circles/{family}/"),
        ("notifications", "/notifications/"),
        ("settings-profile", "/settings/"),
        ("settings-password", "/settings/password"),
        ("settings-invites", "/settings/invites"),
        ("settings-tokens", "/settings/tokens"),
        ("settings-reports", "/settings/reports"),
        ("report-post", f"/posts/{community['walk']}/report"),
        ("report-member", "/@ben/report"),
        ("thread-notes", f"/posts/{community['arrivals']}/"),
        ("notes-to-rate", "/notes/"),
        ("post-edit", f"/posts/{bench}/edit"),
        ("post-delete", f"/posts/{bench}/delete"),
        ("post-history", f"/posts/{bench}/history"),
        ("post-reactions", f"/posts/{bench}/reactions"),
        ("not-found", "/posts/999999/"),
    ]
    for viewport, phone in ((DESKTOP, False), (PHONE, True), (SMALLEST_PHONE, True)):
        guest = people(viewport=viewport)
        suffix = "" if viewport is not SMALLEST_PHONE else "-360"
        for name, path in (
            ("signup-invite", f"/invite/{invite_code}/"),
            ("signup-no-invite", "/signup/"),
            ("login", "/login/"),
        ):
            guest.go(path)
            check_page(guest, name + suffix, phone=phone)
        ana = people(viewport=viewport)
        log_in(ana, "ana")
        for name, path in pages:
            response = ana.go(path)
            assert response.status == (404 if name == "not-found" else 200), (name, response.status)
            check_page(ana, name + suffix, phone=phone)
        # The compose box with its circle picker open and an error (too long is refused by
        # the browser; an empty circle choice is refused by the server).
        ana.go("/")
        ana.page.get_by_label("Write a post").fill("Just for the family")
        ana.page.locator("input[data-circles-radio]").check(force=True)
        ana.page.get_by_role("button", name="Post", exact=True).click()
        expect(ana.page.get_by_text("Choose at least one circle.")).to_be_visible()
        check_page(ana, "compose-error" + suffix, phone=phone)
        # A reaction menu open.
        ana.go(f"/posts/{bench}/")
        ana.page.locator(".post .react-picker summary").first.click()
        expect(ana.page.locator(".post .react-menu").first).to_be_visible()
        check_page(ana, "reaction-menu" + suffix, phone=phone)
        # Replies from low-trust strangers, folded, then opened.
        ana.go(f"/posts/{community['arrivals']}/")
        expect(ana.page.get_by_text("Cheap e-books")).not_to_be_visible()
        ana.page.get_by_text("1 reply from people you don't know — show").click()
        expect(ana.page.get_by_text("Cheap e-books")).to_be_visible()
        check_page(ana, "thread-folded-open" + suffix, phone=phone)
        # A new token, shown once.
        ana.go("/settings/tokens")
        ana.page.get_by_label("Token name").fill(f"Script {viewport['width']}")
        ana.page.get_by_role("button", name="Create token").click()
        expect(ana.page.get_by_text("it is shown only this once")).to_be_visible()
        check_page(ana, "settings-token-created" + suffix, phone=phone)
        for person in (guest, ana):
            errors = person.unexpected_errors()
            assert errors == [], errors


def test_moderation_pages(community, people):
    from playwright.sync_api import expect

    pages = [
        ("moderation-queue", "/moderation/"),
        ("moderation-case", f"/moderation/reports/{community['report']}/"),
        ("moderation-member", "/moderation/@eve/"),
    ]
    for viewport, phone in ((PHONE, True), (DESKTOP, False)):
        host = people(viewport=viewport)
        log_in(host, "host")
        for name, path in pages:
            assert host.go(path).status == 200, name
            check_page(host, name, phone=phone)
        assert host.unexpected_errors() == []
    # On the desktop, decide the case: it leaves the queue, enters the log, Eve is told.
    host.go(f"/moderation/reports/{community['report']}/")
    host.page.get_by_label("Warn the member").check()
    host.page.get_by_label("Why (the member and the reporters are told this)").fill(
        "Keep it kind, please."
    )
    host.page.get_by_role("button", name="Decide").click()
    expect(host.page.get_by_text("Done: you warned the member.")).to_be_visible()
    host.go("/moderation/log")
    expect(host.page.get_by_text("Keep it kind, please.").first).to_be_visible()
    check_page(host, "moderation-log")
    eve = people(viewport=DESKTOP)
    log_in(eve, "eve")
    eve.go("/notifications/")
    expect(eve.page.get_by_text("(moderator) warned you")).to_be_visible()
    check_page(eve, "moderation-notice")
    assert host.unexpected_errors() == [] and eve.unexpected_errors() == []


def test_dark_mode_follows_the_system(community, people):
    for viewport, name in ((DESKTOP, "desktop"), (PHONE, "phone")):
        ana = people(viewport=viewport, dark=True)
        log_in(ana, "ana")
        background = ana.page.evaluate("getComputedStyle(document.body).backgroundColor")
        assert background == "rgb(27, 24, 21)"
        ana.shot(f"dark-home-{name}")
        ana.go(f"/posts/{community['lunch']}/")
        ana.shot(f"dark-thread-{name}")
        assert ana.unexpected_errors() == []
