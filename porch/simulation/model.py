"""The agent-based model: members post, open the app, read the top of their feed, and
reply or react, hour by simulated hour.

Everyone who opens the app in the same hour gets their feed at once: the candidates of
all of them are built as columns (``porch.feed.rankers.Columns``), scored by the very
ranker the server runs, sorted, spread with the server's diversity rule, and read.
Only who reads what depends on the ranker: when people post and open the app, how much
they are willing to read and how appealing each post is are drawn from a stream of
random numbers that is the same for every ranker under one seed (common random
numbers), so differences between rankers are the rankers' doing.

What a member sees: posts from the last ``window_hours`` by their friends and by the
broadcasters they follow (never strangers), the same candidate set for every ranker.
Porch's feeds end ("You're all caught up" before the trailing run of posts already
seen); the engagement feed, like the platforms it models, never ends.
"""

from __future__ import annotations

import bisect
import math
import time
from collections import defaultdict
from collections.abc import Callable
from dataclasses import asdict, dataclass, field

import numpy as np

from porch.feed.rankers import (
    ChronologicalRanker,
    ConversationRanker,
    Ranker,
    Weights,
    sort_keys,
    spread_order,
)

from .engagement import EngagementColumns, EngagementRanker
from .graphs import Population, load_graph, populate
from .metrics import gini

RANKERS: dict[str, Callable[[], Ranker]] = {
    "chronological": ChronologicalRanker,
    "conversation": ConversationRanker,
    "engagement": EngagementRanker,
}

# How active people are across the day (relative, mean 1): quiet nights, a morning and
# a larger evening peak.
DIURNAL = np.array(
    [0.2, 0.1, 0.1, 0.1, 0.1, 0.2, 0.6, 1.2, 1.5, 1.3, 1.1, 1.1,
     1.3, 1.2, 1.0, 1.0, 1.1, 1.3, 1.6, 1.9, 2.0, 1.8, 1.2, 0.6]
)  # fmt: skip
DIURNAL = DIURNAL / DIURNAL.mean()

INTERACTION_HALF_LIFE_HOURS = 14 * 24  # as the server's features (porch.feed.features)
ANSWER_WINDOW_HOURS = 24.0


@dataclass(frozen=True)
class Behaviour:
    """How the simulated people behave; the defaults are documented, with their
    reasons, in docs/algorithms/feed.md."""

    posts_per_day: float = 0.5
    broadcaster_posts_per_day: float = 6.0
    sessions_per_day: float = 3.0
    broadcaster_sessions_per_day: float = 3.0
    # Spread of activity between people (lognormal sigma; the mean stays as above).
    activity_sigma: float = 0.75
    # A session reads at most ``read_limit`` items; after each, reads on with this chance.
    read_limit: int = 10
    keep_reading: float = 0.85
    # Chance to reply to / react to a post on reading it, from a friend or from someone
    # followed; "talking often" multiplies it by up to 1 + tie_gain.
    reply_friend: float = 0.06
    reply_followed: float = 0.01
    react_friend: float = 0.15
    react_followed: float = 0.08
    tie_gain: float = 2.0
    # Chance to answer a reply to one's own post at the next session.
    answer_friend: float = 0.5
    answer_followed: float = 0.05
    # Broadcasters reply and answer this much less than others.
    broadcaster_reply_factor: float = 0.1
    # Each post's appeal is lognormal; broadcasters' posts are this much more appealing.
    appeal_sigma: float = 0.5
    broadcaster_appeal: float = 2.0
    # Broadcasters each member follows (on average), and the share of members who are.
    follows_per_member: float = 5.0
    broadcaster_share: float = 0.02
    window_hours: float = 48.0


@dataclass(frozen=True)
class Run:
    """One simulated community under one ranker and one seed."""

    ranker: str
    seed: int
    graph: str = "clustered"
    members: int = 1000
    warmup_days: int = 2
    days: int = 3
    behaviour: Behaviour = field(default_factory=Behaviour)
    weights: Weights = field(default_factory=Weights)


