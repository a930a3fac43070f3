from django.apps import AppConfig


class NotesConfig(AppConfig):
    name = "porch.notes"
    verbose_name = "Community notes"
