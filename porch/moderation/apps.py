from django.apps import AppConfig


class ModerationConfig(AppConfig):
    name = "porch.moderation"
    verbose_name = "Moderation"
