from django.apps import AppConfig


class SafetyConfig(AppConfig):
    name = "porch.safety"
    verbose_name = "Safety"

    def ready(self):
        from porch.cache import forget_on_change

        from .filters import filters_key
        from .models import KeywordFilter

        forget_on_change(KeywordFilter, lambda row: [filters_key(row.member_id)])
