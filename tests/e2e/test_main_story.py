"""The main story, in a real browser: invites, friendship, a circle, a private post, a reply.

A host has an invite. Ana, Ben and Cy join through it. Ana and Ben become friends from
Ben's profile; Cy and Ana become friends too. Ana makes a circle "Family" with Ben and
posts to it. Ben sees it and replies; Ana answers his reply inline. Cy, Ana's friend but
not in Family, sees neither the post in his feed nor at its address (404).
"""

from __future__ import annotations

import re

import pytest

from tests.conftest import PASSWORD

from .conftest import PHONE

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

FAMILY_POST = (
    "Sunday lunch at ours — bring the little ones! Grandma is making her famous apple cake."
)
FRIENDS_POST = "Finally finished the garden bench. Photos soon, **promise**."


@pytest.fixture
def invite_code(transactional_db):
    """The host and an invite, made before any browser starts (outside its event loop)."""
    from porch.accounts.models import Member
    from porch.accounts.services import do_create_invite

    host = Member.objects.create_user(
        username="host", password=PASSWORD, display_name="Hosting Hal"
    )
    return do_create_invite(host, max_uses=10, days=7).code


def sign_up(person, path: str, username: str, name: str):
    from playwright.sync_api import expect

    person.go(path)
    expect(person.page.get_by_text("invited you")).to_be_visible()
    person.page.get_by_label("Username").fill(username)
    person.page.get_by_label("Your name").fill(name)
    person.page.get_by_label("Password", exact=True).fill(PASSWORD)
    person.page.get_by_label("Password again").fill(PASSWORD)
    person.page.get_by_role("button", name="Create my account").click()
    person.page.wait_for_url(re.compile(r"/$"))
    expect(person.page.get_by_text(f"Welcome, {name}!")).to_be_visible()


