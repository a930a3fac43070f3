"""Who is connected to whom: friendships, friend requests, follows and circles."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import F, Q

CIRCLE_NAME_MAX_LENGTH = 40
CIRCLES_PER_MEMBER_LIMIT = 50


class FriendRequest(models.Model):
    """A pending request; accepting turns it into a Friendship, declining deletes it."""

    from_member = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="friend_requests_sent"
    )
    to_member = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="friend_requests_received",
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(fields=["from_member", "to_member"], name="one_request"),
            models.CheckConstraint(
                condition=~Q(from_member=F("to_member")), name="no_request_to_self"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.from_member} → {self.to_member}"


class Friendship(models.Model):
    """One direction of a mutual friendship.

    Every friendship is stored as two rows (a→b and b→a), written and deleted together
    by ``graph.services``, so "friends of X" is a single indexed lookup on ``member``.
    """

    member = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="friendships"
    )
    friend = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["member", "friend"], name="one_friendship"),
            models.CheckConstraint(condition=~Q(member=F("friend")), name="no_self_friendship"),
        ]
        indexes = [models.Index(fields=["friend", "member"], name="friendship_reverse")]

    def __str__(self) -> str:
        return f"{self.member} ↔ {self.friend}"


class Follow(models.Model):
    """A one-way follow of a member who made their profile public."""

    follower = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="following"
    )
    followee = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="followers"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["follower", "followee"], name="one_follow"),
            models.CheckConstraint(condition=~Q(follower=F("followee")), name="no_self_follow"),
        ]

    def __str__(self) -> str:
        return f"{self.follower} follows {self.followee}"


class Circle(models.Model):
    """A named group of the owner's friends ("Family"); private to its owner."""

    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="circles"
    )
    name = models.CharField(max_length=CIRCLE_NAME_MAX_LENGTH)
    members = models.ManyToManyField(
        settings.AUTH_USER_MODEL, through="CircleMember", related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(fields=["owner", "name"], name="circle_name_per_owner"),
        ]

    def __str__(self) -> str:
        return self.name


class CircleMember(models.Model):
    circle = models.ForeignKey(Circle, on_delete=models.CASCADE, related_name="memberships")
    member = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="circle_memberships"
    )
    added_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["circle", "member"], name="one_circle_membership"),
        ]

    def __str__(self) -> str:
        return f"{self.member} in {self.circle}"


class Block(models.Model):
    """``blocker`` blocked ``blocked``: neither sees the other anywhere, and neither can
    befriend, follow, mention or notify the other. The blocked member is not told."""

    blocker = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="blocks_made"
    )
    blocked = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="blocks_received"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(fields=["blocker", "blocked"], name="one_block"),
            models.CheckConstraint(condition=~Q(blocker=F("blocked")), name="no_self_block"),
        ]
        indexes = [models.Index(fields=["blocked", "blocker"], name="block_reverse")]

    def __str__(self) -> str:
        return f"{self.blocker} blocked {self.blocked}"


class Mute(models.Model):
    """``muter`` muted ``muted``: one way and silent; the muted member's posts leave the
    muter's home feed and their notifications go quiet. Threads and profiles still show
    them (a mute is not a block)."""

    muter = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="mutes_made"
    )
    muted = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(fields=["muter", "muted"], name="one_mute"),
            models.CheckConstraint(condition=~Q(muter=F("muted")), name="no_self_mute"),
        ]

    def __str__(self) -> str:
        return f"{self.muter} muted {self.muted}"
