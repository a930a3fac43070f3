"""Reports, the moderation queue, moderators' decisions and the audit log."""

from __future__ import annotations

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from porch.errors import Conflict, InvalidInput, NotAllowed, NotFound
from porch.graph.services import do_block
from porch.moderation.models import AuditLogIsAppendOnly, ModerationAction, Report
from porch.moderation.services import (
    case,
    do_act_on_member,
    do_grant_moderator,
    do_report,
    do_resolve_case,
    is_moderator,
    moderation_log,
    open_case_count,
    open_cases,
    reports_by,
    suspension_for_login,
)
from porch.notifications.models import NotificationKind
from porch.notifications.services import list_notifications
from porch.posts.models import Audience, Post
from porch.posts.services import (
    access_post,
    do_create_post,
    do_delete_post,
    do_hide_reply,
    do_reply,
    posts_by,
    thread,
    with_reply_counts,
)
from porch.posts.visibility import can_see
from tests.conftest import PASSWORD


def moderation_notices(member):
    return [n for n in list_notifications(member).items if n.action_id]


@pytest.fixture
def ana(make_member):
    return make_member("ana")


@pytest.fixture
def ben(make_member, ana, befriend):
    ben = make_member("ben")
    befriend(ana, ben)
    return ben


@pytest.fixture
def cy(make_member, ana, befriend):
    """Ana's friend, not Ben's."""
    cy = make_member("cy")
    befriend(ana, cy)
    return cy


@pytest.fixture
def mod(make_member):
    member = make_member("mo")
    do_grant_moderator(member)
    return type(member).objects.get(pk=member.pk)  # fresh permission cache


def test_reports_on_the_same_thing_make_one_case_oldest_first(ana, ben, cy, mod):
    post = do_create_post(ben, text="Ben's rant", audience=Audience.FRIENDS_OF_FRIENDS)
    first = do_report(ana, post_id=post.pk, reason="harassment", note="He means me")
    do_report(cy, post_id=post.pk, reason="harassment")
    do_report(ana, username="cy", reason="spam")
    assert open_case_count() == 2
    cases = open_cases(mod)
    assert [(c.member.username, c.post and c.post.pk) for c in cases] == [
        ("ben", post.pk),
        ("cy", None),
    ]
    assert cases[0].id == first.pk and cases[0].reasons == ["Bullying or harassment \u00d72"]
    assert [r.note for r in cases[0].reports] == ["He means me", ""]


def test_a_report_needs_a_reason_and_a_thing_the_reporter_can_see(ana, ben, make_member):
    secret = do_create_post(ben, text="for Ana only", audience=Audience.FRIENDS)
    stranger = make_member("stranger")
    with pytest.raises(NotFound):
        do_report(stranger, post_id=secret.pk, reason="spam")  # invisible is missing
    with pytest.raises(InvalidInput, match="Choose a reason"):
        do_report(ana, post_id=secret.pk, reason="boring")
    with pytest.raises(InvalidInput, match="under 1,000"):
        do_report(ana, post_id=secret.pk, reason="spam", note="x" * 1001)
    with pytest.raises(InvalidInput, match="yourself"):
        do_report(ben, post_id=secret.pk, reason="spam")
    with pytest.raises(InvalidInput, match="either a post or a member"):
        do_report(ana, reason="spam")
    do_report(ana, post_id=secret.pk, reason="spam")
    with pytest.raises(Conflict, match="already"):
        do_report(ana, post_id=secret.pk, reason="hate")
    assert Report.objects.count() == 1


def test_only_moderators_see_the_queue(ana, ben, mod, make_member):
    admin = make_member("root", is_superuser=True, is_staff=True)
    assert is_moderator(mod) and is_moderator(admin) and not is_moderator(ana)
    do_report(ana, username="ben", reason="spam")
    with pytest.raises(NotFound):
        open_cases(ana)
    with pytest.raises(NotFound):
        case(ben, Report.objects.get().pk)
    assert len(open_cases(admin)) == 1


