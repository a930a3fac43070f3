"""The rankers are pure: plain candidates in, an ordered and explained list out."""

from dataclasses import replace
from datetime import UTC, datetime, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from porch.feed.rankers import (
    Candidate,
    ChronologicalRanker,
    ConversationRanker,
    Weights,
    spread_authors,
    spread_order,
)

NOW = datetime(2026, 11, 24, 12, 0, tzinfo=UTC)


def post(post_id, author_id=1, hours_ago=1.0, **features):
    features.setdefault("mutual_friend", True)
    return Candidate(
        post_id=post_id,
        author_id=author_id,
        author_name=f"Member{author_id}",
        created_at=NOW - timedelta(hours=hours_ago),
        **features,
    )


def order(candidates, ranker=None, weights=None):
    ranked = (ranker or ConversationRanker()).rank(candidates, NOW, weights)
    return [item.candidate.post_id for item in ranked]


def test_chronological_is_newest_first():
    assert order(
        [post(1, hours_ago=3), post(2, hours_ago=1), post(3, hours_ago=2)], ChronologicalRanker()
    ) == [2, 3, 1]


def test_an_unanswered_friends_post_rises():
    answered = post(1, author_id=1, replies=3)
    unanswered = post(2, author_id=2, replies=0)
    assert order([answered, unanswered]) == [2, 1]
    item = ConversationRanker().rank([unanswered], NOW)[0]
    assert any("hasn't had a reply yet" in reason for reason in item.why_shown())


def test_the_unanswered_boost_lasts_while_the_post_waits_and_is_only_for_friends():
    ranker, w = ConversationRanker(), Weights()

    def lift(candidate):
        return dict(ranker.score(candidate, NOW, w).values).get("unanswered", 0.0)

    assert lift(post(1, hours_ago=1)) == lift(post(2, hours_ago=23)) == w.unanswered
    assert lift(post(3, hours_ago=w.unanswered_hours + 1)) == 0
    assert lift(post(4, hours_ago=1, mutual_friend=False)) == 0
    assert lift(post(5, hours_ago=1, replies=1)) == 0
    # An old post still waiting for its first reply beats a fresh one that has had it.
    assert order(
        [post(6, author_id=1, hours_ago=1, replies=1), post(7, author_id=2, hours_ago=20)]
    ) == [7, 6]


def test_people_who_answer_others_reach_further_than_broadcasters():
    broadcaster = post(1, author_id=1, author_reply_ratio=0.0, replies=2)
    neighbour = post(2, author_id=2, author_reply_ratio=0.9, replies=2)
    assert order([broadcaster, neighbour]) == [2, 1]


def test_two_way_ties_weigh_more_than_one_way_attention():
    one_way = post(1, author_id=1, interactions_to_author=6, replies=1)
    two_way = post(2, author_id=2, interactions_to_author=2, interactions_from_author=2, replies=1)
    assert order([one_way, two_way]) == [2, 1]


def test_conversation_counts_distinct_people_from_your_network():
    quiet = post(1, author_id=1, replies=1)
    lively = post(2, author_id=2, replies=5, network_repliers=4)
    assert order([quiet, lively]) == [2, 1]


def test_seen_posts_sink_and_newer_posts_rise():
    assert order([post(1, author_id=1, replies=1, seen=True), post(2, author_id=2, replies=1)]) == [
        2,
        1,
    ]
    assert order(
        [
            post(1, author_id=1, hours_ago=20, replies=1),
            post(2, author_id=2, hours_ago=2, replies=1),
        ]
    ) == [2, 1]


def test_the_explanation_is_the_score():
    c = post(
        1,
        shared_circles=2,
        interactions_to_author=1,
        interactions_from_author=3,
        network_repliers=2,
        replies=2,
        author_reply_ratio=0.2,
        seen=True,
    )
    item = ConversationRanker().rank([c], NOW)[0]
    assert item.score == pytest.approx(sum(value for _, value in item.parts))
    reasons = " | ".join(item.why_shown())
    for words in [
        "are friends",
        "of your circles",
        "talk often",
        "people you know",
        "rarely answers",
        "posted recently",
        "you have seen it",
    ]:
        assert words in reasons


def test_no_author_fills_the_screen():
    crowd = [post(i, author_id=1, hours_ago=0.1 * i, replies=0) for i in range(1, 7)]
    others = [post(100 + i, author_id=2 + i, hours_ago=20, replies=1) for i in range(16)]
    ranked = order(crowd + others)
    authors = {c.post_id: c.author_id for c in crowd + others}
    for start in range(len(ranked) - 9):
        window = [authors[pid] for pid in ranked[start : start + 10]]
        assert window.count(1) <= 2


