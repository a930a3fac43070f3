"""The privacy matrix: every audience x every relationship x every surface.

A failing cell names itself, e.g. ``test_matrix[friends-stranger-api_post]``: Ana's post
to ``friends``, seen by the stranger, through ``GET /api/v1/posts/<id>``. The truth is
the hand-written table in ``world.VISIBLE``; the surfaces are in ``surfaces.py``.
Then the dynamic cases: what changes when the graph, the circle or the author changes.
"""

from __future__ import annotations

from collections import defaultdict

import pytest

from porch.accounts.services import do_update_profile
from porch.errors import NotFound
from porch.graph.services import (
    do_accept_friend_request,
    do_delete_circle,
    do_follow,
    do_remove_from_circle,
    do_send_friend_request,
    do_unfollow,
    do_unfriend,
)
from porch.notifications.services import list_notifications
from porch.posts.models import Post
from porch.posts.services import (
    access_post,
    do_delete_post,
    do_edit_post,
    do_react,
    do_reply,
    edit_history,
    flatten,
    posts_by,
    thread,
)
from porch.posts.visibility import can_see, visible_to

from .surfaces import BY_NAME, SURFACES, RouteMissing, api, observe, web
from .world import AUDIENCES, RELATIONSHIPS, VISIBLE, in_feed, token, visible

# --- The truth table, once more, as the brief states it -------------------------------


def test_the_truth_table_is_the_product_rule():
    stated = {
        "only_me": {"self"},
        "circles": {"self", "friend_in_circle"},
        "friends": {"self", "friend_in_circle", "friend_not_in_circle"},
        "friends_of_friends": {
            "self",
            "friend_in_circle",
            "friend_not_in_circle",
            "friend_of_friend",
        },
        "public": set(RELATIONSHIPS) - {"blocked_by_author", "blocking_author"},
    }
    assert stated == VISIBLE
    # The feed: the friend of a friend can open the friends-of-friends post but never
    # gets it in the feed; the follower gets the public post only.
    assert not in_feed("friends_of_friends", "friend_of_friend")
    assert [a for a in AUDIENCES if in_feed(a, "follower")] == ["public"]


# --- The matrix -----------------------------------------------------------------------
CELLS = [
    pytest.param(audience, rel, surface.name, id=f"{audience}-{rel}-{surface.name}")
    for audience in AUDIENCES
    for rel in RELATIONSHIPS
    for surface in SURFACES
    if surface.applies_to(rel)
]


@pytest.mark.parametrize(("audience", "relationship", "surface"), CELLS)
def test_matrix(world, db, audience, relationship, surface):
    s = BY_NAME[surface]
    try:
        sees = s(world, relationship, audience)
    except RouteMissing as missing:
        pytest.skip(str(missing))
    truth = s.truth(audience, relationship)
    assert sees == truth, (
        f"{surface}: the {relationship} {'sees' if sees else 'does not see'} Ana's "
        f"{audience} post; it {'should' if truth else 'must not'}"
    )


@pytest.mark.parametrize(
    ("audience", "relationship"),
    [pytest.param(a, r, id=f"{a}-{r}") for a in AUDIENCES for r in RELATIONSHIPS],
)
def test_surfaces_agree(world, db, audience, relationship):
    """Whatever the truth table says, surfaces of one kind give one answer per cell."""
    seen, _not_built = observe(world, relationship, audience, BY_NAME)
    groups: dict[str, dict[str, bool]] = defaultdict(dict)
    for name, answer in seen.items():
        groups[BY_NAME[name].group][name] = answer
    split = {group: answers for group, answers in groups.items() if len(set(answers.values())) > 1}
    assert not split, f"surfaces disagree: {split}"
    answer = {group: next(iter(answers.values())) for group, answers in groups.items()}
    # Whatever reaches the feed, or the author-only pages, is visible.
    assert answer.get("feed") is not True or answer["visible"]
    assert answer.get("author") is not True or answer["visible"]


