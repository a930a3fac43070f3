"""From the database to the rankers' plain ``Candidate``s.

Every feature is computed *as of* a moment ``now``: only replies, reactions and
"seen" marks up to then count. A ranked feed recomputed for its next page with the
same ``now`` therefore orders the same posts the same way, so pages neither repeat
nor skip posts when someone replies in between.

The posts passed in were already fetched through the visibility rule (they are the
home feed's candidates); nothing here widens what the viewer may see. The features
are numbers, and only "you and X talk often" style explanations are shown.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.core.cache import cache
from django.db.models import Count, F, Q, Value

from porch.accounts.models import Member
from porch.cache import forget
from porch.compiled import ID, IDS, MOMENT, CompiledQuery
from porch.graph.models import CircleMember
from porch.graph.reads import friend_ids as friends_of
from porch.id_lists import IdList
from porch.posts.models import Post, Reaction

from .models import SeenPost
from .rankers import Candidate

INTERACTION_WINDOW = timedelta(days=60)
INTERACTION_HALF_LIFE_DAYS = 14.0
RECIPROCITY_WINDOW = timedelta(days=30)


@dataclass(frozen=True, slots=True)
class WindowPost:
    """What ranking needs of a top-level post: read as plain values for the whole
    window (hundreds of posts), where whole model objects would cost most of the feed's
    time; only the page shown is then read in full."""

    pk: int
    author_id: int
    created_at: datetime
    author_name: str

    @classmethod
    def of(cls, post: Post) -> WindowPost:
        return cls(post.pk, post.author_id, post.created_at, post.author.name)

    # What a query reads of each post for ``of_rows``.
    FIELDS = ("pk", "author_id", "created_at", "author__username", "author__display_name")

    @classmethod
    def of_rows(cls, rows) -> list[WindowPost]:
        """Rows of ``FIELDS`` as ``WindowPost``s."""
        return [
            cls(pk, author_id, created_at, Member.name_from(display_name, username))
            for pk, author_id, created_at, username, display_name in rows
        ]

    @classmethod
    def of_ids(cls, ids: IdList) -> list[WindowPost]:
        """The posts ``ids`` (already read through the visibility rule), in one query."""
        return cls.of_rows(_WINDOW_POSTS.rows(ids=ids))


def _decay(moment: datetime, now: datetime) -> float:
    age_days = max(0.0, (now - moment).total_seconds() / 86400)
    return 0.5 ** (age_days / INTERACTION_HALF_LIFE_DAYS)


def _live(queryset, now):
    """Posts (replies) that count: written by then, not deleted, by active members."""
    return queryset.filter(created_at__lte=now, deleted_at__isnull=True, author__is_active=True)


def interactions(viewer, author_ids: set[int], now: datetime) -> tuple[dict, dict]:
    """Decayed replies and reactions viewer → each author, and each author → viewer."""
    to_all, from_all = viewer_interactions(viewer, now)
    return (
        {author: to_all[author] for author in author_ids if author in to_all},
        {author: from_all[author] for author in author_ids if author in from_all},
    )


def _interactions_key(member_id: int) -> str:
    return f"feed:interactions:{member_id}"


def interactions_keys(*member_ids: int | None) -> list[str]:
    """The cache keys of these members' kept interactions (None and repeats skipped)."""
    return [_interactions_key(pk) for pk in set(member_ids) if pk]


def forget_interactions(*member_ids: int) -> None:
    """Someone replied or reacted, to or from these members: their interactions are
    read anew at their next ranking (``porch.cache.forget``: again once the write
    commits)."""
    forget(*interactions_keys(*member_ids))


# A viewer's interactions with everyone, as of a moment, are kept this long: a first
# page ranked anew within it reads none of the four queries below. Forgotten at once
# when the viewer, or someone answering or reacting to them, writes
# (``forget_interactions``); what can still be out of date is a reply or reaction
# deleted by a moderator or a member deactivated since, for at most this long.
INTERACTIONS_KEEP = timedelta(minutes=10)


