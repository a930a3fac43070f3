"""The home feed, and the "You're all caught up" marker."""

from dataclasses import asdict
from typing import Annotated

from ninja import Query, Router

from porch.errors import InvalidInput
from porch.feed import preferences
from porch.feed import services as feed
from porch.feed.models import FeedOrder
from porch.feed.services import PAGE_SIZE

from .rendering import posts_json, without_filtered_out
from .schemas import (
    FeedOut,
    FeedSeenIn,
    FeedSeenOut,
    FeedSettingsOut,
    FeedSettingsPatch,
    PageCursor,
    PageLimit,
    Timestamp,
    errors,
)

router = Router(tags=["feed"])

SeenBefore = Annotated[
    Timestamp | None,
    Query(
        description="When you last looked (ISO 8601 with time zone); "
        "defaults to the marker stored by POST /feed/seen"
    ),
]


OrderParam = Annotated[
    FeedOrder | None,
    Query(
        description="Override your feed order for this first page; later pages follow the cursor"
    ),
]


@router.get("/feed", response={200: FeedOut, **errors(400, 401)}, exclude_unset=True)
def home_feed(
    request,
    cursor: PageCursor = None,
    limit: PageLimit = PAGE_SIZE,
    seen_before: SeenBefore = None,
    order: OrderParam = None,
):
    """Your posts, your friends' and the people you follow, that you may see, in your
    chosen order (GET /feed/settings): conversations first, or newest first. Every item
    says why it is there. The feed ends: the last page has next_cursor null."""
    page = feed.home_feed(request.auth, cursor, limit, seen_before=seen_before, order=order)
    items = posts_json(request, request.auth, page.posts)
    for item, post in zip(items, page.posts, strict=True):
        item["why_shown"] = post.why_shown
    items = without_filtered_out(items)
    return {
        "order": page.order,
        "items": items,
        "next_cursor": page.next_cursor,
        "new_count": page.new_count,
    }


@router.post("/feed/seen", response={200: FeedSeenOut, **errors(400, 401)})
def mark_feed_seen(request, payload: FeedSeenIn):
    """Tell Porch what your client displayed. ``up_to`` moves the "seen up to" marker to
    the newest feed post created at or before it (it never moves back, so calling this
    twice, or from two devices, is safe); ``post_ids`` marks those posts seen, so they
    sink in conversation order. Send either or both."""
    viewer = request.auth
    if payload.up_to is None and not payload.post_ids:
        raise InvalidInput("Send up_to, post_ids, or both.", field="up_to")
    if payload.up_to is not None:
        feed.do_mark_feed_seen_up_to(viewer, payload.up_to)
    marked = feed.do_mark_posts_seen(viewer, payload.post_ids) if payload.post_ids else 0
    return {"feed_seen_at": viewer.feed_seen_at, "marked": marked}


def _settings_json(current: preferences.FeedSettings) -> dict:
    return {
        "order": current.order,
        "preset": current.preset,
        "weights": current.all_weights(),
        "defaults": preferences.FeedSettings(order=current.order, overrides={}).all_weights(),
        "sliders": [asdict(slider) for slider in preferences.SLIDERS],
        "presets": [
            {
                "key": preset.key,
                "label": preset.label,
                "description": preset.description,
                "weights": preset.weights(),
            }
            for preset in preferences.PRESETS
        ],
    }


@router.get("/feed/settings", response={200: FeedSettingsOut, **errors(401)})
def feed_settings(request):
    """Your feed order and the conversation ranker's weights, with every slider's range
    and the presets."""
    return _settings_json(preferences.feed_settings(request.auth))


@router.patch("/feed/settings", response={200: FeedSettingsOut, **errors(400, 401)})
def update_feed_settings(request, payload: FeedSettingsPatch):
    """Change your feed order, apply a preset, or change some weights (the others keep
    their value). Nothing changes unless everything sent is valid."""
    current = preferences.do_set_feed_settings(
        request.auth, order=payload.order, preset=payload.preset, weights=payload.weights
    )
    return _settings_json(current)
