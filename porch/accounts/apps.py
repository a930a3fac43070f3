from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "porch.accounts"
    label = "accounts"
    verbose_name = "Accounts"
