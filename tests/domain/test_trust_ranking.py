"""Trust over the friend graph is pure: edge arrays in, scores out (porch.trust.ranking).
No database: these are plain NumPy/SciPy tests, and the sybil experiment on Reed98."""

from __future__ import annotations

import math

import networkx as nx
import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy.sparse.csgraph import connected_components

from porch.simulation.graphs import load_graph
from porch.trust import ranking


def pairs(n):
    """Hypothesis: up to 60 member pairs among n (self-loops and repeats included)."""
    return st.lists(st.tuples(st.integers(0, n - 1), st.integers(0, n - 1)), max_size=60)


def graph_of(pairs, n):
    pairs = np.array(pairs, dtype=np.int64).reshape(-1, 2)
    return ranking.build_graph(pairs[:, 0], pairs[:, 1], n)


@pytest.fixture(scope="module")
def reed():
    graph = load_graph("reed98", 0, 0)
    return graph.friendships[:, 0], graph.friendships[:, 1], graph.members


# --- build_graph -------------------------------------------------------------------------
def test_build_graph_symmetrises_merges_duplicates_and_drops_self_loops():
    adj = ranking.build_graph([0, 1, 0, 2, 3, 1], [1, 0, 1, 2, 1, 2], 5)
    assert adj.shape == (5, 5) and adj.dtype == np.float32 and adj.indices.dtype == np.int32
    dense = adj.toarray()
    expected = np.zeros((5, 5))
    for a, b in [(0, 1), (1, 3), (1, 2)]:
        expected[a, b] = expected[b, a] = 1
    assert (dense == expected).all()  # (0,1) given three times is one friendship
    assert adj.nnz == 6
    assert ranking.degrees(adj).tolist() == [1, 3, 1, 1, 0]


def test_build_graph_keeps_the_largest_weight_of_a_pair():
    adj = ranking.build_graph(
        [0, 1, 1, 2, 0, 3], [1, 0, 2, 2, 3, 0], 4, weights=[2.0, 5.0, 0.5, 9.0, 0.0, 0.0]
    )
    dense = adj.toarray()
    assert dense[0, 1] == dense[1, 0] == 5.0
    assert dense[1, 2] == dense[2, 1] == 0.5
    assert dense[2, 2] == 0  # the self-loop is dropped, weight and all
    assert adj.nnz == 4  # weight 0 is no connection
    assert ranking.degrees(adj).tolist() == [5.0, 5.5, 0.5, 0.0]
    with pytest.raises(ValueError):
        ranking.build_graph([0], [1], 2, weights=[-1.0])


@pytest.mark.parametrize(
    ("src", "dst", "n"),
    [([0, 1], [1], 3), ([0, 3], [1, 1], 3), ([-1], [0], 3), ([[0]], [[1]], 3)],
)
def test_build_graph_refuses_bad_edges(src, dst, n):
    with pytest.raises(ValueError):
        ranking.build_graph(src, dst, n)


def test_build_graph_of_nobody():
    adj = ranking.build_graph(np.array([], dtype=int), np.array([], dtype=int), 4)
    assert adj.shape == (4, 4) and adj.nnz == 0


@settings(max_examples=60, deadline=None)
@given(st.integers(1, 30).flatmap(lambda n: st.tuples(st.just(n), pairs(n))))
def test_build_graph_is_the_simple_undirected_graph(case):
    n, edges = case
    adj = graph_of(edges, n)
    dense = adj.toarray()
    expected = nx.Graph()
    expected.add_nodes_from(range(n))
    expected.add_edges_from((a, b) for a, b in edges if a != b)
    assert (dense == dense.T).all() and (np.diag(dense) == 0).all()
    assert (dense == nx.to_numpy_array(expected, nodelist=range(n))).all()


