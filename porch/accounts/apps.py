from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "porch.accounts"
    label = "accounts"
    verbose_name = "Accounts"

    def ready(self):
        from porch.cache import forget_on_change

        from .models import SiteSettings

        forget_on_change(SiteSettings, lambda row: [SiteSettings.CACHE_KEY])