@dataclass
class Outcome:
    ranker: str
    seed: int
    members: int
    metrics: dict[str, float]
    seconds: float


def _ranges(starts: np.ndarray, ends: np.ndarray) -> np.ndarray:
    """The concatenation of ``range(s, e)`` for each pair, vectorised."""
    lengths = ends - starts
    total = int(lengths.sum())
    if not total:
        return np.empty(0, dtype=np.int64)
    offsets = np.repeat(np.cumsum(lengths) - lengths, lengths)
    return np.arange(total, dtype=np.int64) - offsets + np.repeat(starts, lengths)


class Posts:
    """Growable columns of every post written so far (ids in time order)."""

    def __init__(self, capacity: int):
        self.count = 0
        self.author = np.zeros(capacity, dtype=np.int64)
        self.created = np.zeros(capacity)
        self.appeal = np.zeros(capacity)
        self.replies = np.zeros(capacity, dtype=np.int64)
        self.reactions = np.zeros(capacity, dtype=np.int64)
        self.impressions = np.zeros(capacity, dtype=np.int64)
        self.first_reply = np.full(capacity, np.inf)

    def add(self, authors: np.ndarray, created: np.ndarray, appeal: np.ndarray) -> None:
        new = len(authors)
        if self.count + new > len(self.author):
            grow = max(new, len(self.author))
            for name in ("author", "created", "appeal", "replies", "reactions", "impressions"):
                column = getattr(self, name)
                setattr(self, name, np.concatenate([column, np.zeros(grow, column.dtype)]))
            self.first_reply = np.concatenate([self.first_reply, np.full(grow, np.inf)])
        at = slice(self.count, self.count + new)
        self.author[at], self.created[at], self.appeal[at] = authors, created, appeal
        self.count += new