def test_main_story(invite_code, people):
    from playwright.sync_api import expect

    ana, ben, cy = people(), people(), people()

    # Three people join through the host's invite link, two ways of spelling it.
    sign_up(ana, f"/invite/{invite_code}/", "ana", "Ana Lima")
    sign_up(ben, f"/signup/?invite={invite_code}", "ben", "Ben Okafor")
    sign_up(cy, f"/invite/{invite_code}/", "cy", "Cy Tran")
    expect(ana.page.get_by_text("No posts yet — write something, or add friends.")).to_be_visible()

    # Ana asks Ben from his profile; Ben accepts on his friends page.
    ana.go("/@ben/")
    ana.page.get_by_role("button", name="Add friend").click()
    expect(ana.page.get_by_text("Friend request sent to Ben Okafor.")).to_be_visible()
    expect(ana.page.get_by_role("button", name="Cancel request")).to_be_visible()
    ben.go("/")
    expect(ben.page.locator(".site-nav .badge").first).to_have_text(re.compile("1"))
    ben.go("/friends/")
    requests = ben.page.locator("section", has_text="Asking to be your friend")
    expect(requests.get_by_text("Ana Lima")).to_be_visible()
    requests.get_by_role("button", name="Accept").click()
    expect(ben.page.get_by_text("You and Ana Lima are now friends.")).to_be_visible()

    # Cy and Ana become friends too (Cy asks, Ana accepts from Cy's profile).
    cy.go("/@ana/")
    cy.page.get_by_role("button", name="Add friend").click()
    ana.go("/@cy/")
    ana.page.get_by_role("button", name="Accept").click()
    expect(ana.page.get_by_text("You and Cy Tran are now friends.")).to_be_visible()

    # Ana makes the Family circle and puts Ben in it.
    ana.go("/circles/")
    ana.page.get_by_label("Name").fill("Family")
    ana.page.get_by_role("button", name="Create").click()
    expect(ana.page.get_by_role("heading", name="Family")).to_be_visible()
    ana.page.get_by_label("Add a friend").select_option("ben")
    ana.page.get_by_role("button", name="Add", exact=True).click()
    members = ana.page.locator("section", has_text="In this circle").locator(".people")
    expect(members.get_by_role("link", name=re.compile("Ben Okafor"))).to_be_visible()
    expect(members.get_by_text("Cy Tran")).to_have_count(0)

    # Ana posts once to her friends and once to Family (ticking the circle picks "Circles").
    ana.go("/")
    ana.page.get_by_label("Write a post").fill(FRIENDS_POST)
    ana.page.get_by_role("button", name="Post", exact=True).click()
    expect(ana.page.locator(".post").first).to_contain_text("Finally finished the garden bench")
    ana.page.get_by_label("Write a post").fill(FAMILY_POST)
    ana.page.locator(".pill", has_text="Family").click()
    expect(ana.page.locator("input[data-circles-radio]")).to_be_checked()
    ana.page.get_by_role("button", name="Post", exact=True).click()
    family_card = ana.page.locator(".post").first
    expect(family_card).to_contain_text("Sunday lunch at ours")
    expect(family_card.locator(".audience")).to_have_text("Family")
    family_url = family_card.locator("a.when").get_attribute("href")
    assert re.fullmatch(r"/posts/\d+/", family_url)

    # Ben sees it in his feed, reacts, and replies on the thread page (htmx, no reload).
    ben.go("/")
    ben_card = ben.page.locator(".post", has_text="Sunday lunch at ours")
    expect(ben_card).to_be_visible()
    expect(ben_card.locator(".audience")).to_have_text("A circle")
    ben_card.locator(".react-picker summary").click()
    ben_card.get_by_role("button", name="React with “love”").click()
    expect(ben_card.locator(".react-picker summary")).to_contain_text("Love")
    expect(ben_card.locator(".counts")).to_have_count(0)  # only the author sees counts
    ben_card.get_by_role("link", name="Reply").click()
    ben.page.wait_for_url(re.compile(family_url))
    ben.page.get_by_label("Add a reply").fill("We'll be there! I'll bring lemonade.")
    ben.page.get_by_role("button", name="Reply", exact=True).click()
    thread = ben.page.locator("#thread")
    expect(thread.locator(".reply")).to_have_count(1)
    expect(thread).to_contain_text("I'll bring lemonade.")
    expect(thread.get_by_role("heading", name="1 reply")).to_be_visible()

    # Ana answers Ben's reply inline; her answer nests under his.
    ana.go(family_url)
    expect(ana.page.locator(".post .counts")).to_contain_text("1")
    ana.page.locator(".reply", has_text="lemonade").get_by_role("link", name="Reply").click()
    inline = ana.page.locator("#reply-form")
    expect(inline).to_be_visible()
    inline.get_by_label("Reply to Ben Okafor").fill("Perfect, the kids love your lemonade.")
    inline.get_by_role("button", name="Reply", exact=True).click()
    expect(ana.page.locator("#thread .reply")).to_have_count(2)
    expect(ana.page.locator("#thread .reply.indent-1")).to_contain_text("kids love your lemonade")

    # Ben's screenshots: the feed and the thread, on a desktop and on a phone.
    ben.go("/")
    expect(ben.page.locator(".post").first).to_be_visible()
    ben.shot("feed-desktop")
    ben.go(family_url)
    expect(ben.page.locator("#thread .reply")).to_have_count(2)
    ben.shot("thread-desktop")
    phone = people(viewport=PHONE)
    phone.context.add_cookies(ben.context.cookies())
    phone.go("/")
    expect(phone.page.locator(".post", has_text="Sunday lunch")).to_be_visible()
    phone.shot("feed-phone")
    phone.go(family_url)
    expect(phone.page.locator("#thread .reply")).to_have_count(2)
    phone.shot("thread-phone")

    # Cy is Ana's friend but not in Family: the friends post yes, the Family post never.
    cy.go("/")
    expect(cy.page.locator(".post", has_text="garden bench")).to_be_visible()
    expect(cy.page.get_by_text("Sunday lunch at ours")).to_have_count(0)
    response = cy.go(family_url)
    assert response.status == 404
    expect(cy.page.get_by_role("heading", name="We can't find that")).to_be_visible()
    expect(cy.page.get_by_text("Sunday lunch at ours")).to_have_count(0)
    cy.go("/@ana/")
    expect(cy.page.get_by_text("garden bench")).to_be_visible()
    expect(cy.page.get_by_text("Sunday lunch at ours")).to_have_count(0)

    for person in (ana, ben, cy, phone):
        page_errors = person.unexpected_errors()
        assert page_errors == [], page_errors