def test_removing_a_reply_blanks_it_logs_its_words_and_tells_everyone(ana, ben, cy, mod):
    root = do_create_post(ana, text="My new job!", audience=Audience.FRIENDS)
    reply = do_reply(cy, root, text="You don't deserve it, loser", confirmed=True)
    report = do_report(ana, post_id=reply.pk, reason="harassment")
    do_report(ben, post_id=reply.pk, reason="harassment", note="Cy always does this")
    found = case(mod, report.pk)
    assert found.thread_root.pk == root.pk  # seen in context
    assert len(found.reports) == 2

    action = do_resolve_case(mod, report.pk, kind="remove", reason="Name-calling.")
    reply.refresh_from_db()
    assert reply.is_deleted and reply.removed_by_moderator and reply.text == ""
    assert action.post_text == "You don't deserve it, loser"  # the log keeps the words
    assert not Report.objects.filter(resolved_by__isnull=True).exists()
    assert open_case_count() == 0

    told = moderation_notices(cy)
    assert [(n.kind, n.actor, n.action) for n in told] == [
        (NotificationKind.MODERATION, mod, action)
    ]
    assert told[0].what == "(moderator) removed your post"
    for reporter in (ana, ben):
        [outcome] = moderation_notices(reporter)
        assert outcome.kind == NotificationKind.REPORT_OUTCOME
        assert outcome.what.endswith("removed the post")
    assert [r.resolved_by for r in reports_by(ana)] == [action]
    with pytest.raises(NotFound, match="already"):
        do_resolve_case(mod, report.pk, kind="dismiss", reason="again")


def test_dismissing_tells_the_reporter_but_not_the_member(ana, ben, mod):
    report = do_report(ana, username="ben", reason="other", note="He unfriended me")
    do_resolve_case(mod, report.pk, kind="dismiss", reason="Unfriending is allowed.")
    assert moderation_notices(ben) == []
    assert moderation_notices(ana)[0].what == (
        "(moderator) looked at what you reported and dismissed the reports"
    )


def test_a_decision_needs_a_kind_that_fits_and_a_reason(ana, ben, mod):
    report = do_report(ana, username="ben", reason="spam")
    with pytest.raises(InvalidInput, match="Say why"):
        do_resolve_case(mod, report.pk, kind="warn", reason="  ")
    with pytest.raises(InvalidInput, match="Choose one of"):
        do_resolve_case(mod, report.pk, kind="ban", reason="no")
    with pytest.raises(InvalidInput, match="Only a post"):
        do_resolve_case(mod, report.pk, kind="remove", reason="no")
    assert ModerationAction.objects.count() == 0
    assert Report.objects.get().is_open  # nothing half-done


def test_limit_keeps_posts_and_replies_among_friends(ana, ben, cy, mod, make_member):
    stranger = make_member("zed")
    public = do_create_post(cy, text="Cy's public post", audience=Audience.PUBLIC)
    fof = do_create_post(cy, text="Cy's wider post", audience=Audience.FRIENDS_OF_FRIENDS)
    bens_thread = do_create_post(ben, text="Ben asks", audience=Audience.PUBLIC)
    cy_reply = do_reply(cy, bens_thread, text="Cy answers Ben")
    assert can_see(stranger, public) and can_see(ben, fof) and can_see(stranger, cy_reply)

    do_act_on_member(mod, "cy", kind="limit", reason="Piling on newcomers.")
    for post in (public, fof):
        assert can_see(ana, post)  # a friend
        assert not can_see(ben, post)  # a friend of a friend, not a friend
        assert not can_see(stranger, post)
        assert not can_see(None, post)  # logged out
    assert can_see(ben, cy_reply)  # the thread's author still sees the answer
    assert can_see(ana, cy_reply)  # a friend of Cy
    assert not can_see(stranger, cy_reply)
    assert posts_by(stranger, cy).items == []
    # Reply counts count what each can read: the answer is counted for Ben and Ana only.
    counts = {
        viewer: with_reply_counts(Post.objects.filter(pk=bens_thread.pk), viewer)
        .values_list("reply_count", flat=True)
        .get()
        for viewer in (ben, ana, stranger, None)
    }
    assert counts == {ben: 1, ana: 1, stranger: 0, None: 0}

    do_act_on_member(mod, "cy", kind="unlimit", reason="A month passed.")
    assert can_see(stranger, public) and can_see(stranger, cy_reply)
    with pytest.raises(Conflict, match="not limited"):
        do_act_on_member(mod, "cy", kind="unlimit", reason="again")


