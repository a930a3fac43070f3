"""Each member's trust score, as the last background run computed it."""

from __future__ import annotations

from django.conf import settings
from django.db import models


class TrustScore(models.Model):
    """How much of the community's trust reaches a member through friendships and
    invites, personalised to the community's trusted members (``porch.trust.ranking``)."""

    member = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        primary_key=True,
        on_delete=models.CASCADE,
        related_name="trust_score",
    )
    # The random walk's probability of being at this member (the next run starts here).
    mass = models.FloatField()
    # ``mass`` divided by the member's number of connections, relative to the member
    # holding the median unit of trust: about 1 for a well-trusted member, near 0 for
    # one the trust barely reaches (``ranking.relative_scores``).
    score = models.FloatField()
    low = models.BooleanField(default=False)
    computed_at = models.DateTimeField()

    def __str__(self) -> str:
        return f"{self.member_id}: {self.score:.3f}{' (low)' if self.low else ''}"


class TrustRun(models.Model):
    """One computation, for hosts to see that it runs and how long it takes."""

    finished_at = models.DateTimeField(auto_now_add=True)
    members = models.PositiveIntegerField()
    edges = models.PositiveBigIntegerField()
    seeds = models.PositiveIntegerField()
    iterations = models.PositiveIntegerField()
    seconds = models.FloatField()
    warm_start = models.BooleanField()
    low = models.PositiveIntegerField()

    class Meta:
        ordering = ["-finished_at", "-id"]

    def __str__(self) -> str:
        return f"trust run {self.finished_at:%Y-%m-%d %H:%M}: {self.members} members"
