"""The notes' background run (django.tasks)."""

from django_tasks import task


@task()
def score_notes_task() -> dict:
    """Score every note with the bridging model (``services.score_notes``)."""
    from .services import score_notes

    return score_notes()
