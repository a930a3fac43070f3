"""The home feed: the member's own posts, friends' posts and followed members' posts
that the member may see, ending with "You're all caught up".

In conversation order (the default) the newest week of posts, at most ``RANK_WINDOW``,
is ordered by ``rankers.ConversationRanker``; older posts follow newest first. In
chronological order the whole feed is newest first.

Never a stranger's post, never a suggestion, never an ad.
"""

from __future__ import annotations

from dataclasses import dataclass
from dataclasses import fields as dataclass_fields
from datetime import UTC, datetime, timedelta
from operator import attrgetter

import numpy as np
from django.core.cache import cache
from django.db import transaction
from django.utils import timezone

from porch.accounts.models import Member
from porch.compiled import ID, IDS, MOMENT, CompiledQuery
from porch.errors import InvalidInput
from porch.graph.reads import followee_ids, friend_ids, muted_ids
from porch.id_lists import BIGGEST_ID, IdList
from porch.posts.models import Post
from porch.posts.services import annotate_reply_counts, with_reply_counts
from porch.posts.visibility import RULE_INPUTS, roots_visible_to, rule_inputs

from .cursors import PAGE_SIZE_LIMIT, Cursor, Page, compiled_page, newest_after
from .features import WindowPost, candidates
from .models import FeedOrder, SeenPost
from .preferences import check_order, feed_settings
from .rankers import Candidate, ConversationRanker, RankedItem, Scored, Weights, nonzero_parts

PAGE_SIZE = 20
# The conversation ranker orders the newest posts of the last week, at most this many;
# older posts follow newest first, so the feed still reaches everything and ends.
RANK_WINDOW = 500
RANK_WINDOW_AGE = timedelta(days=7)
# A first page reuses the member's last ranking while it is this young, its candidate
# posts are still exactly the window's, nobody replied in them and the member marked
# nothing seen since (see ``_first_page_ranking``); otherwise it ranks anew, reading
# again only what changed since the last ranking while that is kept.
RANKING_FRESH = timedelta(minutes=2)
# A member's ranking is kept this long: for its next pages (their cursors name its
# moment), and for ranking anew from it. One ranking a member: a cursor naming an older
# one ranks as of that moment.
RANKING_KEEP = timedelta(minutes=30)
# Replies are checked from a little before the ranking's moment: one written just before
# it may have been committed just after it.
RANKING_COMMIT_SLACK = timedelta(seconds=2)
# "Seen" marks older than this are pruned: they no longer touch any ranked window.
SEEN_KEEP = timedelta(days=14)
CHRONOLOGICAL_REASON = "newest first: you chose chronological order"
# The cursor prefix for "older posts, past the ranked window".
OLDER_PREFIX = "o"

# Chronological order needs no ranker: the database pages it newest first, which is
# ``rankers.ChronologicalRanker``'s order.
CONVERSATION_RANKER = ConversationRanker()


@dataclass
class FeedPage:
    posts: list[Post]
    next_cursor: str | None
    # How many posts at the top of this page are new since the member's previous
    # visit; the "You're all caught up" marker goes after them. None: not on this page.
    new_count: int | None
    # True when this page reaches the end of everything the feed holds.
    at_end: bool
    # "conversation" or "chronological": the order this page was built in.
    order: str = FeedOrder.CHRONOLOGICAL


def feed_people(viewer) -> list[int]:
    """Whose posts the home feed holds: the viewer, their friends and the members they
    follow, less those they muted (read with the friends the visibility rule reads,
    once in a GET request: ``graph.reads``)."""
    return sorted(({viewer.pk} | friend_ids(viewer) | followee_ids(viewer)) - muted_ids(viewer))


def _feed_inputs(viewer) -> dict:
    """What the feed's queries are built from: the visibility rule's inputs and whose
    posts the feed holds (``porch.compiled``)."""
    return {**rule_inputs(viewer), "authors": IdList(feed_people(viewer))}


def _rule(inputs: dict) -> dict:
    return {name: inputs[name] for name in RULE_INPUTS}


def _roots_of(viewer_id, friends, blocked, authors):
    # The authors are listed, not a subquery: the database then reads each author's
    # newest posts from the (author, created_at) index instead of scanning every recent
    # post on the server, so the feed's cost follows the member's network, not the
    # server's size.
    return roots_visible_to(viewer_id, friends, blocked).filter(
        author_id__in=authors, deleted_at__isnull=True
    )


def _feed_roots(viewer):
    return _roots_of(**_feed_inputs(viewer)).select_related("author")


