from django.apps import AppConfig


class SafetyConfig(AppConfig):
    name = "porch.safety"
    verbose_name = "Safety"
