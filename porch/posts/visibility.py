"""The one place that decides which posts a viewer may see.

Every surface — pages, the API, the home feed, profiles, threads, notifications,
reaction lists — asks this module. Nothing else in Porch compares audiences.

The rule, for a top-level post P by author A and a viewer V:

* V is A: always.
* ``public``: everyone, logged out included.
* ``friends``: V is A's friend.
* ``friends_of_friends``: V is A's friend, or a friend of one of A's friends.
* ``circles``: V is A's friend *and* in one of the circles P was shared with.
  (Removing a friend removes them from every circle; a deleted circle shares with
  nobody — the rule fails closed.)
* ``only_me``: nobody else.

A reply has no audience of its own: it is visible exactly when its thread's root is.
So a reply can never widen, or narrow, what its root's audience may read.

A deactivated member's posts and replies are seen by nobody, and neither is anything
in a thread whose root they wrote.

A reply the thread's author hid is seen only by its own author and the thread's author.

A member a moderator *limited* reaches only their friends: their public and
friends-of-friends posts count as friends-only, and their replies in others' threads
are seen by their friends, themselves and the thread's author.

A block works both ways: when V blocked A or A blocked V, V sees no post and no reply
by A, whatever the audience, and nothing in a thread whose root A wrote.
"""

from __future__ import annotations

import threading
from collections import OrderedDict

from django.contrib.auth.models import AnonymousUser
from django.db.models import BooleanField, Expression, F, Q, QuerySet

from porch.accounts.models import Member
from porch.compiled import ID, IDS
from porch.graph.models import CircleMember, Friendship
from porch.graph.reads import blocked_ids, friend_ids
from porch.id_lists import IdList

from .models import Audience, Post


def _is_member(viewer) -> bool:
    return viewer is not None and not isinstance(viewer, AnonymousUser) and viewer.is_authenticated


def viewer_graph(viewer) -> tuple[IdList, IdList]:
    """The viewer's friends and the people on either side of a block with them: read
    once per rule (two indexed queries) and written into the SQL as lists, which is far
    cheaper for Django to build and for the database to plan than the same subqueries
    repeated in every branch of the rule."""
    if not _is_member(viewer):
        return IdList(()), IdList(())
    return IdList(friend_ids(viewer)), IdList(blocked_ids(viewer))


class _AudienceRule(Expression):
    """Whether ``viewer`` may see a *top-level* post, as one SQL condition over the
    post's author, audience, id and its author's ``limited_at`` (expressions of the
    query it is used in, so Django relabels them when that query nests).

    Written as SQL, not built from Q objects: the same rule built by the ORM cost
    Django about 4 ms to build and compile at every use, several uses a request, for a
    query that runs in a fraction of a millisecond. The privacy tests (tests/privacy)
    check it against an independent model of the rule."""

    output_field = BooleanField()

    def __init__(self, viewer_id, friends: IdList, blocked: IdList, *columns):
        super().__init__()
        self.viewer_id, self.friends, self.blocked = viewer_id, friends, blocked
        self.columns = list(columns)  # author_id, audience, id, author's limited_at

    def get_source_expressions(self):
        return self.columns

    def set_source_expressions(self, exprs):
        self.columns = list(exprs)

    def as_sql(self, compiler, connection):
        compiled = [compiler.compile(column) for column in self.columns]
        if any(column_params for _, column_params in compiled):
            # Each column appears several times in the rule, so none may carry
            # parameters: they are plain columns.
            raise ValueError("the audience rule takes columns, not values")
        author, audience, post, limited = (sql for sql, _ in compiled)
        return _audience_sql(
            connection, self.viewer_id, self.friends, self.blocked, author, audience, post, limited
        )


