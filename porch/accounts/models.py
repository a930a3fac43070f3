"""Members, invites, access tokens and the host's site settings."""

from __future__ import annotations

import hashlib
import secrets
from datetime import timedelta

from django.contrib.auth.models import AbstractUser, UserManager
from django.db import models
from django.db.models.functions import Lower
from django.utils import timezone

from porch.cache import kept

from .validators import USERNAME_MAX_LENGTH, username_validator, validate_not_reserved

DISPLAY_NAME_MAX_LENGTH = 60
BIO_MAX_LENGTH = 500


class MemberManager(UserManager):
    def get_by_natural_key(self, username):
        # Log-in is case-insensitive: "Ana" and "ana" are the same member.
        return self.get(username__iexact=username)


class Member(AbstractUser):
    """A person on this Porch server."""

    username = models.CharField(
        max_length=USERNAME_MAX_LENGTH,
        unique=True,
        validators=[username_validator, validate_not_reserved],
        help_text="2 to 30 letters, digits or underscores. Others mention you as @username.",
        error_messages={"unique": "That username is taken."},
    )
    display_name = models.CharField(max_length=DISPLAY_NAME_MAX_LENGTH, blank=True)
    bio = models.TextField(max_length=BIO_MAX_LENGTH, blank=True)
    is_public_profile = models.BooleanField(
        default=False,
        help_text="Anyone may see your profile and public posts, and members may follow you.",
    )
    invited_by = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="invitees"
    )
    # The newest post the member had seen on the home feed at their previous visit:
    # posts after it are "new", and the "You're all caught up" marker follows them.
    feed_seen_at = models.DateTimeField(null=True, blank=True)
    # Set by a moderator (porch.moderation): a limited member's posts and replies reach
    # only their friends; a suspended member cannot log in and is seen by nobody.
    limited_at = models.DateTimeField(null=True, blank=True)
    suspended_at = models.DateTimeField(null=True, blank=True)

    objects = MemberManager()

    class Meta:
        constraints = [
            models.UniqueConstraint(Lower("username"), name="member_username_ci_unique"),
        ]

    def __str__(self) -> str:
        return self.username

    @property
    def name(self) -> str:
        return self.name_from(self.display_name, self.username)

    @staticmethod
    def name_from(display_name: str, username: str) -> str:
        """The name Porch shows: the display name, else the username (also for rows
        read as plain values)."""
        return display_name or username


class SignupMode(models.TextChoices):
    INVITE = "invite", "By invitation"
    OPEN = "open", "Open to anyone"
    CLOSED = "closed", "Closed"


class SiteSettings(models.Model):
    """Options the host changes while the server runs (one row)."""

    site_name = models.CharField(max_length=60, default="Porch")
    signup_mode = models.CharField(
        max_length=10, choices=SignupMode.choices, default=SignupMode.INVITE
    )
    show_reaction_counts = models.BooleanField(
        default=False,
        help_text="Show reaction counts to every viewer, not only to the post's author.",
    )

    class Meta:
        verbose_name = "site settings"
        verbose_name_plural = "site settings"

    def __str__(self) -> str:
        return self.site_name

    # The cache key of the one row (forgotten whenever it is saved: accounts.apps).
    CACHE_KEY = "site:settings"

    @classmethod
    def current(cls) -> SiteSettings:
        """The row, read on most pages: kept in the cache (``porch.cache.kept``)."""
        return kept(cls.CACHE_KEY, lambda: cls.objects.get_or_create(pk=1)[0])


def _invite_code() -> str:
    return secrets.token_urlsafe(12)


def _invite_expiry():
    return timezone.now() + timedelta(days=14)


class Invite(models.Model):
    """A link a member shares so that someone can join; usable a limited number of times."""

    MAX_USES_LIMIT = 50

    code = models.CharField(max_length=32, unique=True, default=_invite_code)
    created_by = models.ForeignKey(Member, on_delete=models.CASCADE, related_name="invites")
    max_uses = models.PositiveSmallIntegerField(default=5)
    uses = models.PositiveSmallIntegerField(default=0)
    expires_at = models.DateTimeField(default=_invite_expiry)
    revoked = models.BooleanField(default=False)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"invite {self.code} by {self.created_by}"

    @property
    def is_usable(self) -> bool:
        return not self.revoked and self.uses < self.max_uses and self.expires_at > timezone.now()


class InviteUse(models.Model):
    """Who joined through which invite: the record of who invited whom."""

    invite = models.ForeignKey(Invite, on_delete=models.CASCADE, related_name="used_by")
    member = models.OneToOneField(Member, on_delete=models.CASCADE, related_name="joined_with")
    created_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return f"{self.member} joined with {self.invite.code}"


def hash_token(raw: str) -> str:
    return hashlib.sha256(raw.encode()).hexdigest()


class AccessToken(models.Model):
    """A personal access token for the API (``Authorization: Bearer …``).

    Only a SHA-256 digest of the token is stored; the token itself is shown once.
    """

    PREFIX = "porch_"
    NAME_MAX_LENGTH = 60

    member = models.ForeignKey(Member, on_delete=models.CASCADE, related_name="tokens")
    name = models.CharField(max_length=NAME_MAX_LENGTH)
    digest = models.CharField(max_length=64, unique=True)
    hint = models.CharField(max_length=12)
    created_at = models.DateTimeField(auto_now_add=True)
    last_used_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.name} ({self.hint}…)"

    @classmethod
    def new_raw_token(cls) -> str:
        return cls.PREFIX + secrets.token_urlsafe(32)