class Community:
    """The state of one simulated community as its hours pass."""

    def __init__(self, population: Population, run: Run, schedule: np.random.Generator):
        b = run.behaviour
        self.run, self.b = run, b
        self.n = n = population.members
        self.broadcaster = population.broadcaster
        self.ranker = RANKERS[run.ranker]()
        self.weights = run.weights
        self.ends = run.ranker != "engagement"  # Porch's feeds end; engagement feeds don't

        # Who sees whom: directed edges viewer → author, grouped by viewer. Each belongs
        # to a pair slot (friendship or follow) with two directions of interaction.
        friends = population.graph.friendships
        follows = population.follows
        viewer = np.concatenate([friends[:, 0], friends[:, 1], follows[:, 0]])
        author = np.concatenate([friends[:, 1], friends[:, 0], follows[:, 1]])
        pair = np.concatenate(
            [
                np.arange(len(friends)),
                np.arange(len(friends)),
                len(friends) + np.arange(len(follows)),
            ]
        )
        direction = np.concatenate(
            [np.zeros(len(friends)), np.ones(len(friends)), np.zeros(len(follows))]
        ).astype(np.int64)
        order = np.lexsort((author, viewer))
        self.edge_author = author[order]
        self.edge_mutual = (np.arange(len(viewer)) < 2 * len(friends))[order]
        slot = 2 * pair[order] + direction[order]
        self.edge_slot, self.edge_back = slot, slot ^ 1
        self.edge_start = np.searchsorted(viewer[order], np.arange(n + 1))
        self.interactions = np.zeros(2 * (len(friends) + len(follows)))
        self.friend_keys = np.sort(np.concatenate([friends[:, 0] * n + friends[:, 1],
                                                   friends[:, 1] * n + friends[:, 0]]))  # fmt: skip

        # Activity: per member rates, drawn once.
        spread = schedule.lognormal(-(b.activity_sigma**2) / 2, b.activity_sigma, size=(2, n))
        self.post_rate = np.where(
            self.broadcaster, b.broadcaster_posts_per_day, b.posts_per_day * spread[0]
        )
        self.session_rate = np.where(
            self.broadcaster, b.broadcaster_sessions_per_day, b.sessions_per_day * spread[1]
        )
        self.reply_factor = np.where(self.broadcaster, b.broadcaster_reply_factor, 1.0)

        self.posts = Posts(int(self.post_rate.sum() * hours(run) / 24 * 1.2) + 64)
        self.started = np.zeros(n, dtype=np.int64)  # posts each member started
        self.answered = np.zeros(n, dtype=np.int64)  # replies to someone else's post
        self.author_impressions = np.zeros(n, dtype=np.int64)
        self.author_reactions = np.zeros(n, dtype=np.int64)
        self.author_replies = np.zeros(n, dtype=np.int64)
        self.seen: set[int] = set()
        self.replied: set[int] = set()
        self.reacted: set[int] = set()
        # Replies (to posts, by others): post, replier, time; answered back or not.
        self.reply_post: list[int] = []
        self.reply_by: list[int] = []
        self.reply_at: list[float] = []
        self.reply_answered: list[bool] = []
        self.reply_slot: list[int] = []
        self.unread = defaultdict(list)  # author → reply ids they have not seen yet
        self.open_replies = defaultdict(list)  # (replier, author) → reply ids not answered
        self.measure = Measure(n)

    # -- one hour ---------------------------------------------------------------------

    def hour(self, hour: int, schedule: np.random.Generator, act: np.random.Generator) -> None:
        b, n = self.b, self.n
        factor = DIURNAL[hour % 24] / 24
        # New posts during the hour; everyone who opens the app does so at its end.
        count = schedule.poisson(self.post_rate * factor)
        authors = np.repeat(np.arange(n), count)
        created = hour + schedule.random(len(authors))
        order = np.argsort(created, kind="stable")
        authors, created = authors[order], created[order]
        appeal = schedule.lognormal(-(b.appeal_sigma**2) / 2, b.appeal_sigma, size=len(authors))
        appeal = np.where(self.broadcaster[authors], appeal * b.broadcaster_appeal, appeal)
        first_new = self.posts.count
        self.posts.add(authors, created, appeal)
        np.add.at(self.started, authors, 1)
        self.measure.posted(self, first_new, hour)

        now = hour + 1.0
        viewers = np.flatnonzero(schedule.random(n) < -np.expm1(-self.session_rate * factor))
        willing = np.minimum(
            schedule.geometric(1 - b.keep_reading, size=len(viewers)), b.read_limit
        )
        self._answer_back(viewers, now, act)
        self._read(viewers, willing, now, act)
        self.interactions *= 0.5 ** (1 / INTERACTION_HALF_LIFE_HOURS)

    def _answer_back(self, viewers: np.ndarray, now: float, act: np.random.Generator) -> None:
        """Members opening the app see the replies to their posts and may answer them."""
        b = self.b
        for author in viewers.tolist():
            waiting = self.unread.pop(author, None)
            if not waiting:
                continue
            for reply in waiting:
                replier = self.reply_by[reply]
                mutual = self._friends(author, replier)
                chance = (b.answer_friend if mutual else b.answer_followed) * self.reply_factor[
                    author
                ]
                if act.random() < chance:
                    self.answered[author] += 1
                    self.interactions[self.reply_slot[reply] ^ 1] += 1
                    self._answered(replier, author, now)

    def _friends(self, a: int, b: int) -> bool:
        key = a * self.n + b
        at = np.searchsorted(self.friend_keys, key)
        return bool(at < len(self.friend_keys) and self.friend_keys[at] == key)

    def _answered(self, replier: int, author: int, now: float) -> None:
        """``author`` replied to ``replier``: their open replies to ``author`` are answered."""
        for reply in self.open_replies.pop((replier, author), ()):
            if now - self.reply_at[reply] <= ANSWER_WINDOW_HOURS:
                self.reply_answered[reply] = True

    def _window_start(self, now: float) -> int:
        """The id of the first post still inside everyone's feed window at ``now``."""
        posts = self.posts
        return int(np.searchsorted(posts.created[: posts.count], now - self.b.window_hours))

    def candidates(self, viewers: np.ndarray, now: float):
        """Every (viewer, post) pair the viewers may see, with the rankers' features."""
        posts, n = self.posts, self.n
        low = self._window_start(now)
        window_authors = posts.author[low : posts.count]
        by_author = np.argsort(window_authors, kind="stable")
        post_start = np.searchsorted(window_authors[by_author], np.arange(n + 1))

        edges = _ranges(self.edge_start[viewers], self.edge_start[viewers + 1])
        edge_viewer = np.repeat(viewers, self.edge_start[viewers + 1] - self.edge_start[viewers])
        edge_author = self.edge_author[edges]
        per_edge = post_start[edge_author + 1] - post_start[edge_author]
        pair_edge = np.repeat(edges, per_edge)
        pair_viewer = np.repeat(edge_viewer, per_edge)
        pair_post = low + by_author[_ranges(post_start[edge_author], post_start[edge_author + 1])]
        author = posts.author[pair_post]
        keys = pair_post * n + pair_viewer
        seen = np.fromiter(map(self.seen.__contains__, keys.tolist()), bool, len(keys))
        started = self.started[author]
        ratio = np.divide(
            self.answered[author], started, out=np.full(len(author), np.nan), where=started > 0
        )
        cols = EngagementColumns(
            post_id=pair_post,
            author_id=author,
            age_hours=now - posts.created[pair_post],
            mutual_friend=self.edge_mutual[pair_edge],
            shared_circles=np.zeros(len(pair_post), dtype=np.int64),
            interactions_to_author=self.interactions[self.edge_slot[pair_edge]],
            interactions_from_author=self.interactions[self.edge_back[pair_edge]],
            replies=posts.replies[pair_post],
            network_repliers=self._network_repliers(pair_viewer, pair_post, low, now),
            author_reply_ratio=ratio,
            seen=seen,
            own=np.zeros(len(pair_post), dtype=bool),  # own posts are not candidates here
            reactions=posts.reactions[pair_post],
            impressions=posts.impressions[pair_post],
            author_reactions=self.author_reactions[author],
            author_replies=self.author_replies[author],
            author_impressions=self.author_impressions[author],
        )
        return cols, pair_viewer, pair_edge

    def _network_repliers(self, pair_viewer, pair_post, low: int, now: float) -> np.ndarray:
        """Per pair: distinct friends of the viewer among the post's repliers."""
        # Only replies from the last window can be to a post still in it (replies are
        # kept in time order), so only those are read, not every reply so far.
        first = bisect.bisect_left(self.reply_at, now - self.b.window_hours)
        if first == len(self.reply_post):
            return np.zeros(len(pair_post), dtype=np.int64)
        reply_post = np.asarray(self.reply_post[first:])
        recent = np.flatnonzero(reply_post >= low)
        recent = recent[np.argsort(reply_post[recent], kind="stable")]
        sorted_posts = reply_post[recent]
        start = np.searchsorted(sorted_posts, pair_post)
        end = np.searchsorted(sorted_posts, pair_post, side="right")
        talk = np.flatnonzero(end > start)
        expanded = _ranges(start[talk], end[talk])
        owner = np.repeat(talk, end[talk] - start[talk])
        repliers = np.asarray(self.reply_by[first:])[recent[expanded]]
        keys = pair_viewer[owner] * self.n + repliers
        at = np.minimum(np.searchsorted(self.friend_keys, keys), len(self.friend_keys) - 1)
        friend = self.friend_keys[at] == keys
        return np.bincount(owner[friend], minlength=len(pair_post))

    def _read(self, viewers, willing, now: float, act: np.random.Generator) -> None:
        if not len(viewers):
            return
        cols, pair_viewer, pair_edge = self.candidates(viewers, now)
        if not len(pair_viewer):
            return
        scores = self.ranker.scores(cols, self.weights)
        order = np.lexsort((*sort_keys(cols, scores), pair_viewer))
        grouped_viewer = pair_viewer[order]
        starts = np.searchsorted(grouped_viewer, viewers)
        ends = np.searchsorted(grouped_viewer, viewers, side="right")
        authors = cols.author_id[order].tolist()
        unseen = (~cols.seen[order]).tolist()
        unseen_total = np.add.reduceat(~cols.seen[order], np.minimum(starts, len(order) - 1))
        w = self.weights
        shown: list[int] = []
        for k, (start, end) in enumerate(zip(starts.tolist(), ends.tolist(), strict=True)):
            if start == end:
                continue
            take = int(willing[k])
            if self.ranker.diversity:
                positions = spread_order(
                    authors[start:end], w.per_author_limit, w.diversity_window, take
                )
            else:
                positions = range(min(take, end - start))
            if self.ends:
                # The reader stops at "You're all caught up": after the last new post.
                left = int(unseen_total[k])
                read = []
                for position in positions:
                    if not left:
                        break
                    read.append(position)
                    left -= unseen[start + position]
                positions = read
            shown.extend(start + position for position in positions)
        self._impressions(cols, pair_viewer, pair_edge, order[np.asarray(shown, dtype=np.int64)],
                          now, act)  # fmt: skip

    def _impressions(self, cols, pair_viewer, pair_edge, shown, now, act) -> None:
        b, n, posts = self.b, self.n, self.posts
        viewer, post, author = pair_viewer[shown], cols.post_id[shown], cols.author_id[shown]
        mutual = cols.mutual_friend[shown]
        self.measure.impressions(self, viewer, author, mutual, now)
        np.add.at(posts.impressions, post, 1)
        np.add.at(self.author_impressions, author, 1)
        keys = (post * n + viewer).tolist()
        self.seen.update(keys)

        tie = 1 + b.tie_gain * -np.expm1(
            -np.sqrt(cols.interactions_to_author[shown] * cols.interactions_from_author[shown])
        )
        appeal = posts.appeal[post]
        reply_p = np.where(mutual, b.reply_friend, b.reply_followed) * tie * np.sqrt(appeal)
        reply_p *= self.reply_factor[viewer]
        react_p = np.where(mutual, b.react_friend, b.react_followed) * tie * appeal
        replies = act.random(len(shown)) < reply_p
        reacts = act.random(len(shown)) < react_p
        slots = self.edge_slot[pair_edge[shown]]
        for i in np.flatnonzero(reacts).tolist():
            if keys[i] in self.reacted:
                continue
            self.reacted.add(keys[i])
            posts.reactions[post[i]] += 1
            self.author_reactions[author[i]] += 1
            self.interactions[slots[i]] += 1
        for i in np.flatnonzero(replies).tolist():
            if keys[i] in self.replied:
                continue
            self.replied.add(keys[i])
            p, v, a = int(post[i]), int(viewer[i]), int(author[i])
            posts.replies[p] += 1
            posts.first_reply[p] = min(posts.first_reply[p], now)
            self.author_replies[a] += 1
            self.answered[v] += 1
            self.interactions[slots[i]] += 1
            reply = len(self.reply_post)
            self.reply_post.append(p)
            self.reply_by.append(v)
            self.reply_at.append(now)
            self.reply_answered.append(False)
            self.reply_slot.append(int(slots[i]))
            self.unread[a].append(reply)
            self.open_replies[(v, a)].append(reply)
            self.measure.replied(reply, now)
            # Replying on someone's post answers their open replies to you.
            self._answered(a, v, now)

    def forget_old(self, now: float) -> None:
        """Drop "seen" marks of posts that left every feed (they cannot come back)."""
        floor = self._window_start(now) * self.n
        self.seen = {key for key in self.seen if key >= floor}