# --- Personalized PageRank ---------------------------------------------------------------
def test_ppr_agrees_with_networkx():
    graph = nx.Graph(nx.karate_club_graph().edges())  # without its weights
    graph.add_edge(40, 41)  # a separate pair: no trust reaches it
    graph.add_node(42)  # nobody's friend
    n = 43
    graph.add_nodes_from(range(n))
    edges = np.array(graph.edges(), dtype=np.int64)
    adj = ranking.build_graph(edges[:, 0], edges[:, 1], n)
    seeds = [0, 5, 33]
    ours = ranking.personalized_pagerank(adj, seeds, tol=1e-13)
    theirs = nx.pagerank(
        graph, alpha=0.85, personalization=dict.fromkeys(seeds, 1), tol=1e-14, max_iter=1000
    )
    expected = np.array([theirs[i] for i in range(n)])
    assert ours.converged and ours.residual < 1e-13
    assert np.abs(ours.scores - expected).max() < 1e-6
    assert ours.scores.sum() == pytest.approx(1.0, abs=1e-12)
    assert (ours.scores >= 0).all()
    assert ours.scores[[40, 41, 42]].tolist() == [0.0, 0.0, 0.0]


def test_ppr_with_a_dangling_seed_agrees_with_networkx():
    """A seed with no connection holds trust that has nowhere to go: networkx (by
    default) and Porch both send a dangling member's trust back by the seed vector."""
    graph = nx.Graph(nx.les_miserables_graph().edges())
    names = {name: i for i, name in enumerate(sorted(graph))}
    graph = nx.relabel_nodes(graph, names)
    n = len(names) + 2
    graph.add_nodes_from(range(n))  # n - 2: a lone seed; n - 1: a lone non-seed
    edges = np.array(graph.edges(), dtype=np.int64)
    adj = ranking.build_graph(edges[:, 0], edges[:, 1], n)
    seeds = [0, 11, n - 2]
    ours = ranking.personalized_pagerank(adj, seeds, tol=1e-13)
    theirs = nx.pagerank(
        graph,
        alpha=1 - ranking.ALPHA,
        personalization=dict.fromkeys(seeds, 1),
        tol=1e-14,
        max_iter=1000,
    )
    expected = np.array([theirs[i] for i in range(n)])
    assert np.abs(ours.scores - expected).max() < 1e-6
    # The lone seed keeps alpha/3 of each step's jump plus 1/3 of its own dangling trust:
    # t = alpha/3 + (1 - alpha)·t/3.
    alpha = ranking.ALPHA
    assert ours.scores[n - 2] == pytest.approx((alpha / 3) / (1 - (1 - alpha) / 3), rel=1e-9)
    assert ours.scores[n - 1] == 0.0
    assert ours.scores.sum() == pytest.approx(1.0, abs=1e-12)


def test_ppr_on_a_weighted_graph_agrees_with_networkx():
    graph = nx.karate_club_graph()  # weighted by the number of shared activities
    edges = np.array([(a, b, w) for a, b, w in graph.edges(data="weight")], dtype=float)
    adj = ranking.build_graph(
        edges[:, 0].astype(int), edges[:, 1].astype(int), 34, weights=edges[:, 2]
    )
    ours = ranking.personalized_pagerank(adj, [0, 33], tol=1e-13).scores
    theirs = nx.pagerank(graph, personalization={0: 1, 33: 1}, tol=1e-14, max_iter=1000)
    assert np.abs(ours - [theirs[i] for i in range(34)]).max() < 1e-6


def test_ppr_with_a_seed_weight_vector():
    adj = graph_of([(0, 1), (1, 2), (2, 3)], 4)
    weights = np.array([3.0, 0.0, 0.0, 1.0])
    graph = nx.path_graph(4)
    theirs = nx.pagerank(graph, personalization={0: 3, 3: 1}, tol=1e-14, max_iter=1000)
    ours = ranking.personalized_pagerank(adj, weights, tol=1e-13).scores
    assert np.abs(ours - [theirs[i] for i in range(4)]).max() < 1e-9
    # A boolean mask is a set of seeds.
    mask = ranking.personalized_pagerank(adj, np.array([True, False, False, True]), tol=1e-13)
    indices = ranking.personalized_pagerank(adj, [0, 3], tol=1e-13)
    assert np.allclose(mask.scores, indices.scores)


def test_a_seed_with_no_connection_keeps_the_walk_and_others_get_it_too():
    """A dangling member (degree 0) sends its trust back to the seeds."""
    adj = graph_of([(1, 2), (2, 3)], 4)
    result = ranking.personalized_pagerank(adj, [0, 1], tol=1e-13)
    assert result.scores.sum() == pytest.approx(1.0)
    assert result.scores[0] > 0 and result.scores[3] > 0


