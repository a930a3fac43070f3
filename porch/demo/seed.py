"""Benchmark data: a realistic community written in bulk (``porch bench seed``).

The demo (``loader.py``) goes through the services one write at a time, which is right
for forty people and far too slow for a hundred thousand. This module computes a whole
community in memory with NumPy and writes it with ``executemany`` in large batches,
with explicit primary keys so relations are known before anything is written. It is
benchmark data only, never a path members' writes take.

What it makes, and why, for ``N`` members over ``days`` days (30 by default):

* **Friendships in clusters with heavy tails.** People befriend mostly within their
  town, school or family (communities of 50-500 here: 80% of a member's friendships are
  inside theirs) and a little outside. Friend counts are lognormal with a median of
  about 100 (Dunbar's number; Facebook's median was about 100 in Ugander et al. 2011),
  so most members have dozens to a couple of hundred friends and a few have many more.
* **A few popular members with public profiles** (0.5%) followed by many (Pareto), the
  shape of a community's shop, school or local paper.
* **Circles**: up to three per member (Family, Close friends, Neighbours) of 3-20 friends.
* **About 100 posts and replies per member per 30 days** (40% posts, 60% replies), with
  heavy-tailed activity: a few members write much of it, many rarely write. Audiences:
  friends 60%, public 15%, friends of friends 15%, circles 8%, only me 2%. Replies come
  from people who can see the post (its author's friends, or its circles' members), 30%
  of them answer an earlier reply, and thread sizes are heavy-tailed.
* **Reactions** (about 2 per post, mostly hearts) from the author's friends, and the
  notifications the services would have written for replies and friends' reactions.
* **Probes**: members whose friend count is set to exactly 10, 100, 1,000 and 5,000
  (each capped at what the community allows), for the growth measurements.
* **API tokens** for up to 1,000 ordinary members and every probe, derived from the
  seed, so a load generator can act as real members. The manifest lists them.

Deterministic: one ``numpy.random.default_rng(seed)`` decides everything.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path

import numpy as np
from django.contrib.auth.hashers import make_password
from django.core.management.color import no_style
from django.db import connection, transaction
from django.utils import timezone

from porch.accounts.models import AccessToken, Member, hash_token
from porch.graph.models import Circle, CircleMember, Follow, Friendship
from porch.notifications.models import Notification
from porch.posts.markdown import render
from porch.posts.models import Post, Reaction
from porch.query_planner import refresh_statistics

BENCH_PASSWORD = "porch-bench-password"  # noqa: S105 (every seeded member's, on purpose)
PROBES = (10, 100, 1000, 5000)
POSTS_PER_MEMBER = 100  # posts and replies per member per 30 days
POST_SHARE = 0.4
MEDIAN_FRIENDS = 100
INSIDE_SHARE = 0.8
LOAD_MEMBERS = 1000
BATCH = 5000
AUDIENCES = ("friends", "public", "friends_of_friends", "circles", "only_me")
AUDIENCE_SHARES = (0.60, 0.15, 0.15, 0.08, 0.02)
# Posts anyone among the author's friends may see, react to and reply to.
OPEN_AUDIENCES = [AUDIENCES.index(name) for name in ("friends", "public", "friends_of_friends")]
CIRCLE_NAMES = ("Family", "Close friends", "Neighbours")
REACTION_KINDS = ("heart", "thumbs_up", "laugh", "wow", "sad", "pray")
REACTION_SHARES = (0.45, 0.25, 0.12, 0.08, 0.05, 0.05)
SEEN_RECENTLY = timedelta(hours=12)

_SUBJECTS = (
    "The garden",
    "Our street",
    "The school fair",
    "Grandma's kitchen",
    "The bakery",
    "The river path",
    "The new library",
    "My bike",
    "The choir",
    "The allotment",
    "The football club",
    "The market",
    "Our cat",
    "The bus to town",
    "The book club",
    "The village hall",
    "The playground",
    "The harbour",
    "The old mill",
    "The orchard",
)
_PREDICATES = (
    "looked lovely this morning",
    "needs a few more hands on Saturday",
    "was busier than ever today",
    "smells of fresh bread again",
    "is finally open after the repairs",
    "had the best sunset tonight",
    "could use your advice",
    "made everyone smile",
    "is flooded after the rain",
    "is where we will meet at six",
)


def _sentences() -> list[str]:
    return [f"{subject} {predicate}." for subject in _SUBJECTS for predicate in _PREDICATES]


@dataclass
class SeedResult:
    counts: dict[str, int]
    manifest: dict = field(default_factory=dict)


class SeedError(Exception):
    """The database is not one the seeder can write into."""


# --- Writing -----------------------------------------------------------------------
def _stamp(seconds: np.ndarray) -> list:
    """Unix times as the database adapter wants datetimes (text on SQLite)."""
    values = np.asarray(seconds * 1e6, dtype="int64").astype("datetime64[us]").astype(str)
    if connection.vendor == "sqlite":
        return [value.replace("T", " ") for value in values]
    return [value + "+00:00" for value in values]


def _insert(model, columns: list[str], rows: Iterable[tuple]) -> int:
    table = connection.ops.quote_name(model._meta.db_table)
    names = ", ".join(connection.ops.quote_name(column) for column in columns)
    marks = ", ".join(["%s"] * len(columns))
    sql = f"INSERT INTO {table} ({names}) VALUES ({marks})"  # noqa: S608 (names from _meta)
    count = 0
    with connection.cursor() as cursor:
        for batch in _batches(rows):
            cursor.executemany(sql, batch)
            count += len(batch)
    return count


def _batches(rows: Iterable[tuple]) -> Iterator[list[tuple]]:
    batch = []
    for row in rows:
        batch.append(row)
        if len(batch) == BATCH:
            yield batch
            batch = []
    if batch:
        yield batch


# --- The graph ---------------------------------------------------------------------
def _friendships(rng, n: int, probes: list[int], probe_friends: list[int]) -> np.ndarray:
    """Unordered pairs (a < b) of friends, as an (E, 2) array of member indexes."""
    median = min(MEDIAN_FRIENDS, max(2, n // 5))
    degrees = np.clip(rng.lognormal(np.log(median), 0.8, n), 3, n - 1)
    # Communities: consecutive runs of members, 50-500 long.
    sizes = []
    while sum(sizes) < n:
        sizes.append(int(rng.integers(50, 501)))
    sizes[-1] -= sum(sizes) - n
    starts = np.repeat(np.cumsum([0, *sizes[:-1]]), sizes)
    lengths = np.repeat(sizes, sizes)
    halves = degrees / 2  # each friendship counts for both people
    inside = rng.poisson(halves * INSIDE_SHARE)
    outside = rng.poisson(halves * (1 - INSIDE_SHARE))
    source_in = np.repeat(np.arange(n), inside)
    target_in = starts[source_in] + (rng.random(len(source_in)) * lengths[source_in]).astype(int)
    source_out = np.repeat(np.arange(n), outside)
    target_out = rng.integers(0, n, len(source_out))
    pairs = np.concatenate(
        [np.stack([source_in, target_in], 1), np.stack([source_out, target_out], 1)]
    )
    probe_set = np.array(probes, dtype=int)
    keep = (pairs[:, 0] != pairs[:, 1]) & ~np.isin(pairs, probe_set).any(axis=1)
    pairs = pairs[keep]
    others = np.setdiff1d(np.arange(n), probe_set)
    for probe, count in zip(probes, probe_friends, strict=True):
        chosen = rng.choice(others, count, replace=False)
        pairs = np.concatenate([pairs, np.stack([np.full(count, probe), chosen], 1)])
    pairs.sort(axis=1)
    return np.unique(pairs, axis=0)


def _adjacency(n: int, pairs: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """CSR: friends of i are ``neighbours[offsets[i]:offsets[i + 1]]``."""
    both = np.concatenate([pairs, pairs[:, ::-1]])
    both = both[np.lexsort((both[:, 1], both[:, 0]))]
    offsets = np.zeros(n + 1, dtype=np.int64)
    np.add.at(offsets, both[:, 0] + 1, 1)
    return np.cumsum(offsets), both[:, 1]


def _pick_friend(rng, offsets, neighbours, of: np.ndarray) -> np.ndarray:
    """A random friend of each member in ``of`` (-1 for someone with none)."""
    degree = offsets[of + 1] - offsets[of]
    index = offsets[of] + (rng.random(len(of)) * np.maximum(degree, 1)).astype(np.int64)
    picked = neighbours[np.minimum(index, len(neighbours) - 1)] if len(neighbours) else of * 0
    return np.where(degree > 0, picked, -1)


# --- The seeder --------------------------------------------------------------------
def seed(
    members: int,
    *,
    seed: int = 1,
    days: int = 30,
    probes: tuple[int, ...] = PROBES,
    now: datetime | None = None,
    progress: Callable[[str], None] | None = None,
) -> SeedResult:
    """Write a community of ``members`` into an empty, migrated database."""
    if members < 2:
        raise SeedError("a benchmark community needs at least 2 members")
    if Member.objects.exists():
        raise SeedError("bench seed needs an empty database (this one has members)")
    say = progress or (lambda message: None)
    rng = np.random.default_rng(seed)
    now = now or timezone.now()
    end = now.timestamp()
    start = end - days * 86400
    n = members
    counts: dict[str, int] = {}

    # Probes: the last members, each with exactly their friend count (capped).
    wanted = []
    for count in probes:
        capped = min(count, n - len(probes))
        if capped > 0 and capped not in wanted:
            wanted.append(capped)
    probe_index = list(range(n - len(wanted), n))

    with transaction.atomic():
        ids = np.arange(1, n + 1)  # member index i has id i + 1
        public = rng.random(n) < 0.05
        popular = rng.choice(n - len(wanted), max(1, n // 200), replace=False)
        public[popular] = True
        joined = start - rng.uniform(86400, 365 * 86400, n)
        seen = end - rng.uniform(0, 48 * 3600, n)
        password = make_password(BENCH_PASSWORD)
        joined_at, seen_at = _stamp(joined), _stamp(seen)
        counts["members"] = _insert(
            Member,
            ["id", "password", "is_superuser", "first_name", "last_name", "email", "is_staff",
             "is_active", "date_joined", "username", "display_name", "bio", "is_public_profile",
             "feed_seen_at"],
            (
                (int(ids[i]), password, False, "", "", "", False, True, joined_at[i],
                 f"m{i + 1:07d}", f"Member {i + 1}", "", bool(public[i]), seen_at[i])
                for i in range(n)
            ),
        )  # fmt: skip
        say(f"members: {n:,}")

        pairs = _friendships(rng, n, probe_index, wanted)
        offsets, neighbours = _adjacency(n, pairs)
        befriended = _stamp(start - rng.uniform(0, 180 * 86400, len(pairs)))
        counts["friendships"] = (
            _insert(
                Friendship,
                ["member_id", "friend_id", "created_at"],
                (
                    row
                    for k, (a, b) in enumerate(pairs.tolist())
                    for row in ((a + 1, b + 1, befriended[k]), (b + 1, a + 1, befriended[k]))
                ),
            )
            // 2
        )
        say(f"friendships: {counts['friendships']:,}")

        # Followers of the popular members: Pareto-many, anyone but themselves.
        follows = []
        for star in popular.tolist():
            many = int(min(n - 1, 20 + rng.pareto(1.2) * 60))
            fans = rng.choice(n, many + 1, replace=False)
            follows += [(int(fan) + 1, star + 1) for fan in fans if fan != star][:many]
        followed = _stamp(start - rng.uniform(0, 90 * 86400, len(follows)))
        counts["follows"] = _insert(
            Follow,
            ["follower_id", "followee_id", "created_at"],
            ((a, b, followed[k]) for k, (a, b) in enumerate(follows)),
        )

        # Circles: 0-3 per member, 3-20 of their friends each.
        circle_rows, circle_member_rows = [], []
        circles_of: dict[int, list[int]] = {}
        in_circle: dict[int, np.ndarray] = {}
        degree = np.diff(offsets)
        how_many = rng.integers(0, 4, n)
        for i in range(n):
            friends = neighbours[offsets[i] : offsets[i + 1]]
            for name in CIRCLE_NAMES[: how_many[i] if degree[i] >= 3 else 0]:
                circle_id = len(circle_rows) + 1
                size = int(min(len(friends), rng.integers(3, 21)))
                chosen = rng.choice(friends, size, replace=False)
                circle_rows.append((circle_id, i + 1, name))
                circle_member_rows += [(circle_id, int(m) + 1) for m in chosen]
                circles_of.setdefault(i, []).append(circle_id)
                in_circle[circle_id] = chosen
        circle_stamp = _stamp(np.full(1, start - 86400))[0]
        counts["circles"] = _insert(
            Circle,
            ["id", "owner_id", "name", "created_at"],
            ((c, o, name, circle_stamp) for c, o, name in circle_rows),
        )
        _insert(
            CircleMember,
            ["circle_id", "member_id", "added_at"],
            ((c, m, circle_stamp) for c, m in circle_member_rows),
        )
        say(f"circles: {counts['circles']:,}")

        posts = _write_posts(rng, n, days, start, end, offsets, neighbours, circles_of, in_circle)
        counts.update(posts.counts)
        say(f"posts: {counts['posts']:,}, replies: {counts['replies']:,}")

        manifest = _tokens_and_manifest(
            rng, n, offsets, neighbours, probe_index, posts, now, seed, members
        )
        manifest["counts"] = counts
        counts["tokens"] = len(manifest["load_members"]) + len(manifest["probes"])
        _reset_sequences()
    refresh_statistics()  # the planner must know the tables are no longer empty
    return SeedResult(counts=counts, manifest=manifest)


@dataclass
class _Posts:
    counts: dict[str, int]
    author: np.ndarray  # of each top-level post (member index); post id = index + 1
    audience: np.ndarray
    created: np.ndarray


def _write_posts(rng, n, days, start, end, offsets, neighbours, circles_of, in_circle) -> _Posts:
    texts = _sentences()
    html = [render(text, lambda name: False) for text in texts]
    total = int(n * POSTS_PER_MEMBER * days / 30)
    activity = rng.lognormal(0, 1.0, n)
    activity /= activity.sum()

    # Top-level posts, ids 1..P.
    count = int(total * POST_SHARE)
    author = rng.choice(n, count, p=activity)
    created = np.sort(rng.uniform(start, end - 60, count))
    audience = rng.choice(len(AUDIENCES), count, p=AUDIENCE_SHARES)
    circles = AUDIENCES.index("circles")
    post_circles = []
    for k in np.flatnonzero(audience == circles).tolist():
        owned = circles_of.get(int(author[k]))
        if owned:
            chosen = rng.choice(owned, min(len(owned), int(rng.integers(1, 3))), replace=False)
            post_circles += [(k + 1, int(c)) for c in chosen]
        else:
            audience[k] = AUDIENCES.index("friends")
    text_index = rng.integers(0, len(texts), count)
    stamps = _stamp(created)
    counts = {
        "posts": _insert(
            Post,
            [
                "id",
                "author_id",
                "audience",
                "text",
                "html",
                "created_at",
                "removed_by_moderator",
                "reply_policy",
            ],
            (
                (
                    k + 1,
                    int(author[k]) + 1,
                    AUDIENCES[audience[k]],
                    texts[text_index[k]],
                    html[text_index[k]],
                    stamps[k],
                    False,
                    "everyone",
                )
                for k in range(count)
            ),
        )
    }
    _insert(Post.circles.through, ["post_id", "circle_id"], post_circles)
    circles_by_post: dict[int, list[int]] = {}
    for post_id, circle_id in post_circles:
        circles_by_post.setdefault(post_id - 1, []).append(circle_id)

    # Replies: heavy-tailed threads under posts others can answer.
    answerable = audience != AUDIENCES.index("only_me")
    weight = rng.lognormal(0, 1.3, count) * answerable
    replies = int(total * (1 - POST_SHARE))
    root = np.sort(rng.choice(count, replies, p=weight / weight.sum()))
    delay = rng.exponential(3 * 3600, replies)
    when = np.minimum(created[root] + 30 + delay, end - 1)
    order = np.lexsort((when, root))
    root, when = root[order], when[order]
    replier = _pick_friend(rng, offsets, neighbours, author[root])
    for j in np.flatnonzero(audience[root] == circles).tolist():
        members = np.concatenate([in_circle[c] for c in circles_by_post[int(root[j])]])
        replier[j] = int(rng.choice(members))
    own = (replier < 0) | (rng.random(replies) < 0.1)
    replier = np.where(own, author[root], replier)
    # Each reply's place in its thread; 30% answer an earlier reply instead of the post.
    first = np.searchsorted(root, root)
    place = np.arange(replies) - first
    answer_reply = (place > 0) & (rng.random(replies) < 0.3)
    earlier = first + (rng.random(replies) * np.maximum(place, 1)).astype(np.int64)
    reply_ids = count + 1 + np.arange(replies)
    parent = np.where(answer_reply, reply_ids[np.minimum(earlier, replies - 1)], root + 1)
    text_index = rng.integers(0, len(texts), replies)
    stamps = _stamp(when)
    counts["replies"] = _insert(
        Post,
        ["id", "author_id", "parent_id", "root_id", "audience", "text", "html", "created_at",
         "removed_by_moderator", "reply_policy"],
        (
            (int(reply_ids[j]), int(replier[j]) + 1, int(parent[j]), int(root[j]) + 1,
             AUDIENCES[audience[root[j]]], texts[text_index[j]], html[text_index[j]], stamps[j],
             False, "everyone")
            for j in range(replies)
        ),
    )  # fmt: skip

    # Notifications of replies: to the parent's author and the post's author.
    parent_author = np.where(answer_reply, replier[np.minimum(earlier, replies - 1)], author[root])
    notes = []
    for recipients in (parent_author, np.where(parent_author != author[root], author[root], -1)):
        mask = (recipients >= 0) & (recipients != replier)
        notes.append((recipients[mask], replier[mask], reply_ids[mask], when[mask], "reply"))

    # Reactions from the author's friends on posts to friends, friends of friends, everyone.
    open_posts = np.flatnonzero(np.isin(audience, OPEN_AUDIENCES))
    per_post = rng.poisson(2.0, len(open_posts))
    reacted = np.repeat(open_posts, per_post)
    reactor = _pick_friend(rng, offsets, neighbours, author[reacted])
    keep = reactor >= 0
    reacted, reactor = reacted[keep], reactor[keep]
    pairs = np.unique(np.stack([reacted, reactor], 1), axis=0)
    reacted, reactor = pairs[:, 0], pairs[:, 1]
    reaction_time = np.minimum(created[reacted] + rng.exponential(4 * 3600, len(reacted)), end - 1)
    kinds = rng.choice(len(REACTION_KINDS), len(reacted), p=REACTION_SHARES)
    stamps = _stamp(reaction_time)
    counts["reactions"] = _insert(
        Reaction,
        ["post_id", "member_id", "kind", "created_at"],
        (
            (int(reacted[k]) + 1, int(reactor[k]) + 1, REACTION_KINDS[kinds[k]], stamps[k])
            for k in range(len(reacted))
        ),
    )
    notes.append((author[reacted], reactor, reacted + 1, reaction_time, "reaction"))

    counts["notifications"] = 0
    for recipients, actors, post_ids, at, kind in notes:
        created_text = _stamp(at)
        read_text = _stamp(at + 600)
        unread = at > end - SEEN_RECENTLY.total_seconds()
        counts["notifications"] += _insert(
            Notification,
            ["recipient_id", "actor_id", "kind", "post_id", "created_at", "read_at"],
            (
                (int(recipients[k]) + 1, int(actors[k]) + 1, kind, int(post_ids[k]),
                 created_text[k], None if unread[k] else read_text[k])
                for k in range(len(recipients))
            ),
        )  # fmt: skip
    return _Posts(counts=counts, author=author, audience=audience, created=created)


def _tokens_and_manifest(rng, n, offsets, neighbours, probe_index, posts, now, seed, members):
    degree = np.diff(offsets)
    ordinary = np.setdiff1d(np.arange(n), probe_index)
    if len(ordinary) > LOAD_MEMBERS:
        eligible = ordinary[degree[ordinary] >= 20]
        pool = eligible if len(eligible) >= LOAD_MEMBERS else ordinary
        load = np.sort(rng.choice(pool, LOAD_MEMBERS, replace=False))
    else:
        load = ordinary
    # Recent posts each load member may see: their friends' posts to friends or wider.
    open_audience = np.isin(posts.audience, OPEN_AUDIENCES)
    by_author = np.argsort(posts.author, kind="stable")
    author_sorted = posts.author[by_author]
    rows = []
    token_for: dict[int, str] = {}
    for i in [*load.tolist(), *probe_index]:
        token_for[i] = AccessToken.PREFIX + rng.bytes(24).hex()
    stamp = _stamp(np.array([now.timestamp()]))[0]
    _insert(
        AccessToken,
        ["member_id", "name", "digest", "hint", "created_at"],
        (
            (i + 1, "bench", hash_token(raw), raw[: len(AccessToken.PREFIX) + 4], stamp)
            for i, raw in token_for.items()
        ),
    )
    for i in load.tolist():
        friends = neighbours[offsets[i] : offsets[i + 1]]
        threads: list[int] = []
        for friend in rng.permutation(np.append(friends, i))[:40].tolist():
            lo, hi = np.searchsorted(author_sorted, [friend, friend + 1])
            theirs = by_author[lo:hi]
            theirs = theirs[open_audience[theirs]]
            if len(theirs):
                threads.append(int(theirs[np.argmax(posts.created[theirs])]) + 1)
            if len(threads) == 5:
                break
        rows.append(
            {"username": f"m{i + 1:07d}", "token": token_for[i], "friends": int(degree[i]),
             "threads": threads}
        )  # fmt: skip
    probes = {
        str(int(degree[i])): {
            "username": f"m{i + 1:07d}",
            "token": token_for[i],
            "friends": int(degree[i]),
        }
        for i in probe_index
    }
    return {
        "members": members,
        "seed": seed,
        "password": BENCH_PASSWORD,
        "generated_at": now.astimezone(UTC).isoformat(),
        "load_members": [row for row in rows if row["threads"]],
        "probes": probes,
    }


def _reset_sequences() -> None:
    """After explicit ids, PostgreSQL's sequences must start past them."""
    models = [Member, Friendship, Follow, Circle, CircleMember, Post, Post.circles.through,
              Reaction, Notification, AccessToken]  # fmt: skip
    statements = connection.ops.sequence_reset_sql(no_style(), models)
    with connection.cursor() as cursor:
        for statement in statements:
            cursor.execute(statement)


def write_manifest(result: SeedResult, path: Path) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(result.manifest, indent=1) + "\n")