PAGES = [
    ("web", "/"),
    ("web", "/@{ana}/"),
    ("web", "/@{ben}/"),
    ("web", "/notifications/"),
    ("web", "/friends/"),
    ("web", "/circles/"),
    ("web", "/circles/{family}/"),
    ("api", "/feed"),
    ("api", "/members/{ana}/posts"),
    ("api", "/members/{ana}"),
    ("api", "/members/{ben}"),
    ("api", "/notifications"),
    ("api", "/me"),
    ("api", "/friends"),
    ("api", "/friend-requests"),
    ("api", "/circles"),
    ("api", "/circles/{family}"),
]


@pytest.mark.parametrize(
    ("relationship", "kind", "page"),
    [pytest.param(r, k, p, id=f"{r}-{k}:{p}") for r in RELATIONSHIPS for k, p in PAGES],
)
def test_pages_never_leak(world, db, relationship, kind, page):
    """Lists and member pages carry no text of a post the viewer may not see."""
    path = page.format(
        ana=world.ana.username,
        ben=world.members["friend_in_circle"].username,
        family=world.family.pk,
    )
    try:
        # web() and api() check every response for forbidden texts and for 5xx.
        response = (web if kind == "web" else api)(world, relationship, "GET", path)
    except RouteMissing as missing:
        pytest.skip(str(missing))
    if kind == "web" and path == "/" and relationship == "logged_out":
        assert response.status_code == 302
        assert response["Location"].split("?")[0] == "/login/"


# --- Dynamic cases ----------------------------------------------------------------------
def assert_cells(w, cells: dict[tuple[str, str], tuple[bool, bool]], names=None) -> None:
    """For each (relationship, audience) → (sees, in feed), every surface that is built
    answers accordingly. All cells are checked before failing, so one run names them all."""
    w.forget()  # the world changed since the last look
    wrong = {}
    for (rel, aud), (sees, feed) in cells.items():
        seen, _not_built = observe(w, rel, aud, names or BY_NAME)
        want = {"visible": sees, "feed": sees and feed, "author": sees and rel == "self"}
        bad = {n: v for n, v in seen.items() if v != want[BY_NAME[n].group]}
        if bad:
            wrong[f"{aud}-{rel} (expected {want})"] = bad
    assert not wrong, f"surfaces answered wrongly: {wrong}"


def assert_surfaces(w, rel, aud, *, sees: bool, feed: bool = False, names=None) -> None:
    assert_cells(w, {(rel, aud): (sees, feed)}, names)


def test_unfriending_removes_access_at_once(fresh_world):
    w = fresh_world
    cy = "friend_not_in_circle"
    assert_cells(w, {(cy, a): (True, True) for a in ("friends", "friends_of_friends")})
    do_unfriend(w.ana, w.members[cy])
    gone = {(cy, a): (False, False) for a in AUDIENCES if a != "public"}
    # Still public; but no longer in Cy's feed: Cy does not follow Ana.
    assert_cells(w, {**gone, (cy, "public"): (True, False)})


def test_unfollowing_or_going_private_empties_the_followers_feed(fresh_world):
    w = fresh_world
    eve = "follower"
    feed_surfaces = [s.name for s in SURFACES if s.group == "feed"]
    assert_surfaces(w, eve, "public", sees=True, feed=True, names=feed_surfaces)
    do_unfollow(w.members[eve], w.ana)
    assert_surfaces(w, eve, "public", sees=True, feed=False, names=feed_surfaces)
    # Follow again, then Ana makes her profile private: the follow ends with it.
    do_follow(w.members[eve], w.ana)
    assert_surfaces(w, eve, "public", sees=True, feed=True, names=feed_surfaces)
    do_update_profile(w.ana, display_name="Ana", bio="", is_public_profile=False)
    assert_surfaces(w, eve, "public", sees=True, feed=False, names=feed_surfaces)