@pytest.mark.parametrize(
    "kwargs",
    [
        {"seeds": []},
        {"seeds": [7]},
        {"seeds": [-1]},
        {"seeds": np.zeros(4)},
        {"seeds": [0], "alpha": 0.0},
        {"seeds": [0], "alpha": 1.0},
        {"seeds": [0], "tol": 0},
        {"seeds": [0], "start": np.array([1.0, -1.0, 0.0, 0.0])},
        {"seeds": [0], "start": np.ones(3)},
    ],
)
def test_ppr_refuses_bad_arguments(kwargs):
    adj = graph_of([(0, 1), (1, 2), (2, 3)], 4)
    with pytest.raises(ValueError):
        ranking.personalized_pagerank(adj, **kwargs)


def test_warm_start_from_the_answer_converges_at_once_to_it():
    graph = nx.powerlaw_cluster_graph(2000, 5, 0.5, seed=3)
    edges = np.array(graph.edges())
    adj = ranking.build_graph(edges[:, 0], edges[:, 1], 2000)
    cold = ranking.personalized_pagerank(adj, [1, 2, 3])
    warm = ranking.personalized_pagerank(adj, [1, 2, 3], start=cold.scores)
    assert cold.iterations > 20
    assert warm.iterations <= 2
    assert np.abs(warm.scores - cold.scores).sum() < 1e-7


def test_warm_start_after_a_few_new_friendships_needs_fewer_iterations():
    graph = nx.powerlaw_cluster_graph(2000, 5, 0.5, seed=4)
    edges = np.array(graph.edges())
    before = ranking.build_graph(edges[:, 0], edges[:, 1], 2000)
    previous = ranking.personalized_pagerank(before, [0, 1, 2])
    rng = np.random.default_rng(0)
    more = np.concatenate([edges, rng.integers(0, 2000, (5, 2))])
    after = ranking.build_graph(more[:, 0], more[:, 1], 2000)
    cold = ranking.personalized_pagerank(after, [0, 1, 2])
    warm = ranking.personalized_pagerank(after, [0, 1, 2], start=previous.scores)
    assert warm.iterations <= 0.7 * cold.iterations
    # The same answer, to the stopping rule's accuracy (error <= residual * 0.85 / 0.15).
    assert np.abs(warm.scores - cold.scores).sum() < 20 * ranking.TOLERANCE


def test_a_warm_start_does_not_leave_trust_where_the_seeds_no_longer_reach():
    adj = graph_of([(0, 1), (1, 2), (2, 0), (3, 4)], 5)
    old_scores = np.full(5, 0.2)  # from when 3 and 4 were still connected
    result = ranking.personalized_pagerank(adj, [0], start=old_scores)
    assert result.scores[[3, 4]].tolist() == [0.0, 0.0]
    assert result.scores.sum() == pytest.approx(1.0)
    # A start entirely outside the seeds' component: starts from the seeds instead.
    outside = ranking.personalized_pagerank(adj, [0], start=[0, 0, 0, 1.0, 1.0])
    assert np.allclose(outside.scores, ranking.personalized_pagerank(adj, [0]).scores)


def test_a_component_without_seeds_gets_nothing_and_is_low():
    """Two communities that never met: trust from the first one's seeds never reaches the
    second, however well connected it is inside."""
    first = nx.powerlaw_cluster_graph(200, 4, 0.5, seed=6)
    second = nx.complete_graph(30)  # everyone friends with everyone: still unreached
    edges = np.concatenate([np.array(first.edges()), np.array(second.edges()) + 200])
    adj = ranking.build_graph(edges[:, 0], edges[:, 1], 230)
    result = ranking.trust_scores(adj, [0, 1, 2])
    assert (result.mass[200:] == 0).all() and (result.scores[200:] == 0).all()
    assert result.low[200:].all()
    assert (result.mass[:200] > 0).all() and not result.low[:200].any()
    assert result.mass.sum() == pytest.approx(1.0, abs=1e-12)


def test_max_iter_stops_the_walk_and_says_so():
    adj = graph_of([(0, 1), (1, 2), (2, 3), (3, 4)], 5)
    result = ranking.personalized_pagerank(adj, [0], max_iter=3)
    assert result.iterations == 3 and not result.converged and result.residual > 0


