"""How a member wants their home feed: the order, and the conversation ranker's weights.

Members pick a preset or move sliders; either way what is stored is the set of weights
that differ from the ranker's defaults, so improving a default reaches everyone who
did not move that slider.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, replace

from django.db import transaction

from porch.cache import kept
from porch.errors import InvalidInput

from .models import FeedOrder, FeedPreference
from .rankers import Weights

DEFAULT_WEIGHTS = Weights()


@dataclass(frozen=True)
class Slider:
    """How the settings page and the API present one weight."""

    name: str
    label: str
    help: str
    minimum: float
    maximum: float
    step: float
    integer: bool = False


SLIDERS: tuple[Slider, ...] = (
    Slider("friendship", "Friends", "How much being friends lifts a post.", 0, 5, 0.1),
    Slider(
        "shared_circle", "Shared circles", "Lift per circle of yours the author is in.", 0, 3, 0.1
    ),
    Slider(
        "two_way",
        "People you talk with",
        "Lift for people you reply to and who reply to you.",
        0,
        5,
        0.1,
    ),
    Slider(
        "unanswered",
        "Nobody has answered yet",
        "Lift for a friend's post with no reply yet, for as long as it waits.",
        0,
        6,
        0.1,
    ),
    Slider(
        "unanswered_hours",
        "Unanswered for up to (hours)",
        "How long a post counts as waiting for a reply.",
        1,
        72,
        1,
    ),
    Slider(
        "conversation",
        "Conversations among people you know",
        "Lift for posts your friends are replying to.",
        0,
        5,
        0.1,
    ),
    Slider(
        "reciprocity",
        "Authors who answer others",
        "Lift for people who reply to others; people who only broadcast sink.",
        0,
        5,
        0.1,
    ),
    Slider("recency", "Freshness", "How much a new post is lifted over an old one.", 0, 10, 0.1),
    Slider(
        "half_life_hours",
        "Freshness half-life (hours)",
        "After this many hours a post keeps half its freshness.",
        1,
        96,
        1,
    ),
    Slider("seen_penalty", "Already seen", "How far a post you have seen sinks.", 0, 10, 0.1),
    Slider(
        "per_author_limit",
        "Posts per person in a row",
        "At most this many posts by one person in any stretch of the feed…",
        1,
        10,
        1,
        integer=True,
    ),
    Slider(
        "diversity_window",
        "…out of this many",
        "The length of that stretch.",
        2,
        30,
        1,
        integer=True,
    ),
)
SLIDER_BY_NAME = {slider.name: slider for slider in SLIDERS}


@dataclass(frozen=True)
class Preset:
    key: str
    label: str
    description: str
    # Multipliers on the default weights; a preset follows the defaults when they change.
    scale: dict[str, float]

    def weights(self) -> dict[str, float]:
        return {
            name: _clamp(name, getattr(DEFAULT_WEIGHTS, name) * k) for name, k in self.scale.items()
        }


PRESETS: tuple[Preset, ...] = (
    Preset("balanced", "Balanced", "Porch's defaults.", {}),
    Preset(
        "close",
        "Close friends first",
        "Friends, your circles and the people you talk with most.",
        {"friendship": 2.0, "shared_circle": 3.0, "two_way": 2.0, "reciprocity": 0.5},
    ),
    Preset(
        "unanswered",
        "Nobody left unanswered",
        "Friends' posts still waiting for a reply, and conversations you could join.",
        {"unanswered": 2.0, "unanswered_hours": 1.5, "conversation": 1.5, "reciprocity": 1.5},
    ),
    Preset(
        "fresh",
        "Freshest first",
        "Mostly newest first, with a light touch of conversation.",
        {"recency": 2.5, "half_life_hours": 0.5, "unanswered": 0.5, "two_way": 0.5},
    ),
)
PRESET_BY_KEY = {preset.key: preset for preset in PRESETS}


def _clamp(name: str, value: float) -> float:
    slider = SLIDER_BY_NAME[name]
    value = min(max(value, slider.minimum), slider.maximum)
    return round(value) if slider.integer else round(value, 4)


@dataclass(frozen=True)
class FeedSettings:
    order: str
    # Only the weights the member changed; the rest follow the defaults.
    overrides: dict[str, float]

    @property
    def weights(self) -> Weights:
        return replace(DEFAULT_WEIGHTS, **self.overrides)

    @property
    def preset(self) -> str | None:
        """The preset these weights are, or None for the member's own mix."""
        for preset in PRESETS:
            if preset.weights() == self.overrides:
                return preset.key
        return None

    def all_weights(self) -> dict[str, float]:
        weights = self.weights
        return {slider.name: getattr(weights, slider.name) for slider in SLIDERS}


