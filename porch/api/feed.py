"""The home feed, and the "You're all caught up" marker."""

from typing import Annotated

from ninja import Query, Router

from porch.feed import services as feed
from porch.feed.services import PAGE_SIZE

from .rendering import posts_json
from .schemas import FeedOut, FeedSeenIn, FeedSeenOut, PageCursor, PageLimit, Timestamp, errors

router = Router(tags=["feed"])

SeenBefore = Annotated[
    Timestamp | None,
    Query(
        description="When you last looked (ISO 8601 with time zone); "
        "defaults to the marker stored by POST /feed/seen"
    ),
]


@router.get("/feed", response={200: FeedOut, **errors(400, 401)}, exclude_unset=True)
def home_feed(
    request,
    cursor: PageCursor = None,
    limit: PageLimit = PAGE_SIZE,
    seen_before: SeenBefore = None,
):
    """Your posts, your friends' and the people you follow, that you may see, newest
    first. The feed ends: the last page has next_cursor null."""
    page = feed.home_feed(request.auth, cursor, limit, seen_before=seen_before)
    return {
        "items": posts_json(request, request.auth, page.posts),
        "next_cursor": page.next_cursor,
        "new_count": page.new_count,
    }


@router.post("/feed/seen", response={200: FeedSeenOut, **errors(400, 401)})
def mark_feed_seen(request, payload: FeedSeenIn):
    """Move your "seen up to" marker to the newest feed post created at or before up_to.

    The marker never moves back, so calling this twice, or from two devices, is safe."""
    viewer = request.auth
    feed.do_mark_feed_seen_up_to(viewer, payload.up_to)
    return {"feed_seen_at": viewer.feed_seen_at}
