"""Hypothesis: Porch's visibility and feed against a plain-Python reference model.

``reference.Model`` restates the rule from ``porch/posts/visibility.py``'s docstring
without calling Porch. Two tests compare them:

* random small worlds (3 to 6 members, friendships, follows of public profiles, circles of
  friends, posts to every audience, replies by members who can see the root): for
  every viewer (the logged-out visitor included) and every post, ``can_see`` and
  ``visible_to`` agree with the model, and the home feed holds exactly the model's feed;
* a state machine that befriends, unfriends, edits circles, follows, goes private,
  posts, replies, reacts, edits and deletes, and after every step compares every
  member's visible set, feed, notifications and reaction counts with the model. Steps
  the services must refuse are tried too, and must be refused with the right error.

Each example runs in a savepoint that is rolled back, so each starts from a clean
database.
"""

from __future__ import annotations

from contextlib import contextmanager
from itertools import combinations

import pytest
from django.contrib.auth.models import AnonymousUser
from django.db import transaction
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from hypothesis.stateful import (
    RuleBasedStateMachine,
    initialize,
    invariant,
    precondition,
    rule,
    run_state_machine_as_test,
)

from porch.accounts.models import Member
from porch.accounts.services import do_update_profile
from porch.errors import Conflict, InvalidInput, NotAllowed, NotFound
from porch.feed.services import home_feed
from porch.graph.models import Circle
from porch.graph.services import (
    do_accept_friend_request,
    do_add_to_circle,
    do_create_circle,
    do_delete_circle,
    do_follow,
    do_remove_from_circle,
    do_send_friend_request,
    do_unfollow,
    do_unfriend,
)
from porch.notifications.services import list_notifications
from porch.posts.models import Post, ReactionKind
from porch.posts.services import (
    do_create_post,
    do_delete_post,
    do_edit_post,
    do_react,
    do_reply,
    reaction_summaries,
)
from porch.posts.visibility import can_see, visible_to

from .reference import Model, ModelCircle, ModelPost

