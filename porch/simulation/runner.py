"""Run the simulation for several rankers and seeds, in parallel, and summarise it."""

from __future__ import annotations

import math
import os
import time
from collections.abc import Callable, Sequence
from concurrent.futures import ProcessPoolExecutor
from dataclasses import replace
from multiprocessing import Manager

from porch.feed.rankers import Weights

from .graphs import GraphError, check_members, is_file_graph, is_generated, load_graph
from .metrics import mean_std
from .model import RANKERS, Behaviour, Outcome, Run, describe, hours, simulate_one

METRICS = (
    "silence_rate",
    "friend_share",
    "attention_gini",
    "broadcaster_share",
    "reciprocity",
    "impressions_per_member_day",
    "replies_per_member_day",
)
# The bar: cuts in silence, and what must not get worse than chronological.
SILENCE_CUT_VS_CHRONOLOGICAL = 0.30
SILENCE_CUT_VS_ENGAGEMENT = 0.50


def _run_with_queue(run: Run, queue) -> Outcome:
    return simulate_one(run, progress=queue.put)


def simulate(
    *,
    members: int,
    seeds: int,
    graph: str = "clustered",
    rankers: Sequence[str] = tuple(RANKERS),
    behaviour: Behaviour | None = None,
    weights: Weights | None = None,
    days: int = 3,
    warmup_days: int = 2,
    workers: int | None = None,
    on_progress: Callable[[int, int], None] | None = None,
) -> dict:
    """Simulate every ranker under seeds 1..``seeds`` and return the results document
    (what ``porch simulate`` writes to results.json). ``on_progress(done, total)`` is
    called as simulated hours pass."""
    check(members=members, seeds=seeds, graph=graph, rankers=rankers, days=days)
    if is_file_graph(graph):
        members = load_graph(graph, members, seed=0).members  # fails early on a bad file
    base = Run(
        ranker=rankers[0],
        seed=1,
        graph=graph,
        members=members,
        warmup_days=warmup_days,
        days=days,
        behaviour=behaviour or Behaviour(),
        weights=weights or Weights(),
    )
    runs = [replace(base, ranker=r, seed=s) for s in range(1, seeds + 1) for r in rankers]
    total = sum(hours(run) for run in runs)
    done = 0

    def advance(step: int) -> None:
        nonlocal done
        done += step
        if on_progress:
            on_progress(done, total)

    started = time.perf_counter()
    workers = min(workers or os.cpu_count() or 1, len(runs))
    if workers == 1:
        outcomes = [simulate_one(run, progress=advance) for run in runs]
    else:
        with Manager() as manager, ProcessPoolExecutor(max_workers=workers) as pool:
            queue = manager.Queue()
            futures = [pool.submit(_run_with_queue, run, queue) for run in runs]
            while done < total:
                advance(queue.get())
            outcomes = [future.result() for future in futures]
    seconds = time.perf_counter() - started
    return summarise(outcomes, base, seeds, seconds, members=outcomes[0].members)


def check(*, members: int, seeds: int, graph: str, rankers: Sequence[str], days: int) -> None:
    if seeds < 1:
        raise GraphError("--seeds must be at least 1")
    if days < 1:
        raise GraphError("--days must be at least 1")
    if is_generated(graph):
        check_members(members)
    unknown = [r for r in rankers if r not in RANKERS]
    if unknown or not rankers:
        raise GraphError(f"unknown ranker {', '.join(unknown)}; choose from {', '.join(RANKERS)}")


def summarise(outcomes: list[Outcome], base: Run, seeds: int, seconds: float, members: int):
    rankers: dict[str, dict] = {}
    for name in dict.fromkeys(o.ranker for o in outcomes):
        mine = [o for o in outcomes if o.ranker == name]
        rankers[name] = {metric: mean_std([o.metrics[metric] for o in mine]) for metric in METRICS}
    return {
        "rankers": rankers,
        "members": members,
        "seeds": seeds,
        "graph": base.graph,
        "seconds": round(seconds, 2),
        "days": base.days,
        "warmup_days": base.warmup_days,
        "targets": targets(rankers),
        "runs": [
            {
                "ranker": o.ranker,
                "seed": o.seed,
                "seconds": round(o.seconds, 2),
                "metrics": o.metrics,
            }
            for o in outcomes
        ],
        **describe(base),
    }


def targets(rankers: dict[str, dict]) -> dict:
    """The issue's targets, checked on the seed means (absent rankers: not checked)."""
    if not {"chronological", "conversation"} <= set(rankers):
        return {}

    def mean(name, metric):
        return rankers[name][metric]["mean"]

    def cut(baseline):
        before = mean(baseline, "silence_rate")
        return 1 - mean("conversation", "silence_rate") / before if before else math.nan

    result = {
        "silence_cut_vs_chronological": round(cut("chronological"), 4),
        "gini_not_above_chronological": mean("conversation", "attention_gini")
        <= mean("chronological", "attention_gini"),
        "broadcaster_share_not_above_chronological": mean("conversation", "broadcaster_share")
        <= mean("chronological", "broadcaster_share"),
        "impressions_not_above_chronological": mean("conversation", "impressions_per_member_day")
        <= mean("chronological", "impressions_per_member_day"),
    }
    met = result["silence_cut_vs_chronological"] >= SILENCE_CUT_VS_CHRONOLOGICAL
    if "engagement" in rankers:
        result["silence_cut_vs_engagement"] = round(cut("engagement"), 4)
        met = met and result["silence_cut_vs_engagement"] >= SILENCE_CUT_VS_ENGAGEMENT
    result["met"] = bool(
        met
        and result["gini_not_above_chronological"]
        and result["broadcaster_share_not_above_chronological"]
        and result["impressions_not_above_chronological"]
    )
    return result
