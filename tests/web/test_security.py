"""CSRF on every form, GET never changes state, no inline script or style (the CSP forbids
them), and error pages that look like the site without telling what is hidden."""

from __future__ import annotations

import re
from html.parser import HTMLParser

import pytest
from django.test import Client

from porch.accounts.models import AccessToken, Invite, Member
from porch.accounts.services import do_create_invite, do_create_token
from porch.graph.models import Circle, CircleMember, Follow, FriendRequest, Friendship
from porch.graph.services import do_add_to_circle, do_create_circle, do_send_friend_request
from porch.notifications.models import Notification
from porch.posts.models import Post, PostEdit, Reaction
from porch.posts.services import do_create_post, do_react, do_reply


@pytest.fixture
def world(make_member, befriend):
    ana = make_member("ana", display_name="Ana Lima")
    ben = make_member("ben", display_name="Ben Okafor")
    dee = make_member("dee", is_public_profile=True)
    befriend(ana, ben)
    do_send_friend_request(make_member("eve"), ana)
    family = do_create_circle(ana, "Family")
    do_add_to_circle(ana, family, ben)
    post = do_create_post(ana, text="Hello", audience="circles", circle_ids=[family.pk])
    reply = do_reply(ben, post, text="Hi @ana")
    do_react(ben, post, "heart")
    invite = do_create_invite(ana)
    token, _ = do_create_token(ana, "app")
    note = Notification.objects.filter(recipient=ana).first()
    return {
        "ana": ana,
        "ben": ben,
        "dee": dee,
        "family": family,
        "post": post,
        "reply": reply,
        "invite": invite,
        "token": token,
        "note": note,
    }


def snapshot():
    """Everything a member's action could change (the feed's "last seen" time aside)."""
    return {
        "posts": list(
            Post.objects.order_by("pk").values_list("pk", "text", "edited_at", "deleted_at")
        ),
        "edits": PostEdit.objects.count(),
        "reactions": list(
            Reaction.objects.order_by("pk").values_list("post_id", "member_id", "kind")
        ),
        "friends": Friendship.objects.count(),
        "requests": FriendRequest.objects.count(),
        "follows": Follow.objects.count(),
        "circles": list(Circle.objects.order_by("pk").values_list("pk", "name")),
        "circle_members": CircleMember.objects.count(),
        "notes_read": Notification.objects.filter(read_at__isnull=False).count(),
        "invites": list(Invite.objects.order_by("pk").values_list("code", "revoked", "uses")),
        "tokens": AccessToken.objects.count(),
        "members": list(
            Member.objects.order_by("pk").values_list(
                "username", "display_name", "bio", "is_public_profile"
            )
        ),
    }


def state_changing_urls(w):
    post, reply, family = w["post"].pk, w["reply"].pk, w["family"].pk
    return {
        "/posts/new": {"text": "x", "audience": "friends"},
        f"/posts/{post}/reply": {"text": "x"},
        f"/posts/{post}/react": {"kind": "laugh"},
        f"/posts/{reply}/edit": {"text": "changed"},
        f"/posts/{reply}/delete": {},
        "/@dee/follow": {"action": "follow"},
        "/@eve/friend": {"action": "accept"},
        "/@ben/friend": {"action": "unfriend"},
        "/circles/": {"name": "New"},
        f"/circles/{family}/": {"action": "delete"},
        "/notifications/read-all": {},
        f"/notifications/{w['note'].pk}/read": {},
        "/settings/": {"display_name": "Changed", "bio": "", "is_public_profile": "on"},
        "/settings/password": {
            "old_password": "a-long-test-password-42",
            "new_password1": "another-long-password-99",
            "new_password2": "another-long-password-99",
        },
        "/settings/invites": {"action": "revoke", "code": w["invite"].code},
        "/settings/tokens": {"action": "revoke", "token": w["token"].pk},
        "/logout/": {},
    }


