"""Creating and reading notifications.

Notifications about a post are written in the same transaction as the post (so none is
lost or sent for a write that rolled back) and filtered again through the visibility
rule when read, so a notification never shows what its recipient may not see.
"""

from __future__ import annotations

from django.db.models import Count, Exists, OuterRef, Q
from django.utils import timezone

from porch.cache import forget, kept
from porch.compiled import ID, IDS, MOMENT, CompiledQuery
from porch.errors import NotFound
from porch.feed.cursors import Cursor, Page, compiled_page, newest_after
from porch.graph.blocks import blocked_ids, is_blocked_between
from porch.graph.reads import muted_ids
from porch.id_lists import IdList, among
from porch.posts.visibility import RULE_INPUTS, posts_visible_to, rule_inputs

from .models import Notification, NotificationKind

PAGE_SIZE = 30


def notify(recipient, actor, kind: NotificationKind, post=None) -> Notification | None:
    """Record that ``actor`` did ``kind`` to ``recipient``; nothing if they are the same."""
    if recipient.pk == actor.pk or not recipient.is_active:
        return None
    if is_blocked_between(recipient, actor):
        return None
    return Notification.objects.create(recipient=recipient, actor=actor, kind=kind, post=post)


def _inbox_rule(viewer_id: int, friends: IdList, blocked: IdList, excluded: IdList):
    """The member's notifications they may see, from the rule's inputs (for
    ``porch.compiled``): their friends and the people on either side of a block with
    them (``visibility.viewer_graph``), and whom they muted or blocked or who blocked
    them (``excluded``)."""
    # Asked per notification (one indexed lookup each), not as "every post the member
    # may see", which is most of the site.
    visible_post = Exists(
        posts_visible_to(viewer_id, friends, blocked).filter(
            pk=OuterRef("post_id"), deleted_at__isnull=True
        )
    )
    # Nobody they muted, nobody on either side of a block.
    return (
        Notification.objects.filter(recipient_id=viewer_id, actor__is_active=True)
        .filter(Q(post__isnull=True) | visible_post)
        .exclude(among("actor_id", excluded))
    )


def _inputs(member) -> dict:
    """The inbox rule's inputs for ``member`` (read with the rule's graph, once in a GET)."""
    return {**rule_inputs(member), "excluded": IdList(muted_ids(member) | blocked_ids(member))}


def _inbox_page(viewer_id, friends, blocked, excluded, after_at, after_pk, *, size):
    # What the API and the page show of each: the actor, the post (its words and where
    # it is), a moderator's action. Not the post's author.
    rows = _inbox_rule(viewer_id, friends, blocked, excluded).select_related(
        "actor", "post", "action"
    )
    return newest_after(rows, after_at, after_pk, size)


# Built and compiled once per shape (decisions.md, 36): building and compiling the
# inbox's rule was four fifths of reading a page.
INBOX_PAGE = CompiledQuery(_inbox_page, **RULE_INPUTS, excluded=IDS, after_at=MOMENT, after_pk=ID)


def list_notifications(member, cursor: str | None = None, limit: int = PAGE_SIZE) -> Page:
    """A page of the member's notifications, newest first."""
    return compiled_page(INBOX_PAGE, Cursor.parse(cursor), limit, **_inputs(member))


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


def _unread(viewer_id, friends, blocked, excluded):
    # A count as rows (one, or none for nothing unread): ``count()`` would compile anew.
    return (
        _inbox_rule(viewer_id, friends, blocked, excluded)
        .filter(read_at__isnull=True)
        .order_by()
        .values("recipient_id")
        .annotate(n=Count("pk"))
        .values_list("n", flat=True)
    )


_UNREAD = CompiledQuery(_unread, **RULE_INPUTS, excluded=IDS)


def unread_count(member) -> int:
    def count() -> int:
        return sum(_UNREAD.rows(**_inputs(member)))

    return kept(unread_key(member.pk), count, UNREAD_KEEP_SECONDS)


def read_inbox(member, cursor: str | None = None, limit: int = PAGE_SIZE) -> tuple[Page, int]:
    """A page of the member's notifications and how many are unread in all."""
    return list_notifications(member, cursor, limit), unread_count(member)


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