def feed_settings(member) -> FeedSettings:
    """The member's feed settings; defaults when they never changed them."""
    preference = kept(
        preference_key(member.pk),
        lambda: FeedPreference.objects.filter(member_id=member.pk).first(),
    )
    if preference is None:
        return FeedSettings(order=FeedOrder.CONVERSATION, overrides={})
    return FeedSettings(order=preference.order, overrides=_known(preference.weights))


def preference_key(member_id: int) -> str:
    """The cache key of a member's stored settings, read on every feed page (forgotten
    whenever they change: feed.apps)."""
    return f"feed:preference:{member_id}"


def _known(stored: dict) -> dict[str, float]:
    # A weight a later version dropped, or a value out of today's range, is not an error
    # for the member: keep what still means something, within range.
    known = {}
    for name, value in (stored or {}).items():
        if name in SLIDER_BY_NAME and isinstance(value, int | float) and math.isfinite(value):
            known[name] = _clamp(name, value)
    return known


def check_order(order: str) -> str:
    if order not in FeedOrder.values:
        choices = ", ".join(FeedOrder.values)
        raise InvalidInput(f"Choose a feed order: {choices}.", field="order")
    return order


def check_weights(weights: dict) -> dict[str, float]:
    """Validate weights a member sent: known names, finite numbers within each slider's
    range (whole numbers where the slider is whole). Returns only those that differ
    from the defaults."""
    if not isinstance(weights, dict):
        raise InvalidInput("Weights must be an object of name: number.", field="weights")
    unknown = sorted(set(weights) - set(SLIDER_BY_NAME))
    if unknown:
        raise InvalidInput(
            f"Unknown weight {', '.join(map(str, unknown))}; the weights are "
            f"{', '.join(SLIDER_BY_NAME)}.",
            field="weights",
        )
    checked = {}
    for name, value in weights.items():
        slider = SLIDER_BY_NAME[name]
        if (
            isinstance(value, bool)
            or not isinstance(value, int | float)
            or not math.isfinite(value)
        ):
            raise InvalidInput(f"{slider.label}: give a number.", field=name)
        if not slider.minimum <= value <= slider.maximum:
            raise InvalidInput(
                f"{slider.label}: choose from {slider.minimum:g} to {slider.maximum:g}.",
                field=name,
            )
        if slider.integer and value != int(value):
            raise InvalidInput(f"{slider.label}: choose a whole number.", field=name)
        value = int(value) if slider.integer else float(value)
        if value != getattr(DEFAULT_WEIGHTS, name):
            checked[name] = value
    return checked


def check_preset(key: str) -> Preset:
    preset = PRESET_BY_KEY.get(key)
    if preset is None:
        raise InvalidInput(f"Choose a preset: {', '.join(PRESET_BY_KEY)}.", field="preset")
    return preset


def do_set_feed_settings(
    member,
    *,
    order: str | None = None,
    preset: str | None = None,
    weights: dict | None = None,
    replace_weights: bool = False,
) -> FeedSettings:
    """Change the member's order and/or weights. A preset replaces every weight;
    ``weights`` changes the ones named (all of them, with ``replace_weights``: the rest
    go back to their defaults). Validates everything before writing anything."""
    if preset is not None and weights is not None:
        raise InvalidInput("Send a preset or weights, not both.", field="preset")
    new_order = check_order(order) if order is not None else None
    new_weights = check_preset(preset).weights() if preset is not None else None
    changed = check_weights(weights) if weights is not None else None
    with transaction.atomic():
        preference, _ = FeedPreference.objects.select_for_update().get_or_create(member=member)
        if new_order is not None:
            preference.order = new_order
        if new_weights is not None:
            preference.weights = new_weights
        elif changed is not None:
            merged = {} if replace_weights else _known(preference.weights)
            for name in weights:
                merged.pop(name, None)
            merged.update(changed)
            preference.weights = merged
        preference.save()
    return FeedSettings(order=preference.order, overrides=_known(preference.weights))