def test_leaving_the_circle_removes_the_post_and_its_replies_even_ones_own(fresh_world):
    w = fresh_world
    ben = w.members["friend_in_circle"]
    t = w.threads["circles"]
    assert t.reply.author_id == ben.pk
    assert_surfaces(w, "friend_in_circle", "circles", sees=True, feed=True)
    do_remove_from_circle(w.ana, w.family, ben)
    # Everything Ana shares with friends he still sees; the circle's thread he does not,
    # his own reply included: it belongs to a thread he may no longer read.
    assert_cells(
        w,
        {
            ("friend_in_circle", "circles"): (False, False),
            ("friend_in_circle", "friends"): (True, True),
        },
    )
    assert not can_see(ben, t.reply)
    with pytest.raises(NotFound):
        access_post(ben, t.reply.pk)
    with pytest.raises(NotFound):
        edit_history(ben, t.reply)


def test_deleting_the_circle_leaves_the_post_to_its_author_alone(fresh_world):
    w = fresh_world
    t = w.threads["circles"]
    do_delete_circle(w.ana, w.family)
    assert list(t.root.circles.all()) == []
    assert_cells(w, {(rel, "circles"): (rel == "self", rel == "self") for rel in RELATIONSHIPS})


def test_an_edit_keeps_the_audience(fresh_world):
    w = fresh_world
    mentions = " ".join(f"@{m.username}" for m in w.members.values())
    for audience, t in w.threads.items():
        circles_before = set(t.root.circles.values_list("pk", flat=True))
        edited = token("x", audience, "edited")
        do_edit_post(w.ana, t.root, text=f"{edited} {mentions}")
        root = Post.objects.get(pk=t.root.pk)
        assert root.audience == audience
        assert set(root.circles.values_list("pk", flat=True)) == circles_before
        t.root = root
        t.tokens = {**t.tokens, "post": edited, "earlier": t.tokens["post"]}
    # The surfaces that show a post's text or its history (the replies are unchanged).
    showing_text = [
        *(s.name for s in SURFACES if not s.name.startswith(("web_", "api_"))),
        *("web_post", "web_home", "web_profile", "web_history"),
        *("api_post", "api_feed", "api_profile", "api_history"),
    ]
    assert_cells(
        w,
        {
            (rel, aud): (visible(aud, rel), in_feed(aud, rel))
            for aud in AUDIENCES
            for rel in RELATIONSHIPS
        },
        showing_text,
    )


def test_a_reply_never_widens_its_roots_audience(fresh_world):
    w = fresh_world
    ana, ben, cy, dee = (
        w.members[r]
        for r in ("self", "friend_in_circle", "friend_not_in_circle", "friend_of_friend")
    )
    do_send_friend_request(ben, cy)
    do_accept_friend_request(cy, ben)  # Cy is now Ben's friend as well as Ana's
    circle_thread, friends_thread = w.threads["circles"], w.threads["friends"]
    # Ben answers the circle post and mentions his friends Cy and Dee.
    text = token("x", "circles", "reply2")
    circle_thread.tokens["reply2"] = text
    reply = do_reply(ben, circle_thread.root, text=f"{text} @{cy.username} @{dee.username}")
    for member in (cy, dee):
        assert not can_see(member, reply)
        with pytest.raises(NotFound):
            access_post(member, reply.pk)
        assert flatten(thread(member, circle_thread.root)) == []
        assert not any(n.post_id == reply.pk for n in list_notifications(member, limit=100).items)
    assert can_see(ana, reply) and can_see(ben, reply)
    # Dee is Ben's friend, not Ana's: Ben's reply to the friends post is not for her.
    assert not can_see(dee, friends_thread.reply)
    assert_cells(
        w,
        {
            ("friend_not_in_circle", "circles"): (False, False),
            ("friend_of_friend", "circles"): (False, False),
            ("friend_of_friend", "friends"): (False, False),
        },
    )


