"""Rankers: pure functions from candidate posts to an ordered, explained feed.

A ranker takes plain data (``Candidate``s, the viewer's ``Weights``, the time) and no
database handle, so the server and the simulation (issue 3) run the same code. Every
``RankedItem`` carries the parts its score was added up from, and ``why_shown()`` says
them in plain words: the explanation *is* the score.

Signals the conversation ranker may use, and nothing else: tie strength (mutual
friendship, shared circles, two-way interaction), whether a friend's recent post is
still unanswered, distinct repliers from the viewer's own network, how much the author
answers others, recency, and whether the viewer has seen the post. Never reaction counts
from outside the viewer's network, follower counts, time spent, or anything paid.
"""

from __future__ import annotations

import heapq
import math
from collections import deque
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from itertools import compress

import numpy as np


# Not frozen: a frozen dataclass costs seven times as much to make, and a ranking makes
# one for each of up to 500 posts.
@dataclass(slots=True)
class Candidate:
    """One post the viewer may see, with the features the rankers read."""

    post_id: int
    author_id: int
    author_name: str
    created_at: datetime
    mutual_friend: bool = False
    shared_circles: int = 0
    # Decayed counts of replies and reactions: viewer → author, and author → viewer.
    interactions_to_author: float = 0.0
    interactions_from_author: float = 0.0
    replies: int = 0
    # Distinct people from the viewer's own network who replied (not raw reply counts).
    network_repliers: int = 0
    # Replies the author wrote to others per post they wrote (recent window); None: unknown.
    author_reply_ratio: float | None = None
    seen: bool = False
    # The viewer wrote it.
    own: bool = False


@dataclass(frozen=True)
class Weights:
    """The viewer's tunable weights (presets live beside the settings page)."""

    friendship: float = 1.0
    shared_circle: float = 0.3
    two_way: float = 1.5
    unanswered: float = 3.0
    unanswered_hours: float = 24.0
    conversation: float = 1.0
    reciprocity: float = 1.0
    recency: float = 3.0
    half_life_hours: float = 12.0
    seen_penalty: float = 2.5
    per_author_limit: int = 2
    diversity_window: int = 10


# The parts of the conversation score, in the order they are explained.
PARTS = (
    "friendship",
    "shared_circle",
    "two_way",
    "unanswered",
    "conversation",
    "reciprocity",
    "recency",
    "seen",
    "own",
)
# A member's own post from the last hour that they have not seen in the feed yet goes
# on top: right after posting, you see what you wrote. Not a weight: nobody else's
# feed is touched.
OWN_NEW_POST_LIFT = 10.0
OWN_NEW_POST_HOURS = 1.0


@dataclass
class Columns:
    """Candidates as columns (one NumPy array per feature), what the score is computed
    on. The server builds them from ``Candidate``s; the simulation builds them for every
    member opening the app in the same hour at once, and runs the very same score."""

    post_id: np.ndarray
    author_id: np.ndarray
    age_hours: np.ndarray
    mutual_friend: np.ndarray
    shared_circles: np.ndarray
    interactions_to_author: np.ndarray
    interactions_from_author: np.ndarray
    replies: np.ndarray
    network_repliers: np.ndarray
    # NaN where unknown (the author started nothing recently).
    author_reply_ratio: np.ndarray
    seen: np.ndarray
    own: np.ndarray

    @classmethod
    def of(cls, candidates: Sequence[Candidate], now: datetime) -> Columns:
        def column(values, dtype):
            return np.fromiter(values, dtype=dtype, count=len(candidates))

        moment = now.timestamp()
        return cls(
            post_id=column((c.post_id for c in candidates), np.int64),
            author_id=column((c.author_id for c in candidates), np.int64),
            age_hours=np.maximum(
                0.0,
                (moment - column((c.created_at.timestamp() for c in candidates), float)) / 3600,
            ),
            mutual_friend=column((c.mutual_friend for c in candidates), bool),
            shared_circles=column((c.shared_circles for c in candidates), np.int64),
            interactions_to_author=column((c.interactions_to_author for c in candidates), float),
            interactions_from_author=column(
                (c.interactions_from_author for c in candidates), float
            ),
            replies=column((c.replies for c in candidates), np.int64),
            network_repliers=column((c.network_repliers for c in candidates), np.int64),
            author_reply_ratio=column(
                (
                    math.nan if c.author_reply_ratio is None else c.author_reply_ratio
                    for c in candidates
                ),
                float,
            ),
            seen=column((c.seen for c in candidates), bool),
            own=column((c.own for c in candidates), bool),
        )


