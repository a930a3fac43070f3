"""Reporting from the pages, and the moderators' queue, case page, member page and log."""

from __future__ import annotations

import pytest
from django.test import Client

from porch.moderation.models import ModerationAction, Report
from porch.moderation.services import do_grant_moderator
from porch.posts.models import Audience
from porch.posts.services import do_create_post, do_reply
from tests.conftest import PASSWORD


@pytest.fixture
def mod(make_member):
    member = make_member("mo", display_name="Mo Reyes")
    do_grant_moderator(member)
    return member


def test_report_a_reply_then_a_moderator_removes_it(ana, ben, mod, login):
    root = do_create_post(ana, text="Our new puppy", audience=Audience.PUBLIC)
    reply = do_reply(ben, root, text="Ugly dog, ugly owner", confirmed=True)
    do_reply(ana, reply, text="That's unkind")
    as_ana = login(ana)
    thread = as_ana.get(f"/posts/{root.pk}/")
    assert f"/posts/{reply.pk}/report" in thread.text  # in the reply's ⋯ menu

    form = as_ana.get(f"/posts/{reply.pk}/report")
    assert "Report this reply by Ben Okafor" in form.text and "Ugly dog" in form.text
    sent = as_ana.post(
        f"/posts/{reply.pk}/report",
        {"reason": "harassment", "note": "He keeps doing this"},
        follow=True,
    )
    assert sent.redirect_chain[-1][0] == f"/posts/{root.pk}/#post-{reply.pk}"
    assert "The moderators will look at it" in sent.text
    assert "Waiting for a moderator" in as_ana.get("/settings/reports").text

    as_mod = login(mod)
    home = as_mod.get("/")
    assert 'href="/moderation/"' in home.text
    assert '<span class="badge">1<span class="visually-hidden"> open case</span>' in home.text
    assert 'href="/moderation/"' not in as_ana.get("/").text
    queue = as_mod.get("/moderation/")
    assert "Bullying or harassment" in queue.text and "Ugly dog" in queue.text
    report = Report.objects.get()
    page = as_mod.get(f"/moderation/reports/{report.pk}/")
    assert "Our new puppy" in page.text  # the thread's first post, for context
    assert "He keeps doing this" in page.text and "Ana Lima" in page.text

    missing_reason = as_mod.post(f"/moderation/reports/{report.pk}/", {"kind": "remove"})
    assert missing_reason.status_code == 400 and "This field is required" in missing_reason.text
    done = as_mod.post(
        f"/moderation/reports/{report.pk}/",
        {"kind": "remove", "reason": "Insults are not allowed here."},
        follow=True,
    )
    assert "Done: you removed the post" in done.text and "No open reports" in done.text
    after = as_ana.get(f"/posts/{root.pk}/").text
    assert "Ugly dog" not in after and "That's unkind" in after
    assert "This post was removed by the moderators." in after  # answered: a marker stays

    told = login(ben).get("/notifications/")
    assert "Mo Reyes</strong> (moderator) removed your post" in told.text
    notice = told.text.split("(moderator) removed your post")[1].split("</li>")[0]
    assert "Insults are not allowed here." in notice and "Ana" not in notice
    outcome = as_ana.get("/notifications/")
    assert "looked at what you reported and removed the post" in outcome.text
    log = as_mod.get("/moderation/log")
    assert "Mo Reyes</strong> removed the post" in log.text and "Ugly dog, ugly owner" in log.text


def test_report_a_member_from_the_profile(ana, ben, login):
    client = login(ana)
    assert "/@ben/report" in client.get("/@ben/").text
    refused = client.post("/@ben/report", {"reason": "nonsense"})
    assert refused.status_code == 400 and "Select a valid choice" in refused.text
    assert client.post("/@ben/report", {"reason": "impersonation"}).status_code == 302
    again = client.post("/@ben/report", {"reason": "spam"})
    assert again.status_code == 400 and "You reported this already" in again.text
    assert client.get("/@ana/report").status_code == 200  # the form; sending it is refused
    assert "cannot report yourself" in client.post("/@ana/report", {"reason": "spam"}).text
    assert Report.objects.count() == 1


def test_members_cannot_open_the_moderation_pages(ana, ben, login, client):
    report = Report.objects.create(reporter=ana, member=ben, reason="spam")
    as_ben = login(ben)
    for url in (
        "/moderation/",
        f"/moderation/reports/{report.pk}/",
        "/moderation/log",
        "/moderation/@ana/",
    ):
        assert as_ben.get(url).status_code == 404
        assert client.get(url).status_code == 302  # to the log-in page


def test_suspend_from_the_member_page_then_lift_it(ana, ben, mod, login):
    as_ben_before = login(ben)
    assert as_ben_before.get("/").status_code == 200
    as_mod = login(mod)
    page = as_mod.get("/moderation/@ben/")
    assert "In good standing" in page.text and "Lift the suspension" not in page.text
    as_mod.post("/moderation/@ben/", {"kind": "suspend", "reason": "Threats by message."})
    ben.refresh_from_db()
    assert not ben.is_active
    assert "Suspended" in as_mod.get("/moderation/@ben/").text
    assert login(ana).get("/@ben/").status_code == 404

    # Ben's session ends, and the log-in page tells him why (only with his password).
    assert as_ben_before.get("/").status_code == 302
    refused = Client().post("/login/", {"username": "ben", "password": PASSWORD})
    assert "suspended this account" in refused.text and "Threats by message." in refused.text
    wrong = Client().post("/login/", {"username": "ben", "password": "not it at all"})
    assert "suspended" not in wrong.text

    as_mod.post("/moderation/@ben/", {"kind": "unsuspend", "reason": "Apologised."})
    ben.refresh_from_db()
    assert ben.is_active
    assert [a.kind for a in ModerationAction.objects.all()] == ["unsuspend", "suspend"]
    found = as_mod.get("/moderation/log", {"username": "@BEN"}, follow=True)
    assert found.redirect_chain[-1][0] == "/moderation/@ben/"


def test_reports_are_rate_limited(ana, ben, make_member, login, settings):
    from porch import limits

    settings.DEBUG = False
    client = login(ana)
    others = [make_member(f"someone{i}") for i in range(3)]
    rule = limits.RULES["report"]
    limits.RULES["report"] = limits.Rule("2/h", rule.by, rule.message)
    try:
        for person in others[:2]:
            assert client.post(f"/@{person.username}/report", {"reason": "spam"}).status_code == 302
        refused = client.post(f"/@{others[2].username}/report", {"reason": "spam"})
    finally:
        limits.RULES["report"] = rule
    assert refused.status_code == 429 and int(refused["Retry-After"]) > 0
    assert "a lot of reports" in refused.text