candidates = st.lists(
    st.builds(
        post,
        post_id=st.integers(1, 10_000),
        author_id=st.integers(1, 5),
        hours_ago=st.floats(0, 72),
        mutual_friend=st.booleans(),
        shared_circles=st.integers(0, 5),
        interactions_to_author=st.floats(0, 20),
        interactions_from_author=st.floats(0, 20),
        replies=st.integers(0, 20),
        network_repliers=st.integers(0, 10),
        author_reply_ratio=st.none() | st.floats(0, 3),
        seen=st.booleans(),
    ),
    max_size=40,
    unique_by=lambda c: c.post_id,
)


@settings(max_examples=200, deadline=None)
@given(candidates)
def test_rankers_never_add_or_drop_a_post(cands):
    for ranker in (ChronologicalRanker(), ConversationRanker()):
        assert sorted(order(cands, ranker)) == sorted(c.post_id for c in cands)


@settings(max_examples=200, deadline=None)
@given(candidates)
def test_every_explanation_adds_up(cands):
    for item in ConversationRanker().rank(cands, NOW):
        assert item.score == pytest.approx(sum(value for _, value in item.parts))


@settings(max_examples=200, deadline=None)
@given(candidates, st.integers(1, 3), st.integers(2, 10))
def test_spreading_keeps_everything_and_respects_the_limit_while_it_can(cands, limit, window):
    items = ConversationRanker().rank(cands, NOW, Weights(per_author_limit=1000))
    spread = spread_authors(items, limit, window)
    assert sorted(i.candidate.post_id for i in spread) == sorted(c.post_id for c in cands)
    # The limit holds until only crowded authors are left; then they follow in order.
    authors = [i.candidate.author_id for i in spread]
    for k, author in enumerate(authors):
        recent = authors[max(0, k - (window - 1)) : k]
        if recent.count(author) >= limit:
            assert all(recent.count(a) >= limit for a in set(authors[k:]))
            break


def _spread_by_scanning(authors, limit, window, take=None):
    """The specification of ``spread_order``, written the plain way: place the first
    waiting item whose author has room in the last ``window`` slots (quadratic: the
    waiting crowded authors are scanned again at every slot)."""
    take = len(authors) if take is None else min(take, len(authors))
    if limit < 1 or window < 2:
        return list(range(take))
    placed, waiting, recent = [], list(range(len(authors))), {}
    while len(placed) < take:
        position = next(
            (at for at, index in enumerate(waiting) if recent.get(authors[index], 0) < limit),
            None,
        )
        if position is None:
            placed.extend(waiting[: take - len(placed)])
            break
        index = waiting.pop(position)
        placed.append(index)
        recent[authors[index]] = recent.get(authors[index], 0) + 1
        if len(placed) >= window:
            recent[authors[placed[-window]]] -= 1
    return placed


@settings(max_examples=300, deadline=None)
@given(
    st.lists(st.integers(1, 6), max_size=60),
    st.integers(0, 4),
    st.integers(1, 8),
    st.one_of(st.none(), st.integers(0, 70)),
)
def test_spreading_places_what_the_plain_scan_places(authors, limit, window, take):
    assert spread_order(authors, limit, window, take) == _spread_by_scanning(
        authors, limit, window, take
    )


def test_weights_switch_signals_off():
    off = replace(Weights(), unanswered=0.0)
    item = ConversationRanker().rank([post(1)], NOW, off)[0]
    assert not any("hasn't had a reply" in reason for reason in item.why_shown())


def test_your_new_post_is_on_top_until_you_have_seen_it():
    friends_waiting = [post(i, author_id=i, hours_ago=2) for i in range(2, 8)]
    mine = post(1, author_id=1, hours_ago=0.1, mutual_friend=False, own=True)
    assert order([*friends_waiting, mine])[0] == 1
    assert "your new post" in " ".join(ConversationRanker().rank([mine], NOW)[0].why_shown())
    assert order([*friends_waiting, replace(mine, seen=True)])[0] != 1
    older = post(1, author_id=1, hours_ago=3, mutual_friend=False, own=True)
    assert order([*friends_waiting, older])[0] != 1  # only a post from the last hour


def test_your_own_posts_are_explained_to_you_as_yours():
    mine = post(1, author_id=1, hours_ago=3, mutual_friend=False, own=True, author_reply_ratio=0.8)
    reasons = " | ".join(ConversationRanker().rank([mine], NOW)[0].why_shown())
    assert "you answer others" in reasons and "Member1" not in reasons
