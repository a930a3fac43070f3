"""Presentation helpers for Porch's templates: times, avatars, icons, reaction labels.

Nothing here decides who may see what; it only turns values the views were given
into text and markup.
"""

from __future__ import annotations

import html
import re
import zlib
from datetime import timedelta

from django import template
from django.utils import timezone
from django.utils.html import format_html, strip_tags
from django.utils.safestring import mark_safe

from porch.posts.models import Audience, ReactionKind

register = template.Library()

AVATAR_COLOURS = 8

# Small line icons (24 by 24, stroke = currentColor), drawn for Porch.
_ICON_PATHS = {
    "home": '<path d="M3 10.5 12 3l9 7.5"/><path d="M5 9.5V20h5v-6h4v6h5V9.5"/>',
    "friends": (
        '<circle cx="9" cy="8" r="3.5"/><path d="M2.5 20c.5-3.6 3.2-6 6.5-6s6 2.4 6.5 6"/>'
        '<circle cx="17" cy="9" r="2.6"/><path d="M16.5 14.2c2.6.2 4.5 2.2 5 5.3"/>'
    ),
    "circles": (
        '<circle cx="12" cy="12" r="9"/><circle cx="12" cy="12" r="5"/>'
        '<circle cx="12" cy="12" r="1.2"/>'
    ),
    "bell": (
        '<path d="M6 16V11a6 6 0 0 1 12 0v5l1.5 2h-15z"/><path d="M10 20.5a2.2 2.2 0 0 0 4 0"/>'
    ),
    "person": '<circle cx="12" cy="8" r="4"/><path d="M4 21c.8-4.2 4-7 8-7s7.2 2.8 8 7"/>',
    "gear": (
        '<circle cx="12" cy="12" r="3"/><path d="M12 2.5v3M12 18.5v3M2.5 12h3M18.5 12h3'
        'M5.3 5.3l2.1 2.1M16.6 16.6l2.1 2.1M5.3 18.7l2.1-2.1M16.6 7.4l2.1-2.1"/>'
    ),
    "logout": '<path d="M14 4h5v16h-5"/><path d="M10 8l-4 4 4 4"/><path d="M6 12h10"/>',
    "reply": '<path d="M4 5h16v11H9l-5 4z"/>',
    "answer": '<path d="M9 15 4 10l5-5"/><path d="M4 10h10a6 6 0 0 1 6 6v3"/>',
    "lock": '<rect x="5" y="11" width="14" height="9" rx="2"/><path d="M8 11V8a4 4 0 0 1 8 0v3"/>',
    "globe": (
        '<circle cx="12" cy="12" r="9"/><path d="M3 12h18"/>'
        '<path d="M12 3c2.5 2.6 3.8 5.6 3.8 9s-1.3 6.4-3.8 9c-2.5-2.6-3.8-5.6-3.8-9S9.5 5.6 12 3z"/>'
    ),
    "smile": (
        '<circle cx="12" cy="12" r="9"/><path d="M8.5 14.5c.9 1.2 2.1 1.8 3.5 1.8s2.6-.6 3.5-1.8"/>'
        '<path d="M9 9.5h.01M15 9.5h.01"/>'
    ),
    "pencil": '<path d="M4 20l1-4L16 5l3 3L8 19z"/><path d="M14 7l3 3"/>',
    "trash": '<path d="M4 7h16"/><path d="M9 7V4h6v3"/><path d="M6 7l1 13h10l1-13"/>',
    "clock": '<circle cx="12" cy="12" r="9"/><path d="M12 7v5l3 2"/>',
    "plus": '<path d="M12 5v14M5 12h14"/>',
    "check": '<path d="M5 12.5l4.5 4.5L19 7.5"/>',
    "x": '<path d="M6 6l12 12M18 6 6 18"/>',
    "copy": '<rect x="8" y="8" width="12" height="12" rx="2"/><path d="M16 8V4H4v12h4"/>',
    "key": '<circle cx="8" cy="15" r="4"/><path d="M11 12l9-9M16 7l3 3"/>',
    "link": (
        '<path d="M10 14a4 4 0 0 0 5.7 0l3-3a4 4 0 0 0-5.7-5.7l-1 1"/>'
        '<path d="M14 10a4 4 0 0 0-5.7 0l-3 3a4 4 0 0 0 5.7 5.7l1-1"/>'
    ),
    "info": '<circle cx="12" cy="12" r="9"/><path d="M12 11v5.5"/><path d="M12 7.5h.01"/>',
    "sliders": (
        '<path d="M4 7h9M17 7h3M4 17h3M11 17h9"/><circle cx="15" cy="7" r="2"/>'
        '<circle cx="9" cy="17" r="2"/>'
    ),
    "flag": '<path d="M5 21V4"/><path d="M5 4h12l-2 4 2 4H5"/>',
    "shield": '<path d="M12 3l8 3v6c0 4.5-3.4 8.2-8 9-4.6-.8-8-4.5-8-9V6z"/>',
    "porch": (
        '<path d="M3 11 12 4l9 7"/><path d="M5 10v10h14V10"/><path d="M9 20v-6h6v6"/>'
        '<path d="M3 20h18"/>'
    ),
}


