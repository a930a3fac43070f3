"""``porch moderators``: list, add or remove the community's moderators."""

from __future__ import annotations

from django.core.management.base import CommandError

from porch.accounts.services import member_named
from porch.cli import PorchCommand
from porch.errors import PorchError
from porch.moderation.services import do_grant_moderator, moderators


class Command(PorchCommand):
    help = (
        "List the moderators, or give (--add USERNAME) or take away (--remove USERNAME) "
        "the moderators' permission. Admins always moderate."
    )

    def add_arguments(self, parser):
        group = parser.add_mutually_exclusive_group()
        group.add_argument("--add", metavar="USERNAME")
        group.add_argument("--remove", metavar="USERNAME")

    def handle(self, *args, add, remove, **options):
        username = add or remove
        if username:
            try:
                member = member_named(username)
            except PorchError as error:
                raise CommandError(f"{error.message} ({username})", returncode=2) from None
            if remove and member.is_superuser:
                raise CommandError(f"{member} is an admin; admins always moderate.", returncode=2)
            do_grant_moderator(member, grant=bool(add))
            self.stdout.write(f"{member} {'is now' if add else 'is no longer'} a moderator.")
            return
        people = moderators()
        if not people:
            self.stdout.write("Nobody moderates yet: porch moderators --add USERNAME")
        for member in people:
            role = "admin" if member.is_superuser else "moderator"
            self.stdout.write(f"{member.username}\t{role}")
