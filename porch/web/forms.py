"""Forms parse what a browser sent; the services decide whether it is allowed.

Length limits appear here only as HTML hints (``maxlength``), taken from the models'
constants, so the browser helps the person early; the services enforce them and their
messages are shown next to the field (``responses.add_service_error``).
"""

from __future__ import annotations

import re
import uuid

from django import forms
from django.contrib.auth.forms import AuthenticationForm

from porch.accounts.models import (
    BIO_MAX_LENGTH,
    DISPLAY_NAME_MAX_LENGTH,
    AccessToken,
    Invite,
)
from porch.accounts.services import INVITE_DAYS_LIMIT
from porch.accounts.validators import PASSWORD_MAX_LENGTH, USERNAME_MAX_LENGTH
from porch.feed.models import FeedOrder
from porch.feed.preferences import PRESETS, SLIDERS
from porch.graph.models import CIRCLE_NAME_MAX_LENGTH
from porch.moderation.models import NOTE_MAX_LENGTH, REASON_MAX_LENGTH, ReportReason
from porch.moderation.services import CASE_ACTIONS, MEMBER_ACTIONS
from porch.notes.models import NOTE_TEXT_MAX_LENGTH, SOURCE_URL_MAX_LENGTH
from porch.posts.models import POST_MAX_LENGTH, Audience, ReplyPolicy

ID_PATTERN = re.compile(r"[0-9]{1,18}")


class IdListField(forms.Field):
    """Every value of a repeated field (``circles=1&circles=2``), as database ids.

    Only the shape is checked here (whole numbers a database can hold); which ids are
    acceptable is the service's decision, not the form's.
    """

    widget = forms.CheckboxSelectMultiple
    default_error_messages = {"invalid": "Unknown choice."}

    def to_python(self, value):
        if not value:
            return []
        values = [value] if isinstance(value, str) else [str(item) for item in value]
        if not all(ID_PATTERN.fullmatch(item) for item in values):
            raise forms.ValidationError(self.error_messages["invalid"], code="invalid")
        return [int(item) for item in values]


def _text_area(rows: int, placeholder: str = "") -> forms.Textarea:
    attrs = {"rows": rows, "maxlength": POST_MAX_LENGTH, "required": True}
    if placeholder:
        attrs["placeholder"] = placeholder
    return forms.Textarea(attrs=attrs)


class IdempotentForm(forms.Form):
    """A form whose submit creates something: it carries a fresh key each time it is
    rendered, so a double submit sends the same key and creates one thing."""

    idempotency_key = forms.CharField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if not self.is_bound:
            self.initial.setdefault("idempotency_key", uuid.uuid4().hex)


class ComposeForm(IdempotentForm):
    text = forms.CharField(
        required=False,
        strip=False,
        label="Write a post",
        widget=_text_area(3, "What's happening on your porch?"),
    )
    audience = forms.CharField(required=False, initial=Audience.FRIENDS)
    circles = IdListField(required=False, error_messages={"invalid": "Unknown circle."})
    # Checked by the service (posts.services.check_reply_policy), like the audience.
    reply_policy = forms.CharField(required=False, initial=ReplyPolicy.EVERYONE)


class ReplyPolicyForm(forms.Form):
    reply_policy = forms.CharField(required=False)


class ReplyForm(IdempotentForm):
    text = forms.CharField(
        required=False,
        strip=False,
        label="Your reply",
        widget=_text_area(2, "Write a reply…"),
    )
    # Set by the "Post anyway" button after the "Are you sure?" nudge.
    confirmed = forms.BooleanField(required=False)


class EditPostForm(forms.Form):
    text = forms.CharField(required=False, strip=False, label="Text", widget=_text_area(6))


class SignupForm(forms.Form):
    username = forms.CharField(
        max_length=USERNAME_MAX_LENGTH * 4,  # a sanity bound; the service gives the rule
        help_text="2 to 30 letters, digits or underscores. Friends find you as @username.",
        widget=forms.TextInput(
            attrs={"autocomplete": "username", "autocapitalize": "none", "spellcheck": "false"}
        ),
    )
    display_name = forms.CharField(
        required=False,
        label="Your name",
        help_text="How you appear to others, e.g. “Ana Lima”. You can change it later.",
        widget=forms.TextInput(
            attrs={"maxlength": DISPLAY_NAME_MAX_LENGTH, "autocomplete": "name"}
        ),
    )
    password1 = forms.CharField(
        label="Password",
        strip=False,
        help_text="At least 8 characters; a short sentence is easy to remember.",
        widget=forms.PasswordInput(
            attrs={"autocomplete": "new-password", "maxlength": PASSWORD_MAX_LENGTH}
        ),
    )
    password2 = forms.CharField(
        label="Password again",
        strip=False,
        widget=forms.PasswordInput(
            attrs={"autocomplete": "new-password", "maxlength": PASSWORD_MAX_LENGTH}
        ),
    )
    invite = forms.CharField(
        required=False,
        label="Invite code",
        help_text="The code at the end of the invite link you were sent.",
        widget=forms.TextInput(attrs={"autocapitalize": "none", "spellcheck": "false"}),
    )

    def clean(self):
        cleaned = super().clean()
        first, second = cleaned.get("password1"), cleaned.get("password2")
        if first and second and first != second:
            self.add_error("password2", "The two passwords are not the same.")
        return cleaned


