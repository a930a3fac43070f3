"""Circles: the member's named groups of friends, private to them."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import Count, Q
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods

from porch.accounts.services import access_member
from porch.errors import InvalidInput, PorchError
from porch.graph.services import (
    access_circle,
    circle_members,
    circles_of,
    do_add_to_circle,
    do_create_circle,
    do_delete_circle,
    do_remove_from_circle,
    do_rename_circle,
    friends_of,
)

from ..forms import CircleNameForm
from ..responses import add_service_error, porch_errors


def circle_url(circle) -> str:
    return reverse("web:circle", args=[circle.pk])


@login_required
@require_http_methods(["GET", "POST"])
@porch_errors
def index(request):
    me = request.user
    status = 200
    if request.method == "POST":
        form = CircleNameForm(request.POST)
        if form.is_valid():
            try:
                circle = do_create_circle(me, form.cleaned_data["name"])
            except PorchError as error:
                add_service_error(form, error)
            else:
                messages.success(request, f"Circle “{circle.name}” created. Now add some friends.")
                return redirect(circle_url(circle))
        status = 400
    else:
        form = CircleNameForm()
    circles = circles_of(me).annotate(
        size=Count("memberships", filter=Q(memberships__member__is_active=True))
    )
    return render(
        request, "web/circles.html", {"circles": list(circles), "form": form}, status=status
    )


def _friend(request, key: str):
    username = request.POST.get(key, "")
    if not username:
        raise InvalidInput("Choose a friend first.", field="member")
    return access_member(request.user, username)


CIRCLE_ACTIONS = {"add", "remove", "rename", "delete"}


@login_required
@require_http_methods(["GET", "POST"])
@porch_errors
def detail(request, circle_id):
    """POST ``action`` = add (member) | remove (member) | rename (name) | delete."""
    me = request.user
    circle = access_circle(me, circle_id)
    rename = CircleNameForm(initial={"name": circle.name})
    status = 200
    if request.method == "POST":
        action = request.POST.get("action", "")
        if action not in CIRCLE_ACTIONS:
            raise InvalidInput("Choose add, remove, rename or delete.")
        try:
            if action == "add":
                member = _friend(request, "member")
                do_add_to_circle(me, circle, member)
                messages.success(request, f"{member.name} is now in “{circle.name}”.")
            elif action == "remove":
                member = _friend(request, "member")
                do_remove_from_circle(me, circle, member)
                messages.success(request, f"{member.name} left “{circle.name}”.")
            elif action == "rename":
                rename = CircleNameForm(request.POST)
                status = 400
                if rename.is_valid():
                    try:
                        do_rename_circle(me, circle, rename.cleaned_data["name"])
                    except PorchError as error:
                        add_service_error(rename, error)
                        circle.refresh_from_db(fields=["name"])
                    else:
                        status = 200
                        messages.success(request, f"Renamed to “{circle.name}”.")
            else:  # delete
                name = circle.name
                do_delete_circle(me, circle)
                messages.success(request, f"Circle “{name}” deleted.")
                return redirect("web:circles")
        except PorchError as error:
            messages.error(request, error.message)
        if status == 200:
            return redirect(circle_url(circle))
    members = list(circle_members(circle))
    addable = list(friends_of(me).exclude(pk__in=[m.pk for m in members]))
    return render(
        request,
        "web/circle_detail.html",
        {"circle": circle, "members": members, "addable": addable, "rename": rename},
        status=status,
    )