def feed_posts(viewer):
    """The query behind the home feed (before ordering and paging)."""
    return with_reply_counts(_feed_roots(viewer), viewer)


# The feed's hot queries, each built and compiled once per shape (decisions.md, 36).
def _newest(viewer_id, friends, blocked, authors, until, after_at, after_pk, *, size):
    rows = _roots_of(viewer_id, friends, blocked, authors).select_related("author")
    if until is not None:
        rows = rows.filter(created_at__lte=until)
    return newest_after(rows, after_at, after_pk, size)


def _window_rows(viewer_id, friends, blocked, authors, now, since, *, ids_only):
    rows = (
        _roots_of(viewer_id, friends, blocked, authors)
        .filter(created_at__lte=now, created_at__gt=since)
        .order_by("-created_at", "-pk")[:RANK_WINDOW]
    )
    return rows.values_list("pk", flat=True) if ids_only else rows.values_list(*WindowPost.FIELDS)


def _page_posts(viewer_id, friends, blocked, authors, ids):
    rows = _roots_of(viewer_id, friends, blocked, authors).select_related("author")
    return annotate_reply_counts(rows.filter(pk__in=ids), viewer_id, friends, blocked)


def _reply_counts(viewer_id, friends, blocked, ids):
    counted = annotate_reply_counts(Post.objects.filter(pk__in=ids), viewer_id, friends, blocked)
    return counted.values_list("pk", "reply_count")


def _replied(roots, since):
    return (
        Post.objects.filter(root_id__in=roots, created_at__gt=since)
        .order_by()
        .values_list("root_id", flat=True)
        .distinct()
    )


_NEWEST = CompiledQuery(
    _newest, **RULE_INPUTS, authors=IDS, until=MOMENT, after_at=MOMENT, after_pk=ID
)
_WINDOW = CompiledQuery(_window_rows, **RULE_INPUTS, authors=IDS, now=MOMENT, since=MOMENT)
_PAGE_POSTS = CompiledQuery(_page_posts, **RULE_INPUTS, authors=IDS, ids=IDS)
_REPLY_COUNTS = CompiledQuery(_reply_counts, **RULE_INPUTS, ids=IDS)
_REPLIED = CompiledQuery(_replied, roots=IDS, since=MOMENT)


def _newest_page(inputs: dict, after: Cursor | None, limit: int, until=None) -> Page:
    """A page of the feed newest first, after ``after`` (and up to ``until``)."""
    return compiled_page(_NEWEST, after, limit, **inputs, until=until)


def _with_current_reply_counts(inputs: dict, posts: list[Post]) -> None:
    """Set ``reply_count`` on a page's posts (one query for the page, never for the
    whole feed)."""
    counts = dict(_REPLY_COUNTS.rows(**_rule(inputs), ids=IdList(post.pk for post in posts)))
    for post in posts:
        post.reply_count = counts.get(post.pk, 0)


def home_feed(
    viewer,
    cursor: str | None = None,
    limit: int = PAGE_SIZE,
    *,
    seen_before=None,
    order: str | None = None,
):
    """A page of the home feed, in the member's chosen order (or ``order``).

    Each post carries ``why_shown``: the reasons it is where it is, in plain words
    (for the conversation order, the parts its score was added up from).
    ``seen_before``: when the member last looked, for the chronological caught-up
    marker; defaults to the stored ``feed_seen_at``."""
    if cursor and cursor.startswith(RankedCursor.PREFIX):
        ranked = RankedCursor.parse(cursor)
        return _ranked_page(viewer, ranked.offset, limit, now=ranked.now)
    if cursor and cursor.startswith(OLDER_PREFIX):
        # Past a ranked window: newest first, and the caught-up marker was already shown.
        after = Cursor.parse(cursor[len(OLDER_PREFIX) :])
        if after is None:
            raise InvalidInput("That page cursor is not valid.", field="cursor")
        page = _chronological_page(viewer, after, limit, None)
        page.new_count = None
        return page
    if cursor is None:
        settings = feed_settings(viewer)
        order = check_order(order) if order is not None else settings.order
        if order == FeedOrder.CONVERSATION:
            return _ranked_page(viewer, 0, limit, settings.weights)
    else:
        # A cursor says how the feed was being read; a keyset cursor is newest first.
        order = FeedOrder.CHRONOLOGICAL
    return _chronological_page(viewer, Cursor.parse(cursor), limit, seen_before)


