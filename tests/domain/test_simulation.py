"""The feed simulation: its graphs, its model, its metrics, and ``porch simulate``."""

import json
import subprocess
import sys
from dataclasses import replace
from datetime import UTC, datetime, timedelta

import numpy as np
import pytest
from django.core.management import CommandError, call_command

from porch.feed.rankers import Candidate, ChronologicalRanker, ConversationRanker, Weights
from porch.simulation.engagement import EngagementRanker
from porch.simulation.graphs import GraphError, load_graph, populate, read_edge_list
from porch.simulation.metrics import gini, mean_std
from porch.simulation.model import RANKERS, Behaviour, Community, Run, _ranges, simulate_one
from porch.simulation.runner import METRICS, simulate, targets

# -- metrics ----------------------------------------------------------------------------


def test_gini_of_known_distributions():
    assert gini([5, 5, 5, 5]) == 0
    assert gini([0, 0, 0, 10]) == pytest.approx(0.75)  # (n - 1) / n: one has everything
    assert gini([1, 2, 3, 4]) == pytest.approx(0.25)
    assert gini([0, 0]) == 0
    with pytest.raises(ValueError):
        gini([])
    with pytest.raises(ValueError):
        gini([1, -1])


def test_mean_and_spread():
    assert mean_std([1.0, 3.0]) == {"mean": 2.0, "std": pytest.approx(2**0.5)}
    assert mean_std([4.0]) == {"mean": 4.0, "std": 0.0}


def test_targets_compare_conversation_with_both_baselines():
    def ranker(silence, gini_, broadcast, impressions):
        values = {
            "silence_rate": silence,
            "attention_gini": gini_,
            "broadcaster_share": broadcast,
            "impressions_per_member_day": impressions,
        }
        return {name: {"mean": value, "std": 0.0} for name, value in values.items()}

    good = {
        "chronological": ranker(0.5, 0.8, 0.6, 14),
        "conversation": ranker(0.3, 0.6, 0.3, 13),
        "engagement": ranker(0.8, 0.9, 0.8, 15),
    }
    checked = targets(good)
    assert checked["silence_cut_vs_chronological"] == pytest.approx(0.4)
    assert checked["silence_cut_vs_engagement"] == pytest.approx(0.625)
    assert checked["met"]
    louder = dict(good, conversation=ranker(0.3, 0.6, 0.3, 15))
    assert not targets(louder)["met"]
    assert not targets(dict(good, conversation=ranker(0.4, 0.6, 0.3, 13)))["met"]


# -- graphs -----------------------------------------------------------------------------


def test_the_real_graph_ships_with_porch():
    graph = load_graph("reed98", members=0, seed=1)
    assert (graph.members, len(graph.friendships)) == (962, 18812)


def test_an_edge_list_file(tmp_path):
    path = tmp_path / "village.edges"
    path.write_text("% a comment\n# another\nana ben\nben ana\nben cy 0.5\ncy cy\n\ncy dan\n")
    graph = read_edge_list(path)
    # Ids are any tokens; the reversed duplicate and the self-loop are dropped.
    assert graph.members == 4
    assert sorted(map(tuple, graph.friendships.tolist())) == [(0, 1), (1, 2), (2, 3)]


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("1 2\n3\n", "line 2: expected two member ids"),
        ("# nothing\n", "no friendships"),
        ("1 1\n", "no friendships"),
        ("1 2\n", "at least 3 members"),
    ],
)
def test_a_bad_edge_list_says_what_is_wrong(tmp_path, text, message):
    path = tmp_path / "bad.edges"
    path.write_text(text)
    with pytest.raises(GraphError, match=message):
        read_edge_list(path)


def test_a_missing_graph_names_the_choices(tmp_path):
    with pytest.raises(GraphError, match="reed98, clustered, small-world"):
        load_graph(str(tmp_path / "nope.edges"), members=100, seed=1)
    with pytest.raises(GraphError, match="is a directory"):
        load_graph(str(tmp_path), members=100, seed=1)


@pytest.mark.parametrize("name", ["clustered", "small-world"])
def test_generated_graphs_have_the_members_asked_for(name):
    graph = load_graph(name, members=300, seed=3)
    assert graph.members == 300
    assert (graph.friendships[:, 0] < graph.friendships[:, 1]).all()
    assert graph.degrees.min() >= 1
    assert load_graph(name, members=300, seed=3).friendships.tolist() == graph.friendships.tolist()


def test_broadcasters_are_followed_by_people_who_are_not_their_friends():
    graph = load_graph("reed98", members=0, seed=1)
    population = populate(graph, 0.02, 5.0, np.random.default_rng(4))
    assert population.broadcaster.sum() == round(0.02 * 962)
    follower, followed = population.follows.T
    assert population.broadcaster[followed].all()
    assert (follower != followed).all()
    friends = {tuple(pair) for pair in graph.friendships.tolist()}
    for a, b in population.follows.tolist():
        assert (min(a, b), max(a, b)) not in friends
    # Popular broadcasters are followed far more than the least popular one.
    counts = np.bincount(followed, minlength=graph.members)[population.broadcaster]
    assert counts.max() > 5 * max(counts.min(), 1)


