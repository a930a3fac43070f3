"""What a member chose not to see: keyword filters."""

from __future__ import annotations

from django.conf import settings
from django.db import models

PHRASE_MAX_LENGTH = 100
FILTERS_PER_MEMBER_LIMIT = 100


class FilterAction(models.TextChoices):
    HIDE = "hide", "Hide it"
    WARN = "warn", "Put it behind a warning"


class KeywordFilter(models.Model):
    """Posts and replies containing ``phrase`` (whole words, any case) are hidden from
    ``member``, or shown behind a warning, until ``expires_at`` (never, when empty)."""

    member = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="keyword_filters"
    )
    phrase = models.CharField(max_length=PHRASE_MAX_LENGTH)
    action = models.CharField(max_length=8, choices=FilterAction.choices)
    expires_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["phrase", "id"]

    def __str__(self) -> str:
        return f"{self.member}: {self.phrase} ({self.action})"
