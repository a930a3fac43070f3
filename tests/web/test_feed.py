"""The home feed and the compose box: every audience, form errors, the caught-up marker,
paging, and a query count that does not grow with the number of posts."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from porch.feed.preferences import do_set_feed_settings
from porch.graph.services import do_add_to_circle, do_create_circle
from porch.posts.models import Audience, Post
from porch.posts.services import do_create_post, do_react, do_reply

DIVIDER = "You're all caught up — older posts below"
END = "That's everything. You're all caught up."


def compose(client, text="Hello friends", audience="friends", circles=(), key=None):
    data = {"text": text, "audience": audience, "idempotency_key": key or ""}
    if circles:
        data["circles"] = [str(c) for c in circles]
    return client.post("/posts/new", data)


def posted_at(post, minutes_ago):
    Post.objects.filter(pk=post.pk).update(
        created_at=timezone.now() - timedelta(minutes=minutes_ago)
    )


@pytest.mark.parametrize(
    "audience", ["only_me", "friends", "friends_of_friends", "public"], ids=str
)
def test_compose_to_each_audience(ana, login, audience):
    client = login(ana)
    response = compose(client, f"To {audience}", audience)
    post = Post.objects.get(author=ana)
    assert response.status_code == 302 and response.url == f"/#post-{post.pk}"
    assert (post.audience, post.text) == (audience, f"To {audience}")
    label = dict(Audience.choices)[audience]
    card = client.get("/").text
    assert f"To {audience}" in card and label in card


def test_compose_to_circles(ana, ben, make_member, befriend, login):
    cy = make_member("cy")
    befriend(ana, cy)
    family = do_create_circle(ana, "Family")
    book_club = do_create_circle(ana, "Book club")
    do_add_to_circle(ana, family, ben)
    do_add_to_circle(ana, book_club, cy)
    client = login(ana)
    page = client.get("/").text
    assert f'name="circles" value="{family.pk}"' in page and "Book club" in page

    compose(client, "Family and books", "circles", [family.pk, book_club.pk])

    post = Post.objects.get(author=ana)
    assert post.audience == "circles"
    assert set(post.circles.all()) == {family, book_club}
    assert "Book club, Family" in client.get("/").text  # the author sees the circle names
    ben_sees = login(ben).get("/").text
    assert "Family and books" in ben_sees and "A circle" in ben_sees
    assert "Book club" not in ben_sees and "Family<" not in ben_sees


def test_compose_errors_are_shown_on_the_form(ana, login, make_member):
    stranger = make_member("stranger")
    theirs = do_create_circle(stranger, "Theirs")
    mine = do_create_circle(ana, "Mine")
    client = login(ana)

    too_long = compose(client, "x" * 5001)
    assert too_long.status_code == 400
    assert "Posts can be at most 5,000 characters (this one has 5,001)." in too_long.text
    assert "x" * 5001 in too_long.text  # nothing typed is lost

    empty = compose(client, "   ")
    assert empty.status_code == 400 and "Write something first." in empty.text

    someone_elses = compose(client, "Sneaky", "circles", [theirs.pk])
    assert someone_elses.status_code == 400 and "Unknown circle." in someone_elses.text

    none_chosen = compose(client, "Which circle?", "circles")
    assert "Choose at least one circle." in none_chosen.text

    mixed = compose(client, "Mixed", "friends", [mine.pk])
    assert "Circles can only be chosen with the circles audience." in mixed.text

    nonsense = compose(client, "Who?", "everyone")
    assert nonsense.status_code == 400 and "Choose who can see this" in nonsense.text

    assert not Post.objects.exists()


def test_a_double_submitted_form_makes_one_post(ana, login):
    client = login(ana)
    page = client.get("/").text
    key = re.search(r'name="idempotency_key" value="([0-9a-f]{32})"', page).group(1)
    assert key not in client.get("/").text  # every rendering has its own key
    first = compose(client, "Only once", key=key)
    second = compose(client, "Only once", key=key)
    assert first.url == second.url
    assert Post.objects.filter(author=ana).count() == 1


def test_the_feed_holds_my_people_only(ana, ben, make_member, login):
    stranger = make_member("stranger")
    do_create_post(stranger, text="Stranger danger", audience=Audience.PUBLIC)
    do_create_post(ben, text="From Ben", audience=Audience.FRIENDS)
    do_create_post(ana, text="From me", audience=Audience.ONLY_ME)
    page = login(ana).get("/").text
    assert "From Ben" in page and "From me" in page
    assert "Stranger danger" not in page


def test_a_post_card_shows_author_time_audience_and_replies(ana, ben, login):
    post = do_create_post(ben, text="Hello **there**", audience=Audience.FRIENDS)
    do_reply(ana, post, text="hi")
    do_reply(ben, post, text="hello again")
    page = login(ana).get("/").text
    assert 'href="/@ben/">Ben Okafor</a>' in page
    assert "<strong>there</strong>" in page
    assert f'href="/posts/{post.pk}/"' in page and "2 replies" in page
    assert "<time datetime=" in page and "Friends" in page


def test_empty_feed_invites_to_write_or_add_friends(ana, login):
    page = login(ana).get("/").text
    assert "No posts yet — write something, or add friends." in page
    assert DIVIDER not in page and END not in page


def test_caught_up_marker_follows_the_new_posts(ana, ben, login):
    do_set_feed_settings(ana, order="chronological")
    client = login(ana)
    old = [do_create_post(ben, text=f"old {i}", audience="friends") for i in range(3)]
    for minutes, post in zip((30, 20, 10), old, strict=True):
        posted_at(post, minutes)
    first_visit = client.get("/").text
    assert DIVIDER not in first_visit  # everything was new: only the end
    assert END in first_visit

    do_create_post(ben, text="brand new", audience="friends")
    page = client.get("/").text
    assert page.index("brand new") < page.index(DIVIDER) < page.index("old 2")
    assert page.index(END) > page.index("old 0")

    again = client.get("/").text  # nothing new since: the divider opens the feed
    assert again.index(DIVIDER) < again.index("brand new")


def test_older_posts_page_keeps_the_same_marker(ana, ben, login):
    do_set_feed_settings(ana, order="chronological")
    client = login(ana)
    for i in range(25):
        posted_at(do_create_post(ben, text=f"seen {i:02}", audience="friends"), 200 - i)
    client.get("/")  # all seen now
    for i in range(21):
        posted_at(do_create_post(ben, text=f"fresh {i:02}", audience="friends"), 100 - i)

    first = client.get("/")
    assert first.text.count('class="card post"') == 20
    assert DIVIDER not in first.text and END not in first.text
    older = re.search(r'href="(/\?cursor=[0-9.]+)"', first.text).group(1)
    assert "Older posts" in first.text

    second = client.get(older).text
    # One fresh post is left, then the divider (by the visit's first page, although
    # the stored "last seen" has moved on since), then what was seen before.
    assert second.index("fresh 00") < second.index(DIVIDER) < second.index("seen 24")
    assert "fresh 01" not in second
    third = client.get(re.search(r'href="(/\?cursor=[0-9.]+)"', second).group(1)).text
    assert END in third and "seen 00" in third


def test_older_posts_with_htmx_is_a_fragment(ana, ben, login):
    client = login(ana)
    for i in range(22):
        do_create_post(ben, text=f"post {i}", audience="friends")
    first = client.get("/").text
    older = re.search(r'hx-get="(/\?cursor=[ro]?[0-9.]+)"', first).group(1)
    fragment = client.get(older, headers={"HX-Request": "true"})
    assert fragment.status_code == 200
    assert "<html" not in fragment.text and "post 0" in fragment.text
    assert 'class="card post"' in fragment.text and END in fragment.text


def test_a_broken_cursor_is_a_400_page(ana, login):
    response = login(ana).get("/?cursor=nonsense")
    assert response.status_code == 400
    assert "That page cursor is not valid." in response.text


def test_reaction_counts_only_for_the_author(ana, ben, login):
    post = do_create_post(ben, text="React to me", audience="friends")
    do_react(ana, post, "heart")
    ana_page = login(ana).get("/").text
    assert "Remove your “love” reaction" in ana_page  # her own reaction, nothing more
    assert 'class="counts"' not in ana_page
    ben_page = login(ben).get("/").text
    assert 'class="counts"' in ben_page and f'href="/posts/{post.pk}/reactions"' in ben_page


def _rich_feed(ana, ben, n):
    family = do_create_circle(ana, f"Family {n}")
    do_add_to_circle(ana, family, ben)
    for i in range(n):
        mine = do_create_post(ana, text=f"mine {i}", audience="circles", circle_ids=[family.pk])
        theirs = do_create_post(ben, text=f"theirs {i} @ana", audience="friends")
        do_reply(ben, mine, text="reply")
        do_react(ben, mine, "heart")
        do_react(ana, theirs, "laugh")


def test_feed_queries_do_not_grow_with_posts(ana, ben, login, django_assert_max_num_queries):
    client = login(ana)
    client.get("/")  # the session and the site settings exist from here on
    _rich_feed(ana, ben, 2)
    with CaptureQueriesContext(connection) as few:
        assert client.get("/").status_code == 200
    _rich_feed(ana, ben, 9)
    with django_assert_max_num_queries(len(few)):
        page = client.get("/")
    assert page.text.count('class="card post"') == 20


def test_why_am_i_seeing_this_on_the_feed_only(ana, ben, login):
    post = do_create_post(ben, text="Good morning all", audience="friends")
    client = login(ana)
    home = client.get("/").text
    assert "Why am I seeing this?" in home
    assert "Ben Okafor hasn&#x27;t had a reply yet" in home
    assert 'href="/settings/feed"' in home
    assert "Why am I seeing this?" not in client.get(f"/posts/{post.pk}/").text


def test_the_order_switch(ana, ben, login):
    do_create_post(ben, text="hello", audience="friends")
    client = login(ana)
    switched = client.post("/feed/order", {"order": "chronological"})
    assert switched.status_code == 302
    home = client.get("/").text
    assert 'value="chronological" aria-pressed="true"' in home
    assert "Newest first: you chose chronological order" in home
    bad = client.post("/feed/order", {"order": "popular"})
    assert bad.status_code == 400
    assert client.get("/feed/order").status_code == 405


def test_feed_settings_page_presets_sliders_and_errors(ana, login):
    from porch.feed.preferences import DEFAULT_WEIGHTS, SLIDERS, feed_settings

    client = login(ana)
    page = client.get("/settings/feed").text
    for slider in SLIDERS:
        assert f'name="{slider.name}"' in page and 'type="range"' in page
    assert client.post("/settings/feed", {"preset": "close"}).status_code == 302
    assert feed_settings(ana).preset == "close"
    data = {"order": "chronological"}
    data.update({s.name: str(getattr(DEFAULT_WEIGHTS, s.name)) for s in SLIDERS})
    data.update({"recency": "7", "unanswered": "4.5"})
    saved = client.post("/settings/feed", data)
    assert saved.status_code == 302, saved.content[:500]
    current = feed_settings(ana)
    assert current.order == "chronological"
    assert current.overrides["recency"] == 7 and current.overrides["unanswered"] == 4.5
    refused = client.post("/settings/feed", {**data, "recency": "500"})
    assert refused.status_code == 400
    assert feed_settings(ana) == current
    assert client.post("/settings/feed", {"preset": "viral"}).status_code == 400
    assert client.post("/settings/feed", {"preset": "balanced"}).status_code == 302
    assert feed_settings(ana).overrides == {}
