"""Settings: profile, password, feed, invites and API tokens."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth import update_session_auth_hash
from django.contrib.auth.decorators import login_required
from django.contrib.auth.forms import PasswordChangeForm
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods

from porch.accounts.models import SignupMode
from porch.accounts.services import (
    do_create_invite,
    do_create_token,
    do_revoke_invite,
    do_revoke_token,
    do_update_profile,
    invites_of,
    signup_mode,
    tokens_of,
)
from porch.errors import InvalidInput, PorchError
from porch.feed.preferences import PRESET_BY_KEY, PRESETS, do_set_feed_settings, feed_settings
from porch.safety.filters import active_filters, do_add_filter, do_remove_filter

from ..forms import (
    FeedPresetForm,
    FeedSettingsForm,
    InviteCodeForm,
    InviteForm,
    KeywordFilterForm,
    ProfileForm,
    TokenForm,
)
from ..responses import add_service_error, parse_id, porch_errors


@login_required
@require_http_methods(["GET", "POST"])
@porch_errors
def profile(request):
    me = request.user
    status = 200
    if request.method == "POST":
        form = ProfileForm(request.POST)
        if form.is_valid():
            data = form.cleaned_data
            try:
                do_update_profile(
                    me,
                    display_name=data["display_name"],
                    bio=data["bio"],
                    is_public_profile=data["is_public_profile"],
                )
            except PorchError as error:
                add_service_error(form, error)
                me.refresh_from_db()
            else:
                messages.success(request, "Profile saved.")
                return redirect("web:settings")
        status = 400
    else:
        form = ProfileForm(
            initial={
                "display_name": me.display_name,
                "bio": me.bio,
                "is_public_profile": me.is_public_profile,
            }
        )
    return render(
        request, "web/settings/profile.html", {"form": form, "tab": "profile"}, status=status
    )


@login_required
@require_http_methods(["GET", "POST"])
def password(request):
    status = 200
    if request.method == "POST":
        form = PasswordChangeForm(request.user, request.POST)
        if form.is_valid():
            member = form.save()
            # Keep this session; every other session of the member ends (its hash is stale).
            update_session_auth_hash(request, member)
            messages.success(request, "Password changed. Other devices were logged out.")
            return redirect("web:settings_password")
        status = 400
    else:
        form = PasswordChangeForm(request.user)
    return render(
        request, "web/settings/password.html", {"form": form, "tab": "password"}, status=status
    )


@login_required
@require_http_methods(["GET", "POST"])
@porch_errors
def feed(request):
    """The feed's order, a preset, or one slider per weight.

    POST ``preset`` applies that preset (``balanced`` is "Reset to Porch's defaults");
    otherwise ``order`` and every weight are saved, and a weight left out goes back
    to its default."""
    me = request.user
    current = feed_settings(me)
    status = 200
    form = FeedSettingsForm(initial={"order": current.order, **current.all_weights()})
    preset_form = FeedPresetForm()
    if request.method == "POST":
        status = 400
        if "preset" in request.POST:
            preset_form = FeedPresetForm(request.POST)
            if preset_form.is_valid():
                key = preset_form.cleaned_data["preset"]
                try:
                    do_set_feed_settings(me, preset=key)
                except PorchError as error:
                    add_service_error(preset_form, error)
                else:
                    if key == "balanced":
                        messages.success(request, "Back to Porch's defaults.")
                    else:
                        messages.success(request, f"Preset applied: {PRESET_BY_KEY[key].label}.")
                    return redirect("web:settings_feed")
        else:
            form = FeedSettingsForm(request.POST)
            if form.is_valid():
                try:
                    do_set_feed_settings(
                        me,
                        order=form.cleaned_data["order"],
                        weights=form.weights(),
                        replace_weights=True,
                    )
                except PorchError as error:
                    add_service_error(form, error)
                else:
                    messages.success(request, "Feed settings saved.")
                    return redirect("web:settings_feed")
    return render(
        request,
        "web/settings/feed.html",
        {
            "form": form,
            "preset_form": preset_form,
            "presets": PRESETS,
            "active_preset": current.preset,
            "order": current.order,
            "tab": "feed",
        },
        status=status,
    )


def invite_link(request, invite) -> str:
    return request.build_absolute_uri(reverse("web:invite", args=[invite.code]))


@login_required
@require_http_methods(["GET", "POST"])
@porch_errors
def invites(request):
    """POST ``action`` = create (max_uses, days) | revoke (code)."""
    me = request.user
    form = InviteForm()
    status = 200
    if request.method == "POST":
        action = request.POST.get("action", "")
        if action == "create":
            form = InviteForm(request.POST)
            if form.is_valid():
                try:
                    invite = do_create_invite(
                        me, max_uses=form.cleaned_data["max_uses"], days=form.cleaned_data["days"]
                    )
                except PorchError as error:
                    add_service_error(form, error)
                else:
                    messages.success(request, "Invite created: copy its link and send it.")
                    return redirect(f"{reverse('web:settings_invites')}#invite-{invite.code}")
            status = 400
        elif action == "revoke":
            shape = InviteCodeForm({"code": request.POST.get("code", "")})
            try:
                if not shape.is_valid():
                    raise InvalidInput("No such invite.")
                do_revoke_invite(me, shape.cleaned_data["code"])
            except PorchError as error:
                messages.error(request, error.message)
            else:
                messages.success(request, "Invite revoked: its link no longer works.")
            return redirect("web:settings_invites")
        else:
            raise InvalidInput("Choose create or revoke.")
    rows = [(invite, invite_link(request, invite)) for invite in invites_of(me)]
    return render(
        request,
        "web/settings/invites.html",
        {
            "form": form,
            "invites": rows,
            "closed": signup_mode() == SignupMode.CLOSED,
            "tab": "invites",
        },
        status=status,
    )


@login_required
@require_http_methods(["GET", "POST"])
@porch_errors
def filters(request):
    """POST ``do`` = add (phrase, action, expires_in_days) | remove (filter)."""
    me = request.user
    form = KeywordFilterForm()
    status = 200
    if request.method == "POST":
        do = request.POST.get("do", "")
        if do == "add":
            form = KeywordFilterForm(request.POST)
            status = 400
            if form.is_valid():
                data = form.cleaned_data
                try:
                    made = do_add_filter(
                        me,
                        phrase=data["phrase"],
                        action=data["action"],
                        expires_in_days=data["expires_in_days"],
                    )
                except PorchError as error:
                    add_service_error(form, error)
                else:
                    messages.success(request, f"Filter added: “{made.phrase}”.")
                    return redirect("web:settings_filters")
        elif do == "remove":
            try:
                do_remove_filter(me, parse_id(request.POST.get("filter")) or 0)
            except PorchError as error:
                messages.error(request, error.message)
            else:
                messages.success(request, "Filter removed.")
            return redirect("web:settings_filters")
        else:
            raise InvalidInput("Choose add or remove.")
    return render(
        request,
        "web/settings/filters.html",
        {"form": form, "filters": active_filters(me), "tab": "filters"},
        status=status,
    )


@login_required
@require_http_methods(["GET", "POST"])
@porch_errors
def tokens(request):
    """POST ``action`` = create (name) | revoke (token). A new token is shown once, here."""
    me = request.user
    form = TokenForm()
    created, raw = None, ""
    status = 200
    if request.method == "POST":
        action = request.POST.get("action", "")
        if action == "create":
            form = TokenForm(request.POST)
            status = 400
            if form.is_valid():
                try:
                    created, raw = do_create_token(me, form.cleaned_data["name"])
                except PorchError as error:
                    add_service_error(form, error)
                else:
                    form, status = TokenForm(), 200
        elif action == "revoke":
            try:
                do_revoke_token(me, parse_id(request.POST.get("token")) or 0)
            except PorchError as error:
                messages.error(request, error.message)
            else:
                messages.success(request, "Token revoked: apps using it are logged out.")
            return redirect("web:settings_tokens")
        else:
            raise InvalidInput("Choose create or revoke.")
    response = render(
        request,
        "web/settings/tokens.html",
        {
            "form": form,
            "tokens": list(tokens_of(me)),
            "created": created,
            "raw_token": raw,
            "tab": "tokens",
        },
        status=status,
    )
    if raw:
        response["Cache-Control"] = "no-store"  # the raw token must not linger in a cache
    return response