# -- the model --------------------------------------------------------------------------


def test_ranges_concatenates_ranges():
    assert _ranges(np.array([2, 7, 0]), np.array([4, 7, 3])).tolist() == [2, 3, 0, 1, 2]
    assert _ranges(np.array([], dtype=np.int64), np.array([], dtype=np.int64)).tolist() == []


def test_the_simulation_runs_the_servers_rankers():
    assert RANKERS["chronological"] is ChronologicalRanker
    assert RANKERS["conversation"] is ConversationRanker
    assert RANKERS["engagement"] is EngagementRanker


def _community(ranker="conversation", hours=36, members=200, seed=5):
    run = Run(ranker=ranker, seed=seed, graph="clustered", members=members)
    graph = load_graph("clustered", members, seed=seed)
    population = populate(graph, 0.03, 3.0, np.random.default_rng(seed))
    schedule, act = np.random.default_rng(seed + 1), np.random.default_rng(seed + 2)
    community = Community(population, run, schedule)
    for hour in range(hours):
        community.hour(hour, schedule, act)
    return community, population


def test_members_only_ever_see_people_they_chose():
    community, population = _community()
    sees = {tuple(pair) for pair in population.graph.friendships.tolist()}
    sees |= {(b, a) for a, b in sees} | {tuple(pair) for pair in population.follows.tolist()}
    viewers = np.arange(community.n)
    cols, pair_viewer, _ = community.candidates(viewers, now=36.0)
    assert len(pair_viewer) > 0
    for viewer, author in zip(pair_viewer.tolist(), cols.author_id.tolist(), strict=True):
        assert viewer != author
        assert (viewer, author) in sees
    assert ((cols.age_hours >= 0) & (cols.age_hours <= community.b.window_hours)).all()
    # Every recent post by someone a member chose is among their candidates.
    posts = community.posts
    recent = np.flatnonzero(posts.created[: posts.count] >= 36.0 - community.b.window_hours)
    expected = {
        (v, int(p)) for p in recent for v in range(community.n) if (v, posts.author[p]) in sees
    }
    assert set(zip(pair_viewer.tolist(), cols.post_id.tolist(), strict=True)) == expected


def test_features_match_a_count_from_scratch():
    community, population = _community(hours=48)
    friends = {tuple(pair) for pair in population.graph.friendships.tolist()}
    friends |= {(b, a) for a, b in friends}
    cols, pair_viewer, _ = community.candidates(np.arange(community.n), now=48.0)
    repliers = {}
    for post, by in zip(community.reply_post, community.reply_by, strict=True):
        repliers.setdefault(post, set()).add(by)
    assert community.posts.replies.sum() == len(community.reply_post) > 0
    for viewer, post, count, replies in zip(
        pair_viewer.tolist(),
        cols.post_id.tolist(),
        cols.network_repliers.tolist(),
        cols.replies.tolist(),
        strict=True,
    ):
        mine = repliers.get(post, set())
        assert replies == len(mine)
        assert count == sum((viewer, r) in friends for r in mine)
    seen_keys = community.seen
    assert cols.seen.tolist() == [
        (p * community.n + v) in seen_keys
        for v, p in zip(pair_viewer.tolist(), cols.post_id.tolist(), strict=True)
    ]


def test_a_simulated_feed_is_ordered_exactly_as_the_server_orders_it():
    """The simulation scores every reader at once; one reader's order must be what
    ``ConversationRanker.rank`` gives for the same features as ``Candidate``s."""
    community, _ = _community(hours=40)
    viewer = int(np.argmax(np.bincount(community.edge_author, minlength=community.n)))
    cols, _, _ = community.candidates(np.array([viewer]), now=40.0)
    now = datetime(2026, 12, 1, tzinfo=UTC)
    candidates = [
        Candidate(
            post_id=int(cols.post_id[i]),
            author_id=int(cols.author_id[i]),
            author_name=f"m{cols.author_id[i]}",
            created_at=now - timedelta(hours=float(cols.age_hours[i])),
            mutual_friend=bool(cols.mutual_friend[i]),
            interactions_to_author=float(cols.interactions_to_author[i]),
            interactions_from_author=float(cols.interactions_from_author[i]),
            replies=int(cols.replies[i]),
            network_repliers=int(cols.network_repliers[i]),
            author_reply_ratio=None
            if np.isnan(cols.author_reply_ratio[i])
            else float(cols.author_reply_ratio[i]),
            seen=bool(cols.seen[i]),
        )
        for i in range(len(cols.post_id))
    ]
    assert len(candidates) > 10
    server = [item.candidate.post_id for item in ConversationRanker().rank(candidates, now)]
    community.ranker = ConversationRanker()
    shown = []
    community._impressions = lambda cols, pv, pe, order, now, act: shown.extend(
        cols.post_id[order].tolist()
    )
    community._read(np.array([viewer]), np.array([len(candidates)]), 40.0, None)
    assert shown == server[: len(shown)] and shown


