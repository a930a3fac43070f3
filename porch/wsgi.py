"""WSGI entry point; ``porch serve`` runs it under Granian."""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "porch.settings")

application = get_wsgi_application()


def _warm_up() -> None:
    """Load what the first requests would otherwise wait for, in each worker process as
    it starts: the hostility model (read from its package files, about 0.8 s, which the
    first reply a process took used to pay)."""
    from porch.safety.hostility import hostility

    hostility(["Lovely to see you all."])


_warm_up()
