"""Posts, replies, their edit history and reactions."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q

POST_MAX_LENGTH = 5000
POST_CIRCLES_LIMIT = 20


class Audience(models.TextChoices):
    """Who may see a post (and, through it, every reply in its thread)."""

    ONLY_ME = "only_me", "Only me"
    CIRCLES = "circles", "Circles"
    FRIENDS = "friends", "Friends"
    FRIENDS_OF_FRIENDS = "friends_of_friends", "Friends of friends"
    PUBLIC = "public", "Public"


class ReplyPolicy(models.TextChoices):
    """Who may reply in a post's thread (its author always may). Enforced by
    ``posts.services.do_reply``; a thread follows its root's policy."""

    EVERYONE = "everyone", "Everyone who can see it"
    FRIENDS = "friends", "Friends"
    FRIENDS_OF_FRIENDS = "friends_of_friends", "Friends of friends"
    MENTIONED = "mentioned", "Only people mentioned"
    NOBODY = "nobody", "Nobody"


class ReactionKind(models.TextChoices):
    HEART = "heart", "❤️"
    LAUGH = "laugh", "😂"
    WOW = "wow", "😮"
    SAD = "sad", "😢"
    PRAY = "pray", "🙏"
    THUMBS_UP = "thumbs_up", "👍"


class Post(models.Model):
    """A post, or a reply when ``parent`` is set.

    A reply has no audience of its own: it is visible exactly to those who can see its
    thread's ``root`` (see ``posts.visibility``). ``root`` is empty on a top-level post.
    """

    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="posts"
    )
    parent = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.CASCADE, related_name="children"
    )
    # Indexed by ``post_thread_order`` below (replies only), not by a plain index on the
    # column: one that also holds every top-level post's NULL led SQLite to read the
    # whole server's recent posts for a feed (docs/decisions.md, 31).
    root = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="thread_posts",
        db_index=False,
    )
    audience = models.CharField(max_length=20, choices=Audience.choices)
    circles = models.ManyToManyField("graph.Circle", blank=True, related_name="posts")
    text = models.TextField(max_length=POST_MAX_LENGTH)
    html = models.TextField()
    created_at = models.DateTimeField(db_index=True)
    edited_at = models.DateTimeField(null=True, blank=True)
    deleted_at = models.DateTimeField(null=True, blank=True)
    removed_by_moderator = models.BooleanField(default=False)
    reply_policy = models.CharField(
        max_length=20, choices=ReplyPolicy.choices, default=ReplyPolicy.EVERYONE
    )
    # A reply the thread's author hid: only its own author (marked "hidden by the
    # author") and the thread's author still see it.
    hidden_at = models.DateTimeField(null=True, blank=True)
    # Set by clients that may retry (the API's Idempotency-Key header, the web form's
    # hidden key): a retried create returns the first post instead of a duplicate.
    idempotency_key = models.CharField(max_length=64, null=True, blank=True)  # noqa: DJ001 (NULL = no key; unique only when set)

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["author", "idempotency_key"],
                condition=Q(idempotency_key__isnull=False),
                name="post_idempotency_key_per_author",
            ),
        ]
        indexes = [
            models.Index(fields=["author", "-created_at", "-id"], name="post_author_recent"),
            # A thread's replies in order.
            models.Index(
                fields=["root", "created_at"],
                name="post_thread_order",
                condition=Q(root__isnull=False),
            ),
            # Top-level posts: each author's newest (a feed of a few people's posts), and
            # the server's newest (a feed of very many people's posts).
            models.Index(
                fields=["author", "-created_at", "-id"],
                name="post_roots_by_author",
                condition=Q(root__isnull=True),
            ),
            models.Index(
                fields=["-created_at", "-id"],
                name="post_roots_recent",
                condition=Q(root__isnull=True),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.author}: {self.text[:40]}"

    @property
    def is_reply(self) -> bool:
        return self.parent_id is not None

    @property
    def is_deleted(self) -> bool:
        return self.deleted_at is not None

    @property
    def is_hidden(self) -> bool:
        return self.hidden_at is not None

    @property
    def thread_root_id(self) -> int:
        return self.root_id or self.pk


class PostEdit(models.Model):
    """An earlier version of a post, kept when the author edits it.

    Visible to exactly the post's audience, like the post itself.
    """

    post = models.ForeignKey(Post, on_delete=models.CASCADE, related_name="edits")
    text = models.TextField(max_length=POST_MAX_LENGTH)
    html = models.TextField()
    written_at = models.DateTimeField()
    replaced_at = models.DateTimeField()

    class Meta:
        ordering = ["-replaced_at"]

    def __str__(self) -> str:
        return f"earlier version of post {self.post_id}"


class Reaction(models.Model):
    post = models.ForeignKey(Post, on_delete=models.CASCADE, related_name="reactions")
    member = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="reactions"
    )
    kind = models.CharField(max_length=12, choices=ReactionKind.choices)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["post", "member"], name="one_reaction_per_member"),
        ]

    def __str__(self) -> str:
        return f"{self.member} {self.kind} on {self.post_id}"
