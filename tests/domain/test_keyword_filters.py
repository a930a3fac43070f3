"""Keyword filters: whole-word, any-case matching, expiry, and what they hide."""

from datetime import timedelta

import pytest
from django.utils import timezone
from hypothesis import given
from hypothesis import strategies as st

from porch.errors import Conflict, InvalidInput, NotFound
from porch.posts.models import Audience
from porch.posts.services import do_create_post
from porch.safety.filters import (
    active_filters,
    apply_filters,
    do_add_filter,
    do_remove_filter,
    first_match,
    pattern,
)
from porch.safety.models import KeywordFilter


@pytest.mark.parametrize(
    ("phrase", "text", "matches"),
    [
        ("cat", "My Cat!", True),
        ("cat", "my cat's toy", True),
        ("cat", "category", False),
        ("cat", "bobcat", False),
        ("spoiler alert", "SPOILER   alert: he dies", True),
        ("spoiler alert", "spoiler, alert", False),
        ("c++", "I write C++ daily", True),
        ("élan", "Quel Élan !", True),
        ("2024", "back in 2024.", True),
    ],
)
def test_whole_words_in_any_case(phrase, text, matches):
    assert bool(pattern(phrase).search(text)) is matches


@given(st.text(alphabet="abcxyz ", min_size=1, max_size=12).filter(str.strip), st.text(max_size=40))
def test_a_phrase_always_matches_itself_inside_spaces(phrase, noise):
    phrase = " ".join(phrase.split())
    assert pattern(phrase).search(f"{noise} {phrase.upper()} {noise}")


def test_hiding_filters_win_over_warnings(make_member):
    ana = make_member("ana")
    do_add_filter(ana, phrase="election", action="warn")
    do_add_filter(ana, phrase="results", action="hide")
    match = first_match(active_filters(ana), "Election results tonight")
    assert (match.phrase, match.action) == ("results", "hide")


def test_filters_apply_to_what_others_wrote_until_they_expire(make_member, befriend, monkeypatch):
    ana, ben = make_member("ana"), make_member("ben")
    befriend(ana, ben)
    news = do_create_post(ben, text="Big match tonight!", audience=Audience.FRIENDS)
    mine = do_create_post(ana, text="Who won the match?", audience=Audience.FRIENDS)
    made = do_add_filter(ana, phrase="match", action="hide", expires_in_days=1)
    apply_filters(ana, [news, mine])
    assert news.filtered.action == "hide" and mine.filtered is None  # never your own
    apply_filters(ben, [news])
    assert news.filtered is None  # only the owner's view changes
    # Two days later (the kept filters are checked against the clock as they are read).
    later = made.expires_at + timedelta(days=1)
    monkeypatch.setattr(timezone, "now", lambda: later)
    apply_filters(ana, [news])
    assert news.filtered is None
    # An expired filter can be added again.
    do_add_filter(ana, phrase="Match", action="warn")
    assert [f.action for f in active_filters(ana)] == ["warn"]


def test_bad_filters_are_refused_clearly(make_member):
    ana = make_member("ana")
    for phrase, message in [
        ("", "Give a word"),
        ("   ", "Give a word"),
        ("!!!", "at least one letter"),
        ("x" * 101, "at most 100"),
        ("a\x00b", "NUL"),
    ]:
        with pytest.raises(InvalidInput, match=message):
            do_add_filter(ana, phrase=phrase, action="hide")
    with pytest.raises(InvalidInput, match="Choose what to do"):
        do_add_filter(ana, phrase="ok", action="delete")
    with pytest.raises(InvalidInput, match="Expire after"):
        do_add_filter(ana, phrase="ok", action="hide", expires_in_days=3)
    do_add_filter(ana, phrase="Spoilers", action="hide")
    with pytest.raises(Conflict, match="already filter"):
        do_add_filter(ana, phrase="  spoilers ", action="warn")
    with pytest.raises(NotFound):
        do_remove_filter(ana, 999)
    assert not KeywordFilter.objects.filter(phrase__in=["", "!!!", "ok"]).exists()