def viewer_interactions(viewer, now: datetime) -> tuple[dict, dict]:
    """Per member the viewer talked with, over ``INTERACTION_WINDOW``: decayed replies
    and reactions viewer → them, and them → viewer, as of ``now``.

    Kept in the cache as of the moment they were read; a later ranking within
    ``INTERACTIONS_KEEP`` decays the kept sums to its own moment (every event ages by
    the same factor), which gives the same numbers as reading them again."""
    key = _interactions_key(viewer.pk)
    kept = cache.get(key)
    if kept is not None:
        moment, to_all, from_all = kept
        if moment <= now <= moment + INTERACTIONS_KEEP:
            factor = _decay(moment, now)
            return (
                {member: value * factor for member, value in to_all.items()},
                {member: value * factor for member, value in from_all.items()},
            )
    to_all, from_all = _read_interactions(viewer, now)
    cache.set(key, (now, to_all, from_all), INTERACTIONS_KEEP.total_seconds())
    return to_all, from_all


def _interaction_rows(viewer_id, since, now, *, which: int):
    """One of the four reads of ``_read_interactions``: (actor, the member acted
    towards, when) for the viewer's replies, replies to the viewer's posts, the viewer's
    reactions, reactions to the viewer's posts."""
    # Summed, so read in no particular order (no sort of the rows).
    replies = _live(
        Post.objects.filter(created_at__gte=since, parent__isnull=False), now
    ).order_by()
    reactions = Reaction.objects.filter(created_at__gte=since, created_at__lte=now).order_by()
    # Four queries, each starting from an index on the viewer (their replies, replies to
    # their posts, their reactions, reactions to their posts); one query with an OR
    # would read every reply of the last 60 days.
    if which == 0:
        return replies.filter(author_id=viewer_id).values_list(
            "author_id", "parent__author_id", "created_at"
        )
    if which == 1:
        # Replies to the viewer's posts, found from those posts (the parent index): read
        # from the other side, SQLite walked every reply of the last 60 days.
        return replies.filter(
            parent_id__in=Post.objects.filter(author_id=viewer_id).values("pk"),
        ).values_list("author_id", Value(viewer_id), "created_at")
    if which == 2:
        return reactions.filter(member_id=viewer_id).values_list(
            "member_id", "post__author_id", "created_at"
        )
    return reactions.filter(post__author_id=viewer_id).values_list(
        "member_id", "post__author_id", "created_at"
    )


_INTERACTIONS = CompiledQuery(_interaction_rows, viewer_id=ID, since=MOMENT, now=MOMENT)


def _read_interactions(viewer, now: datetime) -> tuple[dict, dict]:
    since = now - INTERACTION_WINDOW
    to_author: dict[int, float] = defaultdict(float)
    from_author: dict[int, float] = defaultdict(float)
    for which in range(4):
        rows = _INTERACTIONS.rows({"which": which}, viewer_id=viewer.pk, since=since, now=now)
        for actor, target, moment in rows:
            if actor == target:
                continue  # talking to oneself
            if actor == viewer.pk:
                to_author[target] += _decay(moment, now)
            else:
                from_author[actor] += _decay(moment, now)
    return dict(to_author), dict(from_author)


def ratio_key(author_id: int) -> str:
    return f"feed:reply-ratio:{author_id}"


def reply_ratios(author_ids: set[int], now: datetime) -> dict[int, float]:
    """Per author, over the last 30 days: replies they wrote answering someone else
    ÷ posts they started. Authors who started nothing are left out (unknown).

    A month's habit, the same for every reader: kept in the cache for up to
    ``RATIO_KEEP`` and forgotten when the author writes or deletes (``feed.apps``),
    so a server ranking many feeds reads each author's month once, not once a feed."""
    keys = {author: ratio_key(author) for author in author_ids}
    kept = cache.get_many(list(keys.values()))
    ratios = {author: kept[key] for author, key in keys.items() if key in kept}
    missing = [author for author in author_ids if author not in ratios]
    if missing:
        fresh = _reply_ratios(missing, now)
        found = {author: fresh.get(author, UNKNOWN_RATIO) for author in missing}
        cache.set_many({keys[a]: ratio for a, ratio in found.items()}, RATIO_KEEP)
        ratios.update(found)
    return {author: ratio for author, ratio in ratios.items() if ratio != UNKNOWN_RATIO}


# Kept in the cache for an author who started nothing (no ratio).
UNKNOWN_RATIO = -1.0
RATIO_KEEP = 600


def _ratio_rows(authors, since, now):
    return (
        _live(Post.objects.filter(author_id__in=authors, created_at__gte=since), now)
        .values("author_id")
        .annotate(
            started=Count("id", filter=Q(parent__isnull=True)),
            answered=Count(
                "id", filter=Q(parent__isnull=False) & ~Q(parent__author_id=F("author_id"))
            ),
        )
        .values_list("author_id", "started", "answered")
    )


