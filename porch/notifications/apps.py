from django.apps import AppConfig


class NotificationsConfig(AppConfig):
    name = "porch.notifications"
    label = "notifications"
    verbose_name = "Notifications"
