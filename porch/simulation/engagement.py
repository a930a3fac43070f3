"""The engagement-maximising baseline: what big platforms publicly say their feeds
weigh, so the simulation can compare Porch's rankers with it. It lives here, in the
simulation only; Porch never ranks a feed this way.

Modelled on Twitter's 2023 open-sourced home ranker (a weighted sum of predicted
engagement: like 0.5, reply 13.5) and on "affinity x weight x decay" feeds
(EdgeRank): each post's chance of a like and of a reply is predicted from how it and
its author have done with *everyone* so far (smoothed counts per impression), scaled
by the viewer's affinity with the author and by the post's popularity, decayed with
age. Seen posts are shown again, lower. Its feed never ends.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from porch.feed.rankers import Columns, Ranker, Weights

LIKE_WEIGHT = 0.5
REPLY_WEIGHT = 13.5
HALF_LIFE_HOURS = 12.0
SEEN_FACTOR = 0.2
# Prior strength (in impressions) of the author's rates when predicting a post's rates.
PRIOR_IMPRESSIONS = 5.0


@dataclass
class EngagementColumns(Columns):
    """``Columns`` plus the popularity counts only the engagement ranker reads."""

    reactions: np.ndarray
    impressions: np.ndarray
    author_reactions: np.ndarray
    author_replies: np.ndarray
    author_impressions: np.ndarray


class EngagementRanker(Ranker):
    name = "engagement"
    # Platforms also keep one author from filling the screen.
    diversity = True

    def parts(self, cols: EngagementColumns, w: Weights) -> dict[str, np.ndarray]:
        author_like = (cols.author_reactions + 1.0) / (cols.author_impressions + 10.0)
        author_reply = (cols.author_replies + 0.1) / (cols.author_impressions + 10.0)
        like = (cols.reactions + PRIOR_IMPRESSIONS * author_like) / (
            cols.impressions + PRIOR_IMPRESSIONS
        )
        reply = (cols.replies + PRIOR_IMPRESSIONS * author_reply) / (
            cols.impressions + PRIOR_IMPRESSIONS
        )
        affinity = 1.0 + np.maximum(cols.interactions_to_author, 0)
        popularity = 1.0 + np.log1p(cols.reactions + cols.replies)
        decay = 0.5 ** (cols.age_hours / HALF_LIFE_HOURS)
        seen = np.where(cols.seen, SEEN_FACTOR, 1.0)
        predicted = (LIKE_WEIGHT * like + REPLY_WEIGHT * reply) * affinity * popularity
        return {"predicted_engagement": predicted * decay * seen}
