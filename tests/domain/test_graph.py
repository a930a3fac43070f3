"""Friendships, requests, follows and circles."""

import pytest

from porch.errors import Conflict, InvalidInput, NotAllowed, NotFound
from porch.graph.models import CIRCLES_PER_MEMBER_LIMIT, Circle, CircleMember, Friendship
from porch.graph.services import (
    access_circle,
    are_friends,
    circle_members,
    do_accept_friend_request,
    do_add_to_circle,
    do_block,
    do_cancel_friend_request,
    do_create_circle,
    do_decline_friend_request,
    do_delete_circle,
    do_follow,
    do_remove_from_circle,
    do_rename_circle,
    do_send_friend_request,
    do_unblock,
    do_unfollow,
    do_unfriend,
    relationship,
)
from porch.notifications.models import Notification, NotificationKind


def kinds(member):
    return sorted(Notification.objects.filter(recipient=member).values_list("kind", flat=True))


def test_request_accept_makes_a_mutual_friendship_and_tells_both(make_member):
    ana, ben = make_member("ana"), make_member("ben")
    assert do_send_friend_request(ana, ben) == "requested"
    assert relationship(ana, ben) == "request_sent"
    assert relationship(ben, ana) == "request_received"
    assert kinds(ben) == [NotificationKind.FRIEND_REQUEST]
    do_accept_friend_request(ben, ana)
    assert are_friends(ana, ben) and are_friends(ben, ana)
    assert Friendship.objects.count() == 2
    assert kinds(ana) == [NotificationKind.FRIEND_ACCEPTED]
    assert relationship(ana, ben) == relationship(ben, ana) == "friends"


def test_crossing_requests_make_friends(make_member):
    ana, ben = make_member("ana"), make_member("ben")
    do_send_friend_request(ana, ben)
    assert do_send_friend_request(ben, ana) == "accepted"
    assert are_friends(ana, ben)


def test_bad_requests_are_refused(make_member, befriend):
    ana, ben, cy = make_member("ana"), make_member("ben"), make_member("cy")
    with pytest.raises(InvalidInput, match="yourself"):
        do_send_friend_request(ana, ana)
    do_send_friend_request(ana, ben)
    with pytest.raises(Conflict, match="already sent"):
        do_send_friend_request(ana, ben)
    befriend(ana, cy)
    with pytest.raises(Conflict, match="already friends"):
        do_send_friend_request(cy, ana)
    with pytest.raises(NotFound):
        do_accept_friend_request(ana, ben)  # the sender cannot accept their own request
    cy.is_active = False
    with pytest.raises(NotFound):
        do_send_friend_request(ben, cy)


def test_decline_is_silent_and_cancel_withdraws(make_member):
    ana, ben = make_member("ana"), make_member("ben")
    do_send_friend_request(ana, ben)
    do_decline_friend_request(ben, ana)
    assert relationship(ana, ben) == "none"
    assert kinds(ana) == []
    do_send_friend_request(ana, ben)
    do_cancel_friend_request(ana, ben)
    assert relationship(ben, ana) == "none"
    with pytest.raises(NotFound):
        do_cancel_friend_request(ana, ben)
    with pytest.raises(NotFound):
        do_decline_friend_request(ben, ana)


def test_unfriend_ends_both_directions_and_every_circle(make_member, befriend):
    ana, ben = make_member("ana"), make_member("ben")
    befriend(ana, ben)
    family = do_create_circle(ana, "Family")
    bens = do_create_circle(ben, "Climbing")
    do_add_to_circle(ana, family, ben)
    do_add_to_circle(ben, bens, ana)
    do_unfriend(ben, ana)
    assert not Friendship.objects.exists()
    assert not CircleMember.objects.exists()
    with pytest.raises(NotFound):
        do_unfriend(ben, ana)


def test_follow_only_public_profiles(make_member):
    ana, pub = make_member("ana"), make_member("pub", is_public_profile=True)
    with pytest.raises(NotAllowed):
        do_follow(pub, ana)
    do_follow(ana, pub)
    with pytest.raises(Conflict):
        do_follow(ana, pub)
    with pytest.raises(InvalidInput):
        do_follow(pub, pub)
    do_unfollow(ana, pub)
    with pytest.raises(NotFound):
        do_unfollow(ana, pub)


def test_circles_hold_only_friends_and_are_private(make_member, befriend):
    ana, ben, cy = make_member("ana"), make_member("ben"), make_member("cy")
    befriend(ana, ben)
    family = do_create_circle(ana, "Family")
    do_add_to_circle(ana, family, ben)
    do_add_to_circle(ana, family, ben)  # adding twice is harmless
    assert list(circle_members(family)) == [ben]
    with pytest.raises(InvalidInput, match="friends"):
        do_add_to_circle(ana, family, cy)
    with pytest.raises(NotFound):
        access_circle(ben, family.pk)
    with pytest.raises(NotFound):
        access_circle(ana, "not-a-number")
    with pytest.raises(NotFound):
        do_add_to_circle(ben, family, ana)
    do_remove_from_circle(ana, family, ben)
    with pytest.raises(NotFound):
        do_remove_from_circle(ana, family, ben)


def test_circle_names_are_checked(make_member):
    ana = make_member("ana")
    family = do_create_circle(ana, "  Family ")
    assert family.name == "Family"
    with pytest.raises(Conflict):
        do_create_circle(ana, "family")
    with pytest.raises(InvalidInput):
        do_create_circle(ana, "")
    with pytest.raises(InvalidInput):
        do_create_circle(ana, "x" * 41)
    other = do_create_circle(ana, "Other")
    with pytest.raises(Conflict):
        do_rename_circle(ana, other, "FAMILY")
    do_rename_circle(ana, other, "Close friends")
    do_delete_circle(ana, other)
    assert list(Circle.objects.values_list("name", flat=True)) == ["Family"]
    assert do_create_circle(make_member("ben"), "Family").name == "Family"


def test_circle_count_is_limited(make_member):
    ana = make_member("ana")
    Circle.objects.bulk_create(
        [Circle(owner=ana, name=f"c{i}") for i in range(CIRCLES_PER_MEMBER_LIMIT)]
    )
    with pytest.raises(Conflict):
        do_create_circle(ana, "one more")


def test_friends_and_blocks_are_read_once_only_where_asked(
    make_member, befriend, django_assert_num_queries
):
    """``graph.reads.read_once`` (GET requests) reads each member's friends and blocks
    once, together; outside it every read is fresh, so a change is seen at once."""
    from porch.graph.reads import blocked_ids, friend_ids, read_once

    ana, ben, cat = make_member("ana"), make_member("ben"), make_member("cat")
    befriend(ana, ben)
    do_block(cat, ana)
    with read_once():
        with django_assert_num_queries(1):
            assert friend_ids(ana) == {ben.pk}
            assert blocked_ids(ana) == {cat.pk}
        with django_assert_num_queries(0):
            assert friend_ids(ana) == {ben.pk}
            assert blocked_ids(ana) == {cat.pk}
        with django_assert_num_queries(1):
            assert friend_ids(ben) == {ana.pk}
    do_unblock(cat, ana)
    befriend(ana, cat)
    with django_assert_num_queries(2):
        assert friend_ids(ana) == {ben.pk, cat.pk}
        assert blocked_ids(ana) == set()
