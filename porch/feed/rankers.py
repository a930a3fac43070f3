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

import math
from dataclasses import dataclass, field
from datetime import datetime


@dataclass(frozen=True)
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


@dataclass(frozen=True)
class Weights:
    """The viewer's tunable weights (presets live beside the settings page)."""

    friendship: float = 1.0
    shared_circle: float = 0.3
    two_way: float = 1.5
    unanswered: float = 2.0
    unanswered_hours: float = 24.0
    conversation: float = 1.0
    reciprocity: float = 1.0
    recency: float = 3.0
    half_life_hours: float = 12.0
    seen_penalty: float = 2.5
    per_author_limit: int = 2
    diversity_window: int = 10


@dataclass
class RankedItem:
    candidate: Candidate
    score: float
    # Each named part of the score, in plain words; the parts add up to ``score``.
    parts: list[tuple[str, float]] = field(default_factory=list)

    def why_shown(self) -> list[str]:
        """The reasons, largest contribution first, each with its share of the score."""
        ordered = sorted(self.parts, key=lambda part: -abs(part[1]))
        return [f"{reason} ({value:+.2f})" for reason, value in ordered if value]


def _age_hours(candidate: Candidate, now: datetime) -> float:
    return max(0.0, (now - candidate.created_at).total_seconds() / 3600)


class ChronologicalRanker:
    """Newest first: the order a member gets when they switch ranking off."""

    name = "chronological"

    def rank(self, candidates: list[Candidate], now: datetime, weights: Weights | None = None):
        ordered = sorted(candidates, key=lambda c: (c.created_at, c.post_id), reverse=True)
        return [
            RankedItem(candidate=c, score=0.0, parts=[("posted recently", 0.0)]) for c in ordered
        ]


class ConversationRanker:
    """Order the same candidates so that conversations among people who know each
    other come first, and nobody's "Good morning" goes unanswered."""

    name = "conversation"

    def score(self, c: Candidate, now: datetime, w: Weights) -> RankedItem:
        name = c.author_name
        age = _age_hours(c, now)
        parts: list[tuple[str, float]] = []
        if c.mutual_friend:
            parts.append((f"you and {name} are friends", w.friendship))
        if c.shared_circles:
            parts.append(
                (
                    f"{name} is in {min(c.shared_circles, 3)} of your circles",
                    w.shared_circle * min(c.shared_circles, 3),
                )
            )
        both_ways = math.sqrt(max(c.interactions_to_author, 0) * max(c.interactions_from_author, 0))
        if both_ways:
            parts.append((f"you and {name} talk often", w.two_way * (1 - math.exp(-both_ways))))
        if c.mutual_friend and c.replies == 0 and age < w.unanswered_hours:
            parts.append(
                (f"{name} hasn't had a reply yet", w.unanswered * (1 - age / w.unanswered_hours))
            )
        if c.network_repliers:
            parts.append(
                (
                    f"{c.network_repliers} people you know are talking here",
                    w.conversation * math.log1p(c.network_repliers),
                )
            )
        if c.author_reply_ratio is not None:
            ratio = min(max(c.author_reply_ratio, 0.0), 1.0)
            label = f"{name} answers others" if ratio >= 0.5 else f"{name} rarely answers others"
            parts.append((label, w.reciprocity * (ratio - 0.5)))
        parts.append(("posted recently", w.recency * 0.5 ** (age / w.half_life_hours)))
        if c.seen:
            parts.append(("you have seen it", -w.seen_penalty))
        return RankedItem(candidate=c, score=sum(value for _, value in parts), parts=parts)

    def rank(self, candidates: list[Candidate], now: datetime, weights: Weights | None = None):
        w = weights or Weights()
        scored = [self.score(c, now, w) for c in candidates]
        scored.sort(
            key=lambda item: (
                -item.score,
                -item.candidate.created_at.timestamp(),
                -item.candidate.post_id,
            )
        )
        return spread_authors(scored, w.per_author_limit, w.diversity_window)


def spread_authors(items: list[RankedItem], limit: int, window: int) -> list[RankedItem]:
    """Reorder so that no author has more than ``limit`` of any ``window`` consecutive
    slots, where possible; an item that must wait keeps its place in line, and nothing
    is ever dropped (what cannot be spread goes at the end, in score order)."""
    if limit < 1 or window < 1:
        return list(items)
    placed: list[RankedItem] = []
    waiting = list(items)
    while waiting:
        recent = (
            [item.candidate.author_id for item in placed[-(window - 1) :]] if window > 1 else []
        )
        for index, item in enumerate(waiting):
            if recent.count(item.candidate.author_id) < limit:
                placed.append(waiting.pop(index))
                break
        else:
            placed.extend(waiting)  # only crowded authors are left: keep them all, in order
            break
    return placed
