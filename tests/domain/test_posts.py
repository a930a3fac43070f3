"""Posting, replying, editing, deleting, reacting and threads."""

import pytest
from django.contrib.auth.models import AnonymousUser

from porch.accounts.models import SiteSettings
from porch.errors import Conflict, InvalidInput, NotAllowed, NotFound
from porch.graph.services import do_add_to_circle, do_create_circle
from porch.notifications.models import Notification, NotificationKind
from porch.posts.models import Audience, Post, PostEdit, Reaction
from porch.posts.services import (
    access_post,
    do_create_post,
    do_delete_post,
    do_edit_post,
    do_react,
    do_reply,
    do_unreact,
    edit_history,
    flatten,
    reaction_summaries,
    reactions_detail,
    thread,
    with_reply_counts,
)


@pytest.fixture
def trio(make_member, befriend):
    ana, ben, cy = make_member("ana"), make_member("ben"), make_member("cy")
    befriend(ana, ben)
    befriend(ana, cy)
    Notification.objects.all().delete()
    return ana, ben, cy


def notes(member, kind=None):
    rows = Notification.objects.filter(recipient=member)
    if kind:
        rows = rows.filter(kind=kind)
    return list(rows)


def test_text_limits(trio):
    ana, *_ = trio
    with pytest.raises(InvalidInput, match="Write something"):
        do_create_post(ana, text="   ", audience=Audience.FRIENDS)
    with pytest.raises(InvalidInput, match="5,000"):
        do_create_post(ana, text="x" * 5001, audience=Audience.FRIENDS)
    assert do_create_post(ana, text="x" * 5000, audience=Audience.FRIENDS).pk
    assert Post.objects.count() == 1


def test_audience_and_circles_are_validated(trio, make_member):
    ana, ben, _ = trio
    family = do_create_circle(ana, "Family")
    bens = do_create_circle(ben, "Bens")
    with pytest.raises(InvalidInput, match="who can see"):
        do_create_post(ana, text="hi", audience="everyone")
    with pytest.raises(InvalidInput, match="at least one circle"):
        do_create_post(ana, text="hi", audience=Audience.CIRCLES)
    with pytest.raises(InvalidInput, match="Unknown circle"):
        do_create_post(ana, text="hi", audience=Audience.CIRCLES, circle_ids=[bens.pk])
    with pytest.raises(InvalidInput, match="Unknown circle"):
        do_create_post(ana, text="hi", audience=Audience.CIRCLES, circle_ids=["x"])
    with pytest.raises(InvalidInput):
        do_create_post(ana, text="hi", audience=Audience.FRIENDS, circle_ids=[family.pk])
    assert not Post.objects.exists()
    post = do_create_post(ana, text="hi", audience=Audience.CIRCLES, circle_ids=[family.pk])
    assert list(post.circles.all()) == [family]


def test_idempotency_key_returns_the_first_post(trio):
    ana, *_ = trio
    first = do_create_post(ana, text="once", audience=Audience.FRIENDS, idempotency_key="k1")
    again = do_create_post(ana, text="once", audience=Audience.FRIENDS, idempotency_key="k1")
    assert first.pk == again.pk
    assert Post.objects.count() == 1
    with pytest.raises(InvalidInput):
        do_create_post(ana, text="x", audience=Audience.FRIENDS, idempotency_key="k" * 65)


def test_markdown_is_sanitised_and_mentions_link(trio):
    ana, ben, _ = trio
    post = do_create_post(
        ana,
        text="**hi** @ben <script>alert(1)</script> [x](javascript:alert(1)) ![i](http://e/i.png) https://porch.example",
        audience=Audience.FRIENDS,
    )
    assert "<strong>hi</strong>" in post.html
    assert 'href="/@ben"' in post.html
    assert "<script" not in post.html and "javascript:" not in post.html.split("[x]")[0]
    assert "<img" not in post.html
    assert 'href="https://porch.example"' in post.html
    assert len(notes(ben, NotificationKind.MENTION)) == 1


