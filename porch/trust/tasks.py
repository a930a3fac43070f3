"""The trust scores' background run (django.tasks)."""

from django_tasks import task


@task()
def compute_trust_task() -> dict:
    """Recompute every member's trust score (``services.compute_trust``)."""
    from .services import compute_trust

    return compute_trust()