def _audience_sql(connection, viewer_id, friends, blocked, author, audience, post, limited):
    """The rule's SQL and parameters, given the SQL of the post's columns."""
    q = connection.ops.quote_name
    friendship, circle_member = Friendship._meta, CircleMember._meta
    post_circles = Post.circles.through._meta
    public = f"({audience} = %s AND {limited} IS NULL)"
    if viewer_id is None:
        return public, [Audience.PUBLIC]
    branches = [f"{author} = %s", public]
    params: list = [viewer_id, Audience.PUBLIC]
    if friends:
        friend_list = friends.sql
        in_shared_circle = (
            f"EXISTS (SELECT 1 FROM {q(post_circles.db_table)} porch_pc"  # noqa: S608 - quoted names, ids
            f" INNER JOIN {q(circle_member.db_table)} porch_cm"
            f" ON porch_cm.{q('circle_id')} = porch_pc.{q('circle_id')}"
            f" WHERE porch_pc.{q('post_id')} = {post} AND porch_cm.{q('member_id')} = %s)"
        )
        # Asked of the post's author (one index probe per friend of the viewer), not by
        # listing every friend of every friend, which the database built in full (ten
        # thousand rows for a member with a hundred friends) for a single such post.
        author_is_a_friends_friend = (
            f"EXISTS (SELECT 1 FROM {q(friendship.db_table)} porch_ff"  # noqa: S608 - quoted names, ids
            f" WHERE porch_ff.{q('friend_id')} = {author}"
            f" AND porch_ff.{q('member_id')} IN {friend_list})"
        )
        branches += [
            f"({author} IN {friend_list} AND ({audience} IN (%s, %s, %s)"
            f" OR ({audience} = %s AND {in_shared_circle})))",
            f"({audience} = %s AND {limited} IS NULL AND {author_is_a_friends_friend})",
        ]
        params += [
            Audience.PUBLIC,
            Audience.FRIENDS_OF_FRIENDS,
            Audience.FRIENDS,
            Audience.CIRCLES,
            viewer_id,
            Audience.FRIENDS_OF_FRIENDS,
        ]
    rule = "(" + " OR ".join(branches) + ")"
    if blocked:
        rule = f"({author} NOT IN {blocked.sql} AND {rule})"
    return rule, params


# The kinds of the rule's inputs, for a ``CompiledQuery`` built from them.
RULE_INPUTS = {"viewer_id": ID, "friends": IDS, "blocked": IDS}


def rule_inputs(viewer) -> dict:
    """The rule's inputs for ``viewer``, by name, for a query built once from them
    (``porch.compiled``, with ``roots_visible_to`` and ``posts_visible_to``)."""
    friends, blocked = viewer_graph(viewer)
    return {"viewer_id": _viewer_id(viewer), "friends": friends, "blocked": blocked}


def _viewer_id(viewer):
    return viewer.pk if _is_member(viewer) else None


class _VisibleRoot(Expression):
    """Whether the thread a post belongs to (the post itself, if top-level) starts with
    a post ``viewer`` may see by its author and audience (``_AudienceRule``), written by
    an active member."""

    output_field = BooleanField()

    def __init__(self, viewer_id, friends: IdList, blocked: IdList, root_id, pk):
        super().__init__()
        self.viewer_id, self.friends, self.blocked = viewer_id, friends, blocked
        self.root_id, self.pk = root_id, pk

    def get_source_expressions(self):
        return [self.root_id, self.pk]

    def set_source_expressions(self, exprs):
        self.root_id, self.pk = exprs

    def as_sql(self, compiler, connection):
        q = connection.ops.quote_name
        root_id, root_params = compiler.compile(self.root_id)
        pk, pk_params = compiler.compile(self.pk)
        rule, rule_params = _audience_sql(
            connection,
            self.viewer_id,
            self.friends,
            self.blocked,
            f"porch_root.{q('author_id')}",
            f"porch_root.{q('audience')}",
            f"porch_root.{q('id')}",
            f"porch_root_author.{q('limited_at')}",
        )
        sql = (
            f"EXISTS (SELECT 1 FROM {q(Post._meta.db_table)} porch_root"  # noqa: S608 - quoted names, ids
            f" INNER JOIN {q(Member._meta.db_table)} porch_root_author"
            f" ON porch_root_author.{q('id')} = porch_root.{q('author_id')}"
            f" WHERE porch_root.{q('id')} = COALESCE({root_id}, {pk})"
            f" AND porch_root.{q('root_id')} IS NULL AND porch_root_author.{q('is_active')}"
            f" AND {rule})"
        )
        return sql, (*root_params, *pk_params, *rule_params)


def visible_roots(viewer) -> QuerySet[Post]:
    """Top-level posts ``viewer`` may see (deleted ones included; callers filter)."""
    return _built("roots", viewer, *viewer_graph(viewer))


def visible_to(viewer) -> QuerySet[Post]:
    """Posts and replies ``viewer`` may see (deleted ones included; callers filter)."""
    return _built("posts", viewer, *viewer_graph(viewer))


