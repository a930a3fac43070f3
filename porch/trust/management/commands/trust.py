"""``porch trust``: compute every member's trust score now (the worker does it too)."""

from __future__ import annotations

from porch.cli import PorchCommand
from porch.trust.services import compute_trust


class Command(PorchCommand):
    help = "Compute every member's trust score now and print the run's figures."

    def handle(self, *args, **options):
        run = compute_trust()
        if not run.get("seeds"):
            self.stdout.write("Nobody is connected yet: no trust to compute.")
            return
        self.stdout.write(
            f"{run['members']} members, {run['edges']} connections, {run['seeds']} trusted "
            f"seed(s): {run['iterations']} iterations in {run['seconds']:.3f} s; "
            f"{run['low']} member(s) with low trust."
        )
