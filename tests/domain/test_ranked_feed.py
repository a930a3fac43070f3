"""The conversation-ordered home feed: features read from the database, pages that
neither repeat nor skip, seen posts, explanations, and the member's own settings."""

from dataclasses import fields
from datetime import timedelta

import pytest
from django.utils import timezone

from porch.errors import InvalidInput
from porch.feed import features
from porch.feed.models import FeedOrder, SeenPost
from porch.feed.preferences import (
    DEFAULT_WEIGHTS,
    PRESETS,
    SLIDER_BY_NAME,
    check_weights,
    do_set_feed_settings,
    feed_settings,
)
from porch.feed.rankers import Weights
from porch.feed.services import (
    RANK_WINDOW_AGE,
    SEEN_KEEP,
    do_mark_feed_seen,
    do_mark_posts_seen,
    home_feed,
)
from porch.graph.services import do_add_to_circle, do_create_circle, do_follow
from porch.posts.models import Audience, Post, Reaction
from porch.posts.services import (
    do_create_post,
    do_delete_post,
    do_react,
    do_reply,
    do_unreact,
)


def backdate(post, hours):
    Post.objects.filter(pk=post.pk).update(created_at=timezone.now() - timedelta(hours=hours))
    post.refresh_from_db()
    return post


@pytest.fixture
def people(make_member, befriend):
    ana, ben, cat, dan, pub = (make_member(n) for n in ["ana", "ben", "cat", "dan", "pub"])
    pub.is_public_profile = True
    pub.save()
    for friend in (ben, cat, dan):
        befriend(ana, friend)
    befriend(ben, cat)
    do_follow(ana, pub)
    return ana, ben, cat, dan, pub


def feature(viewer, post):
    (candidate,) = features.candidates(viewer, [features.WindowPost.of(post)], timezone.now())
    return candidate


def all_pages(viewer, limit=3, **kwargs):
    seen, cursor = [], None
    while True:
        page = home_feed(viewer, cursor, limit=limit, **kwargs)
        seen.append(page)
        cursor = page.next_cursor
        if cursor is None:
            assert page.at_end
            return seen


def ids(pages):
    return [post.pk for page in pages for post in page.posts]


# --- Features ---------------------------------------------------------------------------
def test_features_come_from_the_graph_and_the_conversation(people):
    ana, ben, cat, _dan, pub = people
    family = do_create_circle(ana, "Family")
    close = do_create_circle(ana, "Close")
    for circle in (family, close):
        do_add_to_circle(ana, circle, ben)
    post = do_create_post(ben, text="good morning", audience=Audience.PUBLIC)
    fresh = feature(ana, post)
    assert (fresh.mutual_friend, fresh.shared_circles, fresh.replies) == (True, 2, 0)
    assert fresh.network_repliers == 0 and fresh.seen is False
    assert fresh.author_reply_ratio == 0.0  # one post started, nothing answered yet

    # The author answering in their own thread is not "a reply" to their post.
    first = do_reply(cat, post, text="morning!")
    do_reply(cat, post, text="and again")
    do_reply(ben, first, text="hi cat")
    do_reply(pub, post, text="a follower who is no friend of ana")
    talked = feature(ana, post)
    assert talked.replies == 3  # cat twice and pub; ben's own reply does not count
    assert talked.network_repliers == 1  # cat is ana's friend; pub is not
    assert talked.author_reply_ratio == 1.0  # ben answered cat once for one post

    # Two-way interaction: ana → ben and ben → ana, decayed with age.
    assert talked.interactions_to_author == 0 and talked.interactions_from_author == 0
    mine = do_create_post(ana, text="ana's", audience=Audience.FRIENDS)
    do_react(ben, mine, "heart")
    do_reply(ana, post, text="morning ben")
    both = feature(ana, post)
    assert both.interactions_to_author == pytest.approx(1.0, abs=0.01)
    assert both.interactions_from_author == pytest.approx(1.0, abs=0.01)
    month_ago = timezone.now() - timedelta(days=28)
    # Moved back in time behind the services' back, so forgotten by hand.
    Reaction.objects.filter(member=ben, post=mine).update(created_at=month_ago)
    features.forget_interactions(ana.pk)
    assert feature(ana, post).interactions_from_author == pytest.approx(0.25, abs=0.01)
    Reaction.objects.filter(member=ben, post=mine).update(created_at=month_ago - timedelta(40))
    features.forget_interactions(ana.pk)
    assert feature(ana, post).interactions_from_author == 0

    # Deleted replies and replies written after the ranking moment do not count.
    do_delete_post(pub, Post.objects.get(text="a follower who is no friend of ana"))
    assert feature(ana, post).replies == 3  # cat twice, ana once
    earlier = timezone.now() - timedelta(minutes=1)
    (before,) = features.candidates(ana, [features.WindowPost.of(post)], earlier)
    assert before.replies == 0


