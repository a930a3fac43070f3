"""``porch notes``: score every community note now (the worker does it too)."""

from __future__ import annotations

from porch.cli import PorchCommand
from porch.notes.services import score_notes


class Command(PorchCommand):
    help = "Score every community note with the bridging model now and print the figures."

    def handle(self, *args, **options):
        run = score_notes()
        self.stdout.write(
            f"{run['notes']} notes, {run['ratings']} ratings from {run['raters']} raters: "
            f"{run['shown']} shown; {run['iterations']} iterations in {run['seconds']:.3f} s."
        )
