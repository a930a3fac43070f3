"""Blocks (both ways, everywhere) and mutes (one way, feed and notifications only)."""

import pytest

from porch.accounts.services import access_member
from porch.errors import Conflict, InvalidInput, NotFound
from porch.feed.services import home_feed
from porch.graph.models import Block, CircleMember, Follow, FriendRequest, Friendship, Mute
from porch.graph.services import (
    blocked_members,
    do_add_to_circle,
    do_block,
    do_create_circle,
    do_follow,
    do_mute,
    do_send_friend_request,
    do_unblock,
    do_unmute,
    is_muting,
    muted_members,
)
from porch.notifications.models import Notification
from porch.notifications.services import list_notifications, unread_count
from porch.posts.models import Audience
from porch.posts.services import (
    access_post,
    do_create_post,
    do_react,
    do_reply,
    flatten,
    posts_by,
    reactions_detail,
    thread,
    with_reply_counts,
)
from porch.posts.visibility import can_see, visible_to


@pytest.fixture
def people(make_member, befriend):
    ana = make_member("ana", is_public_profile=True)
    ben = make_member("ben", is_public_profile=True)
    cy = make_member("cy")
    befriend(ana, ben)
    befriend(ana, cy)
    befriend(ben, cy)
    return ana, ben, cy


def texts(posts):
    return {post.text for post in posts}


def test_blocking_ends_every_tie_both_ways(people):
    ana, ben, cy = people
    circle = do_create_circle(ana, "Family")
    do_add_to_circle(ana, circle, ben)
    ben_circle = do_create_circle(ben, "Close")
    do_add_to_circle(ben, ben_circle, ana)
    do_follow(ben, ana)
    do_mute(ana, ben)
    do_block(ana, ben)
    assert not Friendship.objects.filter(member__in=[ana, ben], friend__in=[ana, ben]).exists()
    assert not Follow.objects.filter(follower__in=[ana, ben], followee__in=[ana, ben]).exists()
    assert not CircleMember.objects.filter(member__in=[ana, ben]).exists()
    assert not Mute.objects.exists()  # the block covers it
    assert list(blocked_members(ana)) == [ben] and list(blocked_members(ben)) == []
    # Cy's friendships are untouched.
    assert Friendship.objects.filter(member=cy).count() == 2


def test_neither_side_sees_the_other_anywhere(people):
    ana, ben, cy = people
    public = do_create_post(ana, text="ana public", audience=Audience.PUBLIC)
    to_friends = do_create_post(ben, text="ben to friends", audience=Audience.FRIENDS)
    cys = do_create_post(cy, text="cy's thread", audience=Audience.FRIENDS)
    ben_reply = do_reply(ben, cys, text="ben replies to cy")
    do_reply(cy, ben_reply, text="cy answers ben")
    do_reply(ana, cys, text="ana replies to cy")
    do_react(ben, cys, "heart")
    do_react(ana, cys, "heart")
    do_block(ben, ana)  # Ben blocks; Ana is blocked. Both lose each other.

    for viewer, other_post in ((ana, to_friends), (ben, public)):
        assert not can_see(viewer, other_post)
        with pytest.raises(NotFound):
            access_post(viewer, other_post.pk)
    assert "ana public" not in texts(home_feed(ben).posts)
    assert "ben to friends" not in texts(home_feed(ana).posts)
    with pytest.raises(NotFound):
        access_member(ana, "ben")
    with pytest.raises(NotFound):
        access_member(ben, "ana")
    # In Cy's thread each sees Cy, and not the other's reply.
    ana_thread = texts(node.post for node in flatten(thread(ana, cys)))
    ben_thread = texts(node.post for node in flatten(thread(ben, cys)))
    assert "ben replies to cy" not in ana_thread and "ana replies to cy" in ana_thread
    assert "ana replies to cy" not in ben_thread and "ben replies to cy" in ben_thread
    assert "ben replies to cy" not in texts(visible_to(ana))
    # Reply counts agree with the thread each of them is shown.
    count = with_reply_counts(visible_to(ana).filter(pk=cys.pk), ana).get().reply_count
    assert count == len(ana_thread)
    # Cy, who blocked nobody, sees everyone.
    assert {"ben replies to cy", "ana replies to cy"} <= texts(
        node.post for node in flatten(thread(cy, cys))
    )
    # Cy's reactions list, for Cy, still has both; Ana's public post is gone from Ben's
    # view of Ana's profile posts (the profile itself is gone).
    assert len(reactions_detail(cy, cys).who) == 2
    assert not posts_by(ben, ana).items


