"""Settings → Filters, and filtered posts in the pages."""

from __future__ import annotations

from porch.posts.models import Audience
from porch.posts.services import do_create_post
from porch.safety.models import KeywordFilter


def test_add_a_filter_and_see_posts_hidden_or_behind_a_warning(ana, ben, login):
    spoiler = do_create_post(ben, text="Spoiler: the butler did it", audience=Audience.FRIENDS)
    do_create_post(ben, text="Election night party", audience=Audience.FRIENDS)
    client = login(ana)
    page = client.get("/settings/filters")
    assert "New filter" in page.text and "No filters yet" in page.text
    done = client.post(
        "/settings/filters",
        {"do": "add", "phrase": "spoiler", "action": "hide", "expires_in_days": "7"},
        follow=True,
    )
    assert "Filter added: “spoiler”" in done.text and "until" in done.text
    client.post("/settings/filters", {"do": "add", "phrase": "election", "action": "warn"})
    home = client.get("/").text
    assert "the butler did it" not in home
    assert "Hidden by your filter “election”" in home and "Election night party" in home
    # Opened on purpose, a hidden post shows behind the warning.
    detail = client.get(f"/posts/{spoiler.pk}/").text
    assert "Hidden by your filter “spoiler”" in detail and "the butler did it" in detail
    assert "the butler did it" in login(ben).get("/").text
    removed = client.post(
        "/settings/filters",
        {"do": "remove", "filter": KeywordFilter.objects.get(phrase="spoiler").pk},
        follow=True,
    )
    assert "Filter removed" in removed.text
    assert "the butler did it" in client.get("/").text


def test_a_bad_filter_is_a_form_error_that_keeps_the_input(ana, login):
    client = login(ana)
    page = client.post("/settings/filters", {"do": "add", "phrase": "!!!", "action": "hide"})
    assert page.status_code == 400 and "at least one letter" in page.text
    assert 'value="!!!"' in page.text
    assert client.post("/settings/filters", {"do": "purge"}).status_code == 400
    assert not KeywordFilter.objects.exists()
