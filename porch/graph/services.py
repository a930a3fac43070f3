"""Friendships, friend requests, follows and circles.

``check_*`` validates, ``access_*`` fetches with the permission check, ``do_*`` writes
in a transaction.
"""

from __future__ import annotations

from django.db import IntegrityError, transaction
from django.db.models import Q

from porch.accounts.models import Member
from porch.errors import Conflict, InvalidInput, NotAllowed, NotFound, check_no_nul
from porch.notifications.models import NotificationKind
from porch.notifications.services import notify

from . import reads
from .blocks import is_blocked_between
from .models import (
    CIRCLE_NAME_MAX_LENGTH,
    CIRCLES_PER_MEMBER_LIMIT,
    Block,
    Circle,
    CircleMember,
    Follow,
    FriendRequest,
    Friendship,
    Mute,
)
from .signals import friendships_changed


# --- Reading the graph ------------------------------------------------------------------
def friend_ids(member) -> frozenset[int]:
    return reads.friend_ids(member)


def are_friends(a, b) -> bool:
    return Friendship.objects.filter(member=a, friend=b).exists()


def friends_of(member):
    """The member's friends, by name."""
    return Member.objects.filter(
        is_active=True, pk__in=Friendship.objects.filter(member=member).values("friend_id")
    ).order_by("display_name", "username")


def followees_of(member):
    return Member.objects.filter(
        is_active=True, pk__in=Follow.objects.filter(follower=member).values("followee_id")
    ).order_by("display_name", "username")


def is_following(follower, followee) -> bool:
    return Follow.objects.filter(follower=follower, followee=followee).exists()


def relationship(viewer, member) -> str:
    """How ``viewer`` stands to ``member``: self, friends, request_sent, request_received, none."""
    if viewer.pk == member.pk:
        return "self"
    if are_friends(viewer, member):
        return "friends"
    if FriendRequest.objects.filter(from_member=viewer, to_member=member).exists():
        return "request_sent"
    if FriendRequest.objects.filter(from_member=member, to_member=viewer).exists():
        return "request_received"
    return "none"


def incoming_requests(member):
    return FriendRequest.objects.filter(
        to_member=member, from_member__is_active=True
    ).select_related("from_member")


def outgoing_requests(member):
    return FriendRequest.objects.filter(
        from_member=member, to_member__is_active=True
    ).select_related("to_member")


# --- Friend requests ----------------------------------------------------------------
def _other_member(member, other, what: str) -> Member:
    """``other``, if they are an active member who is not ``member``."""
    if other is None or not other.is_active:
        raise NotFound("No such member.")
    if other.pk == member.pk:
        raise InvalidInput(f"You cannot {what} yourself.")
    return other


def do_send_friend_request(sender, recipient) -> str:
    """Ask ``recipient`` to be friends. Returns "requested", or "accepted" when they had
    already asked ``sender`` (two requests crossing make a friendship)."""
    recipient = _other_member(sender, recipient, "befriend")
    if is_blocked_between(sender, recipient):
        raise NotFound("No such member.")
    with transaction.atomic():
        if are_friends(sender, recipient):
            raise Conflict("You are already friends.")
        crossing = FriendRequest.objects.filter(from_member=recipient, to_member=sender).first()
        if crossing is not None:
            _make_friends(crossing)
            return "accepted"
        try:
            with transaction.atomic():
                FriendRequest.objects.create(from_member=sender, to_member=recipient)
        except IntegrityError:
            raise Conflict("You have already sent a friend request.") from None
        notify(recipient, sender, NotificationKind.FRIEND_REQUEST)
    return "requested"


def _make_friends(request: FriendRequest) -> None:
    a, b = request.from_member, request.to_member
    request.delete()
    FriendRequest.objects.filter(from_member=b, to_member=a).delete()
    Friendship.objects.bulk_create([Friendship(member=a, friend=b), Friendship(member=b, friend=a)])
    friendships_changed.send(sender=Friendship, members=(a, b))
    notify(a, b, NotificationKind.FRIEND_ACCEPTED)


def do_accept_friend_request(member, from_member) -> None:
    with transaction.atomic():
        request = FriendRequest.objects.filter(from_member=from_member, to_member=member).first()
        if request is None or not from_member.is_active:
            raise NotFound("No friend request from that member.")
        _make_friends(request)


def do_decline_friend_request(member, from_member) -> None:
    """Decline quietly: the sender is not told."""
    deleted, _ = FriendRequest.objects.filter(from_member=from_member, to_member=member).delete()
    if not deleted:
        raise NotFound("No friend request from that member.")


def do_cancel_friend_request(member, to_member) -> None:
    deleted, _ = FriendRequest.objects.filter(from_member=member, to_member=to_member).delete()
    if not deleted:
        raise NotFound("You have no pending request to that member.")


def _end_friendship(a, b) -> int:
    """Delete a friendship both ways and each one's places in the other's circles;
    returns how many friendship rows there were."""
    deleted, _ = Friendship.objects.filter(Q(member=a, friend=b) | Q(member=b, friend=a)).delete()
    if deleted:
        friendships_changed.send(sender=Friendship, members=(a, b))
    CircleMember.objects.filter(
        Q(circle__owner=a, member=b) | Q(circle__owner=b, member=a)
    ).delete()
    return deleted


def do_unfriend(member, friend) -> None:
    """End a friendship both ways; each leaves every circle of the other."""
    with transaction.atomic():
        if not _end_friendship(member, friend):
            raise NotFound("You are not friends with that member.")


# --- Blocks and mutes ----------------------------------------------------------------
def blocked_members(member):
    """The members ``member`` blocked, most recent first."""
    return Member.objects.filter(blocks_received__blocker=member).order_by(
        "-blocks_received__created_at"
    )