@dataclass
class RankedItem:
    candidate: Candidate
    score: float
    # Each named part of the score and its value; the values add up to ``score``.
    values: tuple[tuple[str, float], ...] = ()

    @property
    def parts(self) -> list[tuple[str, float]]:
        """The parts in plain words, with their values."""
        return [(reason(kind, self.candidate), value) for kind, value in self.values]

    def why_shown(self) -> list[str]:
        """The reasons, largest contribution first, each with its share of the score."""
        ordered = sorted(self.parts, key=lambda part: -abs(part[1]))
        return [f"{words} ({value:+.2f})" for words, value in ordered if value]


def reason(kind: str, c: Candidate) -> str:
    """One part of the score in plain words."""
    name = c.author_name
    if kind == "friendship":
        return f"you and {name} are friends"
    if kind == "shared_circle":
        circles = min(c.shared_circles, MAX_SHARED_CIRCLES)
        return (
            f"{name} is in {circles} of your circles"
            if circles > 1
            else (f"{name} is in one of your circles")
        )
    if kind == "two_way":
        return f"you and {name} talk often"
    if kind == "unanswered":
        return f"{name} hasn't had a reply yet"
    if kind == "conversation":
        if c.network_repliers == 1:
            return "someone you know is talking here"
        return f"{c.network_repliers} people you know are talking here"
    if kind == "reciprocity":
        ratio = c.author_reply_ratio or 0.0
        if c.own:
            return "you answer others" if ratio >= 0.5 else "you rarely answer others"
        return f"{name} answers others" if ratio >= 0.5 else f"{name} rarely answers others"
    if kind == "recency":
        return "posted recently"
    if kind == "seen":
        return "you have seen it"
    if kind == "own":
        return "your new post"
    raise ValueError(f"unknown part {kind}")


MAX_SHARED_CIRCLES = 3


class Ranker:
    """A ranker scores columns of candidates (a dict of named parts, each an array)
    and orders them best first; ties go to the newer post. ``diversity``: whether the
    "no author fills the screen" rule applies to its order."""

    name = ""
    diversity = False

    def parts(self, cols: Columns, w: Weights) -> dict[str, np.ndarray]:
        raise NotImplementedError

    def scores(self, cols: Columns, w: Weights) -> np.ndarray:
        return total(self.parts(cols, w), len(cols.post_id))

    def rank(
        self, candidates: Sequence[Candidate], now: datetime, weights: Weights | None = None
    ) -> list[RankedItem]:
        return self.scored(candidates, now, weights).items(candidates)

    def scored(
        self, candidates: Sequence[Candidate], now: datetime, weights: Weights | None = None
    ) -> Scored:
        """The order, scores and score parts of ``candidates``, as arrays: what ``rank``
        makes its items from, for callers that keep a whole ranking and show a page of
        it (building an item for each of hundreds of candidates cost most of ranking)."""
        w = weights or Weights()
        if not candidates:
            return Scored(np.zeros(0, dtype=np.int64), np.zeros(0), (), np.zeros((0, 0)))
        cols = Columns.of(candidates, now)
        parts = self.parts(cols, w)
        scores = total(parts, len(candidates))
        order = np.lexsort(sort_keys(cols, scores))
        if self.diversity:
            authors = cols.author_id[order].tolist()
            order = order[spread_order(authors, w.per_author_limit, w.diversity_window)]
        kinds = tuple(parts)
        # Per candidate, its parts' values in ``kinds`` order (one row each).
        if kinds:
            rows = np.column_stack([parts[kind] for kind in kinds])
        else:
            rows = np.zeros((len(candidates), 0))
        return Scored(order, scores, kinds, rows)


@dataclass
class Scored:
    """Candidates scored by a ranker: ``order`` (indices into the candidates, best
    first), and per candidate its score and its parts' values (``rows``, one column per
    kind in ``kinds``; the values add up to the score)."""

    order: np.ndarray
    scores: np.ndarray
    kinds: tuple[str, ...]
    rows: np.ndarray

    def items(self, candidates: Sequence[Candidate]) -> list[RankedItem]:
        """Every candidate as a ``RankedItem``, best first."""
        scores, rows = self.scores.tolist(), self.rows.tolist()
        return [
            RankedItem(candidates[index], scores[index], nonzero_parts(self.kinds, rows[index]))
            for index in self.order.tolist()
        ]


def nonzero_parts(kinds: Sequence[str], row: Sequence[float]) -> tuple[tuple[str, float], ...]:
    """A candidate's parts that add to its score, as ``RankedItem.values``."""
    return tuple(compress(zip(kinds, row, strict=True), row))


def total(parts: dict[str, np.ndarray], count: int) -> np.ndarray:
    """The score: the sum of its parts."""
    scores = np.zeros(count)
    for value in parts.values():
        scores = scores + value
    return scores


