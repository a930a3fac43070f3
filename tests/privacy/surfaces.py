"""Every surface through which a viewer can learn about a post, as one adapter each.

An adapter answers ``sees(world, relationship, audience) -> bool``: does this viewer,
through this surface, get the thread of Ana's post to ``audience``? Along the way it
checks what the surface must never do whatever the answer — return a forbidden text in
any response (404 pages and JSON errors included), treat a reply differently from its
root, answer "forbidden" where "not found" is due, or refuse an invisible post any
differently from a post that does not exist.

HTTP adapters are written against the URL contract of the brief. A route that does not
resolve yet raises ``RouteMissing``; the matrix turns that into a skip with the reason
"web route not built yet" / "api route not built yet", never into a pass.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from contextlib import contextmanager
from dataclasses import dataclass
from urllib.parse import urlsplit

from django.db import transaction
from django.http import HttpResponse
from django.test import Client
from django.urls import Resolver404, resolve

from porch.accounts.models import SiteSettings
from porch.accounts.services import access_member
from porch.errors import NotAllowed, NotFound
from porch.feed.services import home_feed
from porch.notifications.services import list_notifications
from porch.posts.models import Post, Reaction
from porch.posts.services import (
    access_post,
    do_react,
    edit_history,
    flatten,
    posts_by,
    reaction_summaries,
    reactions_detail,
    read_thread,
    thread,
    with_reply_counts,
)
from porch.posts.visibility import can_see, visible_roots, visible_to

from .world import REACTORS, Thread, World, expected_reaction_counts, in_feed, visible

MISSING_ID = 2_000_000_000
API = "/api/v1"


class RouteMissing(Exception):
    """The surface's route is not in the URL configuration yet."""

    def __init__(self, kind: str, method: str, path: str):
        super().__init__(f"{kind} route not built yet: {method} {path}")
        self.kind = kind


# --- Shared checks ----------------------------------------------------------------------
@contextmanager
def rolled_back():
    """Run a writing surface in a savepoint that is rolled back, so what it wrote (a
    reaction, a setting) cannot change what the next surface observes."""
    with transaction.atomic():
        yield
        transaction.set_rollback(True)


def same_for_whole_thread(answers: dict[str, bool], what: str) -> bool:
    """A reply has no audience of its own: every post of a thread gets one answer."""
    distinct = set(answers.values())
    assert len(distinct) == 1, (
        f"{what}: the root and its replies got different answers {answers} "
        "(a reply must be visible exactly when its root is)"
    )
    return distinct.pop()


def roles(t: Thread) -> dict[str, object]:
    return {"root": t.root, "reply": t.reply, "nested": t.nested}


def assert_no_leak(w: World, rel: str, response: HttpResponse, where: str) -> str:
    """No forbidden text in the body or the headers (a redirect's Location included)."""
    body = response.content.decode("utf-8", errors="replace")
    headers = " ".join(f"{k}: {v}" for k, v in response.headers.items())
    leaked = sorted(t for t in w.forbidden_tokens(rel) if t in body or t in headers)
    assert not leaked, f"{where} (status {response.status_code}) leaked to {rel}: {leaked}"
    assert response.status_code < 500, f"{where} answered {response.status_code}"
    return body


# --- HTTP plumbing ----------------------------------------------------------------------
def _require_route(kind: str, method: str, path: str) -> None:
    try:
        resolve(urlsplit(path).path)
    except Resolver404:
        raise RouteMissing(kind, method, path) from None


def web_client(w: World, rel: str) -> Client:
    if rel not in w.clients:
        client = Client()
        if rel != "logged_out":
            client.force_login(w.members[rel])
        w.clients[rel] = client
    return w.clients[rel]


def web(w: World, rel: str, method: str, path: str, data=None) -> HttpResponse:
    _require_route("web", method, path)
    key = ("web", rel, path)
    if method == "GET" and key in w.responses:
        return w.responses[key]
    client = web_client(w, rel)
    response = client.post(path, data or {}) if method == "POST" else client.get(path)
    assert_no_leak(w, rel, response, f"{method} {path}")
    if method == "GET":
        w.responses[key] = response
    return response