class Measure:
    """What the metrics count, over the measured days only (after the warm-up)."""

    def __init__(self, n: int):
        self.start = self.end = 0.0
        self.impressions_total = 0
        self.friend_impressions = 0
        self.broadcaster_impressions = 0
        self.author_impressions = np.zeros(n, dtype=np.int64)
        self.measured_posts: list[np.ndarray] = []
        self.measured_replies: list[int] = []

    def inside(self, moment: float) -> bool:
        return self.start <= moment < self.end

    def posted(self, community: Community, first_new: int, hour: int) -> None:
        if self.inside(hour):
            self.measured_posts.append(np.arange(first_new, community.posts.count))

    def impressions(self, community, viewer, author, mutual, now) -> None:
        if not self.inside(now - 1):
            return
        self.impressions_total += len(viewer)
        self.friend_impressions += int(mutual.sum())
        self.broadcaster_impressions += int(community.broadcaster[author].sum())
        np.add.at(self.author_impressions, author, 1)

    def replied(self, reply: int, now: float) -> None:
        if self.inside(now - 1):
            self.measured_replies.append(reply)

    def results(self, community: Community, days: int) -> dict[str, float]:
        posts = community.posts
        measured = np.concatenate(self.measured_posts) if self.measured_posts else np.empty(0, int)
        ordinary = measured[~community.broadcaster[posts.author[measured]]]
        silent = posts.first_reply[ordinary] > posts.created[ordinary] + ANSWER_WINDOW_HOURS
        authors = np.unique(posts.author[measured])
        answered = [community.reply_answered[r] for r in self.measured_replies]
        total = self.impressions_total
        return {
            "silence_rate": float(silent.mean()) if len(ordinary) else math.nan,
            "friend_share": self.friend_impressions / total if total else math.nan,
            "attention_gini": gini(self.author_impressions[authors]) if len(authors) else math.nan,
            "broadcaster_share": self.broadcaster_impressions / total if total else math.nan,
            "reciprocity": float(np.mean(answered)) if answered else math.nan,
            "impressions_per_member_day": total / (community.n * days),
            "replies_per_member_day": len(answered) / (community.n * days),
        }