def sort_keys(cols: Columns, scores: np.ndarray) -> tuple[np.ndarray, ...]:
    """``np.lexsort`` keys for "best first, then newest, then highest id" (the last key
    is the primary one; callers may append a grouping key)."""
    return (-cols.post_id, cols.age_hours, -scores)


class ChronologicalRanker(Ranker):
    """Newest first: the order a member gets when they switch ranking off."""

    name = "chronological"

    def parts(self, cols: Columns, w: Weights) -> dict[str, np.ndarray]:
        return {}


class ConversationRanker(Ranker):
    """Order the same candidates so that conversations among people who know each
    other come first, and nobody's "Good morning" goes unanswered."""

    name = "conversation"
    diversity = True

    def parts(self, cols: Columns, w: Weights) -> dict[str, np.ndarray]:
        age = cols.age_hours
        both_ways = np.sqrt(
            np.maximum(cols.interactions_to_author, 0)
            * np.maximum(cols.interactions_from_author, 0)
        )
        waiting = cols.mutual_friend & (cols.replies == 0) & (age < w.unanswered_hours)
        ratio = cols.author_reply_ratio
        known = ~np.isnan(ratio)
        return {
            "friendship": w.friendship * cols.mutual_friend,
            "shared_circle": w.shared_circle * np.minimum(cols.shared_circles, MAX_SHARED_CIRCLES),
            "two_way": w.two_way * -np.expm1(-both_ways),
            # The same lift for as long as the post waits: a fading one would be spent
            # on posts that are new anyway (the simulation measured it, see
            # docs/algorithms/feed.md).
            "unanswered": np.where(waiting, w.unanswered, 0.0),
            "conversation": w.conversation * np.log1p(cols.network_repliers),
            "reciprocity": np.where(
                known, w.reciprocity * (np.clip(np.nan_to_num(ratio), 0.0, 1.0) - 0.5), 0.0
            ),
            "recency": w.recency * 0.5 ** (age / w.half_life_hours),
            "seen": -w.seen_penalty * cols.seen,
            "own": OWN_NEW_POST_LIFT * (cols.own & ~cols.seen & (age < OWN_NEW_POST_HOURS)),
        }

    def score(self, c: Candidate, now: datetime, w: Weights) -> RankedItem:
        """One candidate's score and its parts."""
        return self.rank([c], now, w)[0]


def spread_order(authors: Sequence[int], limit: int, window: int, take: int | None = None):
    """Indices into ``authors`` (already in score order) such that no author has more
    than ``limit`` of any ``window`` consecutive slots, where possible: an item that
    must wait keeps its place in line, and nothing is dropped (what cannot be spread
    follows at the end, in score order). ``take``: stop after that many.

    Each slot takes the first waiting item whose author has room: the smallest of the
    first waiting items of the authors with room, kept in a heap. Scanning the waiting
    line from its start at every slot passed over the crowded authors' posts again and
    again: on the benchmark's data, 1.05 ms a ranking of 500 posts on average, 0.57 ms
    with the heap (tests/domain/test_rankers.py checks it places what the scan does)."""
    count = len(authors)
    take = count if take is None else min(take, count)
    if limit < 1 or window < 2:
        return list(range(take))
    lines: dict[int, deque[int]] = {}
    for index, author in enumerate(authors):
        lines.setdefault(author, deque()).append(index)
    # (first waiting index, author) for each author with room and something waiting.
    ready = [(line[0], author) for author, line in lines.items()]
    heapq.heapify(ready)
    full: set[int] = set()  # authors without room who still have something waiting
    recent: dict[int, int] = {}
    placed: list[int] = []
    while len(placed) < take:
        if not ready:
            # Only crowded authors are left: keep them all, in order.
            rest = sorted(index for author in full for index in lines[author])
            placed.extend(rest[: take - len(placed)])
            break
        index, author = heapq.heappop(ready)
        line = lines[author]
        line.popleft()
        placed.append(index)
        recent[author] = recent.get(author, 0) + 1
        if line:
            if recent[author] < limit:
                heapq.heappush(ready, (line[0], author))
            else:
                full.add(author)
        if len(placed) >= window:
            left = authors[placed[-window]]
            recent[left] -= 1
            if left in full and recent[left] < limit:
                full.discard(left)
                heapq.heappush(ready, (lines[left][0], left))
    return placed


def spread_authors(items: list[RankedItem], limit: int, window: int) -> list[RankedItem]:
    """``spread_order`` for ranked items."""
    authors = [item.candidate.author_id for item in items]
    return [items[index] for index in spread_order(authors, limit, window)]
