"""Rows read on most requests are kept in the cache (porch.cache.kept) and forgotten by
every write: what a member or the host changes shows on the very next read."""

import pytest
from django.core.cache import cache
from django.db import transaction

from porch.accounts.models import Member, SiteSettings
from porch.feed.preferences import do_set_feed_settings, feed_settings, preference_key
from porch.safety.filters import active_filters, do_add_filter, do_remove_filter, filters_key

# Committed writes, as in the server (each test's rows are deleted afterwards).
pytestmark = pytest.mark.django_db(transaction=True)


def test_site_settings_are_kept_and_a_save_shows_at_once():
    site = SiteSettings.current()
    assert cache.get(SiteSettings.CACHE_KEY).site_name == site.site_name
    site.site_name = "Elm Street"
    site.save()
    assert cache.get(SiteSettings.CACHE_KEY) is None
    assert SiteSettings.current().site_name == "Elm Street"
    SiteSettings.objects.all().delete()  # a queryset's delete forgets too
    assert SiteSettings.current().site_name == "Porch"


def test_a_members_filters_and_feed_settings_follow_their_changes(make_member):
    ana = make_member("ana")
    assert active_filters(ana) == [] and cache.get(filters_key(ana.pk)) == []
    made = do_add_filter(ana, phrase="spoiler", action="hide")
    assert [f.phrase for f in active_filters(ana)] == ["spoiler"]
    do_remove_filter(ana, made.pk)
    assert active_filters(ana) == []

    assert feed_settings(ana).order == "conversation"
    do_set_feed_settings(ana, order="chronological")
    assert feed_settings(ana).order == "chronological"
    assert cache.get(preference_key(ana.pk)).order == "chronological"

    do_add_filter(ana, phrase="match", action="warn")
    active_filters(ana)
    Member.objects.filter(pk=ana.pk).delete()  # the cascade forgets what it deleted
    assert cache.get(filters_key(ana.pk)) is None
    assert cache.get(preference_key(ana.pk)) is None


def test_nothing_read_inside_a_transaction_is_kept():
    with transaction.atomic():
        site = SiteSettings.current()
        site.site_name = "Rolled back"
        site.save()
        assert SiteSettings.current().site_name == "Rolled back"
        transaction.set_rollback(True)
    assert cache.get(SiteSettings.CACHE_KEY) is None
    assert SiteSettings.current().site_name == "Porch"


def test_the_unread_count_follows_every_notification_written_or_read(make_member, befriend):
    from porch.notifications.services import do_mark_all_read, do_mark_read, unread_count
    from porch.posts.services import do_create_post, do_reply

    ana, ben = make_member("ana"), make_member("ben")
    befriend(ana, ben)
    post = do_create_post(ana, text="hello", audience="friends")
    assert unread_count(ana) == 1  # ben's friendship was accepted
    do_reply(ben, post, text="hi ana")
    do_reply(ben, post, text="and again")
    assert unread_count(ana) == 3
    newest = ana.notifications.order_by("-created_at", "-id").first()
    do_mark_read(ana, newest.pk)
    assert unread_count(ana) == 2
    assert do_mark_all_read(ana) == 2
    assert unread_count(ana) == 0