def _chronological_page(viewer, cursor, limit, seen_before) -> FeedPage:
    inputs = _feed_inputs(viewer)
    page = _newest_page(inputs, cursor, limit)
    _with_current_reply_counts(inputs, page.items)
    for post in page.items:
        post.why_shown = [CHRONOLOGICAL_REASON]
    seen_before = viewer.feed_seen_at if seen_before is None else seen_before
    new_count = None
    if seen_before is not None:
        new = sum(1 for post in page.items if post.created_at > seen_before)
        # The marker belongs on this page when some posts here are older than the last visit.
        if new < len(page.items) or page.next_cursor is None:
            new_count = new
    elif page.next_cursor is None:
        new_count = len(page.items)
    return FeedPage(
        posts=page.items,
        next_cursor=page.next_cursor,
        new_count=new_count,
        at_end=page.next_cursor is None,
    )


@dataclass(frozen=True)
class RankedCursor:
    """Where a reader is in a ranked feed: the moment it was ranked, and how many
    ranked posts they have been shown. ``"r<microseconds>.<offset>"``."""

    PREFIX = "r"
    now: datetime
    offset: int

    @classmethod
    def parse(cls, raw: str) -> RankedCursor:
        try:
            micros, offset = raw[len(cls.PREFIX) :].split(".", 1)
            now = datetime.fromtimestamp(int(micros) / 1_000_000, tz=UTC)
            offset = int(offset)
        except (ValueError, OverflowError, OSError):
            raise InvalidInput("That page cursor is not valid.", field="cursor") from None
        if not 0 < offset <= RANK_WINDOW or now > timezone.now() + timedelta(minutes=5):
            raise InvalidInput("That page cursor is not valid.", field="cursor")
        return cls(now=now, offset=offset)

    def __str__(self) -> str:
        micros = int(self.now.timestamp()) * 1_000_000 + self.now.microsecond
        return f"{self.PREFIX}{micros}.{self.offset}"


def _window(inputs: dict, now: datetime, *, ids_only: bool = False) -> list:
    """Of the feed's posts (``inputs``: from ``_feed_inputs``), those the conversation
    ranker orders as of ``now``: the newest of the last week, at most ``RANK_WINDOW``;
    their ids (``ids_only``) or their rows for ``WindowPost.of_rows``."""
    return _WINDOW.rows({"ids_only": ids_only}, **inputs, now=now, since=now - RANK_WINDOW_AGE)


def rank_window(
    viewer,
    now: datetime,
    weights: Weights | None,
    inputs: dict,
    window: list[WindowPost] | None = None,
    earlier: dict[int, Candidate] | None = None,
) -> RankedWindow:
    """The ranked part of the feed as of ``now`` (``inputs``: the feed's, from
    ``_feed_inputs``; ``window``: its posts, when already read; ``earlier``: see
    ``features.candidates``)."""
    if window is None:
        window = WindowPost.of_rows(_window(inputs, now))
    found = candidates(viewer, window, now, earlier)
    return RankedWindow(window, found, CONVERSATION_RANKER.scored(found, now, weights))


@dataclass
class RankedWindow:
    # The window's posts, newest first (``_window``'s order), and their candidates.
    posts: list[WindowPost]
    candidates: list[Candidate]
    scored: Scored


@dataclass
class Ranking:
    """A ranked window as kept in the cache: the moment it was ranked as of, the
    weights it used, the candidate posts it ranked (newest first) and, best first, each
    ranked post's candidate fields and score, and its score's parts as one array (plain
    values and an array unpickle fast on every page, where whole objects cost several
    milliseconds); ``item(i)`` rebuilds one for the page shown."""

    now: datetime
    weights: Weights
    window: tuple[int, ...]
    # Per ranked post, best first: the candidate's fields (``Candidate``'s order), its
    # score, and its parts' values (a row of ``parts``, one column per kind in ``kinds``).
    fields: list[tuple]
    scores: list[float]
    kinds: tuple[str, ...]
    parts: np.ndarray
    # The oldest post of the window: the "older posts" cursor starts after it.
    oldest: Cursor | None

    @classmethod
    def of(cls, now: datetime, weights: Weights, ranked: RankedWindow) -> Ranking:
        scored, order = ranked.scored, ranked.scored.order
        return cls(
            now,
            weights,
            tuple(post.pk for post in ranked.posts),
            [_candidate_fields(ranked.candidates[index]) for index in order.tolist()],
            scored.scores[order].tolist(),
            scored.kinds,
            scored.rows[order],
            Cursor.of(ranked.posts[-1]) if ranked.posts else None,
        )

    def __len__(self) -> int:
        return len(self.fields)

    def post_id(self, index: int) -> int:
        return self.fields[index][0]

    def seen(self, index: int) -> bool:
        return self.fields[index][_SEEN_FIELD]

    def item(self, index: int) -> RankedItem:
        values = nonzero_parts(self.kinds, self.parts[index].tolist())
        return RankedItem(Candidate(*self.fields[index]), self.scores[index], values)

    def candidates(self) -> dict[int, Candidate]:
        """What the ranking read of each post, by post."""
        return {fields[0]: Candidate(*fields) for fields in self.fields}


