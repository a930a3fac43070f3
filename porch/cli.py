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

from django.core.management.base import BaseCommand, CommandError


class PorchCommand(BaseCommand):
    """A management command whose errors, on the command line, are one line:
    ``porch: <message>`` and the error's exit status (2 for a person's mistake).
    ``call_command()`` in code and tests still gets the ``CommandError``."""

    def execute(self, *args, **options):
        try:
            return super().execute(*args, **options)
        except CommandError as error:
            if not getattr(self, "_called_from_command_line", False) or options.get("traceback"):
                raise
            self.stderr.write(f"porch: {error}")
            raise SystemExit(error.returncode) from None

    def create_parser(self, prog_name, subcommand, **kwargs):
        parser = super().create_parser(prog_name, subcommand, **kwargs)
        raise_or_exit = parser.error

        def error(message):
            # A mistyped option is one line too, pointing at the help, not the usage.
            if parser.called_from_command_line:
                sys.stderr.write(f"porch: {message} (see porch {subcommand} --help)\n")
                raise SystemExit(2)
            raise_or_exit(message)

        parser.error = error
        return parser


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
