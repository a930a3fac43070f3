"""How well the "Are you sure?" nudge spots hostile replies, on Porch's labelled set.

    python -m bench.hostility [--threshold 0.5]

Prints precision, recall and F1 at the nudge's threshold and at a few others, and the
time to score one reply.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time

from porch.safety.hostility import NUDGE_THRESHOLD, evaluate, hostility, labelled


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--threshold", type=float, default=NUDGE_THRESHOLD)
    args = parser.parse_args(argv)
    if not 0 < args.threshold < 1:
        print("bench: --threshold must be between 0 and 1", file=sys.stderr)
        return 2
    rows = labelled()
    for threshold in sorted({0.3, args.threshold, 0.7, 0.9}):
        r = evaluate(rows, threshold)
        mark = "  <- the nudge" if threshold == args.threshold else ""
        print(
            f"threshold {threshold:.2f}: precision {r['precision']:.3f}, recall "
            f"{r['recall']:.3f}, F1 {r['f1']:.3f} ({r['examples']} replies, "
            f"{r['hostile']} hostile){mark}"
        )
    hostility(["warm up"])
    times = []
    for _ in range(50):
        start = time.perf_counter()
        hostility(["Nobody cares about your stupid cat."])
        times.append(time.perf_counter() - start)
    print(f"scoring one reply: median {statistics.median(times) * 1000:.2f} ms")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
