"""Markdown tables from a ``bench.load`` result, for docs/performance.md.

python -m bench.report bench/results/<date>-<backend>.json [...]
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path


def scenarios_table(result: dict) -> str:
    rows = [
        "| scenario | Porch req/s | p50 ms | p95 ms | p99 ms | errors | floor req/s | floor p99 ms"
        " | floor ÷ Porch |",
        "|---|--:|--:|--:|--:|--:|--:|--:|--:|",
    ]
    for name, f in result["scenarios"].items():
        rows.append(
            f"| `{name}` | {f['rps']:,} | {f['p50_ms']} | {f['p95_ms']} | {f['p99_ms']}"
            f" | {f['errors']} | {f['floor_rps']:,} | {f['floor_p99_ms']}"
            f" | {f['floor_over_porch']}x |"
        )
    return "\n".join(rows)


def growth_table(result: dict) -> str:
    rows = [
        "| members | friends | conversation, shown again: p50 ms | conversation, ranked anew:"
        " p50 / p95 ms | newest first: p50 ms | posting to friends: p50 / p95 / max ms |",
        "|--:|--:|--:|--:|--:|--:|",
    ]
    for r in sorted(result["growth"], key=lambda r: (r["members"], r["friends"])):
        posting = (
            f"{r['post_p50_ms']} / {r['post_p95_ms']} / {r['post_max_ms']}"
            if "post_p50_ms" in r
            else "—"
        )
        rows.append(
            f"| {r['members']:,} | {r['friends']:,} | {r['conversation_p50_ms']}"
            f" | {r['conversation_cold_p50_ms']} / {r['conversation_cold_p95_ms']}"
            f" | {r['chronological_p50_ms']} | {posting} |"
        )
    return "\n".join(rows)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("results", nargs="+", type=Path)
    args = parser.parse_args(argv)
    for path in args.results:
        try:
            result = json.loads(path.read_text())
        except (OSError, ValueError) as error:
            print(f"bench.report: cannot read {path}: {error}", file=sys.stderr)
            return 2
        print(f"### {path.name}: {result['backend']}, {result['members']:,} members\n")
        print(scenarios_table(result) + "\n")
        if result.get("growth"):
            print(growth_table(result) + "\n")
        if result.get("soak"):
            soak = result["soak"]
            print(
                f"Soak: {soak['seconds']:.0f} s of the mixed workload at {soak['connections']}"
                f" connections: {soak['rps']} req/s, p50 {soak['p50_ms']} ms, p99"
                f" {soak['p99_ms']} ms, {soak['errors']} errors in {soak['requests']:,}"
                f" requests; memory {soak['rss_first_tenth_mb']} MB (first tenth) →"
                f" {soak['rss_last_tenth_mb']} MB (last tenth), peak {soak['rss_peak_mb']} MB.\n"
            )
        print(
            f"Peak memory of `porch serve` and every process it started: {result['peak_rss_mb']} MB.\n"
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
