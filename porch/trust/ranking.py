"""Personal trust over the friend graph: how much of the trusted members' trust reaches
each member. docs/algorithms/trust.md explains the method and its measured figures.

Pure NumPy/SciPy, no database: the server's trust task, the tests and
``python -m bench.trust`` run the same code.

A random walker starts at the community's trusted members (the *seeds*: its admins,
moderators or founders). At each step it follows a random connection (friendship or
invite) of the member it stands on, and with probability ``alpha`` jumps back to a seed
instead. Its long-run probability of standing on each member is the personalized
PageRank

    t = (1 - alpha)·Pᵀt + alpha·s,      P = D⁻¹A,

where A is the graph, D its degrees and s is spread over the seeds; a member with no
connection sends the walker back to the seeds. Fake accounts can befriend each other as
much as they like, but trust only enters their region through the few friendships real
members gave them (the *attack edges*), and the jump back keeps pulling it out again.
Dividing by the degree turns the walk's probability into trust *per connection*, so
having many friends does not by itself make someone more trusted.

``trust_scores`` is the one function Porch calls: each member's trust per connection,
relative to the community's reference (the score of the member holding the median unit
of trust), and whether it is *low* (under ``LOW_FRACTION`` of the reference).
``sybilrank`` (the early-terminated walk without the jump back, Cao et al. 2012) and
the sybil experiment (``attach_sybils``, ``sybil_trial``, ``auc``, ``sybil_share``) are
here for the tests and the bench, which chose between the two.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import NamedTuple

import numpy as np
import scipy.sparse as sp
from numpy.typing import ArrayLike
from scipy.sparse.csgraph import breadth_first_order
from scipy.stats import rankdata

# The chance the walk jumps back to the seeds at each step (the usual PageRank damping,
# 1 - 0.85): the walk takes 0.85 / 0.15 ≈ 6 steps from a seed, on average, before it
# jumps back.
ALPHA = 0.15
# Stop when one step moves less than this share of all the trust (L1 change).
TOLERANCE = 1e-8
MAX_ITERATIONS = 1000
# A member is "low" when their score is under this share of the reference score (the
# score of the member holding the median unit of trust). Chosen from the sweep in
# docs/algorithms/trust.md.
LOW_FRACTION = 0.2

_INDEX_LIMIT = np.iinfo(np.int32).max


# --- The graph -------------------------------------------------------------------------
def build_graph(
    src: ArrayLike, dst: ArrayLike, n: int, *, weights: ArrayLike | None = None
) -> sp.csr_matrix:
    """The undirected graph of ``n`` members with a connection between ``src[k]`` and
    ``dst[k]`` for each k: symmetric, float32, self-loops dropped and a pair given more
    than once (in either direction) kept once, with weight 1 or, with ``weights``, the
    largest weight it was given (a pair whose largest weight is 0 is no connection)."""
    src = np.asarray(src)
    dst = np.asarray(dst)
    if src.ndim != 1 or src.shape != dst.shape:
        raise ValueError("src and dst must be one-dimensional and of the same length")
    if n < 0:
        raise ValueError("n must be 0 or more")
    if len(src) and (min(src.min(), dst.min()) < 0 or max(src.max(), dst.max()) >= n):
        raise ValueError("every member id must be between 0 and n - 1")
    index = np.int32 if n <= _INDEX_LIMIT and 2 * len(src) <= _INDEX_LIMIT else np.int64
    keep = src != dst
    if weights is not None:
        weight = np.asarray(weights, dtype=np.float32)
        if weight.shape != src.shape:
            raise ValueError("weights must have one value per edge")
        if not np.isfinite(weight).all() or (weight < 0).any():
            raise ValueError("weights must be finite and non-negative")
        return _build_weighted(src[keep], dst[keep], weight[keep], n, index)
    src = src[keep].astype(index, copy=False)
    dst = dst[keep].astype(index, copy=False)
    rows = np.concatenate([src, dst])
    cols = np.concatenate([dst, src])
    del src, dst
    ones = np.ones(len(rows), dtype=np.float32)
    graph = sp.coo_matrix((ones, (rows, cols)), shape=(n, n)).tocsr()  # sums duplicates
    del rows, cols, ones
    graph.data[:] = 1.0  # a friendship given twice is still one friendship
    return graph


def _build_weighted(src, dst, weight, n, index) -> sp.csr_matrix:
    low = np.minimum(src, dst).astype(np.int64)
    high = np.maximum(src, dst).astype(np.int64)
    key = low * n + high
    order = np.lexsort((weight, key))  # by pair, the largest weight last
    key, weight = key[order], weight[order]
    last = np.ones(len(key), dtype=bool)
    last[:-1] = key[1:] != key[:-1]
    key, weight = key[last], weight[last]
    key, weight = key[weight > 0], weight[weight > 0]
    low, high = (key // n).astype(index), (key % n).astype(index)
    rows = np.concatenate([low, high])
    cols = np.concatenate([high, low])
    graph = sp.coo_matrix((np.concatenate([weight, weight]), (rows, cols)), shape=(n, n))
    return graph.tocsr()


def degrees(adj: sp.csr_matrix) -> np.ndarray:
    """Each member's degree (with weights: the sum of their connections' weights)."""
    return np.asarray(adj.sum(axis=1), dtype=np.float64).ravel()


def _walk_matrix(adj: sp.csr_matrix) -> sp.csr_matrix:
    """``adj`` with float64 values sharing its index arrays: SciPy would otherwise convert
    the float32 values on every product with a float64 vector."""
    if not sp.issparse(adj) or adj.shape[0] != adj.shape[1]:
        raise ValueError("adj must be a square sparse matrix (build_graph's)")
    adj = adj.tocsr()
    if adj.dtype == np.float64:
        return adj
    return sp.csr_matrix(
        (adj.data.astype(np.float64), adj.indices, adj.indptr), shape=adj.shape, copy=False
    )


def seed_vector(n: int, seeds: ArrayLike) -> np.ndarray:
    """Where the walk starts and jumps back to, summing to 1: uniform over ``seeds`` when
    it holds member indices (or is a boolean mask), or ``seeds`` itself, normalised, when
    it is a float vector of n non-negative weights."""
    seeds = np.asarray(seeds)
    if seeds.dtype == bool:
        seeds = np.flatnonzero(seeds) if seeds.shape == (n,) else np.array([], dtype=int)
        if not len(seeds):
            raise ValueError("a seed mask must have n values, at least one of them True")
    if np.issubdtype(seeds.dtype, np.floating):
        if seeds.shape != (n,) or not np.isfinite(seeds).all() or (seeds < 0).any():
            raise ValueError("seed weights must be n finite non-negative numbers")
        if seeds.sum() <= 0:
            raise ValueError("seed weights must not all be zero")
        return seeds.astype(np.float64) / seeds.sum()
    seeds = np.unique(seeds.astype(np.int64).ravel())
    if not len(seeds):
        raise ValueError("trust needs at least one seed")
    if seeds[0] < 0 or seeds[-1] >= n:
        raise ValueError("seeds must be member indices between 0 and n - 1")
    s = np.zeros(n)
    s[seeds] = 1.0 / len(seeds)
    return s


def seeds_component(adj: sp.csr_matrix, s: np.ndarray) -> np.ndarray:
    """Boolean mask of the members connected (by any path) to a seed: a breadth-first
    search from each seed not reached yet (a few matrix products' worth of work)."""
    reached = np.zeros(adj.shape[0], dtype=bool)
    for seed in np.flatnonzero(s > 0):
        if not reached[seed]:
            # ``adj`` is symmetric, so following its rows finds the whole component.
            order = breadth_first_order(adj, seed, directed=True, return_predecessors=False)
            reached[order] = True
    return reached


# --- Personalized PageRank ---------------------------------------------------------------
@dataclass(frozen=True)
class PageRank:
    scores: np.ndarray  # the walk's probability per member; non-negative, sums to 1
    iterations: int
    residual: float  # L1 change of the last iteration
    converged: bool


def personalized_pagerank(
    adj: sp.csr_matrix,
    seeds: ArrayLike,
    *,
    alpha: float = ALPHA,
    tol: float = TOLERANCE,
    max_iter: int = MAX_ITERATIONS,
    start: ArrayLike | None = None,
) -> PageRank:
    """Power iteration of t = (1 - alpha)·Pᵀt + alpha·s on the symmetric graph ``adj``, from
    ``start`` (e.g. the previous run's scores: after a few changes it needs far fewer
    iterations) or else from s, until the L1 change is under ``tol``."""
    if not 0 < alpha < 1:
        raise ValueError("alpha must be between 0 and 1 (exclusive)")
    if tol <= 0 or max_iter < 1:
        raise ValueError("tol must be positive and max_iter at least 1")
    walk = _walk_matrix(adj)
    n = walk.shape[0]
    s = seed_vector(n, seeds)
    deg = degrees(walk)
    inverse = np.divide(1.0, deg, out=np.zeros(n), where=deg > 0)
    dangling = np.flatnonzero(deg == 0)
    if start is None:
        t = s.copy()
    else:
        t = np.array(start, dtype=np.float64)
        if t.shape != (n,) or not np.isfinite(t).all() or (t < 0).any():
            raise ValueError("start must be n finite non-negative numbers")
        # Trust left in a part of the graph the seeds no longer reach would only fade
        # away slowly; such members must come out at exactly 0.
        t[~seeds_component(walk, s)] = 0.0
        total = t.sum()
        t = t / total if total > 0 else s.copy()
    keep = 1.0 - alpha
    seeded = np.flatnonzero(s)
    seed_share = s[seeded]
    # Buffers reused across iterations: fresh n-sized arrays each step cost page faults.
    scaled = np.empty(n)
    change = np.empty(n)
    residual = math.inf
    iterations = 0
    while iterations < max_iter:
        # Pᵀt = A·D⁻¹t as A is symmetric; the dangling members' trust goes back to s.
        np.multiply(t, inverse, out=scaled)
        new = walk @ scaled
        new *= keep
        new[seeded] += (alpha + keep * t[dangling].sum()) * seed_share
        np.subtract(new, t, out=change)
        residual = float(np.abs(change, out=change).sum())
        t = new
        iterations += 1
        if residual < tol:
            break
    return PageRank(t, iterations, residual, residual < tol)


# --- SybilRank -----------------------------------------------------------------------
def sybilrank(adj: sp.csr_matrix, seeds: ArrayLike, *, iterations: int | None = None) -> np.ndarray:
    """SybilRank (Cao et al. 2012): all trust starts on the seeds and spreads
    ``iterations`` steps of t ← Pᵀt (⌈log₂ n⌉ by default: early termination, before it
    leaks far into fake regions), no jump back; returns t divided by degree."""
    walk = _walk_matrix(adj)
    n = walk.shape[0]
    t = seed_vector(n, seeds)
    deg = degrees(walk)
    inverse = np.divide(1.0, deg, out=np.zeros(n), where=deg > 0)
    steps = max(1, math.ceil(math.log2(max(n, 2)))) if iterations is None else iterations
    if steps < 0:
        raise ValueError("iterations must be 0 or more")
    scaled = np.empty(n)
    for _ in range(steps):
        np.multiply(t, inverse, out=scaled)
        t = walk @ scaled
    return t * inverse


# --- What Porch stores -------------------------------------------------------------------
def reference_score(per_degree: np.ndarray, mass: np.ndarray) -> float:
    """The score of the member holding the median unit of trust (the mass-weighted median
    of the degree-normalised scores): what a well-trusted member looks like in this
    community, whatever its size. Fake accounts hold little of the mass, so however many
    there are they cannot drag it down (a plain median they could)."""
    held = mass > 0
    if not held.any():
        return 0.0
    values, weights = per_degree[held], mass[held]
    order = np.argsort(values)
    cumulative = np.cumsum(weights[order])
    return float(values[order][np.searchsorted(cumulative, 0.5 * cumulative[-1])])


def relative_scores(mass: np.ndarray, deg: np.ndarray) -> np.ndarray:
    """Trust per connection (``mass / deg``) over the community's reference score: about 1
    for a well-trusted member, near 0 for one trust barely reaches, 0 for one it never
    reaches (or with no connection)."""
    mass = np.asarray(mass, dtype=np.float64)
    per_degree = np.divide(mass, deg, out=np.zeros_like(mass), where=deg > 0)
    reference = reference_score(per_degree, np.where(deg > 0, mass, 0.0))
    return per_degree / reference if reference > 0 else per_degree


def low_trust(scores: np.ndarray, *, fraction: float = LOW_FRACTION) -> np.ndarray:
    """Whether each relative score (``relative_scores``) is low: under ``fraction`` of the
    reference. Unreached members (score 0) are always low."""
    return np.asarray(scores) < fraction


@dataclass(frozen=True)
class TrustResult:
    mass: np.ndarray  # the personalized PageRank (sums to 1): the next run's ``start``
    scores: np.ndarray  # relative_scores(mass, degrees): ~1 well trusted, 0 unreached
    low: np.ndarray  # bool per member: low_trust(scores); never a seed
    iterations: int
    residual: float
    converged: bool


def trust_scores(
    adj: sp.csr_matrix,
    seeds: ArrayLike,
    *,
    start: ArrayLike | None = None,
    alpha: float = ALPHA,
    tol: float = TOLERANCE,
    max_iter: int = MAX_ITERATIONS,
    low_fraction: float = LOW_FRACTION,
) -> TrustResult:
    """Every member's trust, personalised to ``seeds``: personalized PageRank divided by
    degree, relative to the community's reference score, and whether it is low."""
    walk = personalized_pagerank(adj, seeds, alpha=alpha, tol=tol, max_iter=max_iter, start=start)
    scores = relative_scores(walk.scores, degrees(adj))
    low = low_trust(scores, fraction=low_fraction)
    low[seed_vector(adj.shape[0], seeds) > 0] = False  # trusted by definition
    return TrustResult(walk.scores, scores, low, walk.iterations, walk.residual, walk.converged)


# --- Measuring resistance to fake accounts -----------------------------------------------
class SybilGraph(NamedTuple):
    src: np.ndarray
    dst: np.ndarray
    n: int
    is_sybil: np.ndarray  # bool per member; the fakes are the last ``sybils`` ids


def attach_sybils(
    honest_src: ArrayLike,
    honest_dst: ArrayLike,
    n_honest: int,
    *,
    sybils: int,
    attack_edges: int,
    rng: np.random.Generator,
    sybil_degree: int = 10,
) -> SybilGraph:
    """The honest graph plus ``sybils`` fake accounts (ids ``n_honest`` and up) that
    befriend each other freely (about ``sybil_degree`` fake friends each, in one piece)
    and real members through exactly ``attack_edges`` distinct friendships, each between
    a random fake and a random real member."""
    if sybils < 2 or sybil_degree < 2 or n_honest < 1:
        raise ValueError("need at least 1 real member, 2 fakes and a sybil_degree of 2")
    if not 0 <= attack_edges <= n_honest * sybils:
        raise ValueError("attack_edges must be between 0 and n_honest * sybils")
    ring = np.arange(sybils)  # keeps the fake region connected, as an attacker would
    extra = sybils * (sybil_degree - 2) // 2
    inside_a = np.concatenate([ring, rng.integers(0, sybils, extra)])
    inside_b = np.concatenate([np.roll(ring, -1), rng.integers(0, sybils, extra)])
    pairs = rng.choice(n_honest * sybils, size=attack_edges, replace=False)
    attack_honest, attack_sybil = pairs // sybils, pairs % sybils
    src = np.concatenate([np.asarray(honest_src), inside_a + n_honest, attack_sybil + n_honest])
    dst = np.concatenate([np.asarray(honest_dst), inside_b + n_honest, attack_honest])
    n = n_honest + sybils
    is_sybil = np.zeros(n, dtype=bool)
    is_sybil[n_honest:] = True
    return SybilGraph(src.astype(np.int64), dst.astype(np.int64), n, is_sybil)


def sybil_share(values: np.ndarray, is_sybil: np.ndarray) -> float:
    """The share of the total trust (e.g. the PageRank mass) the fake accounts hold."""
    total = float(np.sum(values))
    return float(np.sum(values[is_sybil])) / total if total > 0 else 0.0


def auc(scores: np.ndarray, is_sybil: np.ndarray) -> float:
    """The probability that a random real member scores above a random fake one, ties
    counting half (SybilRank's measure): 1.0 separates them perfectly, 0.5 is a coin."""
    is_sybil = np.asarray(is_sybil, dtype=bool)
    honest = int((~is_sybil).sum())
    fake = int(is_sybil.sum())
    if honest == 0 or fake == 0:
        raise ValueError("auc needs both real and fake members")
    ranks = rankdata(scores)  # ties get their average rank
    return (float(ranks[~is_sybil].sum()) - honest * (honest + 1) / 2) / (honest * fake)


def low_shares(low: np.ndarray, is_sybil: np.ndarray) -> tuple[float, float]:
    """(share of the fakes called low, share of the real members called low)."""
    return float(low[is_sybil].mean()), float(low[~is_sybil].mean())


@dataclass(frozen=True)
class SybilTrial:
    attack_edges: int
    method: str  # "ppr" (trust_scores) or "sybilrank"
    sybil_share: float  # of the trust mass (for sybilrank: of t before dividing by degree)
    sybil_population_share: float
    auc: float
    low_sybils: dict[float, float]  # fraction → share of fakes called low
    low_honest: dict[float, float]  # fraction → share of real members called low


def sybil_trial(
    honest_src: ArrayLike,
    honest_dst: ArrayLike,
    n_honest: int,
    *,
    sybils: int,
    attack_edges: int,
    seeds: int,
    rng: np.random.Generator,
    fractions: tuple[float, ...] = (LOW_FRACTION,),
) -> list[SybilTrial]:
    """One experiment: fakes attached to the honest graph, ``seeds`` random real members
    as seeds, and both methods measured on the same graph (the low rule applied to each
    method's scores relative to its reference score)."""
    graph = attach_sybils(
        honest_src, honest_dst, n_honest, sybils=sybils, attack_edges=attack_edges, rng=rng
    )
    adj = build_graph(graph.src, graph.dst, graph.n)
    chosen = rng.choice(n_honest, size=seeds, replace=False)
    deg = degrees(adj)
    ppr = personalized_pagerank(adj, chosen).scores
    early = sybilrank(adj, chosen)
    trials = []
    for method, mass in (("ppr", ppr), ("sybilrank", early * deg)):
        scores = relative_scores(mass, deg)
        lows = {}
        for fraction in fractions:
            low = low_trust(scores, fraction=fraction)
            low[chosen] = False
            lows[fraction] = low_shares(low, graph.is_sybil)
        trials.append(
            SybilTrial(
                attack_edges=attack_edges,
                method=method,
                sybil_share=sybil_share(mass, graph.is_sybil),
                sybil_population_share=sybils / graph.n,
                auc=auc(scores, graph.is_sybil),
                low_sybils={f: v[0] for f, v in lows.items()},
                low_honest={f: v[1] for f, v in lows.items()},
            )
        )
    return trials
