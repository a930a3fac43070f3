"""Keyword filters: add, remove, list, and apply to posts about to be shown.

Matching is on whole words and ignores case: the filter "cat" hides "Cat!" and "my
cat's toy" but not "category"; a phrase matches its words in order with any spacing
between them. Filters only change what their owner sees; nobody else is affected and
nobody is told.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import timedelta

from django.db import transaction
from django.utils import timezone

from porch.cache import kept
from porch.errors import Conflict, InvalidInput, NotFound, check_no_nul

from .models import FILTERS_PER_MEMBER_LIMIT, PHRASE_MAX_LENGTH, FilterAction, KeywordFilter

EXPIRY_CHOICES_DAYS = (1, 7, 30, 365)


@dataclass(frozen=True)
class FilterMatch:
    phrase: str
    action: str


def pattern(phrase: str) -> re.Pattern:
    """The whole-word, any-case pattern for ``phrase``."""
    words = [re.escape(word) for word in phrase.split()]
    return re.compile(r"(?<!\w)" + r"\s+".join(words) + r"(?!\w)", re.IGNORECASE)


def first_match(filters: list[KeywordFilter], text: str) -> FilterMatch | None:
    """The filter ``text`` trips, hiding ones first; None when it trips none."""
    matched = [f for f in filters if pattern(f.phrase).search(text)]
    if not matched:
        return None
    best = min(matched, key=lambda f: (f.action != FilterAction.HIDE, f.phrase.lower()))
    return FilterMatch(best.phrase, best.action)


def check_phrase(phrase) -> str:
    if not isinstance(phrase, str):
        raise InvalidInput("Give a word or phrase.", field="phrase")
    check_no_nul(phrase, "phrase")
    phrase = " ".join(phrase.split())
    if not phrase:
        raise InvalidInput("Give a word or phrase.", field="phrase")
    if len(phrase) > PHRASE_MAX_LENGTH:
        raise InvalidInput(f"A filter is at most {PHRASE_MAX_LENGTH} characters.", field="phrase")
    if not re.search(r"\w", phrase):
        raise InvalidInput("A filter needs at least one letter or digit.", field="phrase")
    return phrase


def check_action(action) -> str:
    if action not in FilterAction.values:
        raise InvalidInput(f"Choose what to do: {', '.join(FilterAction.values)}.", field="action")
    return action


def check_expiry_days(days) -> int | None:
    if days in (None, "", 0):
        return None
    if isinstance(days, bool) or not isinstance(days, int) or days not in EXPIRY_CHOICES_DAYS:
        choices = ", ".join(map(str, EXPIRY_CHOICES_DAYS))
        raise InvalidInput(f"Expire after {choices} days, or never.", field="expires_in_days")
    return days


def filters_key(member_id: int) -> str:
    """The cache key of a member's filters (forgotten whenever one changes: safety.apps)."""
    return f"safety:filters:{member_id}"


def active_filters(member) -> list[KeywordFilter]:
    """The member's filters that have not expired. All their filters (a handful) are
    kept in the cache, read on every page of posts; expiry is checked here."""
    if not member.is_authenticated:
        return []
    mine = kept(filters_key(member.pk), lambda: list(KeywordFilter.objects.filter(member=member)))
    now = timezone.now()
    return [f for f in mine if f.expires_at is None or f.expires_at > now]


def do_add_filter(member, *, phrase, action, expires_in_days=None) -> KeywordFilter:
    phrase = check_phrase(phrase)
    action = check_action(action)
    days = check_expiry_days(expires_in_days)
    expires_at = timezone.now() + timedelta(days=days) if days else None
    with transaction.atomic():
        mine = KeywordFilter.objects.select_for_update().filter(member=member)
        existing = [f for f in mine if f.phrase.lower() == phrase.lower()]
        if existing and (existing[0].expires_at is None or existing[0].expires_at > timezone.now()):
            raise Conflict(f"You already filter “{existing[0].phrase}”.", field="phrase")
        for stale in existing:
            stale.delete()
        if len(mine) - len(existing) >= FILTERS_PER_MEMBER_LIMIT:
            raise Conflict(f"You can keep at most {FILTERS_PER_MEMBER_LIMIT} filters.")
        return KeywordFilter.objects.create(
            member=member, phrase=phrase, action=action, expires_at=expires_at
        )


def do_remove_filter(member, filter_id) -> None:
    deleted, _ = KeywordFilter.objects.filter(member=member, pk=filter_id).delete()
    if not deleted:
        raise NotFound("No such filter.")


def apply_filters(viewer, posts: list) -> list:
    """Set ``post.filtered`` (a ``FilterMatch`` or None) on each post for ``viewer``;
    their own posts are never filtered. One query for any number of posts."""
    filters = active_filters(viewer) if posts else []
    for post in posts:
        own = viewer.is_authenticated and post.author_id == viewer.pk
        post.filtered = None if own or not filters else first_match(filters, post.text)
    return posts