class ProfileForm(forms.Form):
    display_name = forms.CharField(
        required=False,
        label="Name",
        help_text="How your name appears to others.",
        widget=forms.TextInput(attrs={"maxlength": DISPLAY_NAME_MAX_LENGTH}),
    )
    bio = forms.CharField(
        required=False,
        label="About you",
        help_text=f"A few words for people who visit your profile (up to {BIO_MAX_LENGTH}).",
        widget=forms.Textarea(attrs={"rows": 3, "maxlength": BIO_MAX_LENGTH}),
    )
    is_public_profile = forms.BooleanField(
        required=False,
        label="Public profile",
        help_text=(
            "Anyone may see your profile and your public posts, and members may follow you. "
            "Your other posts keep their audience."
        ),
    )


class InviteForm(forms.Form):
    max_uses = forms.IntegerField(
        label="How many people can use it",
        initial=5,
        widget=forms.NumberInput(attrs={"min": 1, "max": Invite.MAX_USES_LIMIT}),
    )
    days = forms.IntegerField(
        label="Valid for (days)",
        initial=14,
        widget=forms.NumberInput(attrs={"min": 1, "max": INVITE_DAYS_LIMIT}),
    )


class TokenForm(forms.Form):
    name = forms.CharField(
        required=False,
        label="Token name",
        help_text="Which app or script will use it, so you recognise it later.",
        widget=forms.TextInput(attrs={"maxlength": AccessToken.NAME_MAX_LENGTH}),
    )


class CircleNameForm(forms.Form):
    name = forms.CharField(
        required=False,
        label="Circle name",
        widget=forms.TextInput(
            attrs={"maxlength": CIRCLE_NAME_MAX_LENGTH, "placeholder": "Family, Close friends…"}
        ),
    )


class FindMemberForm(forms.Form):
    username = forms.CharField(
        label="Username",
        max_length=USERNAME_MAX_LENGTH + 1,
        widget=forms.TextInput(
            attrs={"placeholder": "@username", "autocapitalize": "none", "spellcheck": "false"}
        ),
    )

    def clean_username(self):
        return self.cleaned_data["username"].strip().removeprefix("@")


class InviteCodeForm(forms.Form):
    """An invite code from a link, a query string or a revoke button (shape only)."""

    code = forms.CharField(max_length=64)


class RangeInput(forms.NumberInput):
    """A slider (``<input type="range">``); porch.js shows its value in an ``<output>``."""

    input_type = "range"


def number_text(value) -> str:
    """A weight as people read it: ``1.5``, ``24``, ``0.3`` (never ``0.30000000000000004``)."""
    if value is None or value == "":
        return ""
    try:
        return format(round(float(value), 2), "g")
    except (TypeError, ValueError):
        return str(value)


ORDER_ERROR = "Choose an order: Conversations first or Newest first."


class FeedOrderForm(forms.Form):
    """The order switch on the home feed."""

    order = forms.ChoiceField(
        choices=FeedOrder.choices, error_messages={"invalid_choice": ORDER_ERROR}
    )


class FeedPresetForm(forms.Form):
    preset = forms.ChoiceField(
        choices=[(preset.key, preset.label) for preset in PRESETS],
        error_messages={
            "invalid_choice": "Choose one of the presets: "
            + ", ".join(preset.label for preset in PRESETS)
            + "."
        },
    )