@settings(max_examples=80, deadline=None)
@given(
    st.integers(2, 30).flatmap(
        lambda n: st.tuples(
            st.just(n),
            pairs(n),
            st.lists(st.integers(0, n - 1), min_size=1, max_size=4),
            st.none() | st.lists(st.floats(0, 1), min_size=n, max_size=n),
        )
    )
)
def test_trust_stays_in_the_seeds_component(case):
    n, edges, seeds, start = case
    adj = graph_of(edges, n)
    if start is not None and sum(start) == 0:
        start = None
    result = ranking.personalized_pagerank(adj, seeds, start=start)
    component = ranking.seeds_component(adj, ranking.seed_vector(n, seeds))
    reachable = nx.Graph()
    reachable.add_nodes_from(range(n))
    reachable.add_edges_from(edges)
    expected = set().union(*(nx.node_connected_component(reachable, s) for s in seeds))
    assert set(np.flatnonzero(component).tolist()) == expected
    assert (result.scores >= 0).all()
    assert result.scores.sum() == pytest.approx(1.0, abs=1e-9)
    assert (result.scores[~component] == 0).all()
    early = ranking.sybilrank(adj, seeds)
    assert (early >= 0).all() and (early[~component] == 0).all()
    assert (early * ranking.degrees(adj)).sum() <= 1 + 1e-9
    trust = ranking.trust_scores(adj, seeds, start=start)
    assert (trust.scores[~component] == 0).all() and trust.low[~component].all()
    assert not trust.low[seeds].any()


# --- SybilRank ---------------------------------------------------------------------------
def test_sybilrank_is_a_few_plain_steps_divided_by_degree():
    adj = graph_of([(0, 1), (1, 2), (2, 3), (3, 0), (0, 2), (3, 4)], 5)
    deg = ranking.degrees(adj)
    walk = adj.toarray() / deg[:, None]
    t = np.array([0.5, 0.5, 0, 0, 0])
    for _ in range(math.ceil(math.log2(5))):  # 3 steps: early termination
        t = walk.T @ t
    assert np.allclose(ranking.sybilrank(adj, [0, 1]), t / deg)
    assert np.allclose(ranking.sybilrank(adj, [0, 1], iterations=0), [0.5 / 3, 0.25, 0, 0, 0])


# --- What Porch stores -------------------------------------------------------------------
def test_trust_scores_are_relative_and_the_low_rule_is_scale_free():
    """Two copies of a community, seeded in both, score exactly as one copy does: the low
    rule is relative to the community's own reference, not to its size."""
    graph = nx.powerlaw_cluster_graph(300, 4, 0.5, seed=5)
    edges = np.array(graph.edges())
    one = ranking.build_graph(edges[:, 0], edges[:, 1], 300)
    twice = np.concatenate([edges, edges + 300])
    two = ranking.build_graph(twice[:, 0], twice[:, 1], 600)
    single = ranking.trust_scores(one, [0, 1, 2])
    double = ranking.trust_scores(two, [0, 1, 2, 300, 301, 302])
    assert np.allclose(double.scores, np.tile(single.scores, 2), rtol=1e-6)
    assert (double.low == np.tile(single.low, 2)).all()
    assert double.mass.sum() == pytest.approx(1.0)


def test_a_family_server_s_scores():
    """An 8-member family (a grandmother everyone knows, the others in a ring), a ring of
    6 fake accounts befriended by one cousin, and a member with no friendship yet."""
    family = [(0, i) for i in range(1, 8)] + [(i, i % 7 + 1) for i in range(1, 8)]
    fakes = [(a, b) for a in range(8, 14) for b in range(a + 1, 14)] + [(7, 8)]
    adj = graph_of(family + fakes, 15)
    result = ranking.trust_scores(adj, [0])
    assert result.low.tolist() == [False] * 8 + [True] * 7
    assert result.scores[14] == 0  # unreached
    assert result.scores[1:8].min() > 0.5
    assert result.scores[8:14].max() < ranking.LOW_FRACTION
    assert result.converged and result.iterations > 1


def trust_weighted_median(values, weights):
    """The value below which half of the weight lies, by brute force."""
    order = np.argsort(values, kind="stable")
    for i in range(len(order)):
        if weights[order[: i + 1]].sum() >= 0.5 * weights.sum():
            return values[order[i]]
    raise AssertionError("no weight")


