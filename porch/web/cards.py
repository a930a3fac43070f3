"""What a list of posts needs before it can be drawn as cards, in a fixed number of queries.

Reactions come from ``posts.services.reaction_summaries`` (two queries for any number of
posts, counts only where the service allows them); the circle names on the viewer's own
circle posts come in one more query. Nothing here decides visibility: the posts given
were already fetched through the services.
"""

from __future__ import annotations

from django.db.models import prefetch_related_objects

from porch.posts.models import Audience
from porch.posts.services import reaction_summaries


def prepare_cards(viewer, posts: list) -> list:
    """Attach ``reaction_summary`` to each post and load circle names for the viewer's own."""
    posts = [post for post in posts if post is not None]
    summaries = reaction_summaries(viewer, posts)
    for post in posts:
        post.reaction_summary = summaries[post.pk]
    own_circle_posts = [
        post
        for post in posts
        if viewer.is_authenticated
        and post.author_id == viewer.pk
        and post.root_id is None
        and post.audience == Audience.CIRCLES
    ]
    if own_circle_posts:
        # Only the author is told which circles a post went to.
        prefetch_related_objects(own_circle_posts, "circles")
    return posts