def test_every_form_needs_its_csrf_token(world):
    ana, ben = world["ana"], world["ben"]
    before = snapshot()
    for url, data in state_changing_urls(world).items():
        client = Client(enforce_csrf_checks=True)
        client.force_login(ben if url.endswith(("/edit", "/delete")) else ana)
        response = client.post(url, data)
        assert response.status_code == 403, url
        assert "That form had expired" in response.text
    assert snapshot() == before

    client = Client(enforce_csrf_checks=True)
    client.force_login(ana)
    page = client.get("/").text
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1)
    response = client.post(
        "/posts/new", {"text": "With a token", "audience": "friends", "csrfmiddlewaretoken": token}
    )
    assert response.status_code == 302 and Post.objects.filter(text="With a token").exists()
    header = re.search(r'hx-headers=\'\{"X-CSRFToken": "([^"]+)"\}\'', page).group(1)
    response = client.post(
        f"/posts/{world['post'].pk}/react", {"kind": "wow"}, headers={"X-CSRFToken": header}
    )
    assert response.status_code == 302  # htmx requests carry the token in a header


def test_get_never_changes_state(world, login):
    as_ana = login(world["ana"])
    before = snapshot()
    for url in state_changing_urls(world):
        response = as_ana.get(url)
        # Either refused, or a page to look at (a form, a confirmation, a list).
        assert response.status_code in (200, 403, 405), (url, response.status_code)
    for url in (
        "/",
        f"/posts/{world['post'].pk}/",
        f"/posts/{world['post'].pk}/?reply_to={world['reply'].pk}",
        f"/posts/{world['post'].pk}/history",
        f"/posts/{world['post'].pk}/reactions",
        "/@ben/",
        "/friends/",
        "/friends/?username=ben",
        "/notifications/",
        f"/circles/{world['family'].pk}/",
        "/settings/tokens",
    ):
        assert as_ana.get(url).status_code in (200, 302), url
    assert snapshot() == before
    assert as_ana.get("/logout/").status_code == 405
    assert as_ana.get("/").status_code == 200  # still logged in


class _InlineFinder(HTMLParser):
    def __init__(self):
        super().__init__()
        self.problems: list[str] = []

    def handle_starttag(self, tag, attrs):
        names = {name for name, _ in attrs}
        if tag == "script" and "src" not in names:
            self.problems.append("inline <script>")
        if tag == "style":
            self.problems.append("<style> block")
        if "style" in names:
            self.problems.append(f"style attribute on <{tag}>")
        handlers = sorted(name for name in names if name.startswith("on"))
        if handlers:
            self.problems.append(f"{handlers} on <{tag}>")
        if tag in {"script", "link"}:
            for name, value in attrs:
                if name in {"src", "href"} and value and "//" in value:
                    self.problems.append(f"{tag} from another origin: {value}")


def test_pages_have_no_inline_script_or_style_and_send_the_csp(world, login):
    as_ana = login(world["ana"])
    post = world["post"].pk
    for url in (
        "/",
        f"/posts/{post}/",
        f"/posts/{post}/?reply_to={world['reply'].pk}",
        f"/posts/{post}/edit",
        f"/posts/{post}/delete",
        f"/posts/{post}/history",
        f"/posts/{post}/reactions",
        "/@ana/",
        "/@dee/",
        "/friends/",
        "/circles/",
        f"/circles/{world['family'].pk}/",
        "/notifications/",
        "/settings/",
        "/settings/password",
        "/settings/invites",
        "/settings/tokens",
        "/posts/424242/",
    ):
        response = as_ana.get(url)
        finder = _InlineFinder()
        finder.feed(response.text)
        assert finder.problems == [], (url, finder.problems)
        csp = response["Content-Security-Policy"]
        assert "script-src 'self'" in csp and "style-src 'self'" in csp
        assert "/static/porch/vendor/htmx.min.js" in response.text
    for url in ("/login/", "/signup/", f"/invite/{world['invite'].code}/"):
        finder = _InlineFinder()
        finder.feed(Client().get(url).text)
        assert finder.problems == [], (url, finder.problems)


