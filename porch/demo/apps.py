from django.apps import AppConfig


class DemoConfig(AppConfig):
    name = "porch.demo"
    label = "demo"
    verbose_name = "Demo community"
