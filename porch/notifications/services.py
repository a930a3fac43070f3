"""Creating and reading notifications.

Notifications about a post are written in the same transaction as the post (so none is
lost or sent for a write that rolled back) and filtered again through the visibility
rule when read, so a notification never shows what its recipient may not see.
"""

from __future__ import annotations

from django.db.models import Exists, OuterRef, Q, QuerySet
from django.utils import timezone

from porch.cache import forget, kept
from porch.errors import NotFound
from porch.feed.cursors import Cursor, Page, page_after
from porch.graph.blocks import blocked_ids, is_blocked_between
from porch.graph.reads import muted_ids
from porch.id_lists import among
from porch.posts.visibility import visible_to

from .models import Notification, NotificationKind

PAGE_SIZE = 30


def notify(recipient, actor, kind: NotificationKind, post=None) -> Notification | None:
    """Record that ``actor`` did ``kind`` to ``recipient``; nothing if they are the same."""
    if recipient.pk == actor.pk or not recipient.is_active:
        return None
    if is_blocked_between(recipient, actor):
        return None
    return Notification.objects.create(recipient=recipient, actor=actor, kind=kind, post=post)


def _inbox(member) -> QuerySet[Notification]:
    # Asked per notification (one indexed lookup each), not as "every post the member
    # may see", which is most of the site.
    visible_post = Exists(
        visible_to(member).filter(pk=OuterRef("post_id"), deleted_at__isnull=True)
    )
    # Nobody they muted, nobody on either side of a block (read with the rule's graph).
    return (
        Notification.objects.filter(recipient=member, actor__is_active=True)
        .filter(Q(post__isnull=True) | visible_post)
        .exclude(among("actor_id", muted_ids(member) | blocked_ids(member)))
    )


def list_notifications(
    member, cursor: str | None = None, limit: int = PAGE_SIZE, *, inbox=None
) -> Page:
    """A page of the member's notifications, newest first."""
    inbox = _inbox(member) if inbox is None else inbox
    return page_after(
        # What the API and the page show of each: the actor, the post (its words and
        # where it is), a moderator's action. Not the post's author.
        inbox.select_related("actor", "post", "action"),
        Cursor.parse(cursor),
        limit,
    )


def unread_key(member_id: int) -> str:
    """The cache key of a member's unread count (forgotten whenever one of their
    notifications is written or deleted: notifications.apps)."""
    return f"notifications:unread:{member_id}"


# The unread count is asked on every page and every poll, and counting runs the inbox's
# rule over every unread notification. It is kept this long; a notification written,
# read or deleted forgets it at once. What it may miss for at most this long: a
# notification whose post or actor the member stopped being able to see (a deleted post,
# a block, a mute, an unfriending) still counted.
UNREAD_KEEP_SECONDS = 60


def unread_count(member, *, inbox=None) -> int:
    def count() -> int:
        rule = _inbox(member) if inbox is None else inbox
        return rule.filter(read_at__isnull=True).count()

    return kept(unread_key(member.pk), count, UNREAD_KEEP_SECONDS)


def read_inbox(member, cursor: str | None = None, limit: int = PAGE_SIZE) -> tuple[Page, int]:
    """A page of the member's notifications and how many are unread in all, from one
    build of the inbox's rule (building it is most of the cost of reading it)."""
    inbox = _inbox(member)
    return list_notifications(member, cursor, limit, inbox=inbox), unread_count(member, inbox=inbox)


def do_mark_read(member, notification_id: int) -> Notification:
    notification = Notification.objects.filter(recipient=member, pk=notification_id).first()
    if notification is None:
        raise NotFound("No such notification.")
    if notification.read_at is None:
        notification.read_at = timezone.now()
        notification.save(update_fields=["read_at"])
    return notification


def do_mark_all_read(member) -> int:
    marked = Notification.objects.filter(recipient=member, read_at__isnull=True).update(
        read_at=timezone.now()
    )
    forget(unread_key(member.pk))  # an update sends no signal
    return marked
