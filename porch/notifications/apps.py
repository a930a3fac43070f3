from django.apps import AppConfig


class NotificationsConfig(AppConfig):
    name = "porch.notifications"
    label = "notifications"
    verbose_name = "Notifications"

    def ready(self):
        from porch.cache import forget_on_change

        from .models import Notification
        from .services import unread_key

        forget_on_change(Notification, lambda row: [unread_key(row.recipient_id)])
