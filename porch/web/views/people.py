"""Profiles, friend requests, follows and the friends page."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_POST

from porch import limits
from porch.accounts.services import access_member, member_named
from porch.errors import InvalidInput, PorchError
from porch.graph.services import (
    blocked_members,
    do_accept_friend_request,
    do_block,
    do_cancel_friend_request,
    do_decline_friend_request,
    do_follow,
    do_mute,
    do_send_friend_request,
    do_unblock,
    do_unfollow,
    do_unfriend,
    do_unmute,
    followees_of,
    friends_of,
    incoming_requests,
    is_following,
    is_muting,
    muted_members,
    outgoing_requests,
    relationship,
)
from porch.posts.services import posts_by

from ..cards import prepare_cards
from ..forms import FindMemberForm
from ..responses import back, is_htmx, porch_errors


def profile_url(member) -> str:
    return reverse("web:profile", args=[member.username])


@require_GET
@porch_errors
def profile(request, username):
    viewer = request.user
    member = access_member(viewer, username)
    if member.username != username:
        return redirect(profile_url(member))  # one address per person
    cursor = request.GET.get("cursor") or None
    page = posts_by(viewer, member, cursor)
    prepare_cards(viewer, page.items)
    relation, following, muted = None, False, False
    if viewer.is_authenticated:
        relation = relationship(viewer, member)
        if relation != "self":
            following = is_following(viewer, member)
            muted = is_muting(viewer, member)
    context = {
        "member": member,
        "posts": page.items,
        "next_url": f"{profile_url(member)}?cursor={page.next_cursor}" if page.next_cursor else "",
        "first_page": cursor is None,
        "relation": relation,
        "following": following,
        "muted": muted,
    }
    if is_htmx(request) and cursor:
        return render(request, "web/_profile_page.html", context)
    return render(request, "web/profile.html", context)


FRIEND_ACTIONS = {
    "request": (do_send_friend_request, "Friend request sent to {name}."),
    "accept": (do_accept_friend_request, "You and {name} are now friends."),
    "decline": (do_decline_friend_request, "Request declined. {name} is not told."),
    "cancel": (do_cancel_friend_request, "Friend request to {name} cancelled."),
    "unfriend": (do_unfriend, "You and {name} are no longer friends."),
}


def _act_on(request, username, actions: dict, choose: str):
    """Run the chosen ``action`` (a service taking viewer and member) on the member's
    profile and come back with a message saying what happened."""
    member = access_member(request.user, username)
    action = actions.get(request.POST.get("action", ""))
    if action is None:
        raise InvalidInput(choose)
    function, done = action
    if function is do_send_friend_request:
        limits.check("friend_request", request, member=request.user)
    try:
        outcome = function(request.user, member)
    except PorchError as error:
        messages.error(request, error.message)
    else:
        if outcome == "accepted":
            done = "{name} had already asked you: you are now friends."
        messages.success(request, done.format(name=member.name))
    return back(request, profile_url(member))


@login_required
@require_POST
@porch_errors
def friend(request, username):
    """``action`` = request | accept | decline | cancel | unfriend."""
    return _act_on(
        request, username, FRIEND_ACTIONS, "Choose one of: " + ", ".join(FRIEND_ACTIONS) + "."
    )


FOLLOW_ACTIONS = {
    "follow": (do_follow, "You now follow {name}. Their public posts appear in your feed."),
    "unfollow": (do_unfollow, "You no longer follow {name}."),
}


@login_required
@require_POST
@porch_errors
def follow(request, username):
    """``action`` = follow | unfollow."""
    return _act_on(request, username, FOLLOW_ACTIONS, "Choose follow or unfollow.")


SAFETY_ACTIONS = {
    # action: (service, find the member through the profile rule?, message)
    "block": (do_block, True, "You blocked {name}. Neither of you will see the other."),
    "unblock": (
        do_unblock,
        False,
        "You unblocked {name}. Friendship would have to be asked again.",
    ),
    "mute": (do_mute, True, "You muted {name}: their posts leave your feed. They are not told."),
    "unmute": (do_unmute, False, "You unmuted {name}."),
}


@login_required
@require_POST
@porch_errors
def safety(request, username):
    """``action`` = block | unblock | mute | unmute. Blocking leaves the profile (it is
    gone for both of you), so every answer comes back to Settings → Blocked,
    unless it was a mute from the profile."""
    action = SAFETY_ACTIONS.get(request.POST.get("action", ""))
    if action is None:
        raise InvalidInput("Choose one of: " + ", ".join(SAFETY_ACTIONS) + ".")
    function, through_profile, done = action
    member = access_member(request.user, username) if through_profile else member_named(username)
    try:
        function(request.user, member)
    except PorchError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, done.format(name=member.name))
    if request.POST.get("action") == "mute":
        return back(request, profile_url(member))
    return redirect("web:settings_blocks")


@login_required
@require_GET
@porch_errors
def blocks(request):
    """Settings → Blocked."""
    return render(
        request,
        "web/settings/blocks.html",
        {
            "tab": "blocks",
            "blocked": list(blocked_members(request.user)),
            "muted": list(muted_members(request.user)),
        },
    )


@login_required
@require_GET
@porch_errors
def friends(request):
    me = request.user
    find = FindMemberForm(request.GET if "username" in request.GET else None)
    if find.is_bound and find.is_valid():
        try:
            member = access_member(me, find.cleaned_data["username"])
        except PorchError:
            find.add_error("username", "Nobody here has that username.")
        else:
            return redirect(profile_url(member))
    return render(
        request,
        "web/friends.html",
        {
            "friends": list(friends_of(me)),
            "incoming": list(incoming_requests(me)),
            "outgoing": list(outgoing_requests(me)),
            "following": list(followees_of(me)),
            "find": find,
        },
    )
