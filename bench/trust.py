"""Personal trust: speed of the power iteration on a large friend graph, against
networkx in the same run, and how well the scores keep fake accounts out.

    python -m bench.trust [--large] [--members 100000] [--friendships 5000000]
                          [--repeats 3] [--speed-repeats 3] [--trials 5] [--seed 1]
                          [--out bench/results]

Speed: generates a friend graph (power-law degrees, most friendships between members
close together so it has triangles, the rest at random; member ids shuffled), builds it
(``build_graph``), computes ``trust_scores`` from 8 random seeds cold, then again warm
(from the previous scores) after changing 0.1% of the friendships and after changing 10
(medians of ``--speed-repeats``); and times ``networkx.pagerank`` against
``personalized_pagerank`` on a 20,000-member part of the graph (medians of
``--repeats``). ``--large``: 1,000,000 members and 50,000,000 friendships.

Fake accounts: the sybil experiment (``ranking.sybil_trial``) on Reed98 (962 real
members, 500 fakes) and on a generated 10,000-member graph (networkx
``powerlaw_cluster_graph``, 2,000 fakes) at 10, 100 and 1,000 attack edges, ``--trials``
times each, and on 30 generated 20-member family servers (30 fakes, 1, 3 and 10 attack
edges), for personalized PageRank divided by degree and for SybilRank; the sweep of the
"low" constant; the low rule's reference with more fakes than real members; and a
community of 20 weakly linked groups. Writes ``<date>-trust.json``
(``<date>-trust-large.json``).
"""

from __future__ import annotations

import argparse
import json
import math
import os
import platform
import statistics
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import networkx as nx
import numpy as np

from porch.simulation.graphs import load_graph
from porch.trust import ranking

SEEDS = 8
SUBGRAPH_MEMBERS = 20_000
ATTACK_EDGES = (10, 100, 1000)
FRACTIONS = (0.05, 0.1, 0.2, 0.3, 0.5)
CHANGED_SHARE = 0.001
FEW_CHANGES = 10
# The generated honest graph of the sybil experiment.
PLC_MEMBERS, PLC_EDGES_PER_MEMBER, PLC_TRIANGLES = 10_000, 10, 0.5
REED_SYBILS, PLC_SYBILS = 500, 2_000
# A family server: 20 members, 2 seeds; the graphs are tiny, so more trials.
SMALL_MEMBERS, SMALL_SYBILS, SMALL_ATTACK_EDGES = 20, 30, (1, 3, 10)
SMALL_SEEDS, SMALL_TRIALS = 2, 30