AUDIENCES = ["only_me", "circles", "friends", "friends_of_friends", "public"]
HYPOTHESIS = {
    "deadline": None,
    "suppress_health_check": [HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
}


@contextmanager
def rolled_back():
    with transaction.atomic():
        yield
        transaction.set_rollback(True)


def new_member(prefix: str, i: int, public: bool) -> Member:
    return Member.objects.create_user(
        username=f"{prefix}{i}", password=None, is_public_profile=public
    )


def befriend(a: Member, b: Member) -> None:
    do_send_friend_request(a, b)
    do_accept_friend_request(b, a)


def name(v: int | None) -> str:
    return "visitor" if v is None else f"member {v}"


def describe(model: Model) -> str:
    """The model's world in one line, for failure messages."""
    friends = sorted(tuple(sorted(p)) for p in model.friendships)
    circles = {k: (c.owner, sorted(c.members)) for k, c in model.circles.items()}
    posts = [
        (k, p.author, p.audience, sorted(p.circles), p.root, p.deleted)
        for k, p in enumerate(model.posts)
    ]
    return (
        f"public={model.public_profile} friends={friends} follows={sorted(model.follows)} "
        f"circles(owner, members)={circles} posts(k, author, audience, circles, root, "
        f"deleted)={posts}"
    )


# --- Random small worlds ----------------------------------------------------------------
def build_random_world(data) -> tuple[Model, list[Member], list[Post]]:
    """Draw a small world, build it through the services and the model side by side."""
    model = Model()
    n = data.draw(st.integers(3, 6), label="members")
    publics = data.draw(st.lists(st.booleans(), min_size=n, max_size=n), label="public")
    members = [new_member("h", i, p) for i, p in enumerate(publics)]
    model.public_profile = dict(enumerate(publics))

    pairs = list(combinations(range(n), 2))
    on = data.draw(st.lists(st.booleans(), min_size=len(pairs), max_size=len(pairs)), "friends")
    for (a, b), yes in zip(pairs, on, strict=True):
        if yes:
            befriend(members[a], members[b])
            model.befriend(a, b)

    followable = [(f, e) for f in range(n) for e in range(n) if f != e and publics[e]]
    on = data.draw(
        st.lists(st.booleans(), min_size=len(followable), max_size=len(followable)), "follows"
    )
    for (f, e), yes in zip(followable, on, strict=True):
        if yes:
            do_follow(members[f], members[e])
            model.follows.add((f, e))

    for owner in range(n):
        for c in range(data.draw(st.integers(0, 2), label=f"circles of {owner}")):
            circle = do_create_circle(members[owner], f"c{c}")
            model.circles[circle.pk] = ModelCircle(owner)
            friends = sorted(model.friends_of(owner))
            chosen = (
                data.draw(st.lists(st.sampled_from(friends), unique=True), "circle members")
                if friends
                else []
            )
            for m in chosen:
                do_add_to_circle(members[owner], circle, members[m])
                model.circles[circle.pk].members.add(m)

    posts: list[Post] = []
    specs = data.draw(
        st.lists(
            st.tuples(st.integers(0, n - 1), st.sampled_from(AUDIENCES)), min_size=1, max_size=6
        ),
        "posts",
    )
    for author, audience in specs:
        owned = sorted(k for k, c in model.circles.items() if c.owner == author)
        chosen: list[int] = []
        if audience == "circles":
            if not owned:
                with pytest.raises(InvalidInput):
                    do_create_post(members[author], text="x", audience=audience, circle_ids=[])
                continue
            chosen = data.draw(
                st.lists(st.sampled_from(owned), min_size=1, unique=True), "post circles"
            )
        posts.append(
            do_create_post(
                members[author], text=f"post {len(posts)}", audience=audience, circle_ids=chosen
            )
        )
        model.posts.append(ModelPost(author, audience, set(chosen), None))

    specs = data.draw(
        st.lists(st.tuples(st.integers(0, n - 1), st.integers(0, 10**6)), max_size=6), "replies"
    )
    for replier, pick in specs:
        if not posts:
            break
        k = pick % len(posts)
        if model.can_see(replier, k):
            posts.append(do_reply(members[replier], posts[k], text=f"reply {len(posts)}"))
            root = model.posts[k].root if model.posts[k].root is not None else k
            model.posts.append(ModelPost(replier, model.posts[root].audience, set(), root))
        else:
            with pytest.raises(NotFound):
                do_reply(members[replier], posts[k], text="not allowed")
    return model, members, posts


@settings(max_examples=40, **HYPOTHESIS)
@given(data=st.data())
def test_can_see_and_the_feed_match_the_reference_model(db, data):
    with rolled_back():
        model, members, posts = build_random_world(data)
        world = describe(model)
        for v in [None, *range(len(members))]:
            viewer = AnonymousUser() if v is None else members[v]
            for k, post in enumerate(posts):
                assert can_see(viewer, post) == model.can_see(v, k), (
                    f"can_see({name(v)}, post {k}) is {not model.can_see(v, k)}; {world}"
                )
            got = set(visible_to(viewer).filter(author__in=members).values_list("pk", flat=True))
            want = {posts[k].pk for k in range(len(posts)) if model.can_see(v, k)}
            assert got == want, f"visible_to({name(v)}) is off by {got ^ want}; {world}"
            if v is not None:
                page = home_feed(viewer, limit=100)
                feed = [p.pk for p in page.posts]
                assert len(feed) == len(set(feed)) and page.at_end
                want = {posts[k].pk for k in model.feed(v)}
                assert set(feed) == want, (
                    f"home_feed({name(v)}) is off by {set(feed) ^ want}; {world}"
                )


# --- The state machine ------------------------------------------------------------------
# Three members and one circle each from the start keep the machine's steps dense: the
# interesting sequences (befriend, add to a circle, post to it, unfriend, befriend again)
# come up within a few dozen examples.
N_MEMBERS = 3
member = st.integers(0, N_MEMBERS - 1)
pick = st.integers(0, 10**6)


class PrivacyMachine(RuleBasedStateMachine):
    """Porch and the reference model, driven through the same steps."""

    def __init__(self):
        super().__init__()
        self._savepoint = transaction.atomic()
        self._savepoint.__enter__()
        self.model = Model()
        self.members: list[Member] = []
        self.posts: list[Post] = []
        self.circles: dict[int, Circle] = {}

    def teardown(self):
        transaction.set_rollback(True)
        self._savepoint.__exit__(None, None, None)

    # --- helpers ------------------------------------------------------------------------
    def post_pk(self, k: int) -> int:
        return self.posts[k].pk

    def fresh(self, k: int) -> Post:
        return Post.objects.get(pk=self.post_pk(k))

    def owned(self, owner: int) -> list[int]:
        return sorted(key for key, c in self.model.circles.items() if c.owner == owner)

    def pairs(self, friends: bool) -> list[tuple[int, int]]:
        return [
            (a, b)
            for a, b in combinations(range(len(self.members)), 2)
            if self.model.are_friends(a, b) == friends
        ]

    def seeable(self) -> list[tuple[int, int]]:
        """(member, post) where the member may see the post and it is not deleted."""
        return [
            (m, k)
            for k, p in enumerate(self.model.posts)
            if not p.deleted
            for m in range(len(self.members))
            if self.model.can_see(m, k)
        ]

    # Each rule takes a step the services must accept, picked among the steps that make
    # sense now (so sequences such as befriend → add to circle → post → unfriend →
    # befriend again come up often); ``refused`` tries the steps they must refuse.

    # --- the graph ----------------------------------------------------------------------
    @initialize(publics=st.lists(st.booleans(), min_size=N_MEMBERS, max_size=N_MEMBERS))
    def make_members(self, publics):
        self.members = [new_member("s", i, p) for i, p in enumerate(publics)]
        self.model.public_profile = dict(enumerate(publics))
        for owner, m in enumerate(self.members):
            circle = do_create_circle(m, "Family")
            self.circles[circle.pk] = circle
            self.model.circles[circle.pk] = ModelCircle(owner)
            # A post to each audience that depends on the graph or on follows, from the
            # start: every graph step then changes what someone sees or gets in the feed.
            for audience in ("circles", "friends", "friends_of_friends", "public"):
                chosen = [circle.pk] if audience == "circles" else []
                self.posts.append(
                    do_create_post(
                        m, text=f"first {audience}", audience=audience, circle_ids=chosen
                    )
                )
                self.model.posts.append(ModelPost(owner, audience, set(chosen), None))

    @precondition(lambda self: self.pairs(friends=False))
    @rule(which=pick, crossing=st.booleans())
    def befriend(self, which, crossing):
        options = self.pairs(friends=False)
        a, b = options[which % len(options)]
        if crossing:  # two requests crossing make a friendship too
            assert do_send_friend_request(self.members[a], self.members[b]) == "requested"
            assert do_send_friend_request(self.members[b], self.members[a]) == "accepted"
        else:
            befriend(self.members[a], self.members[b])
        self.model.befriend(a, b)

    @precondition(lambda self: self.pairs(friends=True))
    @rule(which=pick, flip=st.booleans())
    def unfriend(self, which, flip):
        options = self.pairs(friends=True)
        a, b = options[which % len(options)]
        a, b = (b, a) if flip else (a, b)
        do_unfriend(self.members[a], self.members[b])
        self.model.unfriend(a, b)

    @rule(owner=member, label=st.sampled_from(["Close", "Club"]))
    def create_circle(self, owner, label):
        if any(self.circles[k].name == label for k in self.owned(owner)):
            with pytest.raises(Conflict):
                do_create_circle(self.members[owner], label)
            return
        circle = do_create_circle(self.members[owner], label)
        self.circles[circle.pk] = circle
        self.model.circles[circle.pk] = ModelCircle(owner)

    def circle_candidates(self, inside: bool) -> list[tuple[int, int]]:
        return [
            (key, m)
            for key, c in sorted(self.model.circles.items())
            for m in sorted(self.model.friends_of(c.owner))
            if (m in c.members) == inside
        ]

    @precondition(lambda self: self.circle_candidates(inside=False))
    @rule(which=pick)
    def add_to_circle(self, which):
        options = self.circle_candidates(inside=False)
        key, m = options[which % len(options)]
        circle = self.circles[key]
        do_add_to_circle(circle.owner, circle, self.members[m])
        self.model.circles[key].members.add(m)

    @precondition(lambda self: self.circle_candidates(inside=True))
    @rule(which=pick)
    def remove_from_circle(self, which):
        options = self.circle_candidates(inside=True)
        key, m = options[which % len(options)]
        circle = self.circles[key]
        do_remove_from_circle(circle.owner, circle, self.members[m])
        self.model.circles[key].members.discard(m)

    @precondition(lambda self: self.circles)
    @rule(which=pick)
    def delete_circle(self, which):
        keys = sorted(self.circles)
        key = keys[which % len(keys)]
        circle = self.circles.pop(key)
        do_delete_circle(circle.owner, circle)
        self.model.delete_circle(key)

    def followable(self) -> list[tuple[int, int]]:
        n = len(self.members)
        return [
            (f, e) for f in range(n) for e in range(n) if f != e and self.model.public_profile[e]
        ]

    @precondition(lambda self: self.followable())
    @rule(which=pick)
    def follow_or_unfollow(self, which):
        options = self.followable()
        f, e = options[which % len(options)]
        if (f, e) in self.model.follows:
            do_unfollow(self.members[f], self.members[e])
            self.model.follows.discard((f, e))
        else:
            do_follow(self.members[f], self.members[e])
            self.model.follows.add((f, e))

    @rule(m=member)
    def toggle_public_profile(self, m):
        public = not self.model.public_profile[m]
        do_update_profile(self.members[m], display_name="", bio="", is_public_profile=public)
        self.model.set_public(m, public)

    # --- posts --------------------------------------------------------------------------
    @rule(
        author=member,
        audience=st.sampled_from(AUDIENCES),
        which=st.lists(pick, min_size=1, max_size=2),
        mention=member,
    )
    def post(self, author, audience, which, mention):
        owned = self.owned(author)
        chosen = sorted({owned[w % len(owned)] for w in which}) if owned else []
        if audience != "circles" or not chosen:
            audience = "friends" if audience == "circles" else audience
            chosen = []
        text = f"post {len(self.posts)} @{self.members[mention].username}"
        self.posts.append(
            do_create_post(
                self.members[author], text=text, audience=audience, circle_ids=chosen or None
            )
        )
        self.model.posts.append(ModelPost(author, audience, set(chosen), None))

    @precondition(lambda self: self.seeable())
    @rule(which=pick, mention=member)
    def reply(self, which, mention):
        options = self.seeable()
        author, k = options[which % len(options)]
        text = f"reply {len(self.posts)} @{self.members[mention].username}"
        self.posts.append(do_reply(self.members[author], self.fresh(k), text=text))
        target = self.model.posts[k]
        root = target.root if target.root is not None else k
        self.model.posts.append(ModelPost(author, self.model.posts[root].audience, set(), root))

    @precondition(lambda self: self.seeable())
    @rule(which=pick, kind=st.sampled_from(ReactionKind.values))
    def react(self, which, kind):
        options = self.seeable()
        m, k = options[which % len(options)]
        do_react(self.members[m], self.fresh(k), kind)
        self.model.reactions[(k, m)] = kind

    @precondition(lambda self: any(not p.deleted for p in self.model.posts))
    @rule(which=pick, words=st.sampled_from(["edited", "changed", "again"]), mention=member)
    def edit(self, which, words, mention):
        options = [k for k, p in enumerate(self.model.posts) if not p.deleted]
        k = options[which % len(options)]
        target = self.model.posts[k]
        text = f"{words} {k} @{self.members[mention].username}"
        do_edit_post(self.members[target.author], self.fresh(k), text=text)
        stored = self.fresh(k)
        # An edit changes the words, never who may read them.
        root = self.model.root_of(k)
        assert stored.audience == root.audience
        assert set(stored.circles.values_list("pk", flat=True)) == target.circles

    @precondition(lambda self: any(not p.deleted for p in self.model.posts))
    @rule(which=pick)
    def delete(self, which):
        options = [k for k, p in enumerate(self.model.posts) if not p.deleted]
        k = options[which % len(options)]
        target = self.model.posts[k]
        do_delete_post(self.members[target.author], self.fresh(k))
        target.deleted = True
        self.model.reactions = {key: v for key, v in self.model.reactions.items() if key[0] != k}

    # --- what the services must refuse ------------------------------------------------------
    @rule(m=member, other=member, which=pick)
    def refused(self, m, other, which):
        """One step that must be refused, with the error the rule promises."""
        me, them = self.members[m], self.members[other]
        steps = []
        if m == other:
            steps += [
                (InvalidInput, lambda: do_send_friend_request(me, them)),
                (InvalidInput, lambda: do_follow(me, them)),
            ]
        elif self.model.are_friends(m, other):
            steps.append((Conflict, lambda: do_send_friend_request(me, them)))
        else:
            steps.append((NotFound, lambda: do_unfriend(me, them)))
            family = self.circles.get(next(iter(self.owned(m)), None))
            if family is not None:
                steps.append((InvalidInput, lambda: do_add_to_circle(me, family, them)))
        if m != other and not self.model.public_profile[other]:
            steps.append((NotAllowed, lambda: do_follow(me, them)))
        if m != other and (m, other) not in self.model.follows:
            steps.append((NotFound, lambda: do_unfollow(me, them)))
        for k, post in enumerate(self.model.posts):
            if not self.model.can_see(m, k) and not post.deleted:
                steps += [
                    (NotFound, lambda k=k: do_reply(me, self.fresh(k), text="no")),
                    (NotFound, lambda k=k: do_react(me, self.fresh(k), "heart")),
                ]
            if post.deleted and self.model.can_see(m, k):
                steps += [
                    (Conflict, lambda k=k: do_reply(me, self.fresh(k), text="no")),
                    (NotFound, lambda k=k: do_react(me, self.fresh(k), "heart")),
                ]
        error, step = steps[which % len(steps)]
        with pytest.raises(error):
            step()

    # --- what everyone sees -------------------------------------------------------------
    def visible_ids(self, v: int | None) -> set[int]:
        return {self.post_pk(k) for k in range(len(self.posts)) if self.model.can_see(v, k)}

    @invariant()
    def everyone_sees_what_the_model_says(self):
        if not self.members:
            return
        world = describe(self.model)
        for v in [None, *range(N_MEMBERS)]:
            viewer = AnonymousUser() if v is None else self.members[v]
            got = set(
                visible_to(viewer).filter(author__in=self.members).values_list("pk", flat=True)
            )
            want = self.visible_ids(v)
            assert got == want, f"visible_to({name(v)}) is off by {got ^ want}; {world}"
            if v is None:
                continue
            page = home_feed(viewer, limit=100)
            feed = {p.pk for p in page.posts}
            want = {self.post_pk(k) for k in self.model.feed(v)}
            assert feed == want, f"home_feed({name(v)}) is off by {feed ^ want}; {world}"

    @invariant()
    def notifications_and_counts_follow_visibility(self):
        if not self.members:
            return
        world = describe(self.model)
        for v, viewer in enumerate(self.members):
            visible_now = {
                self.post_pk(k)
                for k in range(len(self.posts))
                if self.model.can_see(v, k) and not self.model.posts[k].deleted
            }
            about = {n.post_id for n in list_notifications(viewer, limit=100).items if n.post_id}
            assert about <= visible_now, (
                f"{name(v)} is notified about posts it may not see: {about - visible_now}; {world}"
            )
            shown = [p for p in self.posts if p.pk in visible_now]
            summaries = reaction_summaries(viewer, shown)
            for k, post in enumerate(self.posts):
                if post.pk not in visible_now:
                    continue
                summary = summaries[post.pk]
                mine = self.model.reactions.get((k, v))
                assert summary.mine == mine, (k, summary.mine, mine)
                if self.model.posts[k].author == v:
                    assert summary.counts == self.model.reaction_counts(k), (k, summary.counts)
                else:
                    assert summary.counts is None, f"{name(v)} got counts of post {k}"


def test_state_machine_matches_the_reference_model(db):
    run_state_machine_as_test(
        PrivacyMachine,
        settings=settings(max_examples=25, stateful_step_count=20, **HYPOTHESIS),
    )


def test_replying_to_a_deleted_post_one_cannot_see_is_not_found(db):
    ana, stranger = new_member("r", 0, False), new_member("r", 1, False)
    post = do_create_post(ana, text="just me", audience="only_me")
    do_delete_post(ana, post)
    with pytest.raises(NotFound):
        do_reply(stranger, Post.objects.get(pk=post.pk), text="hello?")
