"""Reports members make, and what moderators did about them (the audit log).

A report is about a member, or about one of their posts or replies. Open reports about
the same thing make one *case* in the moderation queue. A moderator closes a case with
one action, and every action — on a case or on a member directly — is a row of
``ModerationAction``, which is never changed or deleted: it is the audit log.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q

NOTE_MAX_LENGTH = 1000
REASON_MAX_LENGTH = 1000


class ReportReason(models.TextChoices):
    HARASSMENT = "harassment", "Bullying or harassment"
    HATE = "hate", "Hate against a group of people"
    THREAT = "threat", "Threats or violence"
    FALSE_INFORMATION = "false_information", "False information or a hoax"
    SPAM = "spam", "Spam or a fake account"
    SEXUAL = "sexual", "Sexual content"
    IMPERSONATION = "impersonation", "Pretending to be someone else"
    OTHER = "other", "Something else"


class ActionKind(models.TextChoices):
    DISMISS = "dismiss", "dismissed the reports"
    REMOVE = "remove", "removed the post"
    WARN = "warn", "warned the member"
    LIMIT = "limit", "limited the member's posts to their friends"
    SUSPEND = "suspend", "suspended the member"
    UNLIMIT = "unlimit", "lifted the limit"
    UNSUSPEND = "unsuspend", "lifted the suspension"


_MEMBER_PHRASES = {
    ActionKind.DISMISS: "found nothing wrong",
    ActionKind.REMOVE: "removed your post",
    ActionKind.WARN: "warned you",
    ActionKind.LIMIT: "limited your posts and replies to your friends",
    ActionKind.SUSPEND: "suspended your account",
    ActionKind.UNLIMIT: "lifted the limit on your posts",
    ActionKind.UNSUSPEND: "lifted your account's suspension",
}


class Report(models.Model):
    reporter = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="reports_made"
    )
    # The reported member: the author, when the report is about a post or reply.
    member = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="reports_about"
    )
    post = models.ForeignKey(
        "posts.Post", null=True, blank=True, on_delete=models.CASCADE, related_name="reports"
    )
    reason = models.CharField(max_length=20, choices=ReportReason.choices)
    note = models.TextField(max_length=NOTE_MAX_LENGTH, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    resolved_by = models.ForeignKey(
        "ModerationAction",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="reports",
    )

    class Meta:
        ordering = ["created_at", "id"]
        constraints = [
            # One open report per reporter and thing: reporting again adds nothing.
            models.UniqueConstraint(
                fields=["reporter", "post"],
                condition=Q(resolved_by__isnull=True, post__isnull=False),
                name="report_open_post_once",
            ),
            models.UniqueConstraint(
                fields=["reporter", "member"],
                condition=Q(resolved_by__isnull=True, post__isnull=True),
                name="report_open_member_once",
            ),
            models.CheckConstraint(condition=~Q(reporter=models.F("member")), name="report_other"),
        ]
        indexes = [
            models.Index(
                fields=["member", "post"], condition=Q(resolved_by__isnull=True), name="report_open"
            ),
        ]

    def __str__(self) -> str:
        about = f"post {self.post_id}" if self.post_id else "the member"
        return f"{self.reporter} reported {self.member} ({about}): {self.reason}"

    @property
    def is_open(self) -> bool:
        return self.resolved_by_id is None


class AuditLogIsAppendOnly(Exception):
    pass


class ModerationAction(models.Model):
    """One moderator's action, with who and why: written once, never edited or deleted."""

    moderator = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="moderation_actions"
    )
    kind = models.CharField(max_length=12, choices=ActionKind.choices)
    member = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="moderation_record"
    )
    post = models.ForeignKey(
        "posts.Post", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    # The post's words when the moderator acted: a removal blanks the post, the log keeps them.
    post_text = models.TextField(blank=True)
    reason = models.TextField(max_length=REASON_MAX_LENGTH)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        permissions = [("moderate", "Can see reports and act on them")]

    def __str__(self) -> str:
        return f"{self.moderator} {self.get_kind_display()} ({self.member}): {self.reason}"

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise AuditLogIsAppendOnly("Moderation actions are never changed.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise AuditLogIsAppendOnly("Moderation actions are never deleted.")

    @property
    def phrase_for_member(self) -> str:
        """What was done, said to the member it was done to."""
        return _MEMBER_PHRASES[self.kind]
