"""``porch createadmin``: make the first admin (asks for what is missing)."""

from __future__ import annotations

import getpass
import os

from django.core.management.base import CommandError

from porch.accounts.services import do_create_admin
from porch.cli import PorchCommand
from porch.errors import PorchError


class Command(PorchCommand):
    help = "Create an admin member (PORCH_ADMIN_PASSWORD may carry the password)."

    def add_arguments(self, parser):
        parser.add_argument("--username", required=False)
        parser.add_argument("--email", default="")

    def handle(self, *args, username, email, **options):
        username = username or input("Username: ").strip()
        password = os.environ.get("PORCH_ADMIN_PASSWORD") or ""
        if not password:
            password = getpass.getpass("Password: ")
            if getpass.getpass("Password (again): ") != password:
                raise CommandError("The passwords do not match.", returncode=2)
        try:
            member = do_create_admin(username=username, password=password, email=email)
        except PorchError as error:
            raise CommandError(error.message, returncode=2) from None
        self.stdout.write(self.style.SUCCESS(f"Admin {member.username} created."))