def test_relative_scores_put_the_reached_members_median_at_1(reed):
    """The reference is the reached members' median score, each counted by the trust
    they hold (so a crowd of barely trusted accounts cannot move it): that median is
    exactly 1, and a plain median of the same scores is near it."""
    src, dst, n = reed
    adj = ranking.build_graph(src, dst, n)
    deg = ranking.degrees(adj)
    mass = ranking.personalized_pagerank(adj, [3, 400, 800]).scores
    scores = ranking.relative_scores(mass, deg)
    reached = mass > 0
    assert reached.all()  # Reed98 is in one piece
    assert trust_weighted_median(scores[reached], mass[reached]) == pytest.approx(1.0)
    assert 0.5 < np.median(scores[reached]) < 1.5
    assert np.allclose(scores * ranking.reference_score(mass / deg, mass), mass / deg)
    # Unreached and unconnected members score 0.
    small = ranking.relative_scores(np.array([0.5, 0.5, 0.0]), np.array([1.0, 0.0, 2.0]))
    assert small.tolist() == [1.0, 0.0, 0.0]


def test_seeds_are_never_low_and_reference_is_trust_weighted():
    adj = graph_of([(0, 1), (1, 2), (2, 3), (3, 4)], 6)
    result = ranking.trust_scores(adj, [4, 5])  # 5 has no connection
    assert not result.low[[4, 5]].any()
    mass, deg = result.mass, ranking.degrees(adj)
    per_degree = np.divide(mass, deg, out=np.zeros(6), where=deg > 0)
    order = np.argsort(per_degree)
    holder = order[
        np.searchsorted(np.cumsum(mass[order] * (deg[order] > 0)), 0.5 * mass[deg > 0].sum())
    ]
    assert result.scores[holder] == pytest.approx(1.0)


# --- The sybil experiment ----------------------------------------------------------------
def test_attach_sybils_adds_exactly_the_attack_edges(reed):
    src, dst, n = reed
    graph = ranking.attach_sybils(
        src, dst, n, sybils=500, attack_edges=37, rng=np.random.default_rng(1)
    )
    assert graph.n == n + 500 and graph.is_sybil.sum() == 500 and not graph.is_sybil[:n].any()
    adj = ranking.build_graph(graph.src, graph.dst, graph.n)
    coo = adj.tocoo()
    crossing = graph.is_sybil[coo.row] & ~graph.is_sybil[coo.col]
    assert crossing.sum() == 37
    inside = adj[n:, n:]
    assert 9 <= inside.nnz / 500 <= 10  # about 10 fake friends each
    pieces, _ = connected_components(inside)
    assert pieces == 1  # the fake region is in one piece


def test_auc_counts_ties_as_half():
    is_sybil = np.array([False, False, True, True])
    assert ranking.auc(np.array([3.0, 2.0, 1.0, 0.0]), is_sybil) == 1.0
    assert ranking.auc(np.array([0.0, 1.0, 2.0, 3.0]), is_sybil) == 0.0
    assert ranking.auc(np.array([1.0, 1.0, 1.0, 1.0]), is_sybil) == 0.5
    assert ranking.auc(np.array([2.0, 1.0, 1.0, 0.0]), is_sybil) == 0.875
    with pytest.raises(ValueError):
        ranking.auc(np.ones(2), np.array([False, False]))


@settings(max_examples=50, deadline=None)
@given(st.lists(st.tuples(st.integers(0, 5), st.booleans()), min_size=2, max_size=30))
def test_auc_is_the_share_of_pairs_ranked_right(values):
    scores = np.array([v for v, _ in values], dtype=float)
    is_sybil = np.array([s for _, s in values])
    if is_sybil.all() or not is_sybil.any():
        return
    pairs = [(h, s) for h in scores[~is_sybil] for s in scores[is_sybil]]
    expected = sum(1.0 if h > s else 0.5 if h == s else 0.0 for h, s in pairs) / len(pairs)
    assert ranking.auc(scores, is_sybil) == pytest.approx(expected)


def test_sybil_share():
    is_sybil = np.array([False, True, True])
    assert ranking.sybil_share(np.array([0.5, 0.25, 0.25]), is_sybil) == 0.5
    assert ranking.sybil_share(np.zeros(3), is_sybil) == 0.0


SYBILS, SEEDS = 500, 5


