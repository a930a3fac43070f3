"""Blocking and muting from a profile, and Settings → Blocked and muted."""

from __future__ import annotations

from porch.graph.models import Block, Mute
from porch.posts.models import Audience
from porch.posts.services import do_create_post


def test_mute_and_block_from_the_profile_then_undo_in_settings(ana, ben, login):
    do_create_post(ben, text="Ben's garden", audience=Audience.FRIENDS)
    client = login(ana)
    profile = client.get("/@ben/")
    assert "Mute, block or report" in profile.text and "They are not told" in profile.text

    muted = client.post("/@ben/safety", {"action": "mute"}, follow=True)
    assert "You muted Ben" in muted.text
    assert Mute.objects.filter(muter=ana, muted=ben).exists()
    assert "Ben's garden" not in client.get("/").text
    assert "Unmute Ben" in client.get("/@ben/").text

    blocked = client.post("/@ben/safety", {"action": "block"}, follow=True)
    assert blocked.redirect_chain[-1][0] == "/settings/blocks"
    assert "You blocked Ben" in blocked.text and "Unblock" in blocked.text
    assert Block.objects.filter(blocker=ana, blocked=ben).exists()
    assert client.get("/@ben/").status_code == 404
    assert login(ben).get("/@ana/").status_code == 404

    unblocked = client.post("/@ben/safety", {"action": "unblock"}, follow=True)
    assert "You unblocked Ben" in unblocked.text
    assert "You have not blocked anyone" in unblocked.text
    assert client.get("/@ben/").status_code == 200


def test_a_wrong_safety_action_is_a_clear_error(ana, ben, login):
    client = login(ana)
    answer = client.post("/@ben/safety", {"action": "ban"})
    assert answer.status_code == 400
    assert "Choose one of: block, unblock, mute, unmute." in answer.text
    refused = client.post("/@ana/safety", {"action": "block"}, follow=True)
    assert refused.status_code == 200 and "You cannot block yourself" in refused.text
    assert not Block.objects.exists()
    assert client.get("/@ben/safety").status_code == 405
