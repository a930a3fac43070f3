"""Notifications: always a person doing something to you, never the system."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import F, Q


class NotificationKind(models.TextChoices):
    REPLY = "reply", "replied to you"
    MENTION = "mention", "mentioned you"
    FRIEND_REQUEST = "friend_request", "sent you a friend request"
    FRIEND_ACCEPTED = "friend_accepted", "accepted your friend request"
    REACTION = "reaction", "reacted to your post"
    # A moderator acted on the member's post or account, or on a case they reported.
    MODERATION = "moderation", "moderated"
    REPORT_OUTCOME = "report_outcome", "looked at your report"


class Notification(models.Model):
    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications"
    )
    # Every notification has a human actor: there is no "system" notification.
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    kind = models.CharField(max_length=20, choices=NotificationKind.choices)
    post = models.ForeignKey(
        "posts.Post", null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    action = models.ForeignKey(
        "moderation.ModerationAction",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="+",
    )
    created_at = models.DateTimeField(auto_now_add=True)
    read_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(recipient=F("actor")), name="notification_from_another_person"
            ),
        ]
        indexes = [
            models.Index(fields=["recipient", "-created_at", "-id"], name="notification_inbox"),
            models.Index(
                fields=["recipient"],
                condition=Q(read_at__isnull=True),
                name="notification_unread",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.actor} {self.what} → {self.recipient}"

    @property
    def what(self) -> str:
        """What the actor did, to follow their name: "replied to you"."""
        if self.action_id is None:
            return self.get_kind_display()
        if self.kind == NotificationKind.REPORT_OUTCOME:
            return f"(moderator) looked at what you reported and {self.action.get_kind_display()}"
        return f"(moderator) {self.action.phrase_for_member}"
