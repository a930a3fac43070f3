"""``porch serve``: run Porch under Granian, the way a host runs it."""

from __future__ import annotations

import os
import subprocess
import sys

from django.conf import settings
from django.core.management.base import CommandError
from django.db import connection

from porch.cli import PorchCommand
from porch.query_planner import refresh_statistics
from porch.serving import MOST_WORKERS, default_threads, default_workers


def _int_env(name: str, default: int) -> int:
    raw = os.environ.get(name, "")
    try:
        return int(raw) if raw else default
    except ValueError:
        raise CommandError(f"{name} must be a whole number, not {raw!r}") from None


class Command(PorchCommand):
    help = "Serve Porch over HTTP with Granian (PORCH_HOST, PORCH_PORT, PORCH_WORKERS)."

    def add_arguments(self, parser):
        parser.add_argument("--host", default=os.environ.get("PORCH_HOST", "127.0.0.1"))
        parser.add_argument("--port", type=int, default=_int_env("PORCH_PORT", 8000))
        parser.add_argument(
            "--workers",
            type=int,
            default=_int_env("PORCH_WORKERS", default_workers()),
            help=f"processes (default: one per core, at most {MOST_WORKERS})",
        )
        parser.add_argument(
            "--threads",
            type=int,
            default=_int_env("PORCH_THREADS", default_threads()),
            help=f"request threads per process (default: {default_threads()})",
        )

        parser.add_argument(
            "--no-tasks",
            action="store_true",
            help="do not start the background worker (run `porch db_worker` yourself)",
        )

    def _start_worker(self):
        """The background worker for trust scores and notes, beside the web server."""
        if settings.TASKS_MODE != "database":
            return None
        return subprocess.Popen(
            [sys.executable, "-m", "porch.cli", "db_worker", "--no-reload", "--interval", "5"]
        )

    def handle(self, *args, host, port, workers, threads, no_tasks=False, **options):
        from granian.constants import Interfaces
        from granian.server import Server

        if not 1 <= port <= 65535:
            raise CommandError("--port must be between 1 and 65535")
        if workers < 1 or threads < 1:
            raise CommandError("--workers and --threads must be at least 1")
        self.stdout.write(
            f"Porch ({settings.ENVIRONMENT}) on http://{host}:{port}/ "
            f"with {workers} worker(s) x {threads} thread(s); Ctrl-C stops it."
        )
        if connection.vendor == "sqlite":
            # SQLite plans from statistics only ANALYZE writes: refresh them at start
            # (milliseconds), so plans follow the data as the server grows.
            refresh_statistics()
        worker = None if no_tasks else self._start_worker()
        try:
            Server(
                "porch.wsgi:application",
                address=host,
                port=port,
                interface=Interfaces.WSGI,
                workers=workers,
                blocking_threads=threads,
            ).serve()
        finally:
            if worker is not None:
                worker.terminate()
                worker.wait(timeout=10)
