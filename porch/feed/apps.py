from django.apps import AppConfig


class FeedConfig(AppConfig):
    name = "porch.feed"
    label = "feed"
    verbose_name = "Feed"

    def ready(self):
        from porch.cache import forget_on_change
        from porch.posts.models import Post, Reaction

        from .models import FeedPreference
        from .preferences import preference_key

        forget_on_change(Post, _post_keys)
        forget_on_change(Reaction, _reaction_keys)
        forget_on_change(FeedPreference, lambda row: [preference_key(row.member_id)])


def _author_of(instance, field: str) -> int | None:
    """The author of the post ``instance.<field>`` points to, from the object when it
    was loaded, else read (one indexed query)."""
    from porch.posts.models import Post

    descriptor = getattr(type(instance), field)
    if descriptor.is_cached(instance):
        related = getattr(instance, field)
        return related.author_id if related is not None else None
    post_id = getattr(instance, f"{field}_id")
    if post_id is None:
        return None
    return Post.objects.filter(pk=post_id).values_list("author_id", flat=True).first()


def _post_keys(post) -> list[str]:
    from .features import interactions_keys, ratio_key

    # A post or reply written, edited or deleted changes its author's reply ratio; a
    # reply, what its author and the author it answers have said to each other.
    keys = [ratio_key(post.author_id)]
    if post.parent_id is not None:
        keys += interactions_keys(post.author_id, _author_of(post, "parent"))
    return keys


def _reaction_keys(reaction) -> list[str]:
    from .features import interactions_keys

    return interactions_keys(reaction.member_id, _author_of(reaction, "post"))
