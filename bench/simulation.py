"""The feed simulation at the issue's size, and how its run time grows with members.

    python -m bench.simulation [--large] [--members 10000] [--seeds 5] [--growth 1000]
                               [--out bench/results]

Runs ``porch simulate`` on the real graph (reed98) and on a generated 10,000-member
graph, 5 seeds each, then one seed at each ``--growth`` size (1,000; 100,000 too with
``--large``) for the growth table. Writes ``<date>-simulation.json`` and each run's results.json and
results.png under ``<date>-simulation/``.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import statistics
import sys
import time
from datetime import UTC, datetime
from pathlib import Path

from porch.simulation.report import write
from porch.simulation.runner import simulate


def _run(label: str, out: Path, **kwargs) -> dict:
    print(f"simulating {label} …", flush=True)
    started = time.perf_counter()
    results = simulate(**kwargs)
    wall = time.perf_counter() - started
    write(results, out / label)
    silence = {r: round(v["silence_rate"]["mean"], 3) for r, v in results["rankers"].items()}
    print(
        f"  {results['members']:,} members, {results['seeds']} seeds, in {wall:.1f} s; "
        f"silence {silence}; targets {'met' if results['targets'].get('met') else 'NOT met'}"
    )
    return results


def _growth_row(results: dict) -> dict:
    per_run = [run["seconds"] for run in results["runs"]]
    return {
        "members": results["members"],
        "runs": len(per_run),
        "median_seconds_per_run": round(statistics.median(per_run), 2),
        "wall_seconds": results["seconds"],
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--large", action="store_true", help="also 100,000 members")
    parser.add_argument("--members", type=int, default=10_000)
    parser.add_argument("--seeds", type=int, default=5)
    parser.add_argument("--growth", default="1000", help="more sizes, one seed each")
    parser.add_argument("--out", type=Path, default=Path("bench/results"))
    args = parser.parse_args(argv)
    try:
        sizes = [int(size) for size in args.growth.split(",") if size.strip()]
    except ValueError:
        sizes = [0]
    if args.seeds < 1 or args.members < 50 or min(sizes, default=50) < 50:
        print("bench: --seeds must be at least 1, and sizes at least 50 members", file=sys.stderr)
        return 2
    if args.large:
        sizes.append(100_000)
    date = datetime.now(UTC).date()
    out = args.out / f"{date}-simulation"
    real = _run("reed98", out, members=0, seeds=args.seeds, graph="reed98")
    main_run = _run(f"clustered-{args.members}", out, members=args.members, seeds=args.seeds)
    growth = [_growth_row(main_run)]
    for size in sizes:
        growth.append(_growth_row(_run(f"clustered-{size}", out, members=size, seeds=1)))
    growth.sort(key=lambda row: row["members"])
    summary = {
        "benchmark": "simulation",
        "reed98": {k: real[k] for k in ("rankers", "members", "seeds", "seconds", "targets")},
        "clustered": {
            k: main_run[k] for k in ("rankers", "members", "seeds", "seconds", "targets")
        },
        "growth": growth,
        "cores": os.cpu_count(),
        "python": platform.python_version(),
    }
    path = args.out / f"{date}-simulation.json"
    path.write_text(json.dumps(summary, indent=2) + "\n")
    print("run time by members (one seed, three rankers, two processes):")
    for row in growth:
        print(
            f"  {row['members']:>7,} members: {row['median_seconds_per_run']:>7.1f} s per run "
            f"(median), {row['wall_seconds']:>7.1f} s for {row['runs']} runs"
        )
    print(f"written to {path} and {out}/")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
