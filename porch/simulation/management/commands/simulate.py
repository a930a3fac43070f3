"""``porch simulate``: run the feed simulation and write its results.

    porch simulate --members N --seeds K --out DIR [--graph NAME|PATH]

NAME is reed98 (a real Facebook friendship network, shipped with Porch), clustered
(the default) or small-world; PATH is an edge-list file (one ``a b`` pair per line;
``--members`` is then ignored). Writes DIR/results.json and DIR/results.png, and
prints the table. See docs/algorithms/feed.md.
"""

from __future__ import annotations

import io
from dataclasses import fields, replace
from pathlib import Path

from django.core.management.base import CommandError
from rich.console import Console
from rich.progress import BarColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table

from porch.cli import PorchCommand
from porch.feed.rankers import Weights
from porch.simulation.graphs import NAMES, GraphError
from porch.simulation.model import RANKERS, Behaviour
from porch.simulation.report import rows, write
from porch.simulation.runner import simulate


def _weight(text: str) -> tuple[str, float]:
    name, _, value = text.partition("=")
    known = {f.name for f in fields(Weights)}
    if name not in known:
        raise CommandError(
            f"unknown weight {name!r}: choose from {', '.join(sorted(known))}", returncode=2
        )
    try:
        number = float(value)
    except ValueError:
        raise CommandError(f"--weight {name}: give a number, as {name}=1.5", returncode=2) from None
    return name, number


class Command(PorchCommand):
    help = "Simulate a community under each feed order and measure conversation."

    def add_arguments(self, parser):
        parser.add_argument("--members", type=int, default=1000, help="for a generated graph")
        parser.add_argument("--seeds", type=int, default=5)
        parser.add_argument("--out", type=Path, default=Path("var/simulation"))
        parser.add_argument(
            "--graph", default="clustered", help=f"{', '.join(NAMES)} or an edge-list file"
        )
        parser.add_argument("--days", type=int, default=3, help="measured days")
        parser.add_argument("--warmup-days", type=int, default=2)
        parser.add_argument("--rankers", default=",".join(RANKERS))
        parser.add_argument("--broadcasters", type=float, default=Behaviour().broadcaster_share)
        parser.add_argument("--workers", type=int, default=None, help="processes (all cores)")
        parser.add_argument(
            "--weight",
            action="append",
            default=[],
            metavar="NAME=VALUE",
            help="a conversation-ranker weight (repeatable)",
        )

    def handle(self, *args, **options):
        if not 0 <= options["broadcasters"] < 1:
            raise CommandError("--broadcasters is a share: from 0 to below 1", returncode=2)
        if options["workers"] is not None and options["workers"] < 1:
            raise CommandError("--workers must be at least 1", returncode=2)
        if options["warmup_days"] < 0:
            raise CommandError("--warmup-days cannot be negative", returncode=2)
        out: Path = options["out"]
        if out.exists() and not out.is_dir():
            raise CommandError(f"--out {out} is a file, not a directory", returncode=2)
        weights = replace(Weights(), **dict(_weight(w) for w in options["weight"]))
        behaviour = replace(Behaviour(), broadcaster_share=options["broadcasters"])
        rankers = [r.strip() for r in options["rankers"].split(",") if r.strip()]
        console = Console(stderr=True)
        with Progress(
            TextColumn("simulating"),
            BarColumn(),
            TextColumn("{task.percentage:>3.0f}%"),
            TimeElapsedColumn(),
            console=console,
            transient=True,
            disable=not console.is_terminal,
        ) as progress:
            task = progress.add_task("simulating", total=None)
            try:
                results = simulate(
                    members=options["members"],
                    seeds=options["seeds"],
                    graph=options["graph"],
                    rankers=rankers,
                    behaviour=behaviour,
                    weights=weights,
                    days=options["days"],
                    warmup_days=options["warmup_days"],
                    workers=options["workers"],
                    on_progress=lambda done, total: progress.update(
                        task, completed=done, total=total
                    ),
                )
            except GraphError as error:
                raise CommandError(str(error), returncode=2) from None
        try:
            write(results, out)
        except OSError as error:
            raise CommandError(f"cannot write to {out}: {error.strerror}", returncode=2) from None
        self._print(results, out)

    def _print(self, results: dict, out: Path) -> None:
        buffer = io.StringIO()
        console = Console(file=buffer, width=100)
        header, body = rows(results)
        table = Table(
            title=f"{results['graph']}, {results['members']:,} members, "
            f"{results['seeds']} seeds, {results['seconds']:.1f} s"
        )
        for column in header:
            table.add_column(column, justify="left" if column == "metric" else "right")
        for row in body:
            table.add_row(*row)
        console.print(table)
        checks = results["targets"]
        if checks:
            console.print(
                "silence cut vs chronological "
                f"{checks['silence_cut_vs_chronological']:.1%}"
                + (
                    f", vs engagement {checks['silence_cut_vs_engagement']:.1%}"
                    if "silence_cut_vs_engagement" in checks
                    else ""
                )
                + f"; targets {'met' if checks['met'] else 'NOT met'}"
            )
        console.print(f"written to {out / 'results.json'} and {out / 'results.png'}")
        self.stdout.write(buffer.getvalue(), ending="")
