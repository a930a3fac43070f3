"""``porch bench``: data for benchmarks.

    porch bench seed --members N [--seed S] [--days 30] [--manifest PATH]

writes a realistic community of N members (friend clusters, heavy-tailed friend counts
and activity, circles, about 100 posts and replies per member over 30 days, reactions
and notifications) into an empty, migrated database in bulk, and a manifest with API
tokens for the load generator (``bench/load.py``). See ``porch/demo/seed.py``.
"""

from __future__ import annotations

import time
from pathlib import Path

from django.conf import settings
from django.core.management.base import CommandError

from porch.cli import PorchCommand
from porch.demo import seed as seeding
from porch.demo.management.commands.demo import _require_migrated

MAX_MEMBERS = 2_000_000


class Command(PorchCommand):
    help = "Benchmark data: `porch bench seed --members N` writes a community in bulk."

    def add_arguments(self, parser):
        actions = parser.add_subparsers(dest="action", required=True, metavar="seed")
        seed_parser = actions.add_parser("seed", help="write a community into an empty database")
        seed_parser.add_argument("--members", type=int, required=True)
        seed_parser.add_argument("--seed", type=int, default=1)
        seed_parser.add_argument("--days", type=int, default=30)
        seed_parser.add_argument(
            "--manifest",
            type=Path,
            default=None,
            help="where the tokens go (default: PORCH_DATA_DIR/bench-manifest.json)",
        )

    def handle(self, *args, action, members, seed: int, days: int, manifest, **options):
        if not 2 <= members <= MAX_MEMBERS:
            raise CommandError(f"--members must be between 2 and {MAX_MEMBERS:,}", returncode=2)
        if not 1 <= days <= 365:
            raise CommandError("--days must be between 1 and 365", returncode=2)
        _require_migrated()
        path = manifest or Path(settings.DATA_DIR) / "bench-manifest.json"
        started = time.perf_counter()
        try:
            result = seeding.seed(
                members, seed=seed, days=days, progress=lambda line: self.stderr.write(f"  {line}")
            )
        except seeding.SeedError as error:
            raise CommandError(str(error), returncode=2) from None
        seeding.write_manifest(result, path)
        counts = result.counts
        self.stdout.write(
            f"seeded {counts['members']:,} members, {counts['friendships']:,} friendships, "
            f"{counts['posts']:,} posts, {counts['replies']:,} replies, "
            f"{counts['reactions']:,} reactions, {counts['notifications']:,} notifications "
            f"in {time.perf_counter() - started:.1f} s; tokens in {path}"
        )
