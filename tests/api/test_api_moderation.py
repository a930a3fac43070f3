"""Reports and moderation through the API."""

from __future__ import annotations

import pytest

from porch.moderation.services import do_grant_moderator
from porch.posts.models import Audience
from porch.posts.services import do_create_post, do_reply

from .client import assert_error


@pytest.fixture
def mod(make_member):
    member = make_member("mo")
    do_grant_moderator(member)
    return member


def test_report_decide_and_hear_the_outcome(ana, ben, mod, api_as):
    root = do_create_post(ana, text="Holiday photos soon", audience=Audience.FRIENDS)
    reply = do_reply(ben, root, text="Nobody wants to see them", confirmed=True)
    as_ana, as_ben, as_mod = api_as(ana), api_as(ben), api_as(mod)

    made = as_ana.post(f"/posts/{reply.pk}/report", {"reason": "harassment", "note": "mean"})
    assert made.status_code == 201, made.text
    report = made.json()
    assert report["member"]["username"] == "ben" and report["post_id"] == reply.pk
    assert report["outcome"] is None
    assert_error(as_ana.post(f"/posts/{reply.pk}/report", {"reason": "hate"}), 409)
    assert_error(as_ana.post(f"/posts/{reply.pk}/report", {"reason": "rude"}), 400)
    assert_error(as_ana.post("/posts/999999/report", {"reason": "spam"}), 404)

    assert_error(as_ben.get("/moderation/cases"), 404)  # not a moderator
    [case] = as_mod.get("/moderation/cases").json()
    assert case["post"]["text"] == "Nobody wants to see them"  # moderators see the words
    assert case["thread_root"]["text"] == "Holiday photos soon"
    assert [r["reporter"]["username"] for r in case["reports"]] == ["ana"]
    assert as_mod.get(f"/moderation/cases/{case['id']}").json()["id"] == case["id"]

    bad = as_mod.post(f"/moderation/cases/{case['id']}/decision", {"kind": "ban", "reason": "x"})
    assert "Choose one of" in assert_error(bad, 400)["detail"]
    decided = as_mod.post(
        f"/moderation/cases/{case['id']}/decision", {"kind": "warn", "reason": "Be kind."}
    )
    assert decided.status_code == 201, decided.text
    assert decided.json()["kind"] == "warn" and decided.json()["moderator"]["username"] == "mo"
    assert as_mod.get("/moderation/cases").json() == []

    notice = as_ben.get("/notifications").json()["items"][0]
    assert notice["kind"] == "moderation" and notice["message"] == "Mo (moderator) warned you"
    assert notice["reason"] == "Be kind."
    outcome = as_ana.get("/notifications").json()["items"][0]
    assert outcome["kind"] == "report_outcome"
    assert as_ana.get("/reports").json()[0]["outcome"] == "warn"

    log = as_mod.get("/moderation/log").json()
    assert [a["kind"] for a in log["items"]] == ["warn"] and log["next_cursor"] is None
    assert_error(as_ana.get("/moderation/log"), 404)


def test_moderators_act_on_members_directly(ana, ben, mod, api_as):
    as_mod = api_as(mod)
    limited = as_mod.post("/moderation/members/ben/decision", {"kind": "limit", "reason": "Spam"})
    assert limited.status_code == 201
    again = as_mod.post("/moderation/members/ben/decision", {"kind": "limit", "reason": "Spam"})
    assert "already" in assert_error(again, 409)["detail"]
    me = as_mod.post("/moderation/members/mo/decision", {"kind": "warn", "reason": "me"})
    assert_error(me, 403)
    missing = as_mod.post("/moderation/members/nobody/decision", {"kind": "warn", "reason": "x"})
    assert_error(missing, 404)
    no_reason = as_mod.post("/moderation/members/ben/decision", {"kind": "warn", "reason": ""})
    assert_error(no_reason, 400)
    suspended = as_mod.post(
        "/moderation/members/ben/decision", {"kind": "suspend", "reason": "Threats"}
    )
    assert suspended.status_code == 201
    assert_error(api_as(ana).get("/members/ben"), 404)


def test_report_a_member(ana, ben, api_as):
    as_ana = api_as(ana)
    assert as_ana.post("/members/ben/report", {"reason": "impersonation"}).status_code == 201
    assert_error(as_ana.post("/members/ana/report", {"reason": "spam"}), 400)
    assert_error(as_ana.post("/members/nobody/report", {"reason": "spam"}), 404)
    long_note = as_ana.post("/members/ben/report", {"reason": "spam", "note": "x" * 1001})
    assert_error(long_note, 400)