_CANDIDATE_FIELDS = [field.name for field in dataclass_fields(Candidate)]
_SEEN_FIELD = _CANDIDATE_FIELDS.index("seen")
# A candidate's fields as a tuple, in ``Candidate``'s order (one call, not one a field).
_candidate_fields = attrgetter(*_CANDIDATE_FIELDS)


# Named with the shape of ``Ranking`` it holds: a server upgraded to a new shape does not
# read rankings kept in the old one (it ranks anew).
RANKING_SHAPE = 2


def _ranking_key(viewer) -> str:
    return f"feed:ranking:{RANKING_SHAPE}:{viewer.pk}"


def _seen_key(viewer) -> str:
    return f"feed:marked-seen:{viewer.pk}"


def _ranking(viewer, now: datetime, weights: Weights, inputs: dict) -> Ranking:
    """The viewer's ranking as of ``now``: the kept one if it is as of that moment,
    else made now and kept."""
    kept = cache.get(_ranking_key(viewer))
    if kept is None or kept.now != now:
        kept = _new_ranking(viewer, now, weights, inputs)
    return kept


def _new_ranking(
    viewer, now: datetime, weights: Weights, inputs: dict, window=None, earlier=None
) -> Ranking:
    """Rank the viewer's window as of ``now`` and keep it (it replaces the kept one)."""
    kept = Ranking.of(now, weights, rank_window(viewer, now, weights, inputs, window, earlier))
    cache.set(_ranking_key(viewer), kept, RANKING_KEEP.total_seconds())
    return kept


def _first_page_ranking(viewer, weights: Weights, inputs: dict) -> Ranking:
    """The ranking a first page shows.

    The viewer's kept ranking as it is, if it is younger than ``RANKING_FRESH`` and
    used these weights; the viewer marked nothing seen since; the window holds exactly
    the same posts now (no new post, none gone, no change in who the viewer sees); and
    nobody replied in those posts since. What can still be out of date is bounded by
    its age: reactions and other threads' replies behind the interaction and
    reply-ratio features. Two indexed queries instead of ranking: the window's ids,
    and the replies since.

    Otherwise a ranking as of now. While a ranking is kept (``RANKING_KEEP``), what it
    read of the posts nobody replied in since (their rows and the talk in their
    threads) is used again: the new posts and the threads with new replies are read,
    everything else (friendship, circles, interactions, reply ratios, seen) as for a
    ranking from nothing, and every post is scored anew as of now (decisions.md, 33
    and 34). What the kept talk can miss: a reply deleted, hidden or by a member
    deactivated since, which only changes the order, never what is shown."""
    now = timezone.now()
    kept = cache.get(_ranking_key(viewer))
    if kept is None or now - kept.now > RANKING_KEEP:
        return _new_ranking(viewer, now, weights, inputs)
    # The window's ids first (no row to convert): most often they are the kept ones.
    window_ids = tuple(_window(inputs, now, ids_only=True))
    replied = set(_REPLIED.rows(roots=IdList(window_ids), since=kept.now - RANKING_COMMIT_SLACK))
    marked_seen = cache.get(_seen_key(viewer))
    unchanged = (
        now - kept.now <= RANKING_FRESH
        and kept.weights == weights
        and (marked_seen is None or marked_seen < kept.now)
        and window_ids == kept.window
        and not replied
    )
    if unchanged:
        return kept
    read = kept.candidates()
    earlier = {pk: c for pk, c in read.items() if pk not in replied}
    # The rows of the posts it ranked are the kept ones (an author's new display name
    # shows in "why" at the next ranking from nothing); only new posts' rows are read.
    rows = {pk: WindowPost(pk, c.author_id, c.created_at, c.author_name) for pk, c in read.items()}
    new = IdList(pk for pk in window_ids if pk not in rows)
    if new:
        rows.update((post.pk, post) for post in WindowPost.of_ids(new))
    window = [rows[pk] for pk in window_ids]
    return _new_ranking(viewer, now, weights, inputs, window, earlier)