def test_kept_interactions_are_the_same_numbers_and_forgotten_on_every_write(people):
    ana, ben, cat, *_ = people
    post = do_create_post(ben, text="hello", audience=Audience.FRIENDS)
    mine = do_create_post(ana, text="ana's", audience=Audience.FRIENDS)
    reply = do_reply(ana, post, text="hi ben")
    do_react(ben, mine, "heart")
    Post.objects.filter(pk=reply.pk).update(created_at=timezone.now() - timedelta(days=3))
    features.forget_interactions(ana.pk)
    now = timezone.now()
    kept = features.viewer_interactions(ana, now)  # read, and kept
    later = now + features.INTERACTIONS_KEEP / 2
    decayed = features.viewer_interactions(ana, later)  # from the kept sums
    features.forget_interactions(ana.pk)
    fresh = features.viewer_interactions(ana, later)
    assert decayed[0] == pytest.approx(fresh[0]) and decayed[1] == pytest.approx(fresh[1])
    assert decayed[0][ben.pk] < kept[0][ben.pk]

    def talk():
        to_author, from_author = features.viewer_interactions(ana, timezone.now())
        return to_author.get(ben.pk, 0), from_author.get(ben.pk, 0), from_author.get(cat.pk, 0)

    before = talk()
    do_unreact(ben, mine)  # a reaction taken back
    assert talk()[1] == 0
    do_reply(cat, mine, text="lovely")  # someone answering the viewer
    assert talk()[2] == pytest.approx(1.0, abs=0.01)
    do_delete_post(ana, reply)  # the viewer's own reply deleted
    assert talk()[0] == 0 < before[0]


def test_seen_is_what_the_feed_showed(people):
    ana, ben, *_ = people
    post = do_create_post(ben, text="hello", audience=Audience.FRIENDS)
    assert not feature(ana, post).seen
    do_mark_feed_seen(ana, [post])
    assert feature(ana, post).seen
    assert SeenPost.objects.filter(member=ana).count() == 1
    do_mark_feed_seen(ana, [post])  # twice is once
    assert SeenPost.objects.filter(member=ana).count() == 1
    # Old marks are pruned when new ones are written.
    SeenPost.objects.filter(member=ana).update(seen_at=timezone.now() - SEEN_KEEP * 2)
    do_mark_feed_seen(ana, [do_create_post(ben, text="next", audience=Audience.FRIENDS)])
    assert list(SeenPost.objects.filter(member=ana).values_list("post__text", flat=True)) == [
        "next"
    ]
    # Marking by id ignores what is not in the viewer's feed.
    stranger_post = do_create_post(people[4], text="pub only me", audience=Audience.ONLY_ME)
    assert do_mark_posts_seen(ana, [post.pk, stranger_post.pk, 10**9]) == 1


# --- The ranked feed --------------------------------------------------------------------
def test_a_friends_unanswered_post_rises_above_a_busy_broadcast(people):
    ana, ben, cat, dan, pub = people
    quiet = backdate(do_create_post(dan, text="good morning", audience=Audience.FRIENDS), 3)
    loud = do_create_post(pub, text="my new video", audience=Audience.PUBLIC)
    for fan in (ben, cat):
        do_reply(fan, loud, text="wow")
    conversation = home_feed(ana)
    assert conversation.order == FeedOrder.CONVERSATION
    assert [p.text for p in conversation.posts] == ["good morning", "my new video"]
    why = " | ".join(conversation.posts[0].why_shown)
    assert "Dan hasn't had a reply yet" in why and "you and Dan are friends" in why
    # Chronological is a choice away, and says why too.
    chronological = home_feed(ana, order="chronological")
    assert [p.text for p in chronological.posts] == ["my new video", "good morning"]
    assert "chronological" in chronological.posts[0].why_shown[0]
    assert quiet.pk in [p.pk for p in chronological.posts]


