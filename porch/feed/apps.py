from django.apps import AppConfig


class FeedConfig(AppConfig):
    name = "porch.feed"
    label = "feed"
    verbose_name = "Feed"

    def ready(self):
        from django.db.models.signals import post_delete, post_save

        from porch.cache import forget_on_change
        from porch.posts.models import Post, Reaction

        from .models import FeedPreference
        from .preferences import preference_key

        post_save.connect(_post_changed, sender=Post, dispatch_uid="feed-post-saved")
        post_delete.connect(_post_changed, sender=Post, dispatch_uid="feed-post-deleted")
        post_save.connect(_reaction_changed, sender=Reaction, dispatch_uid="feed-reaction-saved")
        post_delete.connect(
            _reaction_changed, sender=Reaction, dispatch_uid="feed-reaction-deleted"
        )
        forget_on_change(FeedPreference, lambda row: preference_key(row.member_id))


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


def _post_changed(sender, instance, **kwargs):
    from .features import forget_interactions, forget_reply_ratio

    # A post or reply written, edited or deleted changes its author's reply ratio; a
    # reply, what its author and the author it answers have said to each other.
    forget_reply_ratio(instance.author_id)
    if instance.parent_id is not None:
        forget_interactions(instance.author_id, _author_of(instance, "parent"))


def _reaction_changed(sender, instance, **kwargs):
    from .features import forget_interactions

    forget_interactions(instance.member_id, _author_of(instance, "post"))
