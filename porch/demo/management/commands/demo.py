"""``porch demo``: load the demo community, a small town's worth of people and a week
of their posts, so there is something real to look at. Safe to run twice.

    porch demo               load it, unless it is already there
    porch demo --first-run   load it only into a database with no members at all
                             (``make run`` calls this every time)
"""

from __future__ import annotations

import os
import time

from django.conf import settings
from django.core.management.base import CommandError
from django.db import DatabaseError, connection
from django.db.migrations.executor import MigrationExecutor

from porch.accounts.models import Member
from porch.cli import PorchCommand
from porch.demo import community
from porch.demo.loader import LoadSummary, load


def _require_migrated() -> None:
    try:
        executor = MigrationExecutor(connection)
        unapplied = executor.migration_plan(executor.loader.graph.leaf_nodes())
    except DatabaseError as error:
        first_line = str(error).strip().splitlines()[0] if str(error).strip() else ""
        raise CommandError(f"cannot reach the database: {first_line}", returncode=2) from None
    if unapplied:
        raise CommandError("run 'porch migrate' first", returncode=2)


def _site_url() -> str:
    return f"http://127.0.0.1:{os.environ.get('PORCH_PORT') or 8000}/"


class Command(PorchCommand):
    help = "Load the demo community (about 40 members and a week of posts). Safe to run twice."

    def add_arguments(self, parser):
        parser.add_argument(
            "--first-run",
            action="store_true",
            help="load only when the database has no members at all (what `make run` does)",
        )

    def handle(self, *args, first_run: bool, **options):
        if settings.PRODUCTION:
            raise CommandError(
                "the demo publishes its members' password; it does not load when "
                "PORCH_ENV=production",
                returncode=2,
            )
        _require_migrated()
        if Member.objects.filter(username__iexact=community.MARKER_USERNAME).exists():
            # `make run` comes here every time after the first: remind of the log-ins.
            self.stdout.write("The demo community is already loaded; nothing changed.")
            self.write_logins()
            return
        if first_run and Member.objects.exists():
            self.stdout.write(
                "porch: this database already has members, so the demo was not loaded."
            )
            return
        taken = sorted(
            Member.objects.filter(username__in=community.demo_usernames()).values_list(
                "username", flat=True
            )
        )
        if taken:
            raise CommandError(
                "cannot load the demo: these usernames are taken: " + ", ".join(taken),
                returncode=2,
            )
        started = time.monotonic()
        summary = load()
        self.write_summary(summary, time.monotonic() - started)
        self.write_logins()
        self.stdout.write(
            f"  Someone new can join with host's invite: {_site_url()}invite/{summary.invite_code}/"
        )

    def write_summary(self, summary: LoadSummary, seconds: float) -> None:
        self.stdout.write(
            self.style.SUCCESS(f"Loaded the demo community in {seconds:.1f} s:")
            + f" {summary.members} members, {summary.friendships} friendships"
            f" ({summary.pending_requests} requests waiting), {summary.follows} follows,"
            f" {summary.circles} circles, {summary.posts} posts, {summary.replies} replies,"
            f" {summary.reactions} reactions ({summary.edited} posts edited,"
            f" {summary.deleted} deleted)."
        )

    def write_logins(self) -> None:
        url = _site_url()
        password = community.DEMO_PASSWORD
        (first, why), *others = community.SUGGESTED_LOGINS
        self.stdout.write("")
        self.stdout.write(
            self.style.SUCCESS(f"  Open {url} and log in as {first} / {password}") + f"  ({why})"
        )
        self.stdout.write("  Other log-ins, same password:")
        for username, why in others:
            self.stdout.write(f"    {username:<8} {why}")
        self.stdout.write(
            f"    {community.ADMIN_USERNAME:<8} the admin, who can also use {url}admin/"
        )
