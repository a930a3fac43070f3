"""What the home feed remembers per member: how they want it ordered, and what it
has already shown them."""

from __future__ import annotations

from django.conf import settings
from django.db import models


class FeedOrder(models.TextChoices):
    CONVERSATION = "conversation", "Conversations first"
    CHRONOLOGICAL = "chronological", "Newest first"


class FeedPreference(models.Model):
    """A member's choice of order and their weights for the conversation ranker.

    No row means the defaults: conversation order with the ranker's default weights.
    ``weights`` holds only the weights the member moved away from the default.
    """

    member = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="feed_preference"
    )
    order = models.CharField(
        max_length=20, choices=FeedOrder.choices, default=FeedOrder.CONVERSATION
    )
    weights = models.JSONField(default=dict, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    def __str__(self) -> str:
        return f"{self.member}: {self.order}"


class SeenPost(models.Model):
    """A top-level post the member's home feed has shown them (the ranker lets seen
    posts sink). Rows older than ``feed.services.SEEN_KEEP`` are pruned."""

    member = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    post = models.ForeignKey("posts.Post", on_delete=models.CASCADE, related_name="+")
    seen_at = models.DateTimeField()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["member", "post"], name="seen_once_per_member"),
        ]
        indexes = [models.Index(fields=["member", "seen_at"], name="seen_by_member_time")]

    def __str__(self) -> str:
        return f"{self.member} saw {self.post_id}"
