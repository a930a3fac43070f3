"""What a list of posts needs before it can be drawn as cards, in a fixed number of queries.

Reactions come from ``posts.services.reaction_summaries`` (two queries for any number of
posts, counts only where the service allows them); the circles of the viewer's own posts
from ``posts.services.post_circles`` (one query). Nothing here decides visibility: the
posts given were already fetched through the services.
"""

from __future__ import annotations

from porch.notes.services import shown_notes
from porch.posts.models import Audience
from porch.posts.services import post_circles, reaction_summaries
from porch.safety.filters import apply_filters


def prepare_cards(viewer, posts: list) -> list:
    """Attach ``reaction_summary`` to each post, ``circle_list`` to the viewer's own
    circle posts (only their author is told which circles a post went to), and
    ``filtered``: the viewer's keyword filter it trips, if any; ``shown_note``: the
    community note shown under a public post, if one is."""
    apply_filters(viewer, posts)
    summaries = reaction_summaries(viewer, posts)
    notes = shown_notes(posts)
    for post in posts:
        post.reaction_summary = summaries[post.pk]
        post.circle_list = None
        post.shown_note = notes.get(post.pk)
    if viewer.is_authenticated:
        by_pk = {post.pk: post for post in posts if post.audience == Audience.CIRCLES}
        for pk, circles in post_circles(viewer, list(by_pk.values())).items():
            by_pk[pk].circle_list = circles
    return posts