def api(w: World, rel: str, method: str, path: str, payload=None) -> HttpResponse:
    url = API + path
    _require_route("api", method, url)
    key = ("api", rel, path)
    if method == "GET" and payload is None and key in w.responses:
        return w.responses[key]
    headers = {}
    if rel != "logged_out":
        headers["HTTP_AUTHORIZATION"] = f"Bearer {w.api_tokens[rel]}"
    client = Client()
    if payload is None:
        response = client.generic(method, url, **headers)
    else:
        response = client.generic(
            method, url, json.dumps(payload), content_type="application/json", **headers
        )
    assert_no_leak(w, rel, response, f"API {method} {url}")
    if method == "GET" and payload is None:
        w.responses[key] = response
    return response


def api_json(response: HttpResponse):
    assert response["Content-Type"].startswith("application/json"), response["Content-Type"]
    return json.loads(response.content)


def refused_like_missing(
    w: World,
    rel: str,
    response: HttpResponse,
    call: Callable[[int], HttpResponse],
    audience: str,
    *,
    is_api: bool,
) -> bool:
    """A refusal of a post must look like the refusal of a post that does not exist,
    unless the viewer may see the post (then "forbidden" is honest: author-only pages)."""
    status = response.status_code
    if status == 403 and visible(audience, rel):
        return False
    missing = call(MISSING_ID)
    assert status == missing.status_code, (
        f"an invisible post answered {status}, a missing one {missing.status_code}: "
        "the difference tells that the post exists"
    )
    assert status in (302, 401, 404), f"unexpected refusal status {status}"
    if status == 302:
        assert rel == "logged_out", "only visitors may be sent to the log-in page"
        assert urlsplit(response["Location"]).path == "/login/", response["Location"]
    if status == 401:
        assert rel == "logged_out", "401 is for visitors"
    if is_api:
        error = api_json(response)
        assert set(error) >= {"detail"}, error
        assert error == api_json(missing), (error, api_json(missing))
    return False


# --- Service surfaces -------------------------------------------------------------------
def svc_can_see(w: World, rel: str, aud: str) -> bool:
    viewer = w.viewer(rel)
    answers = {role: can_see(viewer, p) for role, p in roles(w.threads[aud]).items()}
    return same_for_whole_thread(answers, "can_see")


def svc_access_post(w: World, rel: str, aud: str) -> bool:
    viewer = w.viewer(rel)
    answers = {}
    for role, post in roles(w.threads[aud]).items():
        try:
            got = access_post(viewer, post.pk)
        except NotFound:
            answers[role] = False
        else:
            assert got.pk == post.pk
            answers[role] = True
    return same_for_whole_thread(answers, "access_post")


def svc_visible_to(w: World, rel: str, aud: str) -> bool:
    t = w.threads[aud]
    seen = set(visible_to(w.viewer(rel)).filter(pk__in=t.pks).values_list("pk", flat=True))
    answers = {role: p.pk in seen for role, p in roles(t).items()}
    return same_for_whole_thread(answers, "visible_to")


def svc_feed(w: World, rel: str, aud: str, order: str | None = None) -> bool:
    t = w.threads[aud]
    page = home_feed(w.viewer(rel), limit=100, order=order)
    assert page.at_end
    ids = {p.pk for p in page.posts}
    assert not ids & t.reply_pks, "the home feed holds top-level posts only"
    return t.root.pk in ids


def svc_feed_chronological(w: World, rel: str, aud: str) -> bool:
    return svc_feed(w, rel, aud, order="chronological")


def svc_thread(w: World, rel: str, aud: str) -> bool:
    t = w.threads[aud]
    root = Post.objects.get(pk=t.root.pk)  # thread() gives it this viewer's reply count
    shown = {node.post.pk for node in flatten(thread(w.viewer(rel), root))}
    assert shown in (set(), t.reply_pks), f"thread showed part of the replies: {shown}"
    assert root.reply_count == len(shown), f"thread counted {root.reply_count} replies"
    return shown == t.reply_pks


def svc_read_thread(w: World, rel: str, aud: str) -> bool:
    """Opened from any of its posts, a thread is all of it or nothing."""
    t = w.threads[aud]
    answers = {}
    for role, post in roles(t).items():
        try:
            opened = read_thread(w.viewer(rel), post.pk)
        except NotFound:
            answers[role] = False
            continue
        assert (opened.post.pk, opened.root.pk) == (post.pk, t.root.pk)
        got = {reply.pk for reply in opened.replies}
        assert got == t.reply_pks, f"read_thread from the {role} read {got}"
        answers[role] = True
    return same_for_whole_thread(answers, "read_thread")