def test_deleting_a_post_keeps_its_replies_for_its_audience_only(fresh_world):
    w = fresh_world
    t = w.threads["friends"]
    do_delete_post(w.ana, t.root)
    for rel in RELATIONSHIPS:
        viewer = w.viewer(rel)
        with pytest.raises(NotFound):
            access_post(viewer, t.root.pk)
        replies = {n.post.pk for n in flatten(thread(viewer, t.root))}
        assert replies == (t.reply_pks if visible("friends", rel) else set()), rel
        assert not any(p.pk == t.root.pk for p in posts_by(viewer, w.ana, limit=100).items)


# --- A deactivated author -----------------------------------------------------------------
OTHERS = [r for r in RELATIONSHIPS if r != "self"]
ENTRY_SURFACES = [
    "home_feed",
    "posts_by",
    "web_post",
    "web_thread",
    "web_home",
    "web_profile",
    "web_history",
    "api_post",
    "api_thread",
    "api_history",
    "api_feed",
    "api_profile",
]


def _deactivate(member) -> None:
    member.is_active = False
    member.save(update_fields=["is_active"])


def test_a_deactivated_author_disappears_everywhere(fresh_world):
    w = fresh_world
    _deactivate(w.ana)
    assert_cells(
        w, {(rel, aud): (False, False) for rel in OTHERS for aud in AUDIENCES}, ENTRY_SURFACES
    )
    for rel in OTHERS:
        viewer = w.viewer(rel)
        for aud in AUDIENCES:
            t = w.threads[aud]
            for post in (t.root, t.nested):  # everything Ana wrote
                with pytest.raises(NotFound):
                    access_post(viewer, post.pk)
        if rel != "logged_out":
            notes = list_notifications(viewer, limit=100).items
            assert not [n for n in notes if n.actor_id == w.ana.pk]
            assert not [n for n in notes if n.post and n.post.author_id == w.ana.pk]


@pytest.mark.parametrize(
    "check",
    ["can_see", "visible_to", "edit_history", "do_react", "do_reply", "posts_by"],
)
def test_the_rule_itself_hides_a_deactivated_author(fresh_world, check):
    """Functions handed a Post trust the rule, so the rule itself must hide the author."""
    w = fresh_world
    ben = w.members["friend_in_circle"]
    root = w.threads["friends"].root
    _deactivate(w.ana)
    if check == "can_see":
        assert not can_see(ben, root)
    elif check == "visible_to":
        assert not visible_to(ben).filter(author=w.ana).exists()
    elif check == "posts_by":
        assert posts_by(ben, w.ana, limit=100).items == []
    else:
        act = {
            "edit_history": lambda: edit_history(ben, root),
            "do_react": lambda: do_react(ben, root, "heart"),
            "do_reply": lambda: do_reply(ben, root, text="to nobody"),
        }[check]
        with pytest.raises(NotFound):
            act()


@pytest.mark.parametrize(
    "check", ["access_post", "thread", "notifications", "web_reply", "api_reply"]
)
def test_replies_under_a_deactivated_author_disappear_too(fresh_world, check):
    """A reply is visible exactly when its root is, even when the root's author left."""
    w = fresh_world
    cy = w.members["friend_not_in_circle"]
    t = w.threads["friends"]  # Ben's reply there mentions Cy
    assert any(n.post_id == t.reply.pk for n in list_notifications(cy, limit=100).items)
    _deactivate(w.ana)
    if check == "access_post":
        with pytest.raises(NotFound):
            access_post(cy, t.reply.pk)
    elif check == "thread":
        assert thread(cy, t.root) == []
    elif check == "notifications":
        assert not any(n.post_id == t.reply.pk for n in list_notifications(cy, limit=100).items)
    else:
        ask = web if check == "web_reply" else api
        path = f"/posts/{t.reply.pk}/" if check == "web_reply" else f"/posts/{t.reply.pk}"
        try:
            response = ask(w, "friend_not_in_circle", "GET", path)
        except RouteMissing as missing:
            pytest.skip(str(missing))
        assert response.status_code == 404, (response.status_code, response.get("Location"))
