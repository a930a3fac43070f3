from django.apps import AppConfig


class FeedConfig(AppConfig):
    name = "porch.feed"
    label = "feed"
    verbose_name = "Feed"