def simulate_one(run: Run, progress: Callable[[int], None] | None = None) -> Outcome:
    """Run one community for its warm-up and measured days (plus one more day, so every
    measured post has had its 24 hours), and measure it."""
    started = time.perf_counter()
    streams = np.random.SeedSequence([run.seed, 2026]).spawn(3)
    graph_rng, schedule, act = (np.random.default_rng(s) for s in streams)
    graph = load_graph(run.graph, run.members, seed=int(graph_rng.integers(2**31)))
    population = populate(
        graph, run.behaviour.broadcaster_share, run.behaviour.follows_per_member, graph_rng
    )
    community = Community(population, run, schedule)
    community.measure.start = 24.0 * run.warmup_days
    community.measure.end = 24.0 * (run.warmup_days + run.days)
    for hour in range(hours(run)):
        community.hour(hour, schedule, act)
        if hour % 24 == 23:
            community.forget_old(hour + 1.0)
        if progress:
            progress(1)
    return Outcome(
        ranker=run.ranker,
        seed=run.seed,
        members=graph.members,
        metrics=community.measure.results(community, run.days),
        seconds=time.perf_counter() - started,
    )


def hours(run: Run) -> int:
    """Simulated hours: the warm-up, the measured days, and one more day so every
    measured post has its 24 hours."""
    return 24 * (run.warmup_days + run.days + 1)


def describe(run: Run) -> dict:
    return {"behaviour": asdict(run.behaviour), "weights": asdict(run.weights)}