# --- The generated friend graph ----------------------------------------------------------
def generate_friendships(
    n: int, m: int, rng: np.random.Generator, *, local_share: float = 0.7, spread: int = 100
) -> tuple[np.ndarray, np.ndarray]:
    """``m`` distinct friendships among ``n`` members placed on a ring: each friendship's
    first member is drawn by a power-law "sociability" (exponent 2.5, capped), and the
    second is, for ``local_share`` of them, a member a few places along the ring (about
    ``spread``: neighbours share friends, so there are triangles) and otherwise drawn by
    sociability anywhere. Returns ring positions, low first."""
    sociability = np.minimum((1.0 - rng.random(n)) ** (-1 / 1.5), 100.0)
    cumulative = np.cumsum(sociability)
    # A lookup table of 8 entries per member on average: drawing from it is one gather.
    table_size = 8 * n
    table = np.searchsorted(cumulative / cumulative[-1], (np.arange(table_size) + 0.5) / table_size)
    table = table.astype(np.int32)
    keys = np.empty(0, dtype=np.int64)
    while len(keys) < m:
        k = int((m - len(keys)) * 1.1) + 1000
        a = table[rng.integers(0, table_size, k)].astype(np.int64)
        b = table[rng.integers(0, table_size, k)].astype(np.int64)
        local = rng.random(k) < local_share
        steps = rng.geometric(1.0 / spread, int(local.sum())) * rng.choice(
            [-1, 1], int(local.sum())
        )
        b[local] = (a[local] + steps) % n
        low, high = np.minimum(a, b), np.maximum(a, b)
        fresh = low * n + high
        keys = np.concatenate([keys, fresh[low != high]])
        keys.sort()  # (np.unique's hash table is slower here)
        keys = keys[np.concatenate([[True], keys[1:] != keys[:-1]])]
    keys = keys[rng.choice(len(keys), size=m, replace=False)] if len(keys) > m else keys
    return (keys // n).astype(np.int32), (keys % n).astype(np.int32)


def change_friendships(
    src: np.ndarray, dst: np.ndarray, n: int, count: int, rng: np.random.Generator
) -> tuple[np.ndarray, np.ndarray]:
    """``count`` friendships ended and ``count`` new random ones made."""
    keep = np.ones(len(src), dtype=bool)
    keep[rng.choice(len(src), size=count, replace=False)] = False
    new_src = rng.integers(0, n, count).astype(src.dtype)
    new_dst = rng.integers(0, n, count).astype(dst.dtype)
    return np.concatenate([src[keep], new_src]), np.concatenate([dst[keep], new_dst])


def timed(function, *args, **kwargs):
    started = time.perf_counter()
    result = function(*args, **kwargs)
    return result, time.perf_counter() - started


def timed_median(repeats: int, function, *args, **kwargs):
    """The result and the median time of ``repeats`` calls."""
    times = []
    for _ in range(repeats):
        result, seconds = timed(function, *args, **kwargs)
        times.append(seconds)
    return result, statistics.median(times)


# --- Speed -------------------------------------------------------------------------------
def _run_figures(result: ranking.TrustResult, seconds: float, nnz: int, friendships: int) -> dict:
    return {
        "iterations": result.iterations,
        "seconds": round(seconds, 3),
        "ms_per_iteration": round(1000 * seconds / result.iterations, 2),
        # Stored entries (2 per friendship) read per second, summed over the iterations.
        "edge_visits_per_second": round(nnz * result.iterations / seconds),
        # Friendships the whole run handled per second (the graph's size over the time).
        "friendships_per_second": round(friendships / seconds),
        "residual": result.residual,
    }


def speed(members: int, friendships: int, seed: int, repeats: int) -> tuple[dict, tuple]:
    """The figures, and a part of the graph for networkx: the first members along the
    ring (their friendships among themselves)."""
    rng = np.random.default_rng(seed)
    (ring_src, ring_dst), generate_s = timed(generate_friendships, members, friendships, rng)
    shuffle = rng.permutation(members).astype(np.int32)
    src, dst = shuffle[ring_src], shuffle[ring_dst]
    adj, build_s = timed(ranking.build_graph, src, dst, members)
    deg = ranking.degrees(adj)
    seeds = rng.choice(members, size=SEEDS, replace=False)
    cold, cold_s = timed_median(repeats, ranking.trust_scores, adj, seeds)
    _, sybilrank_s = timed_median(repeats, ranking.sybilrank, adj, seeds)
    again, again_s = timed_median(repeats, ranking.trust_scores, adj, seeds, start=cold.mass)
    figures = {
        "members": members,
        "friendships": friendships,
        "repeats": repeats,
        "nnz": int(adj.nnz),
        "degree_median": float(np.median(deg)),
        "degree_max": int(deg.max()),
        "generate_seconds": round(generate_s, 2),
        "build_seconds": round(build_s, 2),
        "cold": _run_figures(cold, cold_s, adj.nnz, friendships),
        "low_share": round(float(cold.low.mean()), 4),
        "sybilrank": {
            "iterations": math.ceil(math.log2(members)),
            "seconds": round(sybilrank_s, 3),
        },
        "warm_unchanged": _run_figures(again, again_s, adj.nnz, friendships),
    }
    for label, count in (
        ("changed_0.1%", round(CHANGED_SHARE * friendships)),
        ("changed_10", FEW_CHANGES),
    ):
        new_src, new_dst = change_friendships(src, dst, members, count, rng)
        changed, rebuild_s = timed(ranking.build_graph, new_src, new_dst, members)
        del new_src, new_dst
        warm, warm_s = timed_median(repeats, ranking.trust_scores, changed, seeds, start=cold.mass)
        fresh, fresh_s = timed_median(repeats, ranking.trust_scores, changed, seeds)
        figures[label] = {
            "friendships_changed": count,
            "build_seconds": round(rebuild_s, 2),
            "warm": _run_figures(warm, warm_s, changed.nnz, changed.nnz // 2),
            "cold": _run_figures(fresh, fresh_s, changed.nnz, changed.nnz // 2),
            "iteration_ratio": round(warm.iterations / fresh.iterations, 2),
            "warm_vs_cold_l1": float(np.abs(warm.mass - fresh.mass).sum()),
            "low_flags_differing": int(np.count_nonzero(warm.low != fresh.low)),
        }
        del changed, warm, fresh
    part = min(SUBGRAPH_MEMBERS, members)
    inside = (ring_src < part) & (ring_dst < part)
    return figures, (ring_src[inside], ring_dst[inside], part)


def against_networkx(src: np.ndarray, dst: np.ndarray, n: int, repeats: int, seed: int) -> dict:
    """networkx.pagerank against personalized_pagerank on the same graph, same seeds and
    the same stopping rule (networkx stops when the L1 change is under n·tol)."""
    rng = np.random.default_rng(seed)
    graph = nx.Graph()
    graph.add_nodes_from(range(n))
    graph.add_edges_from(zip(src.tolist(), dst.tolist(), strict=True))
    adj = ranking.build_graph(src, dst, n)
    seeds = rng.choice(n, size=SEEDS, replace=False)
    personalization = {int(s): 1.0 for s in seeds}
    ours_times, build_times, theirs_times = [], [], []
    for _ in range(repeats):
        _, seconds = timed(ranking.build_graph, src, dst, n)
        build_times.append(seconds)
        ours, seconds = timed(ranking.personalized_pagerank, adj, seeds)
        ours_times.append(seconds)
        theirs, seconds = timed(
            nx.pagerank,
            graph,
            alpha=1 - ranking.ALPHA,
            personalization=personalization,
            tol=ranking.TOLERANCE / n,
            max_iter=ranking.MAX_ITERATIONS,
        )
        theirs_times.append(seconds)
    theirs_vector = np.array([theirs[i] for i in range(n)])
    ours_s, theirs_s = statistics.median(ours_times), statistics.median(theirs_times)
    return {
        "members": n,
        "friendships": int(graph.number_of_edges()),
        "repeats": repeats,
        "ours_median_ms": round(1000 * ours_s, 2),
        "ours_with_build_median_ms": round(1000 * (ours_s + statistics.median(build_times)), 2),
        "networkx_median_ms": round(1000 * theirs_s, 2),
        "ratio": round(theirs_s / ours_s, 1),
        "iterations": ours.iterations,
        "max_abs_difference": float(np.abs(theirs_vector - ours.scores).max()),
    }


# --- Fake accounts -----------------------------------------------------------------------
@dataclass(frozen=True)
class Honest:
    """A real community for the sybil experiment, and how it is attacked."""

    name: str
    members: int
    edges: Callable[[np.random.Generator], tuple[np.ndarray, np.ndarray]]  # per trial
    sybils: int
    attack_edges: tuple[int, ...]
    seeds: int
    trials: int


def honest_graphs(trials: int, seed: int) -> list[Honest]:
    reed = load_graph("reed98", 0, seed)
    reed_edges = (reed.friendships[:, 0], reed.friendships[:, 1])
    plc = nx.powerlaw_cluster_graph(PLC_MEMBERS, PLC_EDGES_PER_MEMBER, PLC_TRIANGLES, seed=seed)
    plc_pairs = np.array(plc.edges(), dtype=np.int64)
    plc_edges = (plc_pairs[:, 0], plc_pairs[:, 1])

    def family(rng: np.random.Generator) -> tuple[np.ndarray, np.ndarray]:
        """A ring of cousins, each close to 4, with shortcuts; a new one each trial."""
        graph = nx.connected_watts_strogatz_graph(SMALL_MEMBERS, 4, 0.3, seed=rng)
        pairs = np.array(graph.edges(), dtype=np.int64)
        return pairs[:, 0], pairs[:, 1]

    return [
        Honest(
            "reed98", reed.members, lambda _: reed_edges, REED_SYBILS, ATTACK_EDGES, SEEDS, trials
        ),
        Honest(
            "generated-10k",
            PLC_MEMBERS,
            lambda _: plc_edges,
            PLC_SYBILS,
            ATTACK_EDGES,
            SEEDS,
            trials,
        ),
        Honest(
            f"family-{SMALL_MEMBERS}",
            SMALL_MEMBERS,
            family,
            SMALL_SYBILS,
            SMALL_ATTACK_EDGES,
            SMALL_SEEDS,
            SMALL_TRIALS,
        ),
    ]


def _mean(values) -> float:
    return round(float(np.mean(values)), 4)


def sybil_table(graphs: list[Honest], seed: int) -> list[dict]:
    rows = []
    for honest in graphs:
        for attack_edges in honest.attack_edges:
            results: dict[str, list[ranking.SybilTrial]] = {"ppr": [], "sybilrank": []}
            for trial in range(honest.trials):
                rng = np.random.default_rng([seed, trial, attack_edges, honest.members])
                src, dst = honest.edges(rng)
                for one in ranking.sybil_trial(
                    src,
                    dst,
                    honest.members,
                    sybils=honest.sybils,
                    attack_edges=attack_edges,
                    seeds=honest.seeds,
                    rng=rng,
                    fractions=FRACTIONS,
                ):
                    results[one.method].append(one)
            for method, runs in results.items():
                rows.append(
                    {
                        "graph": honest.name,
                        "members": honest.members,
                        "sybils": honest.sybils,
                        "attack_edges": attack_edges,
                        "seeds": honest.seeds,
                        "trials": honest.trials,
                        "method": method,
                        "sybil_population_share": round(
                            honest.sybils / (honest.members + honest.sybils), 4
                        ),
                        "sybil_share": _mean([r.sybil_share for r in runs]),
                        "auc": _mean([r.auc for r in runs]),
                        "auc_min": _mean([min(r.auc for r in runs)]),
                        "low_sybils": {
                            str(f): _mean([r.low_sybils[f] for r in runs]) for f in FRACTIONS
                        },
                        "low_honest": {
                            str(f): _mean([r.low_honest[f] for r in runs]) for f in FRACTIONS
                        },
                        # Fakes not called low, per attack edge (SybilRank's "accepted").
                        "accepted_per_attack_edge": _mean(
                            [
                                (1 - r.low_sybils[ranking.LOW_FRACTION])
                                * honest.sybils
                                / attack_edges
                                for r in runs
                            ]
                        ),
                    }
                )
    return rows


def reference_check(graphs: list[Honest], trials: int, seed: int) -> dict:
    """The low rule with more fakes than real members (Reed98, 2,000 fakes, 100 attack
    edges): against the trust-weighted median, and against a plain median of the scores."""
    reed = graphs[0]
    src, dst = reed.edges(np.random.default_rng(seed))
    n = reed.members
    lows: dict[str, list[tuple[float, float]]] = {"trust-weighted median": [], "plain median": []}
    for trial in range(trials):
        rng = np.random.default_rng([seed, trial, 2000])
        graph = ranking.attach_sybils(src, dst, n, sybils=2000, attack_edges=100, rng=rng)
        adj = ranking.build_graph(graph.src, graph.dst, graph.n)
        seeds = rng.choice(n, size=SEEDS, replace=False)
        result = ranking.trust_scores(adj, seeds)
        lows["trust-weighted median"].append(ranking.low_shares(result.low, graph.is_sybil))
        deg = ranking.degrees(adj)
        per_degree = np.divide(result.mass, deg, out=np.zeros(graph.n), where=deg > 0)
        plain = per_degree / np.median(per_degree[per_degree > 0])
        low = ranking.low_trust(plain)
        low[seeds] = False
        lows["plain median"].append(ranking.low_shares(low, graph.is_sybil))
    return {
        "graph": "reed98",
        "sybils": 2000,
        "attack_edges": 100,
        "fraction": ranking.LOW_FRACTION,
        "rules": {
            rule: {
                "low_sybils": _mean([v[0] for v in values]),
                "low_honest": _mean([v[1] for v in values]),
            }
            for rule, values in lows.items()
        },
    }


def communities_check(trials: int, seed: int) -> dict:
    """20 groups of 500 real members, 95% of friendships inside the group (about 40
    friends each), 2,000 fakes with 100 attack edges: seeds all in one group, against one
    seed in each group."""
    groups, size, friendships = 20, 500, 200_000
    n = groups * size
    rows: dict[str, list[tuple[float, float]]] = {
        "8 seeds in one group": [],
        "1 seed in each group": [],
    }
    for trial in range(trials):
        rng = np.random.default_rng([seed, trial, groups])
        a = rng.integers(0, n, friendships)
        same = rng.random(friendships) < 0.95
        b = np.where(
            same,
            (a // size) * size + rng.integers(0, size, friendships),
            rng.integers(0, n, friendships),
        )
        graph = ranking.attach_sybils(a, b, n, sybils=2000, attack_edges=100, rng=rng)
        adj = ranking.build_graph(graph.src, graph.dst, graph.n)
        for label, seeds in (
            ("8 seeds in one group", rng.choice(size, size=SEEDS, replace=False)),
            ("1 seed in each group", np.arange(groups) * size + rng.integers(0, size, groups)),
        ):
            result = ranking.trust_scores(adj, seeds)
            rows[label].append(ranking.low_shares(result.low, graph.is_sybil))
    return {
        "groups": groups,
        "group_size": size,
        "inside_share": 0.95,
        "sybils": 2000,
        "attack_edges": 100,
        "seeding": {
            label: {
                "low_sybils": _mean([v[0] for v in values]),
                "low_honest": _mean([v[1] for v in values]),
            }
            for label, values in rows.items()
        },
    }


# --- Output ------------------------------------------------------------------------------
def _print_speed(figures: dict, baseline: dict) -> None:
    cold = figures["cold"]
    print(
        f"graph: {figures['members']:,} members, {figures['friendships']:,} friendships "
        f"(median degree {figures['degree_median']:.0f}, max {figures['degree_max']:,}); "
        f"generated in {figures['generate_seconds']} s, build_graph {figures['build_seconds']} s"
    )
    print(
        f"trust_scores (median of {figures['repeats']}), cold: "
        f"{cold['iterations']} iterations in {cold['seconds']} s "
        f"({cold['ms_per_iteration']} ms per iteration, "
        f"{cold['edge_visits_per_second'] / 1e6:.0f}M edge visits/s, "
        f"{cold['friendships_per_second'] / 1e6:.2f}M friendships/s); "
        f"{100 * figures['low_share']:.2f}% of members low"
    )
    again = figures["warm_unchanged"]
    print(f"  warm, nothing changed: {again['iterations']} iteration(s) in {again['seconds']} s")
    for label in ("changed_0.1%", "changed_10"):
        row = figures[label]
        print(
            f"  warm after {row['friendships_changed']:,} friendships changed: "
            f"{row['warm']['iterations']} iterations in {row['warm']['seconds']} s vs cold "
            f"{row['cold']['iterations']} in {row['cold']['seconds']} s "
            f"({row['iteration_ratio']}x the iterations; rebuild {row['build_seconds']} s; "
            f"L1 warm-cold {row['warm_vs_cold_l1']:.1e}, {row['low_flags_differing']} low flags differ)"
        )
    sybil = figures["sybilrank"]
    print(f"sybilrank: {sybil['iterations']} iterations in {sybil['seconds']} s")
    print(
        f"networkx.pagerank on {baseline['members']:,} members / {baseline['friendships']:,} "
        f"friendships, median of {baseline['repeats']}: {baseline['networkx_median_ms']} ms; "
        f"personalized_pagerank {baseline['ours_median_ms']} ms "
        f"({baseline['ours_with_build_median_ms']} ms with build_graph): "
        f"{baseline['ratio']}x faster; max difference {baseline['max_abs_difference']:.1e}"
    )


def _print_sybils(rows: list[dict], reference: dict, communities: dict) -> None:
    fraction = str(ranking.LOW_FRACTION)
    print(
        f"fake accounts (means over trials; random real members as seeds; "
        f"low = under {fraction} of the reference score):"
    )
    print(
        "  graph          seeds trials  fakes  attack  method     fake mass  AUC     "
        "AUC min  fakes low  real low  accepted/attack edge"
    )
    for row in rows:
        print(
            f"  {row['graph']:<14} {row['seeds']:>5} {row['trials']:>6}  {row['sybils']:>5}  "
            f"{row['attack_edges']:>6}  {row['method']:<9}  "
            f"{row['sybil_share']:>9.4f}  {row['auc']:.4f}  {row['auc_min']:.4f}  "
            f"{row['low_sybils'][fraction]:>9.3f}  "
            f"{row['low_honest'][fraction]:>8.3f}  {row['accepted_per_attack_edge']:>20.3f}"
        )
    print("sweep of the low constant (share of fakes low / share of real members low):")
    print("  graph          attack  method     " + "  ".join(f"{f:>11}" for f in FRACTIONS))
    for row in rows:
        cells = "  ".join(
            f"{row['low_sybils'][str(f)]:.3f}/{row['low_honest'][str(f)]:.3f}" for f in FRACTIONS
        )
        print(f"  {row['graph']:<14} {row['attack_edges']:>6}  {row['method']:<9}  {cells}")
    print(
        f"more fakes than real members (Reed98, {reference['sybils']} fakes, "
        f"{reference['attack_edges']} attack edges):"
    )
    for rule, shares in reference["rules"].items():
        print(
            f"  reference {rule}: fakes low {shares['low_sybils']:.3f}, real low {shares['low_honest']:.3f}"
        )
    print(
        f"{communities['groups']} weakly linked groups of {communities['group_size']} "
        f"({communities['sybils']} fakes, {communities['attack_edges']} attack edges):"
    )
    for label, shares in communities["seeding"].items():
        print(
            f"  {label}: fakes low {shares['low_sybils']:.3f}, real low {shares['low_honest']:.3f}"
        )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--large", action="store_true", help="1,000,000 members, 50,000,000 friendships"
    )
    parser.add_argument("--members", type=int, default=None)
    parser.add_argument("--friendships", type=int, default=None)
    parser.add_argument("--repeats", type=int, default=3, help="networkx comparison repeats")
    parser.add_argument(
        "--speed-repeats", type=int, default=3, help="repeats of each run on the big graph"
    )
    parser.add_argument("--trials", type=int, default=5, help="sybil experiment trials")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--out", type=Path, default=Path("bench/results"))
    args = parser.parse_args(argv)
    members = args.members if args.members is not None else (1_000_000 if args.large else 100_000)
    friendships = args.friendships if args.friendships is not None else 50 * members
    if members < 1000 or not members <= friendships <= members * (members - 1) // 4:
        print(
            "bench: --members must be at least 1000 and --friendships between the members "
            "and a quarter of all possible pairs",
            file=sys.stderr,
        )
        return 2
    if min(args.repeats, args.speed_repeats, args.trials) < 1:
        print("bench: --repeats, --speed-repeats and --trials must be at least 1", file=sys.stderr)
        return 2
    started = time.perf_counter()
    figures, (sub_src, sub_dst, sub_n) = speed(members, friendships, args.seed, args.speed_repeats)
    baseline = against_networkx(sub_src, sub_dst, sub_n, args.repeats, args.seed)
    _print_speed(figures, baseline)
    graphs = honest_graphs(args.trials, args.seed)
    rows = sybil_table(graphs, args.seed)
    reference = reference_check(graphs, args.trials, args.seed)
    communities = communities_check(args.trials, args.seed)
    _print_sybils(rows, reference, communities)
    summary = {
        "benchmark": "trust",
        "seed": args.seed,
        "alpha": ranking.ALPHA,
        "tolerance": ranking.TOLERANCE,
        "low_fraction": ranking.LOW_FRACTION,
        "speed": figures,
        "networkx": baseline,
        "sybils": rows,
        "reference": reference,
        "communities": communities,
        "wall_seconds": round(time.perf_counter() - started, 1),
        "cores": os.cpu_count(),
        "python": platform.python_version(),
        "numpy": np.__version__,
        "machine": platform.machine(),
    }
    args.out.mkdir(parents=True, exist_ok=True)
    suffix = "-large" if args.large else ""
    path = args.out / f"{datetime.now(UTC).date()}-trust{suffix}.json"
    path.write_text(json.dumps(summary, indent=2) + "\n")
    print(f"in {summary['wall_seconds']} s; written to {path}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