def test_every_input_has_a_label(world, login):
    as_ana = login(world["ana"])
    for url in (
        "/",
        f"/posts/{world['post'].pk}/?reply_to={world['reply'].pk}",
        "/settings/",
        "/settings/invites",
        "/settings/tokens",
        f"/circles/{world['family'].pk}/",
        "/friends/",
    ):
        page = as_ana.get(url).text
        ids = set(
            re.findall(
                r'<(?:input|textarea|select)(?![^>]*type="(?:hidden|radio|checkbox)")[^>]*\sid="([^"]+)"',
                page,
            )
        )
        labelled = set(re.findall(r'<label[^>]*\sfor="([^"]+)"', page))
        assert ids <= labelled, (url, ids - labelled)
        unnamed = re.findall(
            r'<(?:input|textarea|select)(?![^>]*type="(?:hidden|radio|checkbox|submit)")(?![^>]*\sid=)[^>]*>',
            page,
        )
        assert unnamed == [], (url, unnamed)


def test_error_pages_look_like_the_site(world, login):
    as_ben = login(world["ben"])
    missing = as_ben.get("/posts/123456/")
    assert missing.status_code == 404 and "We can't find that" in missing.text
    assert "isn't shared with you" in missing.text and 'class="site-nav"' in missing.text
    not_mine = as_ben.get(f"/posts/{world['post'].pk}/edit")
    assert not_mine.status_code == 403 and "Only the author can change this post." in not_mine.text
    bad = as_ben.get("/?cursor=1.2.3")
    assert bad.status_code == 400 and "That page cursor is not valid." in bad.text
    unknown = Client().get("/no/such/page/")
    assert unknown.status_code == 404 and "We can't find that" in unknown.text


HOSTILE_GETS = [
    "/?cursor=1000.99999999999999999999",
    "/?cursor=99999999999999999999999.1",
    "/@ana/?cursor=-5.-5",
    "/notifications/?cursor=1000.99999999999999999999",
    "/@%00/",
    "/@" + "a" * 500 + "/",
    "/friends/?username=%00",
    "/friends/?username=" + "a" * 40,
    "/posts/1/?reply_to=99999999999999999999999",
    "/posts/99999999999999999999/",
    "/circles/99999999999999999999/",
]
HOSTILE_POSTS = [
    ("/posts/new", {"text": "a\x00b", "audience": "friends"}),
    ("/posts/new", {"text": "hi", "audience": "friends", "idempotency_key": "k" * 100}),
    ("/posts/new", {"text": "hi", "audience": "circles", "circles": ["99999999999999999999999"]}),
    ("/posts/new", {"text": "hi", "audience": "circles", "circles": ["abc"]}),
    ("/circles/", {"name": "x\x00"}),
    ("/settings/", {"display_name": "x\x00", "bio": ""}),
    ("/settings/tokens", {"action": "create", "name": "a\x00"}),
    ("/settings/tokens", {"action": "revoke", "token": "1e999"}),
    ("/settings/invites", {"action": "create", "max_uses": "99999999999999999999", "days": "1"}),
    ("/settings/invites", {"action": "revoke", "code": "\x00"}),
    ("/@ana/friend", {"action": "request\x00"}),
    ("/notifications/99999999999999999999/read", {}),
]


@pytest.mark.parametrize("url", HOSTILE_GETS)
def test_hostile_addresses_are_refused_not_crashed(world, login, url):
    assert login(world["ana"]).get(url).status_code in (200, 302, 400, 404)


@pytest.mark.parametrize(("url", "data"), HOSTILE_POSTS, ids=[u for u, _ in HOSTILE_POSTS])
def test_hostile_forms_are_refused_not_crashed(world, login, url, data):
    before = snapshot()
    response = login(world["ana"]).post(url, data)
    assert response.status_code in (302, 400, 404)
    assert snapshot() == before


@pytest.mark.parametrize(
    "path", ["/signup/?invite=%00", "/invite/%00/", "/invite/" + "x" * 300 + "/"]
)
def test_hostile_invite_codes_are_explained(db, path):
    response = Client().get(path)
    assert response.status_code == 200
    assert "That is not an invite code." in response.text or "not valid" in response.text


def test_nul_in_sign_up_and_log_in_is_a_form_error(db):
    client = Client()
    response = client.post(
        "/signup/", {"username": "a\x00b", "password1": "x", "password2": "x", "invite": "\x00"}
    )
    assert response.status_code == 400 and not Member.objects.exists()
    assert client.post("/login/", {"username": "a\x00b", "password": "x"}).status_code == 200