def _ranked_page(
    viewer, offset, limit, weights: Weights | None = None, *, now: datetime | None = None
) -> FeedPage:
    """A page of the ranked feed: the first (``now`` None: the latest ranking if it may
    be shown again, else a new one as of this moment) or a later one (the ranking as of
    the cursor's ``now``)."""
    if not 1 <= limit <= PAGE_SIZE_LIMIT:
        raise InvalidInput(f"Ask for 1 to {PAGE_SIZE_LIMIT} items.", field="limit")
    if weights is None:
        weights = feed_settings(viewer).weights
    inputs = _feed_inputs(viewer)  # read once: every query below is built from them
    if now is None:
        kept = _first_page_ranking(viewer, weights, inputs)
    else:
        kept = _ranking(viewer, now, weights, inputs)
    now = kept.now
    shown = range(offset, min(offset + limit, len(kept)))
    # The page's posts in full, read again through the feed's query: one deleted or
    # hidden from the viewer since ``now`` drops out instead of showing. With their
    # current reply counts for the cards (the ranking read them as of ``now``), in the
    # same query.
    full = {
        post.pk: post
        for post in _PAGE_POSTS.rows(**inputs, ids=IdList(kept.post_id(i) for i in shown))
    }
    posts = []
    for index in shown:
        post = full.get(kept.post_id(index))
        if post is not None:
            post.why_shown = kept.item(index).why_shown()
            posts.append(post)
    if offset + limit < len(kept):
        next_cursor = str(RankedCursor(now=now, offset=offset + limit))
    else:
        # The ranked window ends on this page: older posts follow, newest first.
        after = kept.oldest or Cursor(created_at=now, pk=BIGGEST_ID)
        room = limit - len(posts)
        rest = _newest_page(inputs, after, room or 1, until=now)
        if room:
            _with_current_reply_counts(inputs, rest.items)
            for post in rest.items:
                post.why_shown = [CHRONOLOGICAL_REASON]
            posts += rest.items
            last = Cursor.of(rest.items[-1]) if rest.next_cursor else None
        else:
            last = after if rest.items else None
        next_cursor = f"{OLDER_PREFIX}{last}" if last else None
    # "You're all caught up" goes before the last run of posts already seen, or after
    # the ranked posts when none of them was seen.
    caught_up = len(kept)
    while caught_up and kept.seen(caught_up - 1):
        caught_up -= 1
    new_count = None
    if offset <= caught_up < offset + len(posts) or (next_cursor is None and caught_up >= offset):
        new_count = min(caught_up - offset, len(posts))
    return FeedPage(
        posts=posts,
        next_cursor=next_cursor,
        new_count=new_count,
        at_end=next_cursor is None,
        order=FeedOrder.CONVERSATION,
    )


def do_mark_feed_seen_up_to(viewer, up_to) -> None:
    """Mark seen the newest feed post created at or before ``up_to`` (for clients that
    report what they displayed). The marker never moves back."""
    newest = feed_posts(viewer).filter(created_at__lte=up_to).order_by("-created_at", "-pk").first()
    do_mark_feed_seen(viewer, [newest] if newest else [])


def do_mark_posts_seen(viewer, post_ids: list[int]) -> int:
    """Mark seen the feed posts among ``post_ids`` (ids the viewer may not see, or that
    are not in their feed, are ignored). Returns how many were feed posts."""
    posts = list(_feed_roots(viewer).filter(pk__in=post_ids))
    do_mark_feed_seen(viewer, posts)
    return len(posts)


def do_mark_feed_seen(viewer, posts: list[Post]) -> None:
    """Remember that the feed showed ``posts``: each is "seen" for the ranker, and the
    newest moves the chronological caught-up marker (which never moves back)."""
    if not posts:
        return
    now = timezone.now()
    ids = {post.pk for post in posts if post.root_id is None}
    with transaction.atomic():
        already = set(
            SeenPost.objects.filter(member_id=viewer.pk, post_id__in=ids).values_list(
                "post_id", flat=True
            )
        )
        if ids - already:
            SeenPost.objects.bulk_create(
                [SeenPost(member_id=viewer.pk, post_id=pk, seen_at=now) for pk in ids - already],
                ignore_conflicts=True,
            )
            SeenPost.objects.filter(member_id=viewer.pk, seen_at__lt=now - SEEN_KEEP).delete()
        newest = max(post.created_at for post in posts)
        if viewer.feed_seen_at is None or newest > viewer.feed_seen_at:
            Member.objects.filter(pk=viewer.pk).update(feed_seen_at=newest)
            viewer.feed_seen_at = newest
    if ids - already:
        # What the member has now seen sinks in their next ranking: the next first page
        # ranks anew instead of showing the kept ranking again (its next pages, named by
        # cursors, still read the kept one).
        cache.set(_seen_key(viewer), now, RANKING_KEEP.total_seconds())