def test_mentions_notify_only_people_who_can_see_the_post(trio, make_member):
    ana, ben, _ = trio
    stranger = make_member("stranger")
    do_create_post(ana, text="hey @stranger @ben @ana", audience=Audience.FRIENDS)
    assert notes(stranger) == []
    assert len(notes(ben, NotificationKind.MENTION)) == 1
    assert notes(ana) == []  # never notified about oneself


def test_replies_inherit_the_root_and_notify_the_right_people(trio):
    ana, ben, cy = trio
    root = do_create_post(ana, text="root", audience=Audience.FRIENDS)
    r1 = do_reply(ben, root, text="first")
    r2 = do_reply(cy, r1, text="nested")
    assert r2.root == root and r2.parent == r1 and r2.audience == root.audience
    assert len(notes(ana, NotificationKind.REPLY)) == 2  # both replies are in her thread
    assert len(notes(ben, NotificationKind.REPLY)) == 1  # cy answered ben
    do_reply(ana, r2, text="thanks")
    assert len(notes(cy, NotificationKind.REPLY)) == 1
    tree = thread(ana, root)
    assert [(n.post.text, n.depth) for n in flatten(tree)] == [
        ("first", 0),
        ("nested", 1),
        ("thanks", 2),
    ]
    counted = with_reply_counts(Post.objects.filter(pk=root.pk)).get()
    assert counted.reply_count == 3


def test_cannot_reply_to_what_you_cannot_see_or_what_was_deleted(trio, make_member):
    ana, ben, _ = trio
    stranger = make_member("stranger")
    post = do_create_post(ana, text="friends only", audience=Audience.FRIENDS)
    with pytest.raises(NotFound):
        do_reply(stranger, post, text="hi")
    do_delete_post(ana, post)
    with pytest.raises(Conflict):
        do_reply(ben, post, text="hi")


def test_edit_keeps_history_and_only_the_author_edits(trio):
    ana, ben, _ = trio
    post = do_create_post(ana, text="first version", audience=Audience.FRIENDS)
    with pytest.raises(NotAllowed):
        do_edit_post(ben, post, text="hijack")
    do_edit_post(ana, post, text="second version @ben")
    assert post.edited_at is not None
    history = edit_history(ben, post)
    assert [h.text for h in history] == ["first version"]
    assert len(notes(ben, NotificationKind.MENTION)) == 1
    do_edit_post(ana, post, text="second version @ben, again")
    assert len(notes(ben, NotificationKind.MENTION)) == 1  # not told twice


def test_delete_keeps_replies_under_a_marker(trio):
    ana, ben, cy = trio
    root = do_create_post(ana, text="root", audience=Audience.FRIENDS)
    reply = do_reply(ben, root, text="answered")
    do_reply(cy, reply, text="nested")
    lonely = do_reply(cy, root, text="nobody answered me")
    do_edit_post(ben, reply, text="answered, edited")
    do_react(ana, reply, "heart")
    with pytest.raises(NotAllowed):
        do_delete_post(ana, reply)
    do_delete_post(ben, reply)
    do_delete_post(cy, lonely)
    reply.refresh_from_db()
    assert reply.text == "" and reply.html == "" and reply.is_deleted
    assert not PostEdit.objects.filter(post=reply).exists()
    assert not Reaction.objects.filter(post=reply).exists()
    flat = flatten(thread(ana, root))
    assert [(n.post.is_deleted, n.post.text) for n in flat] == [(True, ""), (False, "nested")]
    with pytest.raises(NotFound):
        access_post(ana, reply.pk)
    assert access_post(ana, reply.pk, allow_deleted=True) == reply


def test_access_post_hides_existence(trio, make_member):
    ana, *_ = trio
    stranger = make_member("stranger")
    post = do_create_post(ana, text="x", audience=Audience.FRIENDS)
    for bad in [post.pk, 999999, "abc", None]:
        with pytest.raises(NotFound, match="No such post"):
            access_post(stranger, bad)
    with pytest.raises(NotFound):
        access_post(AnonymousUser(), post.pk)


