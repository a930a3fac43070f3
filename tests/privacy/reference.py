"""A reference model of who sees what, in plain Python.

Written from the rule in ``porch/posts/visibility.py``'s docstring (and the graph rules
in ``porch/graph/services.py``'s docstrings), without calling any Porch code, so that the
hypothesis tests compare two independent statements of the same rule:

* the author always sees their post;
* ``public``: everyone, logged out included;
* ``friends``: the author's friends;
* ``friends_of_friends``: the author's friends and the friends of those friends;
* ``circles``: the author's friends who are in one of the post's circles (removing a
  friend removes them from every circle; a deleted circle shares with nobody);
* ``only_me``: nobody else;
* a reply is visible exactly when its thread's root is.

The home feed: top-level posts, not deleted, that the viewer may see, by the viewer, a
friend or someone the viewer follows. Follows exist only towards public profiles; going
private ends them.

Members are small integers; ``None`` is the logged-out visitor.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field


@dataclass
class ModelPost:
    author: int
    audience: str
    circles: set[int]
    root: int | None  # index of the thread's root; None for a top-level post
    deleted: bool = False


@dataclass
class ModelCircle:
    owner: int
    members: set[int] = field(default_factory=set)


@dataclass
class Model:
    public_profile: dict[int, bool] = field(default_factory=dict)
    friendships: set[frozenset[int]] = field(default_factory=set)
    follows: set[tuple[int, int]] = field(default_factory=set)  # (follower, followee)
    circles: dict[int, ModelCircle] = field(default_factory=dict)  # key → circle
    posts: list[ModelPost] = field(default_factory=list)
    reactions: dict[tuple[int, int], str] = field(default_factory=dict)  # (post, member)

    # --- the graph ------------------------------------------------------------------
    def friends_of(self, m: int) -> set[int]:
        return {other for pair in self.friendships if m in pair for other in pair if other != m}

    def are_friends(self, a: int, b: int) -> bool:
        return frozenset((a, b)) in self.friendships

    def followees_of(self, m: int) -> set[int]:
        return {e for f, e in self.follows if f == m}

    def befriend(self, a: int, b: int) -> None:
        self.friendships.add(frozenset((a, b)))

    def unfriend(self, a: int, b: int) -> None:
        self.friendships.discard(frozenset((a, b)))
        for circle in self.circles.values():
            if circle.owner == a:
                circle.members.discard(b)
            if circle.owner == b:
                circle.members.discard(a)

    def set_public(self, m: int, public: bool) -> None:
        self.public_profile[m] = public
        if not public:
            self.follows = {(f, e) for f, e in self.follows if e != m}

    def delete_circle(self, key: int) -> None:
        del self.circles[key]
        for post in self.posts:
            post.circles.discard(key)

    # --- posts --------------------------------------------------------------------------
    def root_of(self, k: int) -> ModelPost:
        post = self.posts[k]
        return post if post.root is None else self.posts[post.root]

    def can_see(self, viewer: int | None, k: int) -> bool:
        root = self.root_of(k)
        author = root.author
        if viewer is None:
            return root.audience == "public"
        if viewer == author or root.audience == "public":
            return True
        friends = self.friends_of(author)
        if root.audience == "friends":
            return viewer in friends
        if root.audience == "friends_of_friends":
            return viewer in friends or any(viewer in self.friends_of(f) for f in friends)
        if root.audience == "circles":
            return viewer in friends and any(
                viewer in self.circles[c].members for c in root.circles if c in self.circles
            )
        return False  # only_me

    def feed(self, viewer: int) -> set[int]:
        people = {viewer} | self.friends_of(viewer) | self.followees_of(viewer)
        return {
            k
            for k, post in enumerate(self.posts)
            if post.root is None
            and not post.deleted
            and post.author in people
            and self.can_see(viewer, k)
        }

    def reaction_counts(self, k: int) -> dict[str, int]:
        return dict(Counter(kind for (post, _m), kind in self.reactions.items() if post == k))
