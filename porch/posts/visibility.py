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
from django.db.models import Exists, OuterRef, Q, QuerySet
from django.db.models.functions import Coalesce

from porch.graph.blocks import blocked_ids
from porch.graph.models import CircleMember, Friendship
from porch.id_lists import IdList

from .models import Audience, Post


def _is_member(viewer) -> bool:
    return viewer is not None and not isinstance(viewer, AnonymousUser) and viewer.is_authenticated


def _viewer_graph(viewer) -> tuple[IdList, IdList]:
    """The viewer's friends and the people on either side of a block with them: read
    once per rule (two indexed queries) and written into the SQL as lists, which is far
    cheaper for Django to build and for the database to plan than the same subqueries
    repeated in every branch of the rule."""
    if not _is_member(viewer):
        return IdList(()), IdList(())
    friends = Friendship.objects.filter(member_id=viewer.pk).values_list("friend_id", flat=True)
    return IdList(friends), IdList(blocked_ids(viewer))


def _audience_rule(viewer, friends: IdList, blocked: IdList) -> Q:
    """A Q over a *top-level* post's own fields saying whether ``viewer`` may see it."""
    unlimited = Q(author__limited_at__isnull=True)
    public = Q(audience=Audience.PUBLIC) & unlimited
    if not _is_member(viewer):
        return public
    rule = Q(author_id=viewer.pk) | public
    if friends:
        friends_of_friends = Friendship.objects.filter(member_id__in=friends).values("friend_id")
        in_shared_circle = Exists(
            CircleMember.objects.filter(member_id=viewer.pk, circle__posts=OuterRef("pk"))
        )
        widest = [Audience.PUBLIC, Audience.FRIENDS_OF_FRIENDS, Audience.FRIENDS]
        rule |= (
            Q(audience__in=widest, author_id__in=friends)
            | (
                Q(audience=Audience.FRIENDS_OF_FRIENDS, author_id__in=friends_of_friends)
                & unlimited
            )
            | (Q(audience=Audience.CIRCLES, author_id__in=friends) & in_shared_circle)
        )
    if blocked:
        rule = ~Q(author_id__in=blocked) & rule
    return rule


def _roots_under(rule: Q) -> QuerySet[Post]:
    return Post.objects.filter(root__isnull=True, author__is_active=True).filter(rule)


def visible_roots(viewer) -> QuerySet[Post]:
    """Top-level posts ``viewer`` may see (deleted ones included; callers filter)."""
    return _built("roots", viewer, *_viewer_graph(viewer))


def visible_to(viewer) -> QuerySet[Post]:
    """Posts and replies ``viewer`` may see (deleted ones included; callers filter)."""
    return _built("posts", viewer, *_viewer_graph(viewer))


# Building the rule's querysets costs Django about 2 ms, several times a request; the
# result depends only on the viewer and the two lists just read. So each server thread
# keeps the last few it built, keyed by exactly those, and hands out clones: a change
# to a member's friends or blocks changes the key, so nothing stale is ever used.
# Per thread, so no queryset is ever compiled by two threads at once.
_KEEP_BUILT = 16
_built_here = threading.local()


def _built(kind: str, viewer, friends: IdList, blocked: IdList) -> QuerySet[Post]:
    key = (kind, viewer.pk if _is_member(viewer) else None, friends.ids, blocked.ids)
    kept = getattr(_built_here, "querysets", None)
    if kept is None:
        kept = _built_here.querysets = OrderedDict()
    queryset = kept.get(key)
    if queryset is None:
        build = _build_roots if kind == "roots" else _build_posts
        queryset = kept[key] = build(viewer, friends, blocked)
        if len(kept) > _KEEP_BUILT:
            kept.popitem(last=False)
    else:
        kept.move_to_end(key)
    return queryset.all()


def _build_roots(viewer, friends: IdList, blocked: IdList) -> QuerySet[Post]:
    return _roots_under(_audience_rule(viewer, friends, blocked))


def _build_posts(viewer, friends: IdList, blocked: IdList) -> QuerySet[Post]:
    rule = _audience_rule(viewer, friends, blocked)  # built once, for roots and replies' roots
    # Every post is checked through its thread's first post (a top-level post is its own),
    # row by row (an indexed lookup of one root), never by listing every root the viewer
    # may see: that list is the whole site for a member with many friends, and most
    # callers ask about a page of posts. The rule is built into the SQL once.
    visible_root = Exists(
        _roots_under(rule).filter(pk=Coalesce(OuterRef("root_id"), OuterRef("pk")))
    )
    posts = Post.objects.filter(visible_root, author__is_active=True)
    hidden = Q(hidden_at__isnull=False)
    limited_reply = Q(root__isnull=False, author__limited_at__isnull=False)
    if _is_member(viewer):
        if blocked:
            posts = posts.exclude(author_id__in=blocked)  # their replies elsewhere
        hidden &= ~Q(author_id=viewer.pk) & ~Q(root__author_id=viewer.pk)
        limited_reply &= ~Q(author_id=viewer.pk) & ~Q(root__author_id=viewer.pk)
        if friends:
            limited_reply &= ~Q(author_id__in=friends)
    return posts.exclude(hidden | limited_reply)


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