_RATIOS = CompiledQuery(_ratio_rows, authors=IDS, since=MOMENT, now=MOMENT)


def _reply_ratios(author_ids: list[int], now: datetime) -> dict[int, float]:
    rows = _RATIOS.rows(authors=IdList(author_ids), since=now - RECIPROCITY_WINDOW, now=now)
    return {author: answered / started for author, started, answered in rows if started}


def _talk_rows(roots, now):
    return (
        _live(Post.objects.filter(root_id__in=roots), now)
        .values("root_id", "author_id")
        .annotate(n=Count("id"))
        .values_list("root_id", "author_id", "n")
    )


def _seen_rows(viewer_id, posts, now):
    return SeenPost.objects.filter(
        member_id=viewer_id, post_id__in=posts, seen_at__lte=now
    ).values_list("post_id", flat=True)


def _circle_rows(viewer_id, authors):
    return (
        CircleMember.objects.filter(circle__owner_id=viewer_id, member_id__in=authors)
        .values("member_id")
        .annotate(n=Count("circle_id", distinct=True))
        .values_list("member_id", "n")
    )


# Built and compiled once per shape (decisions.md, 36).
_TALK = CompiledQuery(_talk_rows, roots=IDS, now=MOMENT)
_SEEN = CompiledQuery(_seen_rows, viewer_id=ID, posts=IDS, now=MOMENT)
_CIRCLES = CompiledQuery(_circle_rows, viewer_id=ID, authors=IDS)
_WINDOW_POSTS = CompiledQuery(
    lambda ids: Post.objects.filter(pk__in=ids).values_list(*WindowPost.FIELDS), ids=IDS
)


def thread_talk(viewer, posts: list[WindowPost], friend_ids: set[int], now: datetime):
    """Per root: replies by people other than its author, and the distinct friends of
    the viewer (not the viewer, not the author) among the repliers."""
    authors = {post.pk: post.author_id for post in posts}
    replies: dict[int, int] = defaultdict(int)
    repliers: dict[int, set[int]] = defaultdict(set)
    for root_id, author_id, n in _TALK.rows(roots=IdList(authors), now=now):
        if author_id == authors[root_id]:
            continue
        replies[root_id] += n
        if author_id in friend_ids and author_id != viewer.pk:
            repliers[root_id].add(author_id)
    return replies, {root: len(people) for root, people in repliers.items()}


def candidates(
    viewer, posts: list[WindowPost], now: datetime, earlier: dict[int, Candidate] | None = None
) -> list[Candidate]:
    """The rankers' view of ``posts`` (visible top-level posts) for ``viewer``.

    ``earlier``: candidates an earlier ranking read, by post, for posts nobody
    replied in since (``services``). The talk in their threads is taken from it instead
    of read again; everything else (friendship, shared circles, interactions, reply
    ratios, seen) is as of ``now`` for every post."""
    if not posts:
        return []
    earlier = earlier or {}
    author_ids = {post.author_id for post in posts}
    friend_ids = friends_of(viewer)
    circles = dict(_CIRCLES.rows(viewer_id=viewer.pk, authors=IdList(author_ids)))
    to_author, from_author = interactions(viewer, author_ids - {viewer.pk}, now)
    ratios = reply_ratios(author_ids, now)
    replies = {pk: c.replies for pk, c in earlier.items()}
    network = {pk: c.network_repliers for pk, c in earlier.items()}
    unknown_posts = [post for post in posts if post.pk not in earlier]
    if unknown_posts:
        fresh_replies, fresh_network = thread_talk(viewer, unknown_posts, friend_ids, now)
        for post in unknown_posts:
            replies[post.pk] = fresh_replies.get(post.pk, 0)
            network[post.pk] = fresh_network.get(post.pk, 0)
    seen = set(_SEEN.rows(viewer_id=viewer.pk, posts=IdList(post.pk for post in posts), now=now))
    return [
        Candidate(
            post_id=post.pk,
            author_id=post.author_id,
            author_name=post.author_name,
            created_at=post.created_at,
            mutual_friend=post.author_id in friend_ids,
            shared_circles=circles.get(post.author_id, 0),
            interactions_to_author=to_author.get(post.author_id, 0.0),
            interactions_from_author=from_author.get(post.author_id, 0.0),
            replies=replies.get(post.pk, 0),
            network_repliers=network.get(post.pk, 0),
            author_reply_ratio=ratios.get(post.author_id),
            seen=post.pk in seen,
            own=post.author_id == viewer.pk,
        )
        for post in posts
    ]