def test_ranked_pages_neither_repeat_nor_skip_and_reach_older_posts(people):
    ana, ben, cat, dan, pub = people
    authors = [ben, cat, dan, pub]
    for i in range(10):
        backdate(do_create_post(authors[i % 4], text=f"recent{i}", audience=Audience.PUBLIC), i)
    for i in range(4):
        old = do_create_post(authors[i % 4], text=f"old{i}", audience=Audience.PUBLIC)
        backdate(old, RANK_WINDOW_AGE.total_seconds() / 3600 + 10 + i)
    pages, cursor = [], None
    while True:
        page = home_feed(ana, cursor, limit=3)
        pages.append(page)
        if cursor is None:
            # Replies and new posts in between must not reshuffle the pages being read.
            target = Post.objects.get(text="recent9")
            do_reply(cat, target, text="now it has a reply")
            do_create_post(ben, text="late", audience=Audience.PUBLIC)
        cursor = page.next_cursor
        if cursor is None:
            break
    texts = [p.text for page in pages for p in page.posts]
    assert sorted(texts) == sorted(
        [f"recent{i}" for i in range(10)] + [f"old{i}" for i in range(4)]
    )
    # Past the week's window the feed goes on newest first, then ends.
    assert texts[-4:] == ["old0", "old1", "old2", "old3"]
    assert pages[-1].at_end
    # Same set of posts as the chronological order, page after page.
    assert sorted(ids(all_pages(ana, order="chronological"))) == sorted(ids(all_pages(ana)))
    # Current reply counts on the cards.
    assert {p.text: p.reply_count for page in pages for p in page.posts}["recent9"] == 1


def test_bad_ranked_cursors_are_refused(people):
    ana = people[0]
    future = int((timezone.now() + timedelta(days=1)).timestamp() * 1_000_000)
    for bad in ["r", "rx.1", "r1.x", f"r{future}.3", "r1.0", "r1.100000", "o", "onope"]:
        with pytest.raises(InvalidInput):
            home_feed(ana, bad)
    with pytest.raises(InvalidInput):
        home_feed(ana, order="popular")
    with pytest.raises(InvalidInput):
        home_feed(ana, limit=101)


def test_seen_posts_sink_and_the_marker_goes_before_them(people):
    ana, ben, cat, dan, _pub = people
    first = [
        backdate(do_create_post(friend, text=f"first {friend}", audience=Audience.FRIENDS), 2)
        for friend in (ben, cat)
    ]
    page = home_feed(ana)
    assert page.new_count == 2  # nothing seen yet: the marker is at the end
    do_mark_feed_seen(ana, page.posts)
    fresh = backdate(do_create_post(dan, text="fresh", audience=Audience.FRIENDS), 4)
    again = home_feed(ana)
    assert again.posts[0] == fresh  # older than the others, but not seen yet
    assert again.new_count == 1
    assert any("you have seen it" in why for why in again.posts[1].why_shown)
    assert {p.pk for p in again.posts[1:]} == {p.pk for p in first}


def test_the_members_weights_change_the_order(people):
    ana, ben, cat, dan, _pub = people
    backdate(do_create_post(dan, text="unanswered", audience=Audience.FRIENDS), 6)
    talked = backdate(do_create_post(ben, text="talked", audience=Audience.FRIENDS), 1)
    do_reply(cat, talked, text="yes")
    assert home_feed(ana).posts[0].text == "unanswered"
    do_set_feed_settings(ana, weights={"unanswered": 0, "recency": 10})
    assert home_feed(ana).posts[0].text == "talked"