class FeedSettingsForm(forms.Form):
    """The order and one slider per weight of the conversation ranker (from ``SLIDERS``).

    The form only parses numbers; ranges and whole numbers are checked by
    ``feed.preferences.do_set_feed_settings``, whose messages appear beside the slider.
    """

    order = forms.ChoiceField(
        label="Order",
        choices=FeedOrder.choices,
        widget=forms.RadioSelect,
        error_messages={"invalid_choice": ORDER_ERROR, "required": ORDER_ERROR},
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for slider in SLIDERS:
            field_class = forms.IntegerField if slider.integer else forms.FloatField
            what = "a whole number" if slider.integer else "a number"
            field = field_class(
                label=slider.label,
                help_text=slider.help,
                widget=RangeInput(
                    attrs={
                        "min": number_text(slider.minimum),
                        "max": number_text(slider.maximum),
                        "step": number_text(slider.step),
                        "data-output": f"{slider.name}-value",
                        "aria-describedby": f"{slider.name}-help",
                    }
                ),
                error_messages={
                    "required": f"{slider.label}: give a number.",
                    "invalid": f"{slider.label}: give {what}.",
                },
            )
            field.slider = slider
            self.fields[slider.name] = field

    def sliders(self):
        """(bound field, its value as text) for each slider, in ``SLIDERS`` order."""
        return [(self[slider.name], number_text(self[slider.name].value())) for slider in SLIDERS]

    def weights(self) -> dict:
        return {slider.name: self.cleaned_data[slider.name] for slider in SLIDERS}


class KeywordFilterForm(forms.Form):
    """Shape only; the service (``safety.filters``) gives the rules and the messages."""

    phrase = forms.CharField(
        required=False,
        strip=False,
        label="Word or phrase",
        help_text="Whole words, any case: “cat” hides “Cat!” but not “category”.",
        widget=forms.TextInput(attrs={"maxlength": 100}),
    )
    action = forms.ChoiceField(
        label="What to do",
        choices=[("warn", "Put it behind a warning"), ("hide", "Hide it")],
        initial="warn",
    )
    expires_in_days = forms.TypedChoiceField(
        label="For",
        choices=[
            ("", "Always"),
            ("1", "1 day"),
            ("7", "A week"),
            ("30", "A month"),
            ("365", "A year"),
        ],
        coerce=int,
        empty_value=None,
        required=False,
    )


class ReportForm(forms.Form):
    reason = forms.ChoiceField(
        choices=ReportReason.choices, widget=forms.RadioSelect, label="What is wrong?"
    )
    note = forms.CharField(
        required=False,
        label="Anything the moderators should know (optional)",
        widget=forms.Textarea(attrs={"rows": 3, "maxlength": NOTE_MAX_LENGTH}),
        help_text="Only the moderators read this. The person you report is never told who.",
    )


def _action_choices(kinds, labels: dict[str, str]):
    return [(k.value, labels[k.value]) for k in kinds]


ACTION_LABELS = {
    "dismiss": "Dismiss: nothing here breaks the rules",
    "remove": "Remove the post or reply",
    "warn": "Warn the member",
    "limit": "Limit: their posts and replies reach only their friends",
    "unlimit": "Lift the limit",
    "suspend": "Suspend: they cannot log in and nobody sees them",
    "unsuspend": "Lift the suspension",
}


class ModerationForm(forms.Form):
    kind = forms.ChoiceField(widget=forms.RadioSelect, label="Decision")
    reason = forms.CharField(
        label="Why (the member and the reporters are told this)",
        widget=forms.Textarea(attrs={"rows": 3, "maxlength": REASON_MAX_LENGTH, "required": True}),
    )

    def __init__(self, *args, kinds=CASE_ACTIONS, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["kind"].choices = _action_choices(kinds, ACTION_LABELS)


def member_moderation_form(data=None, *, member) -> ModerationForm:
    """The actions that make sense for the member now (no "lift" when nothing to lift)."""
    kinds = [
        k
        for k in MEMBER_ACTIONS
        if not (k.value == "unlimit" and not member.limited_at)
        and not (k.value == "limit" and member.limited_at)
        and not (k.value == "unsuspend" and not member.suspended_at)
        and not (k.value in ("suspend", "warn") and member.suspended_at)
    ]
    return ModerationForm(data, kinds=kinds)


class LoginForm(AuthenticationForm):
    """Django's log-in form; a suspended member who gives the right password is told
    why they cannot log in (anyone else sees the same "not right" message)."""

    def clean(self):
        try:
            return super().clean()
        except forms.ValidationError:
            from porch.moderation.services import suspension_for_login

            why = suspension_for_login(
                self.cleaned_data.get("username"), self.cleaned_data.get("password")
            )
            if why:
                raise forms.ValidationError(why, code="suspended") from None
            raise


class NoteForm(forms.Form):
    """Shape only; ``notes.services`` checks the text and the source."""

    text = forms.CharField(
        required=False,
        label="Context readers need",
        help_text="Facts, not opinions: what is missing or wrong, and how we know.",
        widget=forms.Textarea(attrs={"rows": 3, "maxlength": NOTE_TEXT_MAX_LENGTH}),
    )
    source_url = forms.CharField(
        required=False,
        label="Source (a link readers can check)",
        widget=forms.URLInput(
            attrs={"maxlength": SOURCE_URL_MAX_LENGTH, "placeholder": "https://"}
        ),
    )