def test_reactions_one_per_member_counts_for_the_author_only(trio, make_member):
    ana, ben, cy = trio
    post = do_create_post(ana, text="x", audience=Audience.PUBLIC)
    stranger = make_member("stranger")
    do_react(ben, post, "heart")
    do_react(ben, post, "laugh")  # changes, does not add
    do_react(cy, post, "heart")
    do_react(stranger, post, "heart")
    assert Reaction.objects.filter(post=post).count() == 3
    # Friends' reactions notify (once each); a stranger's does not.
    assert len(notes(ana, NotificationKind.REACTION)) == 2
    for_ana = reaction_summaries(ana, [post])[post.pk]
    assert for_ana.counts == {"laugh": 1, "heart": 2} and for_ana.total == 3
    for_ben = reaction_summaries(ben, [post])[post.pk]
    assert for_ben.mine == "laugh" and for_ben.counts is None and for_ben.total is None
    assert [kind for _, kind in reactions_detail(ana, post).who].count("heart") == 2
    with pytest.raises(NotAllowed):
        reactions_detail(ben, post)
    with pytest.raises(InvalidInput):
        do_react(ben, post, "angry")
    do_unreact(ben, post)
    assert reaction_summaries(ben, [post])[post.pk].mine is None


def test_host_may_show_counts_to_everyone(trio):
    ana, ben, _ = trio
    post = do_create_post(ana, text="x", audience=Audience.FRIENDS)
    do_react(ana, post, "heart")
    site = SiteSettings.current()
    site.show_reaction_counts = True
    site.save()
    assert reaction_summaries(ben, [post])[post.pk].counts == {"heart": 1}


def test_cannot_react_to_invisible_posts(trio, make_member):
    ana, *_ = trio
    post = do_create_post(ana, text="x", audience=Audience.ONLY_ME)
    with pytest.raises(NotFound):
        do_react(make_member("stranger"), post, "heart")


def test_circle_post_reply_is_visible_only_inside_the_circle(trio):
    ana, ben, cy = trio
    family = do_create_circle(ana, "Family")
    do_add_to_circle(ana, family, ben)
    post = do_create_post(ana, text="family", audience=Audience.CIRCLES, circle_ids=[family.pk])
    reply = do_reply(ben, post, text="reply")
    with pytest.raises(NotFound):
        access_post(cy, reply.pk)
    with pytest.raises(NotFound):
        edit_history(cy, post)


def test_nul_characters_are_refused_everywhere(trio):
    from porch.accounts.services import access_member, do_update_profile
    from porch.graph.services import do_create_circle as create_circle

    ana, *_ = trio
    with pytest.raises(InvalidInput):
        do_create_post(ana, text="a\x00b", audience=Audience.FRIENDS)
    with pytest.raises(InvalidInput):
        create_circle(ana, "Fam\x00ily")
    with pytest.raises(InvalidInput):
        do_update_profile(ana, display_name="A\x00", bio="", is_public_profile=False)
    with pytest.raises(NotFound):
        access_member(ana, "a\x00b")


def test_reply_counts_leave_out_deactivated_members(trio):
    ana, ben, cy = trio
    root = do_create_post(ana, text="root", audience=Audience.FRIENDS)
    do_reply(ben, root, text="one")
    do_reply(cy, root, text="two")
    cy.is_active = False
    cy.save()
    assert with_reply_counts(Post.objects.filter(pk=root.pk)).get().reply_count == 1
    assert len(flatten(thread(ana, root))) == 1


def test_huge_circle_ids_are_unknown_circles(trio):
    ana, *_ = trio
    for bad in [2**63, -1, 0]:
        with pytest.raises(InvalidInput, match="Unknown circle"):
            do_create_post(ana, text="x", audience=Audience.CIRCLES, circle_ids=[bad])