def svc_reply_counts(w: World, rel: str, aud: str) -> bool:
    t = w.threads[aud]
    rows = list(with_reply_counts(visible_roots(w.viewer(rel))).filter(pk=t.root.pk))
    if rows:
        assert rows[0].reply_count == 2, rows[0].reply_count
    return bool(rows)


def svc_profile(w: World, rel: str, aud: str) -> bool:
    viewer = w.viewer(rel)
    try:
        ana = access_member(viewer, w.ana.username)
    except NotFound:
        return False
    page = posts_by(viewer, ana, limit=100)
    assert page.next_cursor is None
    ids = {p.pk for p in page.items}
    t = w.threads[aud]
    assert not ids & t.reply_pks, "a profile lists top-level posts only"
    return t.root.pk in ids


def svc_notifications(w: World, rel: str, aud: str) -> bool:
    t = w.threads[aud]
    page = list_notifications(w.viewer(rel), limit=100)
    assert page.next_cursor is None
    return any(n.post_id in t.pks for n in page.items)


def svc_react(w: World, rel: str, aud: str) -> bool:
    viewer = w.viewer(rel)
    answers = {}
    for role, post in roles(w.threads[aud]).items():
        try:
            do_react(viewer, post, "pray")
        except NotFound:
            answers[role] = False
            assert not Reaction.objects.filter(post=post, member=viewer, kind="pray").exists()
        else:
            answers[role] = True
    return same_for_whole_thread(answers, "do_react")


def _counts_through_access_post(w: World, rel: str, aud: str) -> bool:
    viewer = w.viewer(rel)
    root = w.threads[aud].root
    try:
        post = access_post(viewer, root.pk)
    except NotFound:
        return False
    summary = reaction_summaries(viewer, [post])[post.pk]
    assert summary.who is None, "who reacted is for reactions_detail only"
    if summary.counts is None:
        assert summary.total is None
        return False
    assert summary.counts == expected_reaction_counts(aud), summary.counts
    assert summary.total == sum(summary.counts.values())
    return True


def svc_reaction_counts(w: World, rel: str, aud: str) -> bool:
    """Counts with the host's default (author only)."""
    assert not SiteSettings.current().show_reaction_counts
    return _counts_through_access_post(w, rel, aud)


def svc_reaction_counts_raw(w: World, rel: str, aud: str) -> bool:
    """``reaction_summaries`` alone, given the post: counts for its author only, whether or
    not the viewer may see the post."""
    assert not SiteSettings.current().show_reaction_counts
    root = w.threads[aud].root
    summary = reaction_summaries(w.viewer(rel), [root])[root.pk]
    return summary.counts is not None


def svc_reaction_counts_shown(w: World, rel: str, aud: str) -> bool:
    """Counts when the host shows them to everyone: to everyone who may see the post."""
    with rolled_back():
        site = SiteSettings.current()
        site.show_reaction_counts = True
        site.save()
        return _counts_through_access_post(w, rel, aud)


def svc_reactions_detail(w: World, rel: str, aud: str) -> bool:
    root = w.threads[aud].root
    try:
        detail = reactions_detail(w.viewer(rel), root)
    except (NotAllowed, NotFound):
        return False
    who = {member.pk: kind for member, kind in detail.who}
    assert who == {w.members[r].pk: kind for r, kind in REACTORS.items() if visible(aud, r)}, who
    return True


def svc_edit_history(w: World, rel: str, aud: str) -> bool:
    t = w.threads[aud]
    viewer = w.viewer(rel)
    answers = {}
    for role, post in roles(t).items():
        try:
            edits = edit_history(viewer, post)
        except NotFound:
            answers[role] = False
        else:
            answers[role] = True
            if role == "root":
                assert any(t.tokens["old"] in e.text for e in edits), edits
    return same_for_whole_thread(answers, "edit_history")


# --- Web surfaces -----------------------------------------------------------------------
def _missing(w: World, key: tuple, call: Callable[[], HttpResponse]) -> HttpResponse:
    if key not in w.missing_responses:
        w.missing_responses[key] = call()
    return w.missing_responses[key]