def muted_members(member):
    return Member.objects.filter(
        pk__in=Mute.objects.filter(muter=member).values("muted_id"), is_active=True
    ).order_by("display_name", "username")


def is_muting(muter, muted) -> bool:
    return Mute.objects.filter(muter=muter, muted=muted).exists()


def do_block(member, other) -> None:
    """Block ``other``: friendship, requests, follows and circle places end both ways,
    and from now on neither sees the other. ``other`` is not told."""
    other = _other_member(member, other, "block")
    with transaction.atomic():
        try:
            with transaction.atomic():
                Block.objects.create(blocker=member, blocked=other)
        except IntegrityError:
            raise Conflict("You have already blocked this member.") from None
        _end_friendship(member, other)
        FriendRequest.objects.filter(
            Q(from_member=member, to_member=other) | Q(from_member=other, to_member=member)
        ).delete()
        Follow.objects.filter(
            Q(follower=member, followee=other) | Q(follower=other, followee=member)
        ).delete()
        Mute.objects.filter(muter=member, muted=other).delete()  # the block covers it


def do_unblock(member, other) -> None:
    """Lift a block. Nothing it ended comes back: friendship has to be asked again."""
    deleted, _ = Block.objects.filter(blocker=member, blocked=other).delete()
    if not deleted:
        raise NotFound("You have not blocked that member.")


def do_mute(member, other) -> None:
    other = _other_member(member, other, "mute")
    if Block.objects.filter(blocker=member, blocked=other).exists():
        raise Conflict("You have blocked this member; a block already hides them.")
    try:
        with transaction.atomic():
            Mute.objects.create(muter=member, muted=other)
    except IntegrityError:
        raise Conflict("You have already muted this member.") from None


def do_unmute(member, other) -> None:
    deleted, _ = Mute.objects.filter(muter=member, muted=other).delete()
    if not deleted:
        raise NotFound("You have not muted that member.")


# --- Follows ------------------------------------------------------------------------
def do_follow(follower, followee) -> None:
    followee = _other_member(follower, followee, "follow")
    if is_blocked_between(follower, followee):
        raise NotFound("No such member.")
    if not followee.is_public_profile:
        raise NotAllowed("Only members with a public profile can be followed.")
    try:
        with transaction.atomic():
            Follow.objects.create(follower=follower, followee=followee)
    except IntegrityError:
        raise Conflict("You already follow this member.") from None


def do_unfollow(follower, followee) -> None:
    deleted, _ = Follow.objects.filter(follower=follower, followee=followee).delete()
    if not deleted:
        raise NotFound("You do not follow this member.")


# --- Circles ------------------------------------------------------------------------
def check_circle_name(name: str) -> str:
    name = check_no_nul((name or "").strip(), "name")
    if not name:
        raise InvalidInput("Give the circle a name.", field="name")
    if len(name) > CIRCLE_NAME_MAX_LENGTH:
        raise InvalidInput(
            f"Circle name: use at most {CIRCLE_NAME_MAX_LENGTH} characters.", field="name"
        )
    return name


def access_circle(owner, circle_id) -> Circle:
    """One of ``owner``'s circles; someone else's circle is "not found", never "forbidden"."""
    try:
        circle_id = int(circle_id)
    except (TypeError, ValueError):
        raise NotFound("No such circle.") from None
    circle = Circle.objects.filter(owner=owner, pk=circle_id).first()
    if circle is None:
        raise NotFound("No such circle.")
    return circle


def circles_of(owner):
    return Circle.objects.filter(owner=owner).order_by("name")


def circle_members(circle):
    return Member.objects.filter(circle_memberships__circle=circle, is_active=True).order_by(
        "display_name", "username"
    )


def do_create_circle(owner, name: str) -> Circle:
    name = check_circle_name(name)
    with transaction.atomic():
        if Circle.objects.filter(owner=owner).count() >= CIRCLES_PER_MEMBER_LIMIT:
            raise Conflict(f"You can have at most {CIRCLES_PER_MEMBER_LIMIT} circles.")
        if Circle.objects.filter(owner=owner, name__iexact=name).exists():
            raise Conflict("You already have a circle with that name.", field="name")
        return Circle.objects.create(owner=owner, name=name)


def do_rename_circle(owner, circle: Circle, name: str) -> Circle:
    name = check_circle_name(name)
    if circle.owner_id != owner.pk:
        raise NotFound("No such circle.")
    with transaction.atomic():
        if Circle.objects.filter(owner=owner, name__iexact=name).exclude(pk=circle.pk).exists():
            raise Conflict("You already have a circle with that name.", field="name")
        circle.name = name
        circle.save(update_fields=["name"])
    return circle


def do_delete_circle(owner, circle: Circle) -> None:
    """Posts shared only with this circle become visible to their author alone."""
    if circle.owner_id != owner.pk:
        raise NotFound("No such circle.")
    circle.delete()


def do_add_to_circle(owner, circle: Circle, member) -> None:
    if circle.owner_id != owner.pk:
        raise NotFound("No such circle.")
    if member is None or not are_friends(owner, member):
        raise InvalidInput("Only your friends can be in your circles.", field="member")
    with transaction.atomic():
        CircleMember.objects.get_or_create(circle=circle, member=member)


def do_remove_from_circle(owner, circle: Circle, member) -> None:
    if circle.owner_id != owner.pk:
        raise NotFound("No such circle.")
    deleted, _ = CircleMember.objects.filter(circle=circle, member=member).delete()
    if not deleted:
        raise NotFound("That member is not in this circle.")
