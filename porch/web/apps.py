from django.apps import AppConfig


class WebConfig(AppConfig):
    name = "porch.web"
    label = "web"
    verbose_name = "Web"