def _web_refusal(w, rel, aud, response, method, template, data=None) -> bool:
    return refused_like_missing(
        w,
        rel,
        response,
        lambda pk: _missing(
            w,
            ("web", rel, method, template),
            lambda: web(w, rel, method, template.format(pk=pk), data),
        ),
        aud,
        is_api=False,
    )


def web_post(w: World, rel: str, aud: str) -> bool:
    t = w.threads[aud]
    response = web(w, rel, "GET", f"/posts/{t.root.pk}/")
    if response.status_code == 200:
        assert t.tokens["post"] in response.content.decode(), "the post page lacks the post"
        return True
    return _web_refusal(w, rel, aud, response, "GET", "/posts/{pk}/")


def web_reply(w: World, rel: str, aud: str) -> bool:
    t = w.threads[aud]
    answers = {}
    for role, post in (("reply", t.reply), ("nested", t.nested)):
        response = web(w, rel, "GET", f"/posts/{post.pk}/")
        if response.status_code in (301, 302, 303, 307, 308) and urlsplit(
            response["Location"]
        ).path.startswith("/posts/"):
            where = urlsplit(response["Location"])
            assert (where.path, where.fragment) == (f"/posts/{t.root.pk}/", f"post-{post.pk}")
            answers[role] = True
        else:
            answers[role] = _web_refusal(w, rel, aud, response, "GET", "/posts/{pk}/")
    return same_for_whole_thread(answers, "GET /posts/<reply id>/")


def web_thread(w: World, rel: str, aud: str) -> bool:
    t = w.threads[aud]
    response = web(w, rel, "GET", f"/posts/{t.root.pk}/")
    if response.status_code != 200:
        return _web_refusal(w, rel, aud, response, "GET", "/posts/{pk}/")
    body = response.content.decode()
    shown = {role: t.tokens[role] in body for role in ("reply", "nested")}
    assert all(shown.values()), f"the thread page lacks replies: {shown}"
    return True


def web_home(w: World, rel: str, aud: str) -> bool:
    response = web(w, rel, "GET", "/")
    assert response.status_code == 200, response.status_code
    return w.threads[aud].tokens["post"] in response.content.decode()


def web_profile(w: World, rel: str, aud: str) -> bool:
    response = web(w, rel, "GET", f"/@{w.ana.username}/")
    if response.status_code == 404:
        # The whole profile is hidden (a deactivated author): like a missing member's.
        assert web(w, rel, "GET", "/@nosuchmember/").status_code == 404
        return False
    assert response.status_code == 200, response.status_code
    return w.threads[aud].tokens["post"] in response.content.decode()


def web_history(w: World, rel: str, aud: str) -> bool:
    t = w.threads[aud]
    response = web(w, rel, "GET", f"/posts/{t.root.pk}/history")
    if response.status_code == 200:
        assert t.tokens["old"] in response.content.decode(), "the history lacks the old text"
        return True
    return _web_refusal(w, rel, aud, response, "GET", "/posts/{pk}/history")


def web_reactions(w: World, rel: str, aud: str) -> bool:
    t = w.threads[aud]
    response = web(w, rel, "GET", f"/posts/{t.root.pk}/reactions")
    if response.status_code == 200:
        return True
    return _web_refusal(w, rel, aud, response, "GET", "/posts/{pk}/reactions")


def web_react(w: World, rel: str, aud: str) -> bool:
    t = w.threads[aud]
    viewer = w.viewer(rel)
    response = web(w, rel, "POST", f"/posts/{t.root.pk}/react", {"kind": "wow"})
    done = Reaction.objects.filter(post=t.root, member=viewer, kind="wow").exists()
    if done:
        return True
    return _web_refusal(w, rel, aud, response, "POST", "/posts/{pk}/react", {"kind": "wow"})


# --- API surfaces -----------------------------------------------------------------------
def _api_refusal(w, rel, aud, response, method, template, payload=None) -> bool:
    return refused_like_missing(
        w,
        rel,
        response,
        lambda pk: _missing(
            w,
            ("api", rel, method, template),
            lambda: api(w, rel, method, template.format(pk=pk), payload),
        ),
        aud,
        is_api=True,
    )


def _check_post_json(w: World, rel: str, data: dict, post, *, top_level: bool) -> None:
    assert data["id"] == post.pk
    assert data["text"] == post.text
    if rel == "logged_out" or post.author_id != w.members[rel].pk:
        assert not data.get("circles"), f"circles are for the author only: {data.get('circles')}"
        assert data["reactions"]["counts"] is None, "counts are for the author only"
    if top_level:
        assert data["reply_count"] == 2, data["reply_count"]