def test_suspension_hides_the_member_and_closes_every_report(ana, ben, mod):
    post = do_create_post(ben, text="Buy cheap pills", audience=Audience.PUBLIC)
    do_report(ana, post_id=post.pk, reason="spam")
    about_ben = do_report(ana, username="ben", reason="spam")
    action = do_resolve_case(mod, about_ben.pk, kind="suspend", reason="A spam account.")
    ben.refresh_from_db()
    assert not ben.is_active and ben.suspended_at is not None
    assert not can_see(ana, post)
    assert open_case_count() == 0  # the post's report was answered by the suspension too
    assert set(Report.objects.values_list("resolved_by", flat=True)) == {action.pk}
    message = suspension_for_login("BEN", PASSWORD)
    assert "suspended this account" in message and "A spam account." in message
    assert suspension_for_login("ben", "wrong password") is None  # no hint to others

    do_act_on_member(mod, "ben", kind="unsuspend", reason="Account recovered.")
    ben.refresh_from_db()
    assert ben.is_active and ben.suspended_at is None
    assert access_post(ana, post.pk)
    assert suspension_for_login("ben", PASSWORD) is None


def test_moderators_cannot_judge_themselves_or_each_other(ana, mod, make_member):
    other = make_member("mia")
    do_grant_moderator(other)
    admin = make_member("root", is_superuser=True)
    report = do_report(ana, username="mo", reason="other")
    with pytest.raises(NotAllowed, match="Another moderator"):
        do_resolve_case(mod, report.pk, kind="warn", reason="me?")
    other = type(other).objects.get(pk=other.pk)
    with pytest.raises(NotAllowed, match="Only an admin"):
        do_resolve_case(other, report.pk, kind="suspend", reason="rival")
    do_resolve_case(other, report.pk, kind="warn", reason="Be kinder.")
    do_act_on_member(admin, "mo", kind="limit", reason="Repeated.")


def test_the_audit_log_is_append_only_and_complete(ana, ben, mod):
    report = do_report(ana, username="ben", reason="spam")
    do_resolve_case(mod, report.pk, kind="warn", reason="First warning.")
    do_act_on_member(mod, "ben", kind="limit", reason="Second time.")
    log = moderation_log(mod).items
    assert [(a.kind, a.moderator, a.member, a.reason) for a in log] == [
        ("limit", mod, ben, "Second time."),
        ("warn", mod, ben, "First warning."),
    ]
    entry = log[0]
    entry.reason = "rewritten"
    with pytest.raises(AuditLogIsAppendOnly):
        entry.save()
    with pytest.raises(AuditLogIsAppendOnly):
        entry.delete()
    assert ModerationAction.objects.get(pk=entry.pk).reason == "Second time."
    with pytest.raises(NotFound):
        moderation_log(ana)


def test_the_moderators_command(ana, capsys):
    call_command("moderators", add="ana")
    ana = type(ana).objects.get(pk=ana.pk)
    assert is_moderator(ana)
    call_command("moderators")
    assert "ana\tmoderator" in capsys.readouterr().out
    call_command("moderators", remove="ana")
    assert not is_moderator(type(ana).objects.get(pk=ana.pk))
    with pytest.raises(CommandError, match="No such member"):
        call_command("moderators", add="nobody")


def test_a_thread_counts_its_replies_as_every_list_counts_them(ana, ben, cy, mod, make_member):
    """The thread reads its replies once and counts them itself: the same number
    ``with_reply_counts`` gives the feed and the post cards, for every viewer, across a
    hidden reply, a deleted one (with and without answers), a limited member's reply and
    a block."""
    zed, ola = make_member("zed"), make_member("ola")
    root = do_create_post(ben, text="Ben asks", audience=Audience.PUBLIC)
    hidden = do_reply(zed, root, text="rude")
    do_hide_reply(ben, hidden)
    gone = do_reply(ana, root, text="oops")
    answered = do_reply(zed, root, text="soon gone")
    do_reply(ana, answered, text="answering")
    do_delete_post(ana, gone)
    do_delete_post(zed, answered)
    do_reply(cy, root, text="Cy answers")
    do_reply(ola, root, text="Ola answers")
    do_act_on_member(mod, "cy", kind="limit", reason="Piling on newcomers.")
    do_block(ola, ana)
    for viewer in (ana, ben, cy, zed, ola, mod, None):
        fresh = Post.objects.get(pk=root.pk)
        thread(viewer, fresh)
        expected = (
            with_reply_counts(Post.objects.filter(pk=root.pk), viewer)
            .values_list("reply_count", flat=True)
            .get()
        )
        assert fresh.reply_count == expected, viewer
