from django.apps import AppConfig


class FeedConfig(AppConfig):
    name = "porch.feed"
    label = "feed"
    verbose_name = "Feed"

    def ready(self):
        from django.db.models.signals import post_delete, post_save

        from porch.posts.models import Post

        post_save.connect(_forget_ratio, sender=Post, dispatch_uid="feed-forget-ratio-save")
        post_delete.connect(_forget_ratio, sender=Post, dispatch_uid="feed-forget-ratio-delete")


def _forget_ratio(sender, instance, **kwargs):
    # A post or reply written, edited or deleted changes its author's reply ratio.
    from .features import forget_reply_ratio

    forget_reply_ratio(instance.author_id)
