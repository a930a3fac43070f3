from django.apps import AppConfig


class TrustConfig(AppConfig):
    name = "porch.trust"
    verbose_name = "Personal trust"

    def ready(self):
        from . import signals  # noqa: F401 (connects the receivers)