def api_post(w: World, rel: str, aud: str) -> bool:
    t = w.threads[aud]
    response = api(w, rel, "GET", f"/posts/{t.root.pk}")
    if response.status_code == 200:
        _check_post_json(w, rel, api_json(response), t.root, top_level=True)
        return True
    return _api_refusal(w, rel, aud, response, "GET", "/posts/{pk}")


def api_reply(w: World, rel: str, aud: str) -> bool:
    t = w.threads[aud]
    answers = {}
    for role, post, parent in (("reply", t.reply, t.root), ("nested", t.nested, t.reply)):
        response = api(w, rel, "GET", f"/posts/{post.pk}")
        if response.status_code == 200:
            data = api_json(response)
            _check_post_json(w, rel, data, post, top_level=False)
            assert (data["root_id"], data["parent_id"]) == (t.root.pk, parent.pk), data
            answers[role] = True
        else:
            answers[role] = _api_refusal(w, rel, aud, response, "GET", "/posts/{pk}")
    return same_for_whole_thread(answers, "GET /api/v1/posts/<reply id>")


def api_thread(w: World, rel: str, aud: str) -> bool:
    t = w.threads[aud]
    response = api(w, rel, "GET", f"/posts/{t.root.pk}/thread")
    if response.status_code != 200:
        return _api_refusal(w, rel, aud, response, "GET", "/posts/{pk}/thread")
    data = api_json(response)
    assert data["root"]["id"] == t.root.pk
    replies = {r["id"]: r for r in data["replies"]}
    assert set(replies) == t.reply_pks, f"the thread lacks replies: {set(replies)}"
    assert replies[t.nested.pk]["parent_id"] == t.reply.pk
    assert (replies[t.reply.pk]["depth"], replies[t.nested.pk]["depth"]) == (0, 1)
    return True


def api_history(w: World, rel: str, aud: str) -> bool:
    t = w.threads[aud]
    response = api(w, rel, "GET", f"/posts/{t.root.pk}/history")
    if response.status_code == 200:
        assert t.tokens["old"] in response.content.decode(), "the history lacks the old text"
        return True
    return _api_refusal(w, rel, aud, response, "GET", "/posts/{pk}/history")


def api_reactions(w: World, rel: str, aud: str) -> bool:
    t = w.threads[aud]
    response = api(w, rel, "GET", f"/posts/{t.root.pk}/reactions")
    if response.status_code == 200:
        return True
    return _api_refusal(w, rel, aud, response, "GET", "/posts/{pk}/reactions")


def _api_items(response: HttpResponse, path: str) -> set[int]:
    assert response.status_code == 200, (path, response.status_code, response.content[:300])
    data = api_json(response)
    assert data.get("next_cursor") is None, "the world fits on one page"
    return {item["id"] for item in data["items"]}


def api_feed(w: World, rel: str, aud: str, order: str = "conversation") -> bool:
    t = w.threads[aud]
    ids = _api_items(api(w, rel, "GET", f"/feed?limit=100&order={order}"), "/feed")
    assert not ids & t.reply_pks, "the home feed holds top-level posts only"
    return t.root.pk in ids


def api_feed_chronological(w: World, rel: str, aud: str) -> bool:
    return api_feed(w, rel, aud, order="chronological")


def api_profile(w: World, rel: str, aud: str) -> bool:
    t = w.threads[aud]
    path = f"/members/{w.ana.username}/posts"
    response = api(w, rel, "GET", path)
    if response.status_code == 404:
        # The whole profile is hidden (a deactivated author): like a missing member's.
        assert api_json(response) == api_json(api(w, rel, "GET", "/members/nosuchmember/posts"))
        return False
    ids = _api_items(response, path)
    assert not ids & t.reply_pks, "a profile lists top-level posts only"
    return t.root.pk in ids


def api_react(w: World, rel: str, aud: str) -> bool:
    t = w.threads[aud]
    viewer = w.viewer(rel)
    response = api(w, rel, "PUT", f"/posts/{t.root.pk}/reaction", {"kind": "sad"})
    if response.status_code in (200, 201, 204):
        assert Reaction.objects.filter(post=t.root, member=viewer, kind="sad").exists()
        return True
    assert not Reaction.objects.filter(post=t.root, member=viewer, kind="sad").exists()
    return _api_refusal(w, rel, aud, response, "PUT", "/posts/{pk}/reaction", {"kind": "sad"})


