"""Community notes: context members add to public posts, and how others rate it.

A note is shown under its post only when the bridging model (``porch.notes.scoring``)
finds that people who usually disagree both rated it helpful; ``status``, ``intercept``
and ``factor`` are the last scoring run's answer (``porch.notes.services.score_notes``).
"""

from __future__ import annotations

from django.conf import settings
from django.db import models

NOTE_TEXT_MAX_LENGTH = 500
SOURCE_URL_MAX_LENGTH = 500


class RatingValue(models.TextChoices):
    HELPFUL = "helpful", "Helpful"
    SOMEWHAT = "somewhat_helpful", "Somewhat helpful"
    NOT_HELPFUL = "not_helpful", "Not helpful"


class NoteStatus(models.TextChoices):
    NEEDS_MORE_RATINGS = "needs_more_ratings", "Needs more ratings"
    HELPFUL = "helpful", "Shown: found helpful by people who usually disagree"
    NOT_HELPFUL = "not_helpful", "Not shown: rated not helpful"


class Note(models.Model):
    post = models.ForeignKey("posts.Post", on_delete=models.CASCADE, related_name="notes")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notes_written"
    )
    text = models.TextField(max_length=NOTE_TEXT_MAX_LENGTH)
    source_url = models.URLField(max_length=SOURCE_URL_MAX_LENGTH)
    created_at = models.DateTimeField(auto_now_add=True)
    status = models.CharField(
        max_length=20, choices=NoteStatus.choices, default=NoteStatus.NEEDS_MORE_RATINGS
    )
    # The model's numbers at the last scoring run (null before the first).
    intercept = models.FloatField(null=True, blank=True)
    factor = models.FloatField(null=True, blank=True)
    ratings_counted = models.PositiveIntegerField(default=0)
    scored_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["created_at", "id"]
        constraints = [
            models.UniqueConstraint(fields=["post", "author"], name="one_note_per_member_per_post")
        ]
        indexes = [models.Index(fields=["post", "status"], name="note_post_status")]

    def __str__(self) -> str:
        return f"note {self.pk} on post {self.post_id} ({self.status})"

    @property
    def is_shown(self) -> bool:
        return self.status == NoteStatus.HELPFUL


class NoteRating(models.Model):
    note = models.ForeignKey(Note, on_delete=models.CASCADE, related_name="ratings")
    rater = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="note_ratings"
    )
    value = models.CharField(max_length=20, choices=RatingValue.choices)
    rated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["note", "rater"], name="one_rating_per_member")
        ]

    def __str__(self) -> str:
        return f"{self.rater} rated note {self.note_id} {self.value}"
