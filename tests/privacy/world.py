"""The fixture world of the privacy matrix, and the truth it must obey.

Ana posts once to every audience. The viewers stand to her in every relationship:

=====================  =======  ==============================================
relationship           member   how
=====================  =======  ==============================================
self                   Ana      the author (public profile, so she can be followed)
friend_in_circle       Ben      Ana's friend, in her circle "Family"
friend_not_in_circle   Cy       Ana's friend, in no circle
friend_of_friend       Dee      Ben's friend only
follower               Eve      follows Ana; no friendship anywhere
stranger               Fay      a member with no ties at all
blocked_by_author      Gus      was Ana's friend, in "Family"; Ana blocked him
blocking_author        Hal      was Ana's friend and followed her; he blocked Ana
logged_out             —        no session, no token
=====================  =======  ==============================================

Every thread has a root by Ana (edited once, so it has a history), a reply (by Ben
where he can see the root, else by Ana herself: the ``only_me`` post) and a nested
reply by Ana under that reply. Every text is a unique token, so "did this viewer learn
anything about the post" is "does any response body contain one of its tokens".
Texts mention the other viewers, so notifications are exercised too.

``VISIBLE`` is the truth, written out by hand from the product rules — not computed by
Porch code — and every surface is judged against it.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field

from django.contrib.auth.models import AnonymousUser

from porch.accounts.models import Member
from porch.accounts.services import do_create_token
from porch.graph.services import (
    do_accept_friend_request,
    do_add_to_circle,
    do_block,
    do_create_circle,
    do_follow,
    do_send_friend_request,
)
from porch.posts.models import Audience, Post
from porch.posts.services import do_create_post, do_edit_post, do_react, do_reply

AUDIENCES = (
    Audience.ONLY_ME.value,
    Audience.CIRCLES.value,
    Audience.FRIENDS.value,
    Audience.FRIENDS_OF_FRIENDS.value,
    Audience.PUBLIC.value,
)
RELATIONSHIPS = (
    "self",
    "friend_in_circle",
    "friend_not_in_circle",
    "friend_of_friend",
    "follower",
    "stranger",
    "blocked_by_author",
    "blocking_author",
    "logged_out",
)
NAMES = {
    "self": "ana",
    "friend_in_circle": "ben",
    "friend_not_in_circle": "cy",
    "friend_of_friend": "dee",
    "follower": "eve",
    "stranger": "fay",
    "blocked_by_author": "gus",
    "blocking_author": "hal",
}
# A block works both ways and beats every audience, public included.
BLOCKED = frozenset({"blocked_by_author", "blocking_author"})

# --- The truth ------------------------------------------------------------------------
# Who may see each audience's post (and, through it, every reply in its thread).
VISIBLE: dict[str, frozenset[str]] = {
    "only_me": frozenset({"self"}),
    "circles": frozenset({"self", "friend_in_circle"}),
    "friends": frozenset({"self", "friend_in_circle", "friend_not_in_circle"}),
    "friends_of_friends": frozenset(
        {"self", "friend_in_circle", "friend_not_in_circle", "friend_of_friend"}
    ),
    "public": frozenset(RELATIONSHIPS) - BLOCKED,
}
# Whose posts the home feed may hold: the viewer's own, friends' and followees'.
FEED_PEOPLE = frozenset({"self", "friend_in_circle", "friend_not_in_circle", "follower"})
# Who reacts in the fixture world (where they can see the post), and how.
REACTORS = {"friend_in_circle": "heart", "friend_not_in_circle": "laugh", "friend_of_friend": "wow"}

SHORT = {
    "only_me": "me",
    "circles": "circ",
    "friends": "fr",
    "friends_of_friends": "fof",
    "public": "pub",
}
ROLES = ("post", "old", "reply", "nested")


def visible(audience: str, relationship: str) -> bool:
    return relationship in VISIBLE[audience]


def in_feed(audience: str, relationship: str) -> bool:
    return visible(audience, relationship) and relationship in FEED_PEOPLE


def expected_reaction_counts(audience: str) -> dict[str, int]:
    return {kind: 1 for rel, kind in REACTORS.items() if visible(audience, rel)}


def token(prefix: str, audience: str, role: str) -> str:
    """A unique, greppable text; no token is a substring of another."""
    digest = hashlib.sha256(f"{prefix}/{audience}/{role}".encode()).hexdigest()[:6]
    return f"secret-{prefix}{SHORT[audience]}-{role}-{digest}"


# --- The world ------------------------------------------------------------------------
@dataclass
class Thread:
    audience: str
    root: Post
    reply: Post
    nested: Post
    tokens: dict[str, str]

    @property
    def posts(self) -> list[Post]:
        return [self.root, self.reply, self.nested]

    @property
    def pks(self) -> set[int]:
        return {p.pk for p in self.posts}

    @property
    def reply_pks(self) -> set[int]:
        return {self.reply.pk, self.nested.pk}


@dataclass
class World:
    prefix: str
    members: dict[str, Member]
    threads: dict[str, Thread]
    family: object
    api_tokens: dict[str, str] = field(default_factory=dict)
    # Logged-in test clients per relationship (their sessions live in the database).
    clients: dict[str, object] = field(default_factory=dict)
    # How a refusal of a post id that does not exist looks, per viewer and route.
    missing_responses: dict[tuple, object] = field(default_factory=dict)
    # The shared (read-only) world remembers each surface's answer per cell, so the
    # agreement check does not ask every surface twice. None: do not remember.
    observed: dict[tuple[str, str, str], bool] | None = None
    # GET responses per viewer and path. Valid while the world does not change: every
    # writing surface rolls back, and a test that changes the world calls forget().
    responses: dict[tuple, object] = field(default_factory=dict)

    def forget(self) -> None:
        """Drop what was remembered about responses (after the world changed)."""
        self.responses.clear()
        self.missing_responses.clear()
        if self.observed is not None:
            self.observed.clear()

    @property
    def ana(self) -> Member:
        return self.members["self"]

    def viewer(self, relationship: str):
        if relationship == "logged_out":
            return AnonymousUser()
        return self.members[relationship]

    def refresh(self) -> None:
        """Reload members from the database (after a test changed them)."""
        for member in self.members.values():
            member.refresh_from_db()

    def tokens_of(self, audience: str) -> set[str]:
        return set(self.threads[audience].tokens.values())

    def forbidden_tokens(self, relationship: str, truth=visible) -> set[str]:
        """Every text ``relationship`` must never receive, in any response."""
        out: set[str] = set()
        for audience in self.threads:
            if not truth(audience, relationship):
                out |= self.tokens_of(audience)
        return out


def _befriend(a: Member, b: Member) -> None:
    do_send_friend_request(a, b)
    do_accept_friend_request(b, a)


def build_world(prefix: str = "") -> World:
    """Create the fixture world. ``prefix`` keeps usernames and texts apart when a test
    builds a second world next to the shared one."""

    def member(rel: str, **fields) -> Member:
        name = NAMES[rel]
        # No password: hashing with argon2 would only slow the matrix down; the web
        # surface logs in with force_login and the API with a bearer token.
        return Member.objects.create_user(
            username=prefix + name, password=None, display_name=name.capitalize(), **fields
        )

    members = {
        "self": member("self", is_public_profile=True),
        "friend_in_circle": member("friend_in_circle"),
        "friend_not_in_circle": member("friend_not_in_circle"),
        "friend_of_friend": member("friend_of_friend"),
        "follower": member("follower"),
        "stranger": member("stranger"),
        "blocked_by_author": member("blocked_by_author"),
        "blocking_author": member("blocking_author", is_public_profile=True),
    }
    ana, ben, cy, dee, eve = (members[r] for r in RELATIONSHIPS[:5])
    _befriend(ana, ben)
    _befriend(ana, cy)
    _befriend(ben, dee)
    do_follow(eve, ana)
    family = do_create_circle(ana, "Family")
    do_add_to_circle(ana, family, ben)
    gus, hal = members["blocked_by_author"], members["blocking_author"]
    _befriend(ana, gus)
    do_add_to_circle(ana, family, gus)
    _befriend(hal, ana)
    do_follow(hal, ana)

    def at(*rels: str) -> str:
        return " ".join(f"@{members[r].username}" for r in rels)

    threads: dict[str, Thread] = {}
    for audience in AUDIENCES:
        tokens = {role: token(prefix, audience, role) for role in ROLES}
        # Mentions in the first version notify Ben, Cy and Dee (where they can see it);
        # the edit newly mentions Eve and Fay: both notification paths are exercised.
        root = do_create_post(
            ana,
            text=f"{tokens['old']} {at('friend_in_circle', 'friend_not_in_circle', 'friend_of_friend')}",
            audience=audience,
            circle_ids=[family.pk] if audience == Audience.CIRCLES else None,
        )
        root = do_edit_post(
            ana,
            root,
            text=f"{tokens['post']} "
            + at(
                "friend_in_circle",
                "friend_not_in_circle",
                "friend_of_friend",
                "follower",
                "stranger",
            ),
        )
        replier = ben if visible(audience, "friend_in_circle") else ana
        reply = do_reply(
            replier,
            root,
            text=f"{tokens['reply']} "
            + at("friend_not_in_circle", "friend_of_friend", "follower", "stranger"),
        )
        nested = do_reply(ana, reply, text=tokens["nested"])
        for rel, kind in REACTORS.items():
            if visible(audience, rel):
                do_react(members[rel], root, kind)
        threads[audience] = Thread(audience, root, reply, nested, tokens)

    # The blocks come after everything was shared with them.
    do_block(ana, gus)
    do_block(hal, ana)
    world = World(prefix=prefix, members=members, threads=threads, family=family)
    for rel, m in members.items():
        _, raw = do_create_token(m, "privacy matrix")
        world.api_tokens[rel] = raw
    return world