# --- Settings ---------------------------------------------------------------------------
def test_settings_default_to_conversation_and_store_only_changes(people):
    ana = people[0]
    assert feed_settings(ana).order == FeedOrder.CONVERSATION
    assert feed_settings(ana).weights == DEFAULT_WEIGHTS
    assert feed_settings(ana).preset == "balanced"
    changed = do_set_feed_settings(ana, order="chronological", weights={"two_way": 3.5})
    assert changed.order == "chronological" and changed.overrides == {"two_way": 3.5}
    assert changed.preset is None
    assert home_feed(ana).order == FeedOrder.CHRONOLOGICAL
    # Naming a weight at its default drops it back to following the default.
    back = do_set_feed_settings(ana, weights={"two_way": DEFAULT_WEIGHTS.two_way})
    assert back.overrides == {} and back.order == "chronological"
    for preset in PRESETS:
        assert do_set_feed_settings(ana, preset=preset.key).preset == preset.key
    replaced = do_set_feed_settings(ana, weights={"recency": 1}, replace_weights=True)
    assert replaced.overrides == {"recency": 1.0}


@pytest.mark.parametrize(
    "weights, field",
    [
        ({"followers": 1}, "weights"),
        ({"recency": "a lot"}, "recency"),
        ({"recency": True}, "recency"),
        ({"recency": float("nan")}, "recency"),
        ({"recency": -1}, "recency"),
        ({"recency": 1e9}, "recency"),
        ({"per_author_limit": 1.5}, "per_author_limit"),
        ([1, 2], "weights"),
    ],
)
def test_bad_weights_are_refused_and_change_nothing(people, weights, field):
    ana = people[0]
    do_set_feed_settings(ana, weights={"recency": 5})
    with pytest.raises(InvalidInput) as error:
        do_set_feed_settings(ana, order="chronological", weights=weights)
    assert error.value.field == field
    assert feed_settings(ana).overrides == {"recency": 5.0}
    assert feed_settings(ana).order == FeedOrder.CONVERSATION


def test_bad_order_and_preset_are_refused(people):
    ana = people[0]
    with pytest.raises(InvalidInput):
        do_set_feed_settings(ana, order="engagement")
    with pytest.raises(InvalidInput):
        do_set_feed_settings(ana, preset="viral")
    with pytest.raises(InvalidInput):
        do_set_feed_settings(ana, preset="balanced", weights={"recency": 1})


def test_every_weight_has_a_slider_and_every_default_fits_it():
    names = {f.name for f in fields(Weights)}
    assert names == set(SLIDER_BY_NAME), "give each ranker weight a slider in preferences.py"
    for name, slider in SLIDER_BY_NAME.items():
        assert slider.minimum <= getattr(DEFAULT_WEIGHTS, name) <= slider.maximum, name
    assert check_weights({name: getattr(DEFAULT_WEIGHTS, name) for name in names}) == {}


# --- The kept ranking -------------------------------------------------------------------
def ranked_at(page) -> str:
    """The moment a ranked page was ranked as of (its cursor names it)."""
    return page.next_cursor.split(".")[0]


@pytest.fixture
def busy_feed(people):
    """Enough posts for two pages of three, so every first page has a ranked cursor."""
    _ana, ben, cat, dan, _pub = people
    for n, friend in enumerate([ben, cat, dan] * 2):
        backdate(do_create_post(friend, text=f"post {n}", audience=Audience.FRIENDS), n + 1)
    return people


def test_a_first_page_shows_the_kept_ranking_while_nothing_changed(busy_feed):
    ana = busy_feed[0]
    first = home_feed(ana, limit=3)
    again = home_feed(ana, limit=3)
    assert ranked_at(again) == ranked_at(first)
    assert [p.pk for p in again.posts] == [p.pk for p in first.posts]
    assert [p.why_shown for p in again.posts] == [p.why_shown for p in first.posts]
    # Its next page is the same ranking's next page: nothing repeats, nothing is skipped.
    rest = home_feed(ana, again.next_cursor, limit=3)
    assert not {p.pk for p in rest.posts} & {p.pk for p in first.posts}


def test_a_new_post_a_reply_or_a_seen_mark_ranks_anew(busy_feed):
    ana, ben, cat, _dan, _pub = busy_feed
    first = home_feed(ana, limit=3)
    new = do_create_post(ben, text="just now", audience=Audience.FRIENDS)
    after_post = home_feed(ana, limit=3)
    assert ranked_at(after_post) != ranked_at(first)
    assert new in after_post.posts

    waiting = after_post.posts[-1]
    do_reply(cat, waiting, text="an answer")
    after_reply = home_feed(ana, limit=3)
    assert ranked_at(after_reply) != ranked_at(after_post)

    do_mark_feed_seen(ana, after_reply.posts)
    after_seen = home_feed(ana, limit=3)
    assert ranked_at(after_seen) != ranked_at(after_reply)
    assert not {p.pk for p in after_seen.posts} & {p.pk for p in after_reply.posts}