def test_no_new_ties_or_notifications_across_a_block(people):
    ana, ben, cy = people
    do_block(ana, ben)
    Notification.objects.all().delete()
    for attempt in (
        lambda: do_send_friend_request(ben, ana),
        lambda: do_send_friend_request(ana, ben),
        lambda: do_follow(ben, ana),
    ):
        with pytest.raises(NotFound):
            attempt()
    assert not FriendRequest.objects.exists()
    # Mentions across a block notify nobody.
    do_create_post(ben, text="hey @ana", audience=Audience.PUBLIC)
    do_create_post(cy, text="hey @ana and @ben", audience=Audience.PUBLIC)
    assert set(Notification.objects.values_list("recipient__username", "actor__username")) == {
        ("ana", "cy"),
        ("ben", "cy"),
    }


def test_old_notifications_from_a_blocked_member_disappear(people):
    ana, ben, cy = people
    Notification.objects.all().delete()  # the friendships' own
    post = do_create_post(ana, text="mine", audience=Audience.FRIENDS)
    do_reply(ben, post, text="ben's reply")
    do_react(cy, post, "heart")
    assert unread_count(ana) == 2
    do_block(ana, ben)
    assert {n.actor.username for n in list_notifications(ana).items} == {"cy"}
    assert unread_count(ana) == 1


def test_unblocking_restores_sight_but_not_friendship(people):
    ana, ben, _ = people
    post = do_create_post(ana, text="for everyone", audience=Audience.PUBLIC)
    do_block(ana, ben)
    with pytest.raises(Conflict):
        do_block(ana, ben)
    do_unblock(ana, ben)
    assert can_see(ben, post) and not Block.objects.exists()
    assert not Friendship.objects.filter(member=ana, friend=ben).exists()
    with pytest.raises(NotFound):
        do_unblock(ana, ben)


def test_you_cannot_block_or_mute_yourself(people):
    ana, *_ = people
    with pytest.raises(InvalidInput, match="block yourself"):
        do_block(ana, ana)
    with pytest.raises(InvalidInput, match="mute yourself"):
        do_mute(ana, ana)


def test_a_mute_quiets_the_feed_and_notifications_only(people):
    ana, ben, _ = people
    Notification.objects.all().delete()  # the friendships' own
    post = do_create_post(ben, text="ben's news", audience=Audience.FRIENDS)
    mine = do_create_post(ana, text="ana's news", audience=Audience.FRIENDS)
    do_mute(ana, ben)
    assert is_muting(ana, ben) and not is_muting(ben, ana)
    assert list(muted_members(ana)) == [ben]
    with pytest.raises(Conflict):
        do_mute(ana, ben)
    do_reply(ben, mine, text="ben answers")
    assert "ben's news" not in texts(home_feed(ana).posts)
    assert "ben's news" not in texts(home_feed(ana, order="chronological").posts)
    assert unread_count(ana) == 0
    # Still visible in threads and on the profile; and Ben notices nothing.
    assert can_see(ana, post)
    assert "ben answers" in texts(node.post for node in flatten(thread(ana, mine)))
    assert "ana's news" in texts(home_feed(ben).posts)
    do_unmute(ana, ben)
    assert "ben's news" in texts(home_feed(ana).posts)
    assert unread_count(ana) == 1  # notifications were quiet, not lost
    with pytest.raises(NotFound):
        do_unmute(ana, ben)


def test_muting_someone_you_blocked_is_refused(people):
    ana, ben, _ = people
    do_block(ana, ben)
    with pytest.raises(Conflict, match="block already hides"):
        do_mute(ana, ben)
