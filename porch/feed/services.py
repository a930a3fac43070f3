"""The home feed: the member's own posts, friends' posts and followed members' posts
that the member may see, newest first, ending with "You're all caught up".

Never a stranger's post, never a suggestion, never an ad.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Q

from porch.accounts.models import Member
from porch.graph.models import Follow, Friendship
from porch.posts.models import Post
from porch.posts.services import with_reply_counts
from porch.posts.visibility import visible_roots

from .cursors import Cursor, page_after

PAGE_SIZE = 20


@dataclass
class FeedPage:
    posts: list[Post]
    next_cursor: str | None
    # How many posts at the top of this page are new since the member's previous
    # visit; the "You're all caught up" marker goes after them. None: not on this page.
    new_count: int | None
    # True when this page reaches the end of everything the feed holds.
    at_end: bool


def feed_posts(viewer):
    """The query behind the home feed (before ordering and paging)."""
    friends = Friendship.objects.filter(member=viewer).values("friend_id")
    followees = Follow.objects.filter(follower=viewer).values("followee_id")
    people = Q(author_id=viewer.pk) | Q(author_id__in=friends) | Q(author_id__in=followees)
    return with_reply_counts(
        visible_roots(viewer).filter(people, deleted_at__isnull=True, author__is_active=True)
    ).select_related("author")


def home_feed(viewer, cursor: str | None = None, limit: int = PAGE_SIZE, *, seen_before=None):
    """A page of the home feed. ``seen_before``: when the member last looked (for the
    caught-up marker); defaults to the stored ``feed_seen_at``."""
    page = page_after(feed_posts(viewer), Cursor.parse(cursor), limit)
    seen_before = viewer.feed_seen_at if seen_before is None else seen_before
    new_count = None
    if seen_before is not None:
        new = sum(1 for post in page.items if post.created_at > seen_before)
        # The marker belongs on this page when some posts here are older than the last visit.
        if new < len(page.items) or page.next_cursor is None:
            new_count = new
    elif page.next_cursor is None:
        new_count = len(page.items)
    return FeedPage(
        posts=page.items,
        next_cursor=page.next_cursor,
        new_count=new_count,
        at_end=page.next_cursor is None,
    )


def do_mark_feed_seen_up_to(viewer, up_to) -> None:
    """Mark seen the newest feed post created at or before ``up_to`` (for clients that
    report what they displayed). The marker never moves back."""
    newest = feed_posts(viewer).filter(created_at__lte=up_to).order_by("-created_at", "-pk").first()
    do_mark_feed_seen(viewer, [newest] if newest else [])


def do_mark_feed_seen(viewer, posts: list[Post]) -> None:
    """Remember the newest post the member has now seen, for the next visit's marker."""
    if not posts:
        return
    newest = max(post.created_at for post in posts)
    if viewer.feed_seen_at is None or newest > viewer.feed_seen_at:
        Member.objects.filter(pk=viewer.pk).update(feed_seen_at=newest)
        viewer.feed_seen_at = newest