@register.simple_tag
def icon(name: str, css_class: str = "icon") -> str:
    """An inline SVG icon, hidden from screen readers (the text next to it says it)."""
    paths = _ICON_PATHS[name]
    return format_html(
        '<svg class="{}" viewBox="0 0 24 24" width="20" height="20" fill="none" '
        'stroke="currentColor" stroke-width="1.8" stroke-linecap="round" '
        'stroke-linejoin="round" aria-hidden="true" focusable="false">{}</svg>',
        css_class,
        mark_safe(paths),  # noqa: S308 (constant markup defined above)
    )


@register.filter
def avatar_colour(member) -> str:
    """A stable colour class for a member's initial avatar, from their username."""
    username = getattr(member, "username", "") or ""
    return f"av-{zlib.crc32(username.lower().encode()) % AVATAR_COLOURS}"


@register.filter
def initial(member) -> str:
    name = getattr(member, "name", "") or "?"
    return name.strip()[:1].upper() or "?"


@register.filter
def ago(moment) -> str:
    """A short, human time: "just now", "5 min", "3 h", "2 d", "4 Mar", "4 Mar 2024"."""
    if moment is None:
        return ""
    now = timezone.now()
    delta = now - moment
    if delta < timedelta(minutes=1):
        return "just now"
    if delta < timedelta(hours=1):
        return f"{int(delta.total_seconds() // 60)} min"
    if delta < timedelta(days=1):
        return f"{int(delta.total_seconds() // 3600)} h"
    if delta < timedelta(days=7):
        return f"{delta.days} d"
    local = timezone.localtime(moment)
    if local.year == timezone.localtime(now).year:
        return f"{local.day} {local:%b}"
    return f"{local.day} {local:%b %Y}"


@register.filter
def full_time(moment) -> str:
    """The exact time, for a ``title`` tooltip."""
    if moment is None:
        return ""
    local = timezone.localtime(moment)
    return f"{local.day} {local:%B %Y, %H:%M} {local:%Z}"


@register.filter
def reaction_emoji(kind: str | None) -> str:
    if not kind:
        return ""
    return ReactionKind(kind).label if kind in ReactionKind.values else ""


_REACTION_WORDS = {
    ReactionKind.HEART: "love",
    ReactionKind.LAUGH: "laugh",
    ReactionKind.WOW: "wow",
    ReactionKind.SAD: "sad",
    ReactionKind.PRAY: "thanks",
    ReactionKind.THUMBS_UP: "like",
}


@register.filter
def reaction_word(kind: str | None) -> str:
    return _REACTION_WORDS.get(kind, "") if kind else ""


@register.filter
def reaction_counts(summary) -> list[tuple[str, str, int]]:
    """(kind, emoji, count) for the kinds with a count, in the picker's order."""
    counts = getattr(summary, "counts", None) or {}
    return [(kind, label, counts[kind]) for kind, label in ReactionKind.choices if counts.get(kind)]


_AUDIENCE_ICONS = {
    Audience.ONLY_ME: "lock",
    Audience.CIRCLES: "circles",
    Audience.FRIENDS: "friends",
    Audience.FRIENDS_OF_FRIENDS: "friends",
    Audience.PUBLIC: "globe",
}


@register.filter
def audience_icon(audience: str) -> str:
    return _AUDIENCE_ICONS.get(audience, "friends")


@register.filter
def audience_label(audience: str) -> str:
    return Audience(audience).label if audience in Audience.values else ""


@register.filter
def indent_level(depth: int, cap: int = 3) -> int:
    """How far a reply is indented: its depth, but never more than ``cap`` steps."""
    return min(int(depth or 0), int(cap))


@register.filter
def ago_phrase(moment) -> str:
    """``ago`` for the middle of a sentence: "just now", "5 min ago", "on 4 Mar"."""
    short = ago(moment)
    if not short or short == "just now":
        return short
    if short[0].isdigit() and short.split(" ", 1)[1] in {"min", "h", "d"}:
        return f"{short} ago"
    return f"on {short}"


@register.filter
def plain_text(rendered_html: str) -> str:
    """A post's rendered HTML as plain text (for short previews); escaped again on output."""
    return " ".join(html.unescape(strip_tags(rendered_html or "")).split())


_WHY_SCORE = re.compile(r"^(?P<reason>.*\S)\s+\((?P<score>[+\-]?\d+(?:\.\d+)?)\)$")


@register.filter
def why_parts(reasons) -> list[tuple[str, str]]:
    """A ranked post's reasons ("Dan hasn't had a reply yet (+1.83)") as (reason, score)
    pairs, so the score can sit apart; a reason without a score keeps it empty."""
    parts = []
    for reason in reasons or ():
        match = _WHY_SCORE.match(str(reason))
        parts.append((match["reason"], match["score"]) if match else (str(reason), ""))
    return parts


@register.filter
def source_host(url: str) -> str:
    """A source link's site name ("www.example.org"), to show instead of the whole address."""
    from urllib.parse import urlsplit

    return urlsplit(url or "").hostname or url
