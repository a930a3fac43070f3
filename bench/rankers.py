"""Ranking one page of candidates: the conversation ranker against the chronological
ranker on the same candidates, in the same run.

    python -m bench.rankers [--candidates 500] [--repeats 31] [--out bench/results]

Prints the medians and their ratio, and writes ``<date>-rankers.json``.
"""

from __future__ import annotations

import argparse
import json
import platform
import random
import statistics
import sys
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

from porch.feed.rankers import Candidate, ChronologicalRanker, ConversationRanker, Weights


def make_candidates(count: int, seed: int = 7) -> list[Candidate]:
    """A realistic page: ~150 authors, most of them friends, posts from the last week."""
    rng = random.Random(seed)
    now = datetime(2026, 12, 1, 12, tzinfo=UTC)
    authors = max(1, count // 3)
    candidates = []
    for post_id in range(1, count + 1):
        author = rng.randrange(authors)
        replies = rng.choice([0, 0, 0, 1, 2, 3, 5, 8])
        candidates.append(
            Candidate(
                post_id=post_id,
                author_id=author,
                author_name=f"Member {author}",
                created_at=now - timedelta(hours=rng.uniform(0, 168)),
                mutual_friend=rng.random() < 0.85,
                shared_circles=rng.choice([0, 0, 0, 1, 2]),
                interactions_to_author=rng.expovariate(0.5),
                interactions_from_author=rng.expovariate(0.5),
                replies=replies,
                network_repliers=min(replies, rng.randrange(4)),
                author_reply_ratio=rng.choice([None, rng.uniform(0, 2)]),
                seen=rng.random() < 0.3,
            )
        )
    return candidates


def median_seconds(rank, candidates, now, repeats: int) -> float:
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        rank(candidates, now, Weights())
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def run(count: int, repeats: int) -> dict:
    candidates = make_candidates(count)
    now = datetime(2026, 12, 1, 12, tzinfo=UTC)
    chronological = median_seconds(ChronologicalRanker().rank, candidates, now, repeats)
    conversation = median_seconds(ConversationRanker().rank, candidates, now, repeats)
    # The explanations are part of what the feed serves: format them for one page too.
    ranked = ConversationRanker().rank(candidates, now, Weights())
    start = time.perf_counter()
    for item in ranked[:20]:
        item.why_shown()
    explain = time.perf_counter() - start
    return {
        "benchmark": "rankers",
        "candidates": count,
        "repeats": repeats,
        "chronological_median_ms": round(chronological * 1000, 3),
        "conversation_median_ms": round(conversation * 1000, 3),
        "ratio": round(conversation / chronological, 1),
        "explain_first_page_ms": round(explain * 1000, 3),
        "python": platform.python_version(),
        "machine": platform.machine(),
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--candidates", type=int, default=500)
    parser.add_argument("--repeats", type=int, default=31)
    parser.add_argument("--out", type=Path, default=Path("bench/results"))
    args = parser.parse_args(argv)
    if args.candidates < 1 or args.repeats < 1:
        print("bench: --candidates and --repeats must be at least 1", file=sys.stderr)
        return 2
    result = run(args.candidates, args.repeats)
    args.out.mkdir(parents=True, exist_ok=True)
    path = args.out / f"{datetime.now(UTC).date()}-rankers.json"
    path.write_text(json.dumps(result, indent=2) + "\n")
    print(
        f"ranking {result['candidates']} candidates, median of {result['repeats']}: "
        f"chronological {result['chronological_median_ms']} ms, "
        f"conversation {result['conversation_median_ms']} ms "
        f"({result['ratio']}x); explaining a page of 20: {result['explain_first_page_ms']} ms"
    )
    print(f"written to {path}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