def test_the_same_seed_gives_the_same_community():
    run = Run(ranker="conversation", seed=2, graph="clustered", members=150, days=1)
    first, again = simulate_one(run), simulate_one(run)
    assert first.metrics == again.metrics
    assert simulate_one(replace(run, seed=3)).metrics != first.metrics


def test_engagement_feeds_favour_what_everyone_reacted_to():
    from porch.simulation.engagement import EngagementColumns

    def cols(**changes):
        base = {
            "post_id": np.array([1, 2]),
            "author_id": np.array([1, 2]),
            "age_hours": np.array([1.0, 1.0]),
            "mutual_friend": np.array([True, True]),
            "shared_circles": np.zeros(2, dtype=int),
            "interactions_to_author": np.zeros(2),
            "interactions_from_author": np.zeros(2),
            "replies": np.zeros(2, dtype=int),
            "network_repliers": np.zeros(2, dtype=int),
            "author_reply_ratio": np.full(2, np.nan),
            "seen": np.array([False, False]),
            "own": np.array([False, False]),
            "reactions": np.array([40, 0]),
            "impressions": np.array([100, 100]),
            "author_reactions": np.array([400, 5]),
            "author_replies": np.array([10, 10]),
            "author_impressions": np.array([1000, 1000]),
        }
        base.update(changes)
        return EngagementColumns(**base)

    ranker = EngagementRanker()
    popular, quiet = ranker.scores(cols(), Weights())
    assert popular > quiet
    seen_popular, _ = ranker.scores(cols(seen=np.array([True, False])), Weights())
    assert seen_popular < popular


def test_a_small_simulation_end_to_end():
    ticks = []
    results = simulate(
        members=200,
        seeds=2,
        graph="clustered",
        days=1,
        warmup_days=1,
        workers=1,
        on_progress=lambda done, total: ticks.append((done, total)),
    )
    assert set(results["rankers"]) == {"chronological", "conversation", "engagement"}
    for metrics in results["rankers"].values():
        assert set(metrics) == set(METRICS)
        for name, value in metrics.items():
            assert set(value) == {"mean", "std"}
            if name not in {"impressions_per_member_day", "replies_per_member_day"}:
                assert 0 <= value["mean"] <= 1
    assert results["members"] == 200 and results["seeds"] == 2
    assert results["graph"] == "clustered" and results["seconds"] > 0
    assert len(results["runs"]) == 6
    assert ticks[-1][0] == ticks[-1][1] == 6 * 24 * 3
    # No feed grows time on site: members read what they are willing to, no more.
    per_day = results["rankers"]["chronological"]["impressions_per_member_day"]["mean"]
    assert 0 < per_day <= Behaviour().sessions_per_day * 3 * Behaviour().read_limit


# -- the command ------------------------------------------------------------------------


def _porch(*args):
    return subprocess.run(
        [sys.executable, "-m", "porch.cli", "simulate", *args],
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_porch_simulate_writes_json_and_a_chart(tmp_path):
    edges = tmp_path / "ring.edges"
    edges.write_text("".join(f"{i} {(i + 1) % 60}\n{i} {(i + 7) % 60}\n" for i in range(60)))
    done = _porch(
        "--members", "5", "--seeds", "2", "--graph", str(edges), "--out", str(tmp_path / "out"),
        "--days", "1", "--warmup-days", "1", "--workers", "2",
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    results = json.loads((tmp_path / "out" / "results.json").read_text())
    assert results["members"] == 60  # --members is ignored for a file graph
    assert results["graph"] == str(edges) and results["seeds"] == 2
    assert results["rankers"]["conversation"]["silence_rate"].keys() == {"mean", "std"}
    assert (tmp_path / "out" / "results.png").read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    assert "silence_rate" in done.stdout and "silence cut vs chronological" in done.stdout


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--seeds", "0"], "porch: --seeds must be at least 1"),
        (["--graph", "/no/such.edges"], "porch: no graph '/no/such.edges'"),
        (["--members", "10"], "porch: --members must be at least 50"),
        (["--rankers", "popularity"], "porch: unknown ranker popularity"),
        (["--weight", "fame=3"], "porch: unknown weight 'fame'"),
        (["--broadcasters", "1.5"], "porch: --broadcasters is a share"),
        (["--seeds", "many"], "porch: argument --seeds: invalid int value: 'many'"),
    ],
)
def test_porch_simulate_errors_are_one_line_and_exit_2(tmp_path, args, message):
    done = _porch("--out", str(tmp_path / "out"), *args)
    assert done.returncode == 2
    assert done.stderr.strip().splitlines() == [done.stderr.strip()]
    assert done.stderr.startswith(message)
    assert not (tmp_path / "out").exists()


def test_porch_simulate_will_not_write_over_a_file(tmp_path):
    taken = tmp_path / "taken"
    taken.write_text("mine")
    with pytest.raises(CommandError, match="is a file"):
        call_command("simulate", "--out", str(taken), "--seeds", "1")
    assert taken.read_text() == "mine"