# Building the rule's querysets costs Django about 0.5 ms (2 ms when the rule was built
# from Q objects), several times a request; the result depends only on the viewer and
# the two lists just read. So each server thread
# keeps the last few it built, keyed by exactly those, and hands out clones: a change
# to a member's friends or blocks changes the key, so nothing stale is ever used.
# Per thread, so no queryset is ever compiled by two threads at once.
_KEEP_BUILT = 16
_built_here = threading.local()


def _built(kind: str, viewer, friends: IdList, blocked: IdList) -> QuerySet[Post]:
    viewer_id = _viewer_id(viewer)
    key = (kind, viewer_id, friends.ids, blocked.ids)
    kept = getattr(_built_here, "querysets", None)
    if kept is None:
        kept = _built_here.querysets = OrderedDict()
    queryset = kept.get(key)
    if queryset is None:
        build = roots_visible_to if kind == "roots" else posts_visible_to
        queryset = kept[key] = build(viewer_id, friends, blocked)
        if len(kept) > _KEEP_BUILT:
            kept.popitem(last=False)
    else:
        kept.move_to_end(key)
    return queryset.all()


def roots_visible_to(viewer_id, friends: IdList, blocked: IdList) -> QuerySet[Post]:
    """``visible_roots`` from its inputs: the viewer's id (None: a visitor), and their
    friends and the people on either side of a block with them (``viewer_graph``).
    For ``porch.compiled``, which builds a statement once from stand-in inputs."""
    rule = _AudienceRule(
        viewer_id,
        friends,
        blocked,
        F("author_id"),
        F("audience"),
        F("pk"),
        F("author__limited_at"),
    )
    return Post.objects.filter(root__isnull=True, author__is_active=True).filter(rule)


def posts_visible_to(viewer_id, friends: IdList, blocked: IdList) -> QuerySet[Post]:
    """``visible_to`` from its inputs (see ``roots_visible_to``)."""
    # Every post is checked through its thread's first post (a top-level post is its own),
    # row by row (an indexed lookup of one root), never by listing every root the viewer
    # may see: that list is the whole site for a member with many friends, and most
    # callers ask about a page of posts. The rule is written into the SQL once.
    visible_root = _VisibleRoot(viewer_id, friends, blocked, F("root_id"), F("pk"))
    posts = Post.objects.filter(visible_root, author__is_active=True)
    hidden = Q(hidden_at__isnull=False)
    if viewer_id is not None:
        if blocked:
            posts = posts.exclude(author_id__in=blocked)  # their replies elsewhere
        hidden &= ~Q(author_id=viewer_id) & ~Q(root__author_id=viewer_id)
    return posts.exclude(hidden | limited_replies(viewer_id, friends, ""))


def limited_replies(viewer_id, friends: IdList, path: str) -> Q:
    """Replies by a member a moderator limited that the viewer (``viewer_id``, None for
    a visitor) may not see: all of them but their own, those in the viewer's threads and
    those by the viewer's friends. ``path``: from the model queried to the reply (""
    when it is the reply itself). Reply counts leave them out too
    (``posts.services.annotate_reply_counts``), so a count never counts a reply the
    viewer cannot read."""
    rule = Q(**{f"{path}root__isnull": False, f"{path}author__limited_at__isnull": False})
    if viewer_id is not None:
        rule &= ~Q(**{f"{path}author_id": viewer_id}) & ~Q(**{f"{path}root__author_id": viewer_id})
        if friends:
            rule &= ~Q(**{f"{path}author_id__in": friends})
    return rule


def can_see(viewer, post: Post) -> bool:
    """Whether ``viewer`` may see ``post``: the same rule, asked of one post (not asked
    again of a post that was just read through it for the same viewer)."""
    if _is_member(viewer) and getattr(post, CHECKED_FOR, None) == viewer.pk:
        return True
    return visible_to(viewer).filter(pk=post.pk).exists()


# Set by ``posts.services.access_post`` on the post it read through ``visible_to``: the
# member it was read for. A service called later in the same request with that object
# (replying, reacting) then needs no second query to know the member may see it.
CHECKED_FOR = "_visible_to_member"


def mark_checked(post: Post, viewer) -> Post:
    if _is_member(viewer):
        setattr(post, CHECKED_FOR, viewer.pk)
    return post