def attacked(reed, attack_edges, seed=0):
    """Reed98 with 500 fakes (34% of everyone) and ``attack_edges`` friendships between
    fakes and real members; 5 random real members as seeds, from a fixed rng."""
    src, dst, n = reed
    rng = np.random.default_rng(seed)
    graph = ranking.attach_sybils(src, dst, n, sybils=SYBILS, attack_edges=attack_edges, rng=rng)
    seeds = rng.choice(n, size=SEEDS, replace=False)
    return graph, seeds


def measure(graph, seeds):
    adj = ranking.build_graph(graph.src, graph.dst, graph.n)
    result = ranking.trust_scores(adj, seeds)
    low_sybils, low_honest = ranking.low_shares(result.low, graph.is_sybil)
    return {
        "auc": ranking.auc(result.scores, graph.is_sybil),
        "share": ranking.sybil_share(result.mass, graph.is_sybil),
        "low_sybils": low_sybils,
        "low_honest": low_honest,
        "low": result.low,
    }


def test_ten_attack_edges_keep_the_fakes_out_on_reed98(reed):
    graph, seeds = attacked(reed, 10)
    assert graph.is_sybil.mean() == pytest.approx(0.34, abs=0.005)
    got = measure(graph, seeds)
    assert got["auc"] >= 0.99
    assert got["share"] < 0.01  # against 34% of the accounts
    assert got["low_sybils"] >= 0.95
    assert got["low_honest"] == 0.0
    assert not got["low"][seeds].any()


def test_a_hundred_attack_edges_still_mostly_keep_them_out(reed):
    got = measure(*attacked(reed, 100))
    assert got["low_sybils"] >= 0.90
    assert got["low_honest"] < 0.01
    assert got["share"] < 0.05


def test_many_attack_edges_let_them_in(reed):
    """The measure can fail: with 3,000 attack edges (6 per fake) the fakes pass as real."""
    few, many = measure(*attacked(reed, 10)), measure(*attacked(reed, 3000))
    assert many["auc"] < 0.9 and many["auc"] < few["auc"] - 0.05
    assert many["share"] > 10 * few["share"]
    assert many["low_sybils"] < 0.5


def test_a_seed_befriending_a_fake_lets_in_more_than_ten_random_attack_edges(reed):
    """A seed's friends get a share of every jump back: one friendship between the
    least connected seed and a fake brings the fakes more trust than the 10 random
    attack edges did."""
    graph, seeds = attacked(reed, 10)
    before = measure(graph, seeds)
    n = reed[2]  # the first fake
    deg = ranking.degrees(ranking.build_graph(graph.src, graph.dst, graph.n))
    weakest = seeds[np.argmin(deg[seeds])]
    befriended = graph._replace(src=np.append(graph.src, weakest), dst=np.append(graph.dst, n))
    after = measure(befriended, seeds)
    assert after["share"] > 5 * before["share"]


def test_sybil_trial_measures_both_methods_on_the_same_graph(reed):
    src, dst, n = reed
    trials = ranking.sybil_trial(
        src,
        dst,
        n,
        sybils=SYBILS,
        attack_edges=10,
        seeds=SEEDS,
        rng=np.random.default_rng(0),
        fractions=(0.1, 0.2),
    )
    assert [t.method for t in trials] == ["ppr", "sybilrank"]
    direct = measure(*attacked(reed, 10))
    ppr = trials[0]
    assert ppr.auc == pytest.approx(direct["auc"]) and ppr.sybil_share == pytest.approx(
        direct["share"]
    )
    assert ppr.low_sybils[0.2] == pytest.approx(direct["low_sybils"])
    assert trials[1].auc >= 0.99 and trials[1].sybil_share < 0.01
    assert ppr.sybil_population_share == pytest.approx(SYBILS / (n + SYBILS))
    assert ppr.low_sybils[0.1] <= ppr.low_sybils[0.2]


def test_more_fakes_than_real_members_do_not_move_the_reference(reed):
    """2,000 fakes on 962 real members: a plain median of the scores would be a fake's,
    the trust-weighted reference is not."""
    src, dst, n = reed
    rng = np.random.default_rng(3)
    graph = ranking.attach_sybils(src, dst, n, sybils=2000, attack_edges=20, rng=rng)
    adj = ranking.build_graph(graph.src, graph.dst, graph.n)
    result = ranking.trust_scores(adj, rng.choice(n, 8, replace=False))
    low_sybils, low_honest = ranking.low_shares(result.low, graph.is_sybil)
    assert low_sybils >= 0.95 and low_honest <= 0.01