def _thread_talk_reads(monkeypatch) -> list[int]:
    """How many posts each call of ``features.thread_talk`` reads, from now on."""
    asked: list[int] = []
    thread_talk = features.thread_talk
    monkeypatch.setattr(
        features,
        "thread_talk",
        lambda v, posts, *a: asked.append(len(posts)) or thread_talk(v, posts, *a),
    )
    return asked


@pytest.mark.parametrize("minutes_later", [0, 20])
def test_ranking_anew_from_a_kept_ranking_gives_what_ranking_from_nothing_gives(
    busy_feed, monkeypatch, minutes_later
):
    """From a ranking of a moment ago (``minutes_later`` 0) or of twenty minutes ago,
    still kept: only the new post and the newly replied thread are read again, and the
    result is the ranking a member seen for the first time would get."""
    from django.core.cache import cache

    from porch.feed import services

    ana, ben, _cat, dan, _pub = busy_feed
    first = home_feed(ana, limit=3)
    # Since then: a new post, a reply in an older thread, a seen mark, a new circle.
    do_create_post(dan, text="fresh news", audience=Audience.FRIENDS)
    do_reply(ana, first.posts[-1], text="late answer")
    do_mark_feed_seen(ana, first.posts[:1])
    do_add_to_circle(ana, do_create_circle(ana, "Walks"), ben)
    kept = cache.get(services._ranking_key(ana))
    later = timezone.now() + timedelta(minutes=minutes_later)
    monkeypatch.setattr(services.timezone, "now", lambda: later)
    asked = _thread_talk_reads(monkeypatch)
    again = home_feed(ana, limit=3)
    assert ranked_at(again) != ranked_at(first)
    assert asked == [2], "only the new post and the replied thread are read again"
    anew = cache.get(services._ranking_key(ana))
    inputs = services._feed_inputs(ana)
    weights = Weights()
    from_nothing = services.Ranking.of(
        anew.now, weights, services.rank_window(ana, anew.now, weights, inputs)
    )
    assert anew.window == from_nothing.window
    assert anew.candidates() == from_nothing.candidates()
    assert [round(anew.item(i).score, 9) for i in range(len(anew))] == [
        round(from_nothing.item(i).score, 9) for i in range(len(from_nothing))
    ]
    assert kept.now < anew.now


def test_a_ranking_older_than_it_is_kept_is_not_ranked_from(busy_feed, monkeypatch):
    from porch.feed import services

    ana = busy_feed[0]
    home_feed(ana, limit=3)
    later = timezone.now() + services.RANKING_KEEP + timedelta(seconds=1)
    monkeypatch.setattr(services.timezone, "now", lambda: later)
    asked = _thread_talk_reads(monkeypatch)
    home_feed(ana, limit=3)
    assert asked == [6]  # every post of the window, read anew


def test_a_post_that_becomes_visible_or_invisible_ranks_anew(busy_feed, make_member, befriend):
    ana = busy_feed[0]
    eve = make_member("eve")
    hidden = backdate(do_create_post(eve, text="for friends", audience=Audience.FRIENDS), 1)
    first = home_feed(ana, limit=20)
    assert hidden not in first.posts
    befriend(ana, eve)
    assert hidden in home_feed(ana, limit=20).posts


def test_a_ranking_is_kept_only_while_it_is_fresh(busy_feed, monkeypatch):
    from porch.feed import services

    ana = busy_feed[0]
    first = home_feed(ana, limit=3)
    later = timezone.now() + services.RANKING_FRESH + timedelta(seconds=1)
    monkeypatch.setattr(services.timezone, "now", lambda: later)
    assert ranked_at(home_feed(ana, limit=3)) != ranked_at(first)


def test_changed_weights_rank_anew(busy_feed):
    ana = busy_feed[0]
    first = home_feed(ana, limit=3)
    do_set_feed_settings(ana, weights={"unanswered": 0, "recency": 10})
    assert ranked_at(home_feed(ana, limit=3)) != ranked_at(first)
