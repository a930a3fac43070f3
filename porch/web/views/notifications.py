"""Notifications: a person did something to you. Marking them read is a POST."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_POST

from porch.notifications.models import NotificationKind
from porch.notifications.services import do_mark_all_read, do_mark_read, list_notifications

from ..responses import back, is_htmx, porch_errors
from .people import profile_url
from .posts import post_url


def target_url(notification) -> str:
    """Where a notification leads: the post (at the reply), the requests, or the person."""
    if notification.action_id is not None:
        return reverse("web:settings_reports")
    if notification.post_id is not None and notification.post is not None:
        return post_url(notification.post)
    if notification.kind == NotificationKind.FRIEND_REQUEST:
        return reverse("web:friends")
    return profile_url(notification.actor)


@login_required
@require_GET
@porch_errors
def index(request):
    cursor = request.GET.get("cursor") or None
    page = list_notifications(request.user, cursor)
    for notification in page.items:
        notification.target = target_url(notification)
    context = {
        "items": page.items,
        "first_page": cursor is None,
        "next_url": (
            f"{reverse('web:notifications')}?cursor={page.next_cursor}" if page.next_cursor else ""
        ),
    }
    if is_htmx(request) and cursor:
        return render(request, "web/_notifications_page.html", context)
    return render(request, "web/notifications.html", context)


@login_required
@require_POST
@porch_errors
def read(request, notification_id):
    """Mark one read; with ``next`` (the notification's link) go there afterwards."""
    do_mark_read(request.user, notification_id)
    if is_htmx(request) and "next" not in request.POST:
        # Only the button's place changes (and the badge, out of band); porch.js drops
        # the item's unread look.
        return render(request, "web/_notification_read.html")
    return back(request, reverse("web:notifications"))


@login_required
@require_POST
@porch_errors
def read_all(request):
    do_mark_all_read(request.user)
    return redirect("web:notifications")
