"""The ``porch`` command: Django's management commands under one name.

    porch serve [--host H] [--port P] [--workers N]   run the server (Granian)
    porch migrate                                      create or update the database
    porch demo                                         load the demo community (safe twice)
    porch createadmin                                  make the first admin
    porch help                                         every other command

Errors a person can fix print one line and exit with status 2.
"""

from __future__ import annotations

import os
import sys


def main(argv: list[str] | None = None) -> None:
    argv = list(sys.argv if argv is None else argv)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "porch.settings")
    from django.core.exceptions import ImproperlyConfigured

    try:
        from django.core.management import execute_from_command_line

        execute_from_command_line(["porch", *argv[1:]])
    except ImproperlyConfigured as error:
        print(f"porch: configuration error: {error}", file=sys.stderr)
        raise SystemExit(2) from None


if __name__ == "__main__":
    main()