# --- The registry -----------------------------------------------------------------------
MEMBERS_ONLY = frozenset(
    {
        "self",
        "friend_in_circle",
        "friend_not_in_circle",
        "friend_of_friend",
        "follower",
        "stranger",
    }
)
OTHER_MEMBERS = MEMBERS_ONLY - {"self"}


def _author_only(aud: str, rel: str) -> bool:
    return rel == "self"


@dataclass(frozen=True)
class Surface:
    name: str
    sees: Callable[[World, str, str], bool]
    truth: Callable[[str, str], bool] = visible
    # Relationships the surface exists for: the feed, notifications and reacting are
    # for members; a member is never notified about their own post.
    relationships: frozenset[str] | None = None
    # Writes: run in a savepoint that is rolled back, so it cannot change what the
    # next surface observes.
    writes: bool = False

    def __call__(self, w: World, rel: str, aud: str) -> bool:
        key = (aud, rel, self.name)
        if w.observed is not None and key in w.observed:
            return w.observed[key]
        if self.writes:
            with rolled_back():
                answer = self.sees(w, rel, aud)
        else:
            answer = self.sees(w, rel, aud)
        if w.observed is not None:
            w.observed[key] = answer
        return answer

    def applies_to(self, rel: str) -> bool:
        return self.relationships is None or rel in self.relationships

    @property
    def group(self) -> str:
        return {visible: "visible", in_feed: "feed", _author_only: "author"}[self.truth]


SURFACES: tuple[Surface, ...] = (
    # the service layer
    Surface("can_see", svc_can_see),
    Surface("access_post", svc_access_post),
    Surface("visible_to", svc_visible_to),
    Surface("home_feed", svc_feed, in_feed, MEMBERS_ONLY),
    Surface("home_feed_chronological", svc_feed_chronological, in_feed, MEMBERS_ONLY),
    Surface("thread", svc_thread),
    Surface("read_thread", svc_read_thread),
    Surface("reply_counts", svc_reply_counts),
    Surface("posts_by", svc_profile),
    Surface("notifications", svc_notifications, visible, OTHER_MEMBERS),
    Surface("reaction_counts", svc_reaction_counts, _author_only),
    Surface("reaction_summaries", svc_reaction_counts_raw, _author_only),
    Surface("reaction_counts_shown", svc_reaction_counts_shown),
    Surface("reactions_detail", svc_reactions_detail, _author_only),
    Surface("edit_history", svc_edit_history),
    Surface("do_react", svc_react, visible, MEMBERS_ONLY, writes=True),
    # the web pages
    Surface("web_post", web_post),
    Surface("web_reply", web_reply),
    Surface("web_thread", web_thread),
    Surface("web_home", web_home, in_feed, MEMBERS_ONLY),
    Surface("web_profile", web_profile),
    Surface("web_history", web_history),
    Surface("web_reactions", web_reactions, _author_only),
    Surface("web_react", web_react, visible, MEMBERS_ONLY, writes=True),
    # the JSON API
    Surface("api_post", api_post),
    Surface("api_reply", api_reply),
    Surface("api_thread", api_thread),
    Surface("api_history", api_history),
    Surface("api_reactions", api_reactions, _author_only),
    Surface("api_feed", api_feed, in_feed, MEMBERS_ONLY),
    Surface("api_feed_chronological", api_feed_chronological, in_feed, MEMBERS_ONLY),
    Surface("api_profile", api_profile),
    Surface("api_react", api_react, visible, MEMBERS_ONLY, writes=True),
)
BY_NAME = {s.name: s for s in SURFACES}


def observe(w: World, rel: str, aud: str, names) -> tuple[dict[str, bool], list[str]]:
    """What each named surface answers; and which were not built yet."""
    seen: dict[str, bool] = {}
    missing: list[str] = []
    for surface in (BY_NAME[n] for n in names):
        if not surface.applies_to(rel):
            continue
        try:
            seen[surface.name] = surface(w, rel, aud)
        except RouteMissing:
            missing.append(surface.name)
    return seen, missing
